/* db driver for SQLite: WAL, busy_timeout, foreign keys, BEGIN IMMEDIATE for writes. */
#include "db/db_int.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUSY_TIMEOUT_MS 5000

static int map_rc(db *d, int rc)
{
    sqlite3 *s = d->conn;
    int code = DB_EIO;
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        code = DB_ECONSTRAINT;
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
        default:
            rc = sqlite3_bind_null(st, at);
            break;
        }
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

/* Appends the current row's cells to *cells (grown as needed). */
static int take_row(sqlite3_stmt *st, size_t cols, char ***cells, size_t *len, size_t *cap)
{
    if (*len + cols > *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        while (ncap < *len + cols)
            ncap *= 2;
        char **nc = realloc(*cells, ncap * sizeof(char *));
        if (!nc)
            return -1;
        *cells = nc;
        *cap = ncap;
    }
    for (size_t c = 0; c < cols; c++) {
        const unsigned char *t = sqlite3_column_text(st, (int)c);
        char *v = NULL;
        if (t && !(v = strdup((const char *)t)))
            return -1;
        (*cells)[(*len)++] = v;
    }
    return 0;
}

static bool only_space(const char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    return *s == '\0' || (*s == ';' && only_space(s + 1));
}

static int sq_exec(db *d, const char *sql, const db_param *p, size_t n, db_res **out)
{
    sqlite3 *s = d->conn;
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    char **cells = NULL;
    size_t len = 0, cap = 0, cols = 0;
    int rc = sqlite3_prepare_v2(s, sql, -1, &st, &tail);
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
        free(cells[i]);
    free(cells);
    sqlite3_finalize(st);
    return code;
}

static int sq_script(db *d, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(d->conn, sql, NULL, NULL, &msg);
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
    sqlite3_close_v2(d->conn);
}

static const db_driver sqlite_driver = {sq_exec, sq_script, sq_alive, sq_close};

db *db_sqlite_open(const char *path, char *err, size_t errlen)
{
    db *d = calloc(1, sizeof(*d));
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    d->drv = &sqlite_driver;
    d->kind = DB_SQLITE;
    sqlite3 *s = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &s, flags, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "sqlite: cannot open %s: %s", path, s ? sqlite3_errmsg(s) : "out of memory");
        goto fail;
    }
    d->conn = s;
    sqlite3_busy_timeout(s, BUSY_TIMEOUT_MS);
    if (sq_script(d, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;") != DB_OK) {
        snprintf(err, errlen, "%s (%s)", d->err, path);
        goto fail;
    }
    return d;
fail:
    sqlite3_close_v2(s);
    free(d);
    return NULL;
}
