/* db driver for PostgreSQL on libpq: `?` placeholders become $n, values travel as text. */
#include "db/db_int.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PG_MAX_PARAMS 64

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
    if (PQstatus(d->conn) != CONNECTION_OK)
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
    PGresult *res = PQexecParams(d->conn, q, (int)n, a.types, a.vals, a.lens, a.formats, 0);
    free(q);
    int code = DB_OK;
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        code = map_result(d, res);
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
    PGresult *res = PQexec(d->conn, sql);
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
    if (PQstatus(d->conn) != CONNECTION_OK || PQtransactionStatus(d->conn) != PQTRANS_IDLE)
        return PQstatus(d->conn) == CONNECTION_OK;
    struct pollfd p = {.fd = PQsocket(d->conn), .events = POLLIN};
    for (int i = 0; i < 4 && poll(&p, 1, 0) > 0 && PQstatus(d->conn) == CONNECTION_OK; i++)
        PQconsumeInput(d->conn); /* a message first, the EOF on a later read */
    return PQstatus(d->conn) == CONNECTION_OK;
}

static void pg_close(db *d)
{
    PQfinish(d->conn);
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
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    /* Defaults the URL may override: an unreachable host must not hang a request (or
     * /readyz) for the kernel's minutes of SYN retries, and the server names us in
     * pg_stat_activity. The URL, expanded from dbname after them, overrides both. */
    static const char *const keys[] = {"connect_timeout", "application_name", "dbname", NULL};
    const char *vals[] = {"5", "roadie", url, NULL};
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    if (!c || PQstatus(c) != CONNECTION_OK) {
        const char *m = c ? PQerrorMessage(c) : "out of memory";
        snprintf(err, errlen, "postgresql: %.*s", (int)strcspn(m, "\n"), m);
        PQfinish(c);
        free(d);
        return NULL;
    }
    PQsetNoticeProcessor(c, quiet_notice, NULL);
    d->drv = &pg_driver;
    d->kind = DB_PG;
    d->conn = c;
    return d;
}
