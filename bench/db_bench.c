/* Point selects through src/db against the same query on the raw client library, run
 * interleaved in one process: PostgreSQL (reference: libpq's PQexecParams, unprepared, which
 * is what the driver did before it kept statements prepared; ideal: PQexecPrepared) and
 * SQLite (reference: one sqlite3_stmt reused, the least any wrapper can do).
 *   build/db_bench postgresql://... sqlite:/tmp/x.db      (bench/db.sh runs it) */
#include "db/db.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROWS 1000
#define N 20000  /* queries per timed run */
#define ROUNDS 5 /* interleaved runs of each; the median is reported */

static const char *create = "CREATE TABLE bench_users (id TEXT PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL,"
                            " role TEXT NOT NULL, n BIGINT NOT NULL, created_at BIGINT NOT NULL)";
static const char *select_q = "SELECT id, email, name, role, n, created_at FROM bench_users WHERE id = ?";

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void id_of(int i, char out[16])
{
    snprintf(out, 16, "u%d", i % ROWS);
}

static db *setup(const char *url)
{
    char err[256];
    db *d = db_open(url, err, sizeof(err));
    if (!d) {
        fprintf(stderr, "db_bench: %s\n", err);
        exit(1);
    }
    db_exec(d, "DROP TABLE IF EXISTS bench_users", NULL, 0);
    if (db_exec(d, create, NULL, 0) != DB_OK || db_begin(d) != DB_OK)
        goto fail;
    for (int i = 0; i < ROWS; i++) {
        char id[16], email[32];
        id_of(i, id);
        snprintf(email, sizeof(email), "%s@example.com", id);
        if (db_exec(d, "INSERT INTO bench_users VALUES (?, ?, 'Name', 'user', ?, ?)",
                    DB_ARGS(DB_TEXT(id), DB_TEXT(email), DB_INT(i), DB_INT(1700000000000LL + i))) != DB_OK)
            goto fail;
    }
    if (db_commit(d) == DB_OK)
        return d;
fail:
    fprintf(stderr, "db_bench: %s\n", db_errmsg(d));
    exit(1);
}

/* Each returns the seconds N queries took, and checks every answer. */
static double run_db(db *d)
{
    double t0 = now();
    for (int i = 0; i < N; i++) {
        char id[16];
        id_of(i, id);
        db_res *r;
        if (db_query(d, &r, select_q, DB_ARGS(DB_TEXT(id))) != DB_OK || db_res_int(r, 0, 4) != i % ROWS) {
            fprintf(stderr, "db_bench: wrong answer: %s\n", db_errmsg(d));
            exit(1);
        }
        db_res_free(r);
    }
    return now() - t0;
}

static double run_pq(PGconn *c, bool prepared)
{
    const char *q = "SELECT id, email, name, role, n, created_at FROM bench_users WHERE id = $1";
    if (prepared)
        PQclear(PQprepare(c, "bench", q, 1, NULL));
    double t0 = now();
    for (int i = 0; i < N; i++) {
        char id[16];
        id_of(i, id);
        const char *v[1] = {id};
        PGresult *res =
            prepared ? PQexecPrepared(c, "bench", 1, v, NULL, NULL, 0) : PQexecParams(c, q, 1, NULL, v, NULL, NULL, 0);
        if (PQntuples(res) != 1 || atoi(PQgetvalue(res, 0, 4)) != i % ROWS) {
            fprintf(stderr, "db_bench: wrong answer from libpq\n");
            exit(1);
        }
        PQclear(res);
    }
    double t = now() - t0;
    if (prepared)
        PQclear(PQexec(c, "DEALLOCATE bench"));
    return t;
}

static double run_sqlite(sqlite3 *s)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s, select_q, -1, &st, NULL) != SQLITE_OK)
        exit(1);
    double t0 = now();
    for (int i = 0; i < N; i++) {
        char id[16];
        id_of(i, id);
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int64(st, 4) != i % ROWS)
            exit(1);
        for (int c = 0; c < 6; c++) /* read every column, as db_query does */
            (void)sqlite3_column_text(st, c);
        sqlite3_reset(st);
    }
    double t = now() - t0;
    sqlite3_finalize(st);
    return t;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v)
{
    qsort(v, ROUNDS, sizeof(double), cmp);
    return v[ROUNDS / 2];
}

static void report(const char *what, double t)
{
    printf("  %-34s %8.0f queries/s  %6.1f us/query\n", what, N / t, t / N * 1e6);
}

int main(int argc, char **argv)
{
    if (argc != 3 || strncmp(argv[2], "sqlite:", 7) != 0) {
        fprintf(stderr, "usage: db_bench POSTGRESQL_URL sqlite:PATH\n");
        return 2;
    }
    db *pg = setup(argv[1]), *sq = setup(argv[2]);
    PGconn *pc = PQconnectdb(argv[1]);
    sqlite3 *s;
    if (PQstatus(pc) != CONNECTION_OK || sqlite3_open(argv[2] + 7, &s) != SQLITE_OK)
        return 1;
    double t[5][ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        t[0][r] = run_db(pg);
        t[1][r] = run_pq(pc, false);
        t[2][r] = run_pq(pc, true);
        t[3][r] = run_db(sq);
        t[4][r] = run_sqlite(s);
    }
    double m[5];
    for (int i = 0; i < 5; i++)
        m[i] = median(t[i]);
    printf("db: point select by primary key, %d rows, %d queries per run, median of %d interleaved runs\n", ROWS, N,
           ROUNDS);
    printf("PostgreSQL (loopback TCP)\n");
    report("roadie db_query", m[0]);
    report("libpq PQexecParams (reference)", m[1]);
    report("libpq PQexecPrepared (ideal)", m[2]);
    printf("  ratio roadie/reference %.2fx, roadie/ideal %.2fx (throughput)\n", m[1] / m[0], m[2] / m[0]);
    printf("SQLite (WAL, file)\n");
    report("roadie db_query", m[3]);
    report("sqlite3 reused statement (ideal)", m[4]);
    printf("  ratio roadie/ideal %.2fx (throughput)\n", m[4] / m[3]);
    db_exec(pg, "DROP TABLE bench_users", NULL, 0);
    db_close(pg);
    db_close(sq);
    PQfinish(pc);
    sqlite3_close(s);
    return 0;
}
