-- Roadie schema 1: accounts, artists and their teams, API keys, the audit chain.
-- Portable SQL for SQLite and PostgreSQL: TEXT ids, BIGINT epoch-ms times, INTEGER 0/1 flags.

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,            -- lower-cased
    name TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,           -- argon2id, libsodium's encoded string
    role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('admin', 'user')),
    disabled INTEGER NOT NULL DEFAULT 0,
    token_version BIGINT NOT NULL DEFAULT 0, -- access tokens carrying an older one are refused
    failed_logins BIGINT NOT NULL DEFAULT 0, -- failures since failed_since
    failed_since BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Refresh tokens: stored hashed, rotated on every use; a family is one login's chain.
CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    family_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,                        -- set when rotated; presenting it again is reuse
    revoked_at BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE artists (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    spotify_id TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE artist_members (
    artist_id TEXT NOT NULL REFERENCES artists (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (artist_id, user_id)
);
CREATE INDEX artist_members_user ON artist_members (user_id);

-- API keys for machine clients: shown once, stored hashed, limited to one artist.
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    artist_id TEXT NOT NULL REFERENCES artists (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,                  -- the first characters, shown in lists
    key_hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,                  -- comma-separated: read,ingest,write
    created_by TEXT,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_keys_artist ON api_keys (artist_id);

-- The audit chain: each row carries the hash of the previous one. seq is assigned by the
-- appender (previous + 1) so two writers racing for one place collide on the key.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id TEXT,
    action TEXT NOT NULL,
    target TEXT,
    request_id TEXT,
    detail TEXT NOT NULL DEFAULT '{}',     -- JSON without personal data
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor_id);
CREATE INDEX audit_log_action ON audit_log (action);

-- Personal data an audit entry refers to, outside the hashed fields: erasing it leaves the
-- chain intact.
CREATE TABLE audit_personal (
    seq BIGINT PRIMARY KEY REFERENCES audit_log (seq),
    subject_id TEXT,
    email TEXT,
    ip TEXT
);
CREATE INDEX audit_personal_subject ON audit_personal (subject_id);
