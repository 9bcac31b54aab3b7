/* db internals shared by the generic layer and the two drivers. */
#ifndef ROADIE_DB_INT_H
#define ROADIE_DB_INT_H

#include "db/db.h"

#define DB_SQLITE_BUSY_MS 5000    /* how long a statement waits for another SQLite writer */
#define DB_MIGRATE_WAIT_MS 600000 /* how long db_migrate waits for one (a migration may be slow) */

/* One value of a result: its bytes followed by a NUL (v NULL for SQL NULL). */
typedef struct db_cell {
    char *v;    /* owned */
    size_t len; /* bytes before the NUL */
} db_cell;

/* A materialised result: every cell as text or bytes. */
struct db_res {
    size_t rows, cols;
    db_cell *cells; /* rows * cols, row-major */
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
    void *conn;               /* sqlite3 * or PGconn * */
    int64_t changes;          /* rows changed by the last exec */
    db_constraint constraint; /* set with DB_ECONSTRAINT, cleared by every other failure */
    char err[512];
};

db *db_sqlite_open(const char *path, char *err, size_t errlen);
db *db_pg_open(const char *url, char *err, size_t errlen);

/* Sets d's message (printf-style) and returns code. */
int db_fail(db *d, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A result of rows x cols empty cells, or NULL. */
db_res *db_res_new(size_t rows, size_t cols);
/* Stores a copy of len bytes of v (plus a NUL) in c; -1 when out of memory. */
int db_cell_set(db_cell *c, const void *v, size_t len);
/* Writes x as the shortest decimal that reads back as x (at most 24 bytes with the NUL). */
void db_format_double(double x, char out[32]);

#endif
