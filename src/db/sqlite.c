/* db driver for SQLite: WAL, busy_timeout, foreign keys, BEGIN IMMEDIATE for writes. */
#include "db/db_int.h"

#include <limits.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STMT_CACHE 64 /* prepared statements kept per connection (the store's queries are few) */

/* A connection with its statement cache: preparing costs more than running most queries. */
typedef struct sq_conn {
    sqlite3 *s;
    struct {
        char *sql;
        sqlite3_stmt *st;
    } cache[STMT_CACHE];
    size_t next; /* the slot replaced next when the cache is full (round robin) */
} sq_conn;

static sqlite3 *handle(db *d)
{
    return ((sq_conn *)d->conn)->s;
}

/* A prepared statement for sql from the cache, or freshly prepared and cached. *owned says
 * the caller must finalize it (it could not be cached); a cached one is reset after use. */
static int prepare(db *d, const char *sql, sqlite3_stmt **st, const char **tail, bool *owned)
{
    sq_conn *c = d->conn;
    *owned = false;
    for (size_t i = 0; i < STMT_CACHE && c->cache[i].sql; i++)
        if (strcmp(c->cache[i].sql, sql) == 0) {
            *st = c->cache[i].st;
            *tail = "";
            return SQLITE_OK;
        }
    int rc = sqlite3_prepare_v2(c->s, sql, -1, st, tail);
    char *copy = rc == SQLITE_OK && *st && *tail && !**tail ? strdup(sql) : NULL;
    if (!copy) {
        *owned = true;
        return rc;
    }
    size_t slot = c->next;
    c->next = (c->next + 1) % STMT_CACHE;
    free(c->cache[slot].sql);
    sqlite3_finalize(c->cache[slot].st);
    c->cache[slot].sql = copy;
    c->cache[slot].st = *st;
    return rc;
}

static db_constraint constraint_kind(int extended)
{
    switch (extended) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        return DB_C_UNIQUE;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return DB_C_FOREIGN_KEY;
    case SQLITE_CONSTRAINT_NOTNULL:
        return DB_C_NOT_NULL;
    case SQLITE_CONSTRAINT_CHECK:
        return DB_C_CHECK;
    default:
        return DB_C_OTHER;
    }
}

static int map_rc(db *d, int rc)
{
    sqlite3 *s = handle(d);
    int code = DB_EIO;
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        code = DB_ECONSTRAINT;
        d->constraint = constraint_kind(sqlite3_extended_errcode(s));
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        code = DB_EBUSY;
        break;
    case SQLITE_NOMEM:
        code = DB_ENOMEM;
        break;
    case SQLITE_CANTOPEN:
        code = DB_ECONN;
        break;
    case SQLITE_ERROR:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH:
        code = DB_EINVAL;
        break;
    default:
        break;
    }
    return db_fail(d, code, "sqlite: %s", sqlite3_errmsg(s));
}

static int bind_all(sqlite3_stmt *st, const db_param *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int rc, at = (int)i + 1;
        switch (p[i].type) {
        case DB_P_TEXT:
            rc = p[i].text ? sqlite3_bind_text(st, at, p[i].text, -1, SQLITE_STATIC) : sqlite3_bind_null(st, at);
            break;
        case DB_P_INT:
            rc = sqlite3_bind_int64(st, at, p[i].i);
            break;
        case DB_P_DOUBLE:
            rc = sqlite3_bind_double(st, at, p[i].d);
            break;
        case DB_P_BLOB:
            rc = !p[i].text ? sqlite3_bind_null(st, at)
                 : p[i].len > INT_MAX
                     ? SQLITE_TOOBIG
                     : sqlite3_bind_blob(st, at, p[i].len ? p[i].text : "", (int)p[i].len, SQLITE_STATIC);
            break;
        default:
            rc = sqlite3_bind_null(st, at);
            break;
        }
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

/* Copies column c of the current row into cell: doubles as their shortest exact decimal
 * (SQLite's own text keeps only 15 digits), blobs with their length. */
static int take_cell(sqlite3_stmt *st, int c, db_cell *cell)
{
    char num[32];
    switch (sqlite3_column_type(st, c)) {
    case SQLITE_NULL:
        return 0;
    case SQLITE_FLOAT:
        db_format_double(sqlite3_column_double(st, c), num);
        return db_cell_set(cell, num, strlen(num));
    case SQLITE_BLOB: {
        const void *b = sqlite3_column_blob(st, c); /* NULL for an empty blob */
        return db_cell_set(cell, b, b ? (size_t)sqlite3_column_bytes(st, c) : 0);
    }
    default: {
        const unsigned char *t = sqlite3_column_text(st, c);
        if (!t)
            return -1; /* not NULL (checked above): out of memory */
        return db_cell_set(cell, t, (size_t)sqlite3_column_bytes(st, c));
    }
    }
}

/* Appends the current row's cells to *cells (grown as needed). */
static int take_row(sqlite3_stmt *st, size_t cols, db_cell **cells, size_t *len, size_t *cap)
{
    if (*len + cols > *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        while (ncap < *len + cols)
            ncap *= 2;
        db_cell *nc = realloc(*cells, ncap * sizeof(db_cell));
        if (!nc)
            return -1;
        *cells = nc;
        *cap = ncap;
    }
    for (size_t c = 0; c < cols; c++) {
        db_cell *cell = &(*cells)[(*len)++];
        *cell = (db_cell){0};
        if (take_cell(st, (int)c, cell) < 0)
            return -1;
    }
    return 0;
}

/* True when s holds no statement: blanks, semicolons and comments only (an unterminated
 * block comment runs to the end, as SQLite reads it). */
static bool only_space(const char *s)
{
    for (;;) {
        s += strspn(s, " \t\r\n\f\v;");
        if (s[0] == '-' && s[1] == '-') {
            s += strcspn(s, "\n");
        } else if (s[0] == '/' && s[1] == '*') {
            const char *end = strstr(s + 2, "*/");
            if (!end)
                return true;
            s = end + 2;
        } else {
            return *s == '\0';
        }
    }
}

static int sq_exec(db *d, const char *sql, const db_param *p, size_t n, db_res **out)
{
    sqlite3 *s = handle(d);
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    db_cell *cells = NULL;
    size_t len = 0, cap = 0, cols = 0;
    bool owned;
    int rc = prepare(d, sql, &st, &tail, &owned);
    if (rc != SQLITE_OK)
        return map_rc(d, rc);
    int code = DB_OK;
    if (!st || (tail && !only_space(tail)) || (size_t)sqlite3_bind_parameter_count(st) != n) {
        code = db_fail(d, DB_EINVAL, "sqlite: expected one statement with %zu parameters", n);
        goto out;
    }
    if ((rc = bind_all(st, p, n)) != SQLITE_OK) {
        code = map_rc(d, rc);
        goto out;
    }
    cols = (size_t)sqlite3_column_count(st);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out && take_row(st, cols, &cells, &len, &cap) < 0) {
            code = db_fail(d, DB_ENOMEM, "out of memory");
            goto out;
        }
    }
    if (rc != SQLITE_DONE) {
        code = map_rc(d, rc);
        goto out;
    }
    d->changes = sqlite3_changes64(s);
    if (out) {
        db_res *r = db_res_new(0, cols);
        if (!r) {
            code = db_fail(d, DB_ENOMEM, "out of memory");
            goto out;
        }
        r->rows = cols ? len / cols : 0;
        r->cells = cells;
        cells = NULL;
        len = 0;
        *out = r;
    }
out:
    for (size_t i = 0; i < len; i++)
        free(cells[i].v);
    free(cells);
    if (owned) {
        sqlite3_finalize(st);
    } else {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    return code;
}

static int sq_script(db *d, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(handle(d), sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        return DB_OK;
    int code = map_rc(d, rc);
    if (msg)
        db_fail(d, code, "sqlite: %s", msg);
    sqlite3_free(msg);
    return code;
}

static bool sq_alive(db *d)
{
    (void)d;
    return true;
}

static void sq_close(db *d)
{
    sq_conn *c = d->conn;
    for (size_t i = 0; i < STMT_CACHE; i++) {
        free(c->cache[i].sql);
        sqlite3_finalize(c->cache[i].st);
    }
    sqlite3_close_v2(c->s);
    free(c);
}

static const db_driver sqlite_driver = {sq_exec, sq_script, sq_alive, sq_close};

db *db_sqlite_open(const char *path, char *err, size_t errlen)
{
    db *d = calloc(1, sizeof(*d));
    sq_conn *c = calloc(1, sizeof(*c));
    if (!d || !c) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    d->drv = &sqlite_driver;
    d->kind = DB_SQLITE;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &c->s, flags, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "sqlite: cannot open %s: %s", path, c->s ? sqlite3_errmsg(c->s) : "out of memory");
        goto fail;
    }
    d->conn = c;
    sqlite3_busy_timeout(c->s, DB_SQLITE_BUSY_MS);
    if (sq_script(d, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;") != DB_OK) {
        snprintf(err, errlen, "%s (%s)", d->err, path);
        goto fail;
    }
    return d;
fail:
    if (c)
        sqlite3_close_v2(c->s);
    free(c);
    free(d);
    return NULL;
}
