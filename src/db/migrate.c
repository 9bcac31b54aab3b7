/* db migrations: the embedded migrations (migrations/NNNN_name.sql) applied in order, each once, under a lock. */
#include "db/db_int.h"

#include "base/base.h"

#include <stdio.h>
#include <string.h>

#define PG_LOCK_KEY 72630001 /* advisory lock id held while migrating */
#define STR_(x) #x
#define STR(x) STR_(x)

static const char ledger_sql[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                 " version BIGINT PRIMARY KEY, name TEXT NOT NULL,"
                                 " checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)";

/* FNV-1a 64 of the SQL text, as 16 hex digits: tells an edited migration file. */
static void checksum(const char *sql, char out[17])
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static const db_migration *find(int version)
{
    size_t n;
    const db_migration *m = db_migrations(&n);
    for (size_t i = 0; i < n; i++)
        if (m[i].version == version)
            return &m[i];
    return NULL;
}

static int ledger_exists(db *d, bool *yes)
{
    db_res *r;
    const char *q = d->kind == DB_SQLITE
                        ? "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
                        : "SELECT 1 WHERE to_regclass('schema_migrations') IS NOT NULL";
    int rc = db_query(d, &r, q, DB_NOARGS);
    if (rc == DB_OK)
        *yes = db_res_rows(r) > 0;
    db_res_free(r);
    return rc;
}

int db_migrate_status(db *d, db_migrate_state *st)
{
    memset(st, 0, sizeof(*st));
    size_t n;
    const db_migration *m = db_migrations(&n);
    st->latest = n ? m[n - 1].version : 0;
    st->pending = (int)n;
    bool exists = false;
    int rc = ledger_exists(d, &exists);
    if (rc != DB_OK || !exists)
        return rc;
    db_res *r;
    if ((rc = db_query(d, &r, "SELECT version, checksum FROM schema_migrations ORDER BY version", DB_NOARGS)) != DB_OK)
        return rc;
    for (size_t i = 0; i < db_res_rows(r); i++) {
        int v = (int)db_res_int(r, i, 0);
        const db_migration *known = find(v);
        char sum[17];
        if (v > st->current)
            st->current = v;
        if (!known) {
            st->newer = true;
            continue;
        }
        st->pending--;
        checksum(known->sql, sum);
        if (strcmp(sum, db_res_text(r, i, 1) ? db_res_text(r, i, 1) : "") != 0 && !st->edited)
            st->edited = v;
    }
    db_res_free(r);
    return DB_OK;
}

bool db_migration_applied(db *d, int version)
{
    db_res *r = NULL;
    bool yes = false;
    if (ledger_exists(d, &yes) != DB_OK || !yes)
        return false;
    yes = db_query(d, &r, "SELECT 1 FROM schema_migrations WHERE version = ?", DB_ARGS(DB_INT(version))) == DB_OK &&
          db_res_rows(r) > 0;
    db_res_free(r);
    return yes;
}

/* Runs sql for its effect only, keeping d's error message from before. */
static void quietly(db *d, const char *sql)
{
    char keep[sizeof(d->err)];
    db_constraint kind = d->constraint;
    snprintf(keep, sizeof(keep), "%s", d->err);
    db_exec_script(d, sql);
    snprintf(d->err, sizeof(d->err), "%s", keep);
    d->constraint = kind;
}

/* Applies m in its own write transaction unless another process did meanwhile. */
static int apply_one(db *d, const db_migration *m, void (*log)(const char *name))
{
    int rc = db_begin(d);
    if (rc != DB_OK)
        return rc;
    db_res *r = NULL;
    rc = db_query(d, &r, "SELECT 1 FROM schema_migrations WHERE version = ?", DB_ARGS(DB_INT(m->version)));
    bool done = rc == DB_OK && db_res_rows(r) > 0;
    db_res_free(r);
    if (rc != DB_OK || done)
        goto out;
    char sum[17];
    checksum(m->sql, sum);
    if ((rc = db_exec_script(d, m->sql)) != DB_OK) {
        char msg[sizeof(d->err)];
        snprintf(msg, sizeof(msg), "%s", d->err);
        db_fail(d, rc, "%s: %s", m->name, msg);
        goto out;
    }
    rc = db_exec(d, "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                 DB_ARGS(DB_INT(m->version), DB_TEXT(m->name), DB_TEXT(sum), DB_INT(base_now_ms())));
out:
    if (rc == DB_OK && !done) {
        if ((rc = db_commit(d)) == DB_OK && log)
            log(m->name);
        return rc;
    }
    if (rc == DB_OK)
        return db_commit(d);
    quietly(d, "ROLLBACK");
    return rc;
}

static int migrate_locked(db *d, int to, void (*log)(const char *name))
{
    int rc = db_exec(d, ledger_sql, DB_NOARGS);
    if (rc != DB_OK)
        return rc;
    db_migrate_state st;
    if ((rc = db_migrate_status(d, &st)) != DB_OK)
        return rc;
    if (st.newer)
        return db_fail(d, DB_ESCHEMA, "the database schema (version %d) is newer than this roadie knows (%d)",
                       st.current, st.latest);
    if (st.edited)
        return db_fail(d, DB_ESCHEMA, "migration %d was changed after it was applied", st.edited);
    size_t n;
    const db_migration *m = db_migrations(&n);
    for (size_t i = 0; i < n && rc == DB_OK; i++)
        if (to < 0 || m[i].version <= to)
            rc = apply_one(d, &m[i], log);
    return rc;
}

int db_migrate(db *d, int to, void (*log)(const char *name))
{
    /* SQLite: each step takes the write lock (BEGIN IMMEDIATE); waiting for another
     * migrator may take as long as its migration, not just a request's busy timeout.
     * PostgreSQL: one session-level advisory lock over the whole run. */
    int rc = db_exec_script(d, d->kind == DB_SQLITE ? "PRAGMA busy_timeout = " STR(DB_MIGRATE_WAIT_MS)
                                                    : "SELECT pg_advisory_lock(" STR(PG_LOCK_KEY) ")");
    if (rc != DB_OK)
        return rc;
    rc = migrate_locked(d, to, log);
    quietly(d, d->kind == DB_SQLITE ? "PRAGMA busy_timeout = " STR(DB_SQLITE_BUSY_MS)
                                    : "SELECT pg_advisory_unlock(" STR(PG_LOCK_KEY) ")");
    return rc;
}

bool db_ready(char *why, size_t whylen)
{
    db *d = db_thread_get(why, whylen);
    if (!d)
        return false;
    db_migrate_state st;
    if (db_migrate_status(d, &st) != DB_OK) {
        snprintf(why, whylen, "%s", db_errmsg(d));
        return false;
    }
    if (st.newer || st.edited || st.pending) {
        snprintf(why, whylen, "schema at version %d, this roadie expects %d", st.current, st.latest);
        return false;
    }
    return true;
}
