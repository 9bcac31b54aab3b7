/* db driver for PostgreSQL on libpq: `?` placeholders become $n, values travel as text
 * (bytes as binary bytea), and each connection prepares the statements it runs, once. */
#include "db/db_int.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PG_MAX_PARAMS 64
#define PG_STMT_CACHE 64 /* statements kept prepared per connection (the store's are few) */

/* A connection with the statements prepared on it: parsing and planning cost more than
 * running most of the store's queries (a point select on loopback: ~80-100 us unprepared,
 * ~30-40 us prepared). */
typedef struct pg_conn {
    PGconn *c;
    struct {
        char *sql;      /* the caller's text, with ?; NULL: free slot */
        uint64_t blobs; /* which parameters were bytea when it was prepared */
        char name[16];  /* its name on the server */
    } cache[PG_STMT_CACHE];
    size_t next;  /* the slot replaced next when all are taken (round robin) */
    unsigned seq; /* names statements r1, r2, ... */
} pg_conn;

static PGconn *conn(db *d)
{
    return ((pg_conn *)d->conn)->c;
}

/* Length of the quoted part of sql that starts at s (a '...' string, E'...' escape string,
 * "..." identifier, $tag$...$tag$ body, -- or block comment), 0 when s starts none of them.
 * An unterminated one runs to the end of sql. */
static size_t quoted_len(const char *sql, const char *s)
{
    const char *p = s;
    bool escapes = (*p == 'E' || *p == 'e') && p[1] == '\'' &&
                   (p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '$'));
    if (escapes)
        p++;
    if (*p == '\'' || *p == '"') { /* a doubled quote reads as two adjacent literals: same result */
        char q = *p++;
        while (*p && *p != q)
            p += escapes && *p == '\\' && p[1] ? 2 : 1;
        return (size_t)(p - s) + (*p ? 1 : 0);
    }
    if (p[0] == '-' && p[1] == '-')
        return strcspn(p, "\n");
    if (p[0] == '/' && p[1] == '*') { /* PostgreSQL's block comments nest */
        int depth = 0;
        do {
            if (p[0] == '/' && p[1] == '*')
                depth++, p += 2;
            else if (p[0] == '*' && p[1] == '/')
                depth--, p += 2;
            else
                p++;
        } while (*p && depth > 0);
        return (size_t)(p - s);
    }
    if (*p == '$' && (p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '$'))) {
        size_t tag = 1;
        while (isalpha((unsigned char)p[tag]) || p[tag] == '_' || (tag > 1 && isdigit((unsigned char)p[tag])))
            tag++;
        if (p[tag] != '$')
            return 0; /* $1 or a lone $: not a dollar quote */
        const char *close = p + tag + 1;
        while ((close = strchr(close, '$')) && strncmp(close, p, tag + 1) != 0)
            close++;
        return close ? (size_t)(close + tag + 1 - s) : strlen(s);
    }
    return 0;
}

/* Rewrites each ? outside quotes and comments to $1, $2, ... and sets *count to their number.
 * Stops counting past PG_MAX_PARAMS (the caller refuses that many). Returns a malloc'd string
 * or NULL. */
static char *rewrite(const char *sql, size_t *count)
{
    size_t n = strlen(sql), k = 0;
    char *out = malloc(n * 3 + 1), *o = out; /* "$64" is at most three times "?" */
    if (!out)
        return NULL;
    for (const char *s = sql; *s && k <= PG_MAX_PARAMS;) {
        size_t q = quoted_len(sql, s);
        if (q) {
            memcpy(o, s, q);
            o += q;
            s += q;
        } else if (*s == '?') {
            o += sprintf(o, "$%zu", ++k);
            s++;
        } else {
            *o++ = *s++;
        }
    }
    *o = '\0';
    *count = k;
    return out;
}

/* SQLSTATE class 23, integrity constraint violation, by condition. */
static db_constraint constraint_kind(const char *state)
{
    static const struct {
        const char *state;
        db_constraint kind;
    } map[] = {
        {"23505", DB_C_UNIQUE},
        {"23503", DB_C_FOREIGN_KEY},
        {"23502", DB_C_NOT_NULL},
        {"23514", DB_C_CHECK},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(state, map[i].state) == 0)
            return map[i].kind;
    return DB_C_OTHER;
}

static int map_result(db *d, PGresult *res)
{
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    int code = DB_EIO;
    if (PQstatus(conn(d)) != CONNECTION_OK)
        code = DB_ECONN;
    else if (state && strncmp(state, "23", 2) == 0)
        code = DB_ECONSTRAINT;
    if (code == DB_ECONSTRAINT)
        d->constraint = constraint_kind(state);
    else if (state && (strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0 || strcmp(state, "40001") == 0))
        code = DB_EBUSY;
    else if (state && (strncmp(state, "42", 2) == 0 || strncmp(state, "22", 2) == 0))
        code = DB_EINVAL;
    const char *msg = PQresultErrorMessage(res);
    db_fail(d, code, "postgresql: %.*s", (int)strcspn(msg ? msg : "", "\n"), msg ? msg : "");
    return code;
}

#define BOOL_OID 16  /* pg_type.h */
#define BYTEA_OID 17 /* the type of a DB_BLOB parameter */

/* Copies one value. bytea arrives as text (\x hex) and is decoded to its bytes; a boolean
 * (`SELECT EXISTS ...`, `SELECT a = b`) reads 1 or 0 as on SQLite, not 't' or 'f'. */
static int take_cell(PGresult *res, int row, int col, db_cell *cell)
{
    const char *v = PQgetvalue(res, row, col);
    if (PQftype(res, col) == BOOL_OID)
        return db_cell_set(cell, *v == 't' ? "1" : "0", 1);
    if (PQftype(res, col) != BYTEA_OID)
        return db_cell_set(cell, v, (size_t)PQgetlength(res, row, col));
    size_t len;
    unsigned char *bytes = PQunescapeBytea((const unsigned char *)v, &len);
    int rc = bytes ? db_cell_set(cell, bytes, len) : -1;
    PQfreemem(bytes);
    return rc;
}

static db_res *take_result(PGresult *res)
{
    size_t rows = (size_t)PQntuples(res), cols = (size_t)PQnfields(res);
    db_res *r = db_res_new(rows, cols);
    if (!r)
        return NULL;
    for (size_t i = 0; i < rows; i++)
        for (size_t c = 0; c < cols; c++) {
            if (PQgetisnull(res, (int)i, (int)c))
                continue;
            if (take_cell(res, (int)i, (int)c, &r->cells[i * cols + c]) < 0) {
                db_res_free(r);
                return NULL;
            }
        }
    return r;
}

/* Parameter values for PQexecParams: numbers as text, blobs in binary as bytea. */
typedef struct pg_args {
    const char *vals[PG_MAX_PARAMS];
    int lens[PG_MAX_PARAMS], formats[PG_MAX_PARAMS];
    Oid types[PG_MAX_PARAMS];
    char nums[PG_MAX_PARAMS][32];
} pg_args;

static int set_args(pg_args *a, const db_param *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        a->vals[i] = NULL; /* SQL NULL unless set below */
        a->lens[i] = a->formats[i] = 0;
        a->types[i] = 0; /* the server infers it from the statement */
        if (p[i].type == DB_P_TEXT) {
            a->vals[i] = p[i].text;
        } else if (p[i].type == DB_P_INT) {
            snprintf(a->nums[i], sizeof(a->nums[i]), "%lld", (long long)p[i].i);
            a->vals[i] = a->nums[i];
        } else if (p[i].type == DB_P_DOUBLE) {
            db_format_double(p[i].d, a->nums[i]);
            a->vals[i] = a->nums[i];
        } else if (p[i].type == DB_P_BLOB && p[i].text) {
            if (p[i].len > INT_MAX)
                return -1;
            a->vals[i] = p[i].len ? p[i].text : "";
            a->lens[i] = (int)p[i].len;
            a->formats[i] = 1;
            a->types[i] = BYTEA_OID;
        }
    }
    return 0;
}

static uint64_t blob_mask(const pg_args *a, size_t n)
{
    uint64_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (a->types[i] == BYTEA_OID)
            m |= 1ULL << i;
    return m;
}

static int slot_of(pg_conn *pc, const char *sql, uint64_t blobs)
{
    for (int i = 0; i < PG_STMT_CACHE; i++)
        if (pc->cache[i].sql && pc->cache[i].blobs == blobs && strcmp(pc->cache[i].sql, sql) == 0)
            return i;
    return -1;
}

/* Empties slot i, deallocating its statement on the server; false when the server refused
 * (an aborted transaction accepts nothing but its end). */
static bool evict(pg_conn *pc, int i)
{
    if (!pc->cache[i].sql)
        return true;
    char sql[32];
    snprintf(sql, sizeof(sql), "DEALLOCATE %s", pc->cache[i].name);
    PGresult *res = PQexec(pc->c, sql);
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    if (ok) {
        free(pc->cache[i].sql);
        pc->cache[i].sql = NULL;
    }
    return ok;
}

/* Forgets slot i without asking the server: its statement is gone there, or unusable and
 * left until the connection closes (rare: a table's shape changed under it). */
static void forget(pg_conn *pc, int i)
{
    free(pc->cache[i].sql);
    pc->cache[i].sql = NULL;
}

/* Prepares sql (rewritten to q) in the next slot and sets *slot to it, or to -1 when it
 * cannot be cached (the caller then runs it unnamed). DB_OK, or the server's refusal. */
static int prepare(db *d, const char *sql, const char *q, const pg_args *a, size_t n, int *slot)
{
    pg_conn *pc = d->conn;
    int i = (int)pc->next;
    *slot = -1;
    char *copy = strdup(sql);
    if (!copy || !evict(pc, i)) {
        free(copy);
        return DB_OK;
    }
    snprintf(pc->cache[i].name, sizeof(pc->cache[i].name), "r%u", ++pc->seq);
    PGresult *res = PQprepare(pc->c, pc->cache[i].name, q, (int)n, a->types);
    int code = PQresultStatus(res) == PGRES_COMMAND_OK ? DB_OK : map_result(d, res);
    PQclear(res);
    if (code != DB_OK) {
        free(copy);
        return code;
    }
    pc->cache[i].sql = copy;
    pc->cache[i].blobs = blob_mask(a, n);
    pc->next = (pc->next + 1) % PG_STMT_CACHE;
    *slot = i;
    return DB_OK;
}

/* True when res says the prepared statement itself is unusable: its tables changed shape
 * (0A000, "cached plan must not change result type") or it is gone (26000). */
static bool stale(const PGresult *res)
{
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    return state && (strcmp(state, "0A000") == 0 || strcmp(state, "26000") == 0);
}

/* Runs the statement: prepared from the cache, or unnamed when it cannot be cached. A stale
 * statement is forgotten and, when no transaction was open (so nothing ran), prepared and
 * run once more. NULL with *code set when preparing failed. */
static PGresult *run(db *d, const char *sql, const char *q, const pg_args *a, size_t n, int *code)
{
    pg_conn *pc = d->conn;
    PGresult *res = NULL;
    for (int attempt = 0; attempt < 2; attempt++) {
        PQclear(res);
        int i = slot_of(pc, sql, blob_mask(a, n));
        if (i < 0 && (*code = prepare(d, sql, q, a, n, &i)) != DB_OK)
            return NULL;
        if (i < 0)
            return PQexecParams(pc->c, q, (int)n, a->types, a->vals, a->lens, a->formats, 0);
        res = PQexecPrepared(pc->c, pc->cache[i].name, (int)n, a->vals, a->lens, a->formats, 0);
        if (!stale(res))
            return res;
        forget(pc, i);
        if (PQtransactionStatus(pc->c) != PQTRANS_IDLE)
            return res;
    }
    return res;
}

static int pg_exec(db *d, const char *sql, const db_param *p, size_t n, db_res **out)
{
    size_t count = 0;
    char *q = rewrite(sql, &count);
    if (!q)
        return db_fail(d, DB_ENOMEM, "out of memory");
    if (count != n || n > PG_MAX_PARAMS) {
        free(q);
        return db_fail(d, DB_EINVAL, "postgresql: %zu placeholders for %zu parameters", count, n);
    }
    pg_args a;
    if (set_args(&a, p, n) < 0) {
        free(q);
        return db_fail(d, DB_EINVAL, "postgresql: a parameter is too large");
    }
    int code = DB_OK;
    PGresult *res = run(d, sql, q, &a, n, &code);
    free(q);
    if (code != DB_OK)
        return code;
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        code = map_result(d, res);
    } else if (strcmp(PQcmdStatus(res), "ROLLBACK") == 0 && strncasecmp(sql, "COMMIT", 6) == 0) {
        /* PostgreSQL answers COMMIT of a transaction an error aborted with a rollback, not
         * an error: say so, or the caller takes nothing saved for everything saved. */
        code = db_fail(d, DB_EIO, "postgresql: the transaction was rolled back after an earlier error");
    } else {
        const char *ct = PQcmdTuples(res);
        d->changes = ct && *ct ? strtoll(ct, NULL, 10) : 0;
        if (out && !(*out = take_result(res)))
            code = db_fail(d, DB_ENOMEM, "out of memory");
    }
    PQclear(res);
    return code;
}

static int pg_script(db *d, const char *sql)
{
    PGresult *res = PQexec(conn(d), sql);
    ExecStatusType st = PQresultStatus(res);
    int code = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? DB_OK : map_result(d, res);
    PQclear(res);
    return code;
}

static bool pg_alive(db *d)
{
    /* A server that ended the session while we were idle (restart, pg_terminate_backend, an
     * idle timeout) has left its goodbye and EOF on the socket: reading them now, before
     * anything is sent, turns the connection bad here, so the caller gets a fresh one
     * instead of a failed statement. Usually nothing is waiting: one poll, no wait. */
    if (PQstatus(conn(d)) != CONNECTION_OK || PQtransactionStatus(conn(d)) != PQTRANS_IDLE)
        return PQstatus(conn(d)) == CONNECTION_OK;
    struct pollfd p = {.fd = PQsocket(conn(d)), .events = POLLIN};
    for (int i = 0; i < 4 && poll(&p, 1, 0) > 0 && PQstatus(conn(d)) == CONNECTION_OK; i++)
        PQconsumeInput(conn(d)); /* a message first, the EOF on a later read */
    return PQstatus(conn(d)) == CONNECTION_OK;
}

static void pg_close(db *d)
{
    pg_conn *pc = d->conn;
    for (int i = 0; i < PG_STMT_CACHE; i++)
        free(pc->cache[i].sql);
    PQfinish(pc->c);
    free(pc);
}

static void quiet_notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static const db_driver pg_driver = {pg_exec, pg_script, pg_alive, pg_close};

db *db_pg_open(const char *url, char *err, size_t errlen)
{
    db *d = calloc(1, sizeof(*d));
    pg_conn *pc = calloc(1, sizeof(*pc));
    if (!d || !pc) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    /* Defaults the URL may override: an unreachable host must not hang a request (or
     * /readyz) for the kernel's minutes of SYN retries, and the server names us in
     * pg_stat_activity. The URL, expanded from dbname after them, overrides both. */
    static const char *const keys[] = {"connect_timeout", "application_name", "dbname", NULL};
    const char *vals[] = {"5", "roadie", url, NULL};
    pc->c = PQconnectdbParams(keys, vals, 1);
    if (!pc->c || PQstatus(pc->c) != CONNECTION_OK) {
        const char *m = pc->c ? PQerrorMessage(pc->c) : "out of memory";
        snprintf(err, errlen, "postgresql: %.*s", (int)strcspn(m, "\n"), m);
        goto fail;
    }
    PQsetNoticeProcessor(pc->c, quiet_notice, NULL);
    d->drv = &pg_driver;
    d->kind = DB_PG;
    d->conn = pc;
    return d;
fail:
    if (pc)
        PQfinish(pc->c);
    free(pc);
    free(d);
    return NULL;
}
