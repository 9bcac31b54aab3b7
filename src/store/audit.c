/* store/audit: the hash-chained audit log and its personal-data side table. */
#include "store/store.h"

#include "base/base.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"
#define PG_AUDIT_LOCK 72630002

/* Feeds one field as "<len>:<bytes>", or "-1:" for NULL, so fields can't run together. */
static void feed(crypto_hash_sha256_state *st, const char *v)
{
    char len[24];
    int n = v ? snprintf(len, sizeof(len), "%zu:", strlen(v)) : snprintf(len, sizeof(len), "-1:");
    crypto_hash_sha256_update(st, (const unsigned char *)len, (unsigned long long)n);
    if (v)
        crypto_hash_sha256_update(st, (const unsigned char *)v, strlen(v));
}

/* hash = SHA-256(seq, at, actor_id, action, target, request_id, detail, prev_hash). */
static void entry_hash(int64_t seq, int64_t at, const char *const f[5], const char *prev, char out[STORE_HASH_HEX])
{
    crypto_hash_sha256_state st;
    unsigned char h[crypto_hash_sha256_BYTES];
    char num[2][24];
    snprintf(num[0], sizeof(num[0]), "%lld", (long long)seq);
    snprintf(num[1], sizeof(num[1]), "%lld", (long long)at);
    crypto_hash_sha256_init(&st);
    feed(&st, num[0]);
    feed(&st, num[1]);
    for (int i = 0; i < 5; i++)
        feed(&st, f[i]);
    feed(&st, prev);
    crypto_hash_sha256_final(&st, h);
    sodium_bin2hex(out, STORE_HASH_HEX, h, sizeof(h));
}

int store_audit_head(db *d, int64_t *seq, char hash[STORE_HASH_HEX])
{
    db_res *r;
    int rc = db_query(d, &r, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", DB_NOARGS);
    if (rc != DB_OK)
        return rc;
    *seq = db_res_rows(r) ? db_res_int(r, 0, 0) : 0;
    snprintf(hash, STORE_HASH_HEX, "%s", db_res_rows(r) ? db_res_text(r, 0, 1) : GENESIS);
    db_res_free(r);
    return DB_OK;
}

static int append_locked(db *d, const store_audit_entry *e)
{
    int64_t seq;
    char prev[STORE_HASH_HEX], hash[STORE_HASH_HEX];
    int rc;
    if (db_kind_of(d) == DB_PG &&
        (rc = db_exec(d, "SELECT pg_advisory_xact_lock(?)", DB_ARGS(DB_INT(PG_AUDIT_LOCK)))) != DB_OK)
        return rc;
    if ((rc = store_audit_head(d, &seq, prev)) != DB_OK)
        return rc;
    seq++;
    int64_t at = base_now_ms();
    const char *f[5] = {e->actor_id, e->action, e->target, e->request_id, e->detail ? e->detail : "{}"};
    entry_hash(seq, at, f, prev, hash);
    rc = db_exec(d,
                 "INSERT INTO audit_log (seq, at, actor_id, action, target, request_id, detail, prev_hash, hash)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 DB_ARGS(DB_INT(seq), DB_INT(at), DB_TEXT(f[0]), DB_TEXT(f[1]), DB_TEXT(f[2]), DB_TEXT(f[3]),
                         DB_TEXT(f[4]), DB_TEXT(prev), DB_TEXT(hash)));
    if (rc == DB_OK && (e->subject_id || e->email || e->ip))
        rc = db_exec(d, "INSERT INTO audit_personal (seq, subject_id, email, ip) VALUES (?, ?, ?, ?)",
                     DB_ARGS(DB_INT(seq), DB_TEXT(e->subject_id), DB_TEXT(e->email), DB_TEXT(e->ip)));
    return rc;
}

int store_audit_append(db *d, const store_audit_entry *e, bool in_tx)
{
    if (in_tx)
        return append_locked(d, e);
    int rc = db_begin(d);
    if (rc != DB_OK)
        return rc;
    if ((rc = append_locked(d, e)) != DB_OK) {
        db_rollback(d);
        return rc;
    }
    return db_commit(d);
}

/* Checks one page of rows against the running (seq, hash); returns false at the first break. */
static bool verify_rows(db_res *r, int64_t *seq, char prev[STORE_HASH_HEX], bool *saw_head, const char *head,
                        int64_t *bad, char *why, size_t whylen)
{
    for (size_t i = 0; i < db_res_rows(r); i++) {
        int64_t s = db_res_int(r, i, 0);
        const char *f[5] = {db_res_text(r, i, 2), db_res_text(r, i, 3), db_res_text(r, i, 4), db_res_text(r, i, 5),
                            db_res_text(r, i, 6)};
        const char *p = db_res_text(r, i, 7), *h = db_res_text(r, i, 8);
        char want[STORE_HASH_HEX];
        *bad = s;
        if (s != *seq + 1) {
            snprintf(why, whylen, "entry %lld follows %lld: entries are missing", (long long)s, (long long)*seq);
            return false;
        }
        if (!p || strcmp(p, prev) != 0) {
            snprintf(why, whylen, "entry %lld does not point to the entry before it", (long long)s);
            return false;
        }
        entry_hash(s, db_res_int(r, i, 1), f, p, want);
        if (!h || strcmp(h, want) != 0) {
            snprintf(why, whylen, "entry %lld was changed after it was written", (long long)s);
            return false;
        }
        if (head && strcmp(h, head) == 0)
            *saw_head = true;
        *seq = s;
        snprintf(prev, STORE_HASH_HEX, "%s", h);
    }
    return true;
}

int store_audit_verify(db *d, const char *head, bool *ok, int64_t *bad_seq, char *why, size_t whylen)
{
    int64_t seq = 0, after = INT64_MIN; /* every row is read, even one with a forged seq <= 0 */
    char prev[STORE_HASH_HEX] = GENESIS;
    bool saw_head = !head || strcmp(head, GENESIS) == 0;
    *ok = true;
    *bad_seq = 0;
    for (;;) {
        db_res *r;
        int rc = db_query(d, &r,
                          "SELECT seq, at, actor_id, action, target, request_id, detail, prev_hash, hash"
                          " FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 1000",
                          DB_ARGS(DB_INT(after)));
        if (rc != DB_OK)
            return rc;
        size_t n = db_res_rows(r);
        if (n)
            after = db_res_int(r, n - 1, 0);
        bool good = verify_rows(r, &seq, prev, &saw_head, head, bad_seq, why, whylen);
        db_res_free(r);
        if (!good) {
            *ok = false;
            return DB_OK;
        }
        if (n < 1000)
            break;
    }
    *bad_seq = 0;
    if (!saw_head) {
        *ok = false;
        *bad_seq = seq;
        snprintf(why, whylen, "the given head is not in the chain: entries after %lld were removed or rewritten",
                 (long long)seq);
    }
    return DB_OK;
}

int store_audit_list(db *d, const char *actor, const char *action, int64_t since, int64_t before, int limit,
                     db_res **out)
{
    return db_query(d, out,
                    "SELECT seq, at, actor_id, action, target, request_id, detail FROM audit_log"
                    " WHERE (? = '' OR actor_id = ?) AND (? = '' OR action = ?) AND at >= ? AND (? = 0 OR seq < ?)"
                    " ORDER BY seq DESC LIMIT ?",
                    DB_ARGS(DB_TEXT(actor ? actor : ""), DB_TEXT(actor ? actor : ""), DB_TEXT(action ? action : ""),
                            DB_TEXT(action ? action : ""), DB_INT(since), DB_INT(before), DB_INT(before),
                            DB_INT(limit)));
}

int store_audit_personal_for(db *d, const char *subject_id, db_res **out)
{
    return db_query(d, out,
                    "SELECT p.seq, l.at, l.action, p.email, p.ip FROM audit_personal p JOIN audit_log l"
                    " ON l.seq = p.seq WHERE p.subject_id = ? ORDER BY p.seq",
                    DB_ARGS(DB_TEXT(subject_id)));
}

int store_audit_forget(db *d, const char *subject_id)
{
    return db_exec(d, "UPDATE audit_personal SET email = NULL, ip = NULL, subject_id = NULL WHERE subject_id = ?",
                   DB_ARGS(DB_TEXT(subject_id)));
}
