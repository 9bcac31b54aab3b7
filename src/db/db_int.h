/* db internals shared by the generic layer and the two drivers. */
#ifndef ROADIE_DB_INT_H
#define ROADIE_DB_INT_H

#include "db/db.h"

/* A materialised result: every cell as a NUL-terminated string (NULL for SQL NULL). */
struct db_res {
    size_t rows, cols;
    char **cells; /* rows * cols, row-major */
};

typedef struct db_driver {
    int (*exec)(db *d, const char *sql, const db_param *p, size_t n, db_res **out);
    int (*script)(db *d, const char *sql);
    bool (*alive)(db *d);
    void (*close)(db *d);
} db_driver;

struct db {
    const db_driver *drv;
    db_kind kind;
    void *conn;      /* sqlite3 * or PGconn * */
    int64_t changes; /* rows changed by the last exec */
    char err[512];
};

db *db_sqlite_open(const char *path, char *err, size_t errlen);
db *db_pg_open(const char *url, char *err, size_t errlen);

/* Sets d's message (printf-style) and returns code. */
int db_fail(db *d, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A result of rows x cols empty cells, or NULL. */
db_res *db_res_new(size_t rows, size_t cols);

#endif
