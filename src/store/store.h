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

/* Erases the personal data recorded about subject_id (GDPR). */
int store_audit_forget(db *d, const char *subject_id);

#endif
