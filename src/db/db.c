/* db: the driver-independent layer: URLs, per-thread connections, results. */
#include "db/db_int.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *global_url;
static pthread_key_t thread_key;
static pthread_once_t thread_once = PTHREAD_ONCE_INIT;
static atomic_long open_count;

bool db_url_valid(const char *url)
{
    if (!url)
        return false;
    if (strncmp(url, "sqlite:", 7) == 0)
        return url[7] != '\0';
    return strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0;
}

db *db_open(const char *url, char *err, size_t errlen)
{
    if (!db_url_valid(url)) {
        snprintf(err, errlen, "database URL must be sqlite:PATH or postgresql://...");
        return NULL;
    }
    db *d = strncmp(url, "sqlite:", 7) == 0 ? db_sqlite_open(url + 7, err, errlen) : db_pg_open(url, err, errlen);
    if (d)
        atomic_fetch_add(&open_count, 1);
    return d;
}

void db_close(db *d)
{
    if (!d)
        return;
    d->drv->close(d);
    free(d);
    atomic_fetch_sub(&open_count, 1);
}

db_kind db_kind_of(const db *d)
{
    return d->kind;
}

const char *db_errmsg(const db *d)
{
    return d->err;
}

db_constraint db_constraint_of(const db *d)
{
    return d->constraint;
}

int db_fail(db *d, int code, const char *fmt, ...)
{
    if (code != DB_ECONSTRAINT)
        d->constraint = DB_C_NONE;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->err, sizeof(d->err), fmt, ap);
    va_end(ap);
    return code;
}

long db_open_count(void)
{
    return atomic_load(&open_count);
}

static void thread_close_cb(void *p)
{
    db_close(p);
}

static void thread_key_init(void)
{
    pthread_key_create(&thread_key, thread_close_cb);
}

int db_global_init(const char *url)
{
    if (!db_url_valid(url))
        return DB_EINVAL;
    char *copy = strdup(url);
    if (!copy)
        return DB_ENOMEM;
    free(global_url);
    global_url = copy;
    pthread_once(&thread_once, thread_key_init);
    return DB_OK;
}

db *db_thread_get(char *err, size_t errlen)
{
    if (!global_url) {
        snprintf(err, errlen, "no database configured");
        return NULL;
    }
    db *d = pthread_getspecific(thread_key);
    if (d && !d->drv->alive(d)) {
        db_close(d);
        d = NULL;
    }
    if (!d && (d = db_open(global_url, err, errlen)))
        pthread_setspecific(thread_key, d);
    return d;
}

void db_thread_close(void)
{
    if (!global_url)
        return;
    db_close(pthread_getspecific(thread_key));
    pthread_setspecific(thread_key, NULL);
}

int db_exec(db *d, const char *sql, const db_param *params, size_t n)
{
    return d->drv->exec(d, sql, params, n, NULL);
}

int db_query(db *d, db_res **out, const char *sql, const db_param *params, size_t n)
{
    *out = NULL;
    return d->drv->exec(d, sql, params, n, out);
}

int db_exec_script(db *d, const char *sql)
{
    return d->drv->script(d, sql);
}

int64_t db_changes(const db *d)
{
    return d->changes;
}

int db_begin(db *d)
{
    return db_exec(d, d->kind == DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN", DB_NOARGS);
}

int db_commit(db *d)
{
    return db_exec(d, "COMMIT", DB_NOARGS);
}

int db_rollback(db *d)
{
    return db_exec(d, "ROLLBACK", DB_NOARGS);
}

db_res *db_res_new(size_t rows, size_t cols)
{
    db_res *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    r->rows = rows;
    r->cols = cols;
    if (rows && cols && !(r->cells = calloc(rows * cols, sizeof(db_cell)))) {
        free(r);
        return NULL;
    }
    return r;
}

void db_res_free(db_res *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->rows * r->cols; i++)
        free(r->cells[i].v);
    free(r->cells);
    free(r);
}

size_t db_res_rows(const db_res *r)
{
    return r ? r->rows : 0;
}

size_t db_res_cols(const db_res *r)
{
    return r ? r->cols : 0;
}

int db_cell_set(db_cell *c, const void *v, size_t len)
{
    if (!(c->v = malloc(len + 1)))
        return -1;
    if (len)
        memcpy(c->v, v, len);
    c->v[len] = '\0';
    c->len = len;
    return 0;
}

void db_format_double(double x, char out[32])
{
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(out, 32, "%.*g", digits, x);
        if (strtod(out, NULL) == x)
            return;
    }
}

static const db_cell *cell(const db_res *r, size_t row, size_t col)
{
    if (!r || row >= r->rows || col >= r->cols)
        return NULL;
    return &r->cells[row * r->cols + col];
}

const char *db_res_text(const db_res *r, size_t row, size_t col)
{
    const db_cell *c = cell(r, row, col);
    return c ? c->v : NULL;
}

const void *db_res_blob(const db_res *r, size_t row, size_t col, size_t *len)
{
    const db_cell *c = cell(r, row, col);
    *len = c && c->v ? c->len : 0;
    return c ? c->v : NULL;
}

bool db_res_null(const db_res *r, size_t row, size_t col)
{
    return db_res_text(r, row, col) == NULL;
}

int64_t db_res_int(const db_res *r, size_t row, size_t col)
{
    const char *s = db_res_text(r, row, col);
    return s ? strtoll(s, NULL, 10) : 0;
}

double db_res_double(const db_res *r, size_t row, size_t col)
{
    const char *s = db_res_text(r, row, col);
    return s ? strtod(s, NULL) : 0.0;
}
