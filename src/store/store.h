/*
 * store: the only place SQL lives, one file per entity, every query parameterised. Each
 * function takes the caller's db connection (db_thread_get() in the server) and returns
 * DB_OK or a negative db_err (src/db/db.h); DB_ENOTFOUND-like cases are reported through
 * a `found` flag or an empty result rather than an error.
 */
#ifndef ROADIE_STORE_H
#define ROADIE_STORE_H

#include "db/db.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* ---- audit: an append-only hash chain ------------------------------------------------ */

#define STORE_HASH_HEX 65 /* SHA-256 in hex, NUL included */

/* One audit entry. Personal data (email, ip) go to a side table outside the hash, so that
 * erasing a person leaves the chain verifiable. */
typedef struct store_audit_entry {
    const char *actor_id;   /* who did it (user id, "key:<id>", "operator"), or NULL */
    const char *action;     /* e.g. "auth.login", "auth.login_failed", "member.role_changed" */
    const char *target;     /* what it was done to (an id), or NULL */
    const char *request_id; /* the request's X-Request-Id, or NULL */
    const char *detail;     /* a JSON object without personal data, or NULL for {} */
    const char *subject_id; /* whose personal data the entry mentions, or NULL */
    const char *email;      /* personal: kept outside the hash */
    const char *ip;         /* personal: kept outside the hash */
} store_audit_entry;

/* Appends e at the head of the chain. Appends are serialised by the database (SQLite's
 * write lock; a PostgreSQL transaction-level advisory lock), so several Roadie instances
 * write one chain. Runs in its own transaction unless in_tx says the caller holds one. */
int store_audit_append(db *d, const store_audit_entry *e, bool in_tx);

/* The head: its seq (0 for an empty chain) and hash. */
int store_audit_head(db *d, int64_t *seq, char hash[STORE_HASH_HEX]);

/* Walks the whole chain, recomputing every hash. Returns DB_OK with *ok telling whether it
 * is intact; on a break, *bad_seq is the first entry that fails and why says how. When
 * head is given (a hash kept elsewhere earlier), a chain that no longer contains it was
 * truncated or rewritten. */
int store_audit_verify(db *d, const char *head, bool *ok, int64_t *bad_seq, char *why, size_t whylen);

/* Entries matching the filters (NULL = any; since in epoch ms, 0 = any), newest first, at
 * most limit, older than seq `before` (0 = from the head). Columns: seq, at, actor_id,
 * action, target, request_id, detail. */
int store_audit_list(db *d, const char *actor, const char *action, int64_t since, int64_t before, int limit,
                     db_res **out);

/* The personal data kept about subject_id: columns seq, at, action, email, ip. */
int store_audit_personal_for(db *d, const char *subject_id, db_res **out);

/* Erases the personal data recorded about subject_id (GDPR). */
int store_audit_forget(db *d, const char *subject_id);

/* ---- users --------------------------------------------------------------------------- */

typedef struct store_user {
    char id[23];
    char email[256]; /* lower-cased */
    char name[256];
    char password_hash[128]; /* argon2id encoded string (~97 characters at our parameters) */
    char role[8];            /* "admin" | "user" */
    bool disabled;
    int64_t token_version; /* access tokens carrying an older version are refused */
    int64_t failed_logins, failed_since, locked_until;
    int64_t created_at, updated_at;
} store_user;

/* Inserts u (id, email, name, password_hash, role; times set here). DB_ECONSTRAINT when the
 * email is taken. */
int store_user_insert(db *d, store_user *u);
/* Reads the user by id / by email (lower-cased by the caller) into *u; *found says whether. */
int store_user_get(db *d, const char *id, store_user *u, bool *found);
int store_user_by_email(db *d, const char *email, store_user *u, bool *found);
/* Writes name, email, role, disabled, password_hash and token_version back (by id). */
int store_user_update(db *d, store_user *u);
/* Writes u back and revokes all its refresh tokens, in one transaction: for changes that
 * must end every session (password, role, disabling; u->token_version bumped by the caller). */
int store_user_save_signout(db *d, store_user *u);
/* Records a failed login: counts failures within window_ms and locks the account until
 * now + lock_ms when the count reaches max. *locked tells whether this failure locked it. */
int store_user_login_failed(db *d, const char *id, int64_t now, int64_t window_ms, int max, int64_t lock_ms,
                            bool *locked);
/* Clears the failure count and any lock (after a good login, or by an operator). */
int store_user_clear_failures(db *d, const char *id);
/* Users ordered by id after `after` ("" = from the start), at most limit. Columns: id,
 * email, name, role, disabled, created_at. */
int store_user_list(db *d, const char *after, int limit, db_res **out);
/* Deletes the user (their memberships, tokens cascade). */
int store_user_delete(db *d, const char *id);
/* Number of users (0 on a fresh install). */
int store_user_count(db *d, int64_t *n);

/* ---- refresh tokens (stored hashed, rotated on every use, grouped in families) -------- */

typedef struct store_refresh {
    char family_id[23];
    char user_id[23];
    int64_t expires_at;
    bool used, revoked;
} store_refresh;

int store_refresh_insert(db *d, const char *token_hash, const char *family_id, const char *user_id, int64_t expires_at);
int store_refresh_get(db *d, const char *token_hash, store_refresh *r, bool *found);
/* Marks the token used; *won is false when another request used it first. */
int store_refresh_use(db *d, const char *token_hash, bool *won);
int store_refresh_revoke_family(db *d, const char *family_id);
int store_refresh_revoke_user(db *d, const char *user_id);
/* The user's sign-ins: columns family_id, created_at, expires_at, used_at, revoked_at. */
int store_refresh_list_user(db *d, const char *user_id, db_res **out);

/* ---- artists and their members ------------------------------------------------------- */

/* Creates the artist with owner_id as its first owner, in one transaction. */
int store_artist_create(db *d, const char *id, const char *name, const char *spotify_id, const char *owner_id);
/* Reads one artist: columns id, name, spotify_id, created_at, updated_at. */
int store_artist_get(db *d, const char *id, db_res **out);
/* The artists user_id belongs to, with the role: columns id, name, spotify_id, created_at,
 * updated_at, role. */
int store_artist_list_for(db *d, const char *user_id, db_res **out);
int store_artist_update(db *d, const char *id, const char *name, const char *spotify_id);
int store_artist_delete(db *d, const char *id);
/* Deletes every artist whose only owner is user_id (before that user is erased). */
int store_artist_delete_sole_owned(db *d, const char *user_id);

/* user_id's role at artist_id into role ("" when not a member). */
int store_member_role(db *d, const char *artist_id, const char *user_id, char role[8]);
/* Members of the artist: columns user_id, email, name, role, created_at. */
int store_member_list(db *d, const char *artist_id, db_res **out);
/* Adds a member (DB_ECONSTRAINT when already one). */
int store_member_add(db *d, const char *artist_id, const char *user_id, const char *role);
int store_member_set_role(db *d, const char *artist_id, const char *user_id, const char *role);
int store_member_remove(db *d, const char *artist_id, const char *user_id);
/* Owners of the artist. */
int store_member_owner_count(db *d, const char *artist_id, int64_t *n);

/* ---- API keys ---------------------------------------------------------------------- */

int store_key_insert(db *d, const char *id, const char *artist_id, const char *name, const char *prefix,
                     const char *key_hash, const char *scopes, const char *created_by);
/* Keys of the artist: columns id, name, prefix, scopes, created_at, last_used_at, revoked_at. */
int store_key_list(db *d, const char *artist_id, db_res **out);
/* The live key with this hash: columns id, artist_id, scopes. */
int store_key_find(db *d, const char *key_hash, db_res **out);
int store_key_revoke(db *d, const char *artist_id, const char *id);
int store_key_touch(db *d, const char *id);

#endif
