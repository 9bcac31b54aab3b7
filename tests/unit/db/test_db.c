/* Unit tests for src/db: each case runs on SQLite, and on PostgreSQL when
 * ROADIE_TEST_PG_URL names a server (scripts/test.sh starts one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testdb.h"
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"

static db *open_fresh(const char *url)
{
    char err[256];
    db *d = db_open(url, err, sizeof(err));
    if (!d)
        fail_msg("open %s: %s", url, err);
    db_exec(d, "DROP TABLE IF EXISTS t", DB_NOARGS);
    assert_int_equal(
        db_exec(d, "CREATE TABLE t (id TEXT PRIMARY KEY, n BIGINT, x DOUBLE PRECISION, s TEXT, b BYTEA)", DB_NOARGS),
        DB_OK);
    return d;
}

static void test_types_and_placeholders(void **state)
{
    (void)state;
    const char *u[2];
    for (int k = 0, n = urls(u); k < n; k++) {
        db *d = open_fresh(u[k]);
        static const struct {
            const char *id;
            int64_t n;
            double x;
            const char *s;
        } rows[] = {
            {"a", INT64_MAX, 1.5, "it's a '?' and \"quoted\""},
            {"b", INT64_MIN, -0.25, NULL},
            {"c", 0, 1e300, "ünïcødé ✓"},
        };
        for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
            assert_int_equal(
                db_exec(d, "INSERT INTO t (id, n, x, s) VALUES (?, ?, ?, ?)",
                        DB_ARGS(DB_TEXT(rows[i].id), DB_INT(rows[i].n), DB_DOUBLE(rows[i].x), DB_TEXT(rows[i].s))),
                DB_OK);
        db_res *r;
        assert_int_equal(
            db_query(d, &r, "SELECT id, n, x, s, '?' FROM t WHERE id <> ? ORDER BY id", DB_ARGS(DB_TEXT("zz"))), DB_OK);
        assert_int_equal(db_res_rows(r), 3);
        assert_int_equal(db_res_cols(r), 5);
        for (size_t i = 0; i < 3; i++) {
            assert_string_equal(db_res_text(r, i, 0), rows[i].id);
            assert_true(db_res_int(r, i, 1) == rows[i].n);
            assert_true(db_res_double(r, i, 2) == rows[i].x);
            if (rows[i].s)
                assert_string_equal(db_res_text(r, i, 3), rows[i].s);
            else
                assert_true(db_res_null(r, i, 3));
            assert_string_equal(db_res_text(r, i, 4), "?");
        }
        assert_true(db_res_null(r, 9, 0)); /* out of range reads as NULL */
        db_res_free(r);
        /* truth values read as 1 and 0 on both (PostgreSQL's boolean would say t and f) */
        assert_int_equal(db_query(d, &r, "SELECT 1 = 1, 1 = 2, NULL = 1, EXISTS (SELECT 1 FROM t)", DB_NOARGS), DB_OK);
        assert_string_equal(db_res_text(r, 0, 0), "1");
        assert_string_equal(db_res_text(r, 0, 1), "0");
        assert_true(db_res_null(r, 0, 2));
        assert_int_equal(db_res_int(r, 0, 3), 1);
        db_res_free(r);
        db_close(d);
    }
}

static void test_errors(void **state)
{
    (void)state;
    const char *u[2];
    for (int k = 0, n = urls(u); k < n; k++) {
        db *d = open_fresh(u[k]);
        assert_int_equal(db_exec(d, "INSERT INTO t (id) VALUES (?)", DB_ARGS(DB_TEXT("a"))), DB_OK);
        assert_int_equal(db_exec(d, "INSERT INTO t (id) VALUES (?)", DB_ARGS(DB_TEXT("a"))), DB_ECONSTRAINT);
        assert_int_equal(db_exec(d, "INSERT INTO t (id) VALUES (?)", DB_NOARGS), DB_EINVAL); /* count mismatch */
        assert_int_equal(db_exec(d, "SELEKT 1", DB_NOARGS), DB_EINVAL);
        assert_int_equal(db_exec(d, "SELECT 1; SELECT 2", DB_NOARGS), DB_EINVAL); /* one statement a call */
        assert_int_equal(db_exec(d, "SELECT 1; -- why\n /* done; */ ;", DB_NOARGS), DB_OK);
        assert_true(strlen(db_errmsg(d)) > 0);
        assert_int_equal(db_exec(d, "UPDATE t SET n = 1 WHERE id = ?", DB_ARGS(DB_TEXT("a"))), DB_OK);
        assert_int_equal(db_changes(d), 1);
        db_close(d);
    }
    char err[128];
    assert_null(db_open("mysql://x", err, sizeof(err)));
    assert_null(db_open("sqlite:/nonexistent-dir/x.db", err, sizeof(err)));
}

/* Doubles read back bit for bit (SQLite's own text form keeps only 15 digits). */
static void test_doubles(void **state)
{
    (void)state;
    static const double xs[] = {0.1 + 0.2, 1.0 / 3, 9007199254740993.0, 5e-324, -1.7976931348623157e308, 0.0, 1e-5};
    const char *u[2];
    for (int k = 0, n = urls(u); k < n; k++) {
        db *d = open_fresh(u[k]);
        for (size_t i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) {
            char id[8];
            snprintf(id, sizeof(id), "%zu", i);
            assert_int_equal(db_exec(d, "INSERT INTO t (id, x) VALUES (?, ?)", DB_ARGS(DB_TEXT(id), DB_DOUBLE(xs[i]))),
                             DB_OK);
            db_res *r;
            assert_int_equal(db_query(d, &r, "SELECT x FROM t WHERE id = ?", DB_ARGS(DB_TEXT(id))), DB_OK);
            assert_true(db_res_double(r, 0, 0) == xs[i]);
            assert_true(strtod(db_res_text(r, 0, 0), NULL) == xs[i]);
            db_res_free(r);
        }
        db_close(d);
    }
}

/* Bytes with NULs and high bits go in and out unchanged; empty differs from NULL. */
static void test_blobs(void **state)
{
    (void)state;
    unsigned char big[70000];
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (unsigned char)(i * 7);
    static const unsigned char small[] = {0, 1, 0, 0xff, '\\', '\'', 'x'};
    const struct {
        const char *id;
        const void *p;
        size_t len;
    } rows[] = {{"small", small, sizeof(small)}, {"big", big, sizeof(big)}, {"empty", "", 0}, {"null", NULL, 0}};
    const char *u[2];
    for (int k = 0, n = urls(u); k < n; k++) {
        db *d = open_fresh(u[k]);
        for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
            assert_int_equal(db_exec(d, "INSERT INTO t (id, b) VALUES (?, ?)",
                                     DB_ARGS(DB_TEXT(rows[i].id), DB_BLOB(rows[i].p, rows[i].len))),
                             DB_OK);
        for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
            db_res *r;
            assert_int_equal(db_query(d, &r, "SELECT b FROM t WHERE id = ?", DB_ARGS(DB_TEXT(rows[i].id))), DB_OK);
            size_t len = 99;
            const void *b = db_res_blob(r, 0, 0, &len);
            assert_int_equal(len, rows[i].len);
            assert_int_equal(db_res_null(r, 0, 0), rows[i].p == NULL);
            if (rows[i].p)
                assert_memory_equal(b, rows[i].p, len ? len : 1);
            db_res_free(r);
        }
        db_close(d);
    }
}

/* Each constraint violation is DB_ECONSTRAINT, and db_constraint_of says which kind. */
static void test_constraints(void **state)
{
    (void)state;
    static const struct {
        const char *sql;
        db_constraint kind;
    } cases[] = {
        {"INSERT INTO c (id, p) VALUES ('1', NULL)", DB_C_UNIQUE},
        {"INSERT INTO c (id, u) VALUES ('2', 'taken')", DB_C_UNIQUE},
        {"INSERT INTO c (id, p) VALUES ('3', 'missing')", DB_C_FOREIGN_KEY},
        {"DELETE FROM t WHERE id = 'a'", DB_C_FOREIGN_KEY},
        {"INSERT INTO c (id, v) VALUES ('4', -1)", DB_C_CHECK},
        {"INSERT INTO c (id, nn) VALUES ('5', NULL)", DB_C_NOT_NULL},
    };
    const char *u[2];
    for (int k = 0, n = urls(u); k < n; k++) {
        db *d = open_fresh(u[k]);
        db_exec(d, "DROP TABLE IF EXISTS c", DB_NOARGS);
        assert_int_equal(db_exec(d,
                                 "CREATE TABLE c (id TEXT PRIMARY KEY, u TEXT UNIQUE, p TEXT REFERENCES t (id),"
                                 " v BIGINT CHECK (v >= 0), nn TEXT NOT NULL DEFAULT '')",
                                 DB_NOARGS),
                         DB_OK);
        assert_int_equal(db_exec(d, "INSERT INTO t (id) VALUES ('a')", DB_NOARGS), DB_OK);
        assert_int_equal(db_exec(d, "INSERT INTO c (id, u, p) VALUES ('1', 'taken', 'a')", DB_NOARGS), DB_OK);
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
            assert_int_equal(db_exec(d, cases[i].sql, DB_NOARGS), DB_ECONSTRAINT);
            assert_int_equal(db_constraint_of(d), cases[i].kind);
        }
        assert_int_equal(db_exec(d, "SELEKT", DB_NOARGS), DB_EINVAL);
        assert_int_equal(db_constraint_of(d), DB_C_NONE);
        assert_int_equal(db_exec(d, "DROP TABLE c", DB_NOARGS), DB_OK);
        db_close(d);
    }
}

static void test_transactions(void **state)
{
    (void)state;
    const char *u[2];
    for (int k = 0, n = urls(u); k < n; k++) {
        db *d = open_fresh(u[k]);
        assert_int_equal(db_begin(d), DB_OK);
        db_exec(d, "INSERT INTO t (id) VALUES ('x')", DB_NOARGS);
        assert_int_equal(db_rollback(d), DB_OK);
        assert_int_equal(db_begin(d), DB_OK);
        db_exec(d, "INSERT INTO t (id) VALUES ('y')", DB_NOARGS);
        assert_int_equal(db_commit(d), DB_OK);
        db_res *r;
        assert_int_equal(db_query(d, &r, "SELECT id FROM t", DB_NOARGS), DB_OK);
        assert_int_equal(db_res_rows(r), 1);
        assert_string_equal(db_res_text(r, 0, 0), "y");
        db_res_free(r);
        /* a failed statement inside a transaction: roll back, and the connection works again */
        assert_int_equal(db_begin(d), DB_OK);
        assert_int_equal(db_exec(d, "INSERT INTO t (id) VALUES ('z')", DB_NOARGS), DB_OK);
        assert_int_equal(db_exec(d, "INSERT INTO t (id) VALUES ('y')", DB_NOARGS), DB_ECONSTRAINT);
        assert_int_equal(db_rollback(d), DB_OK);
        assert_int_equal(db_query(d, &r, "SELECT count(*) FROM t", DB_NOARGS), DB_OK);
        assert_int_equal(db_res_int(r, 0, 0), 1); /* z went with the rollback */
        db_res_free(r);
        if (db_kind_of(d) == DB_PG) { /* a commit after a failure there saves nothing: says so */
            assert_int_equal(db_begin(d), DB_OK);
            assert_int_equal(db_exec(d, "INSERT INTO t (id) VALUES ('w')", DB_NOARGS), DB_OK);
            assert_int_equal(db_exec(d, "INSERT INTO t (id) VALUES ('y')", DB_NOARGS), DB_ECONSTRAINT);
            assert_int_equal(db_commit(d), DB_EIO);
            assert_int_equal(db_query(d, &r, "SELECT count(*) FROM t WHERE id = 'w'", DB_NOARGS), DB_OK);
            assert_int_equal(db_res_int(r, 0, 0), 0);
            db_res_free(r);
        }
        db_rollback(d); /* none open: no effect */
        assert_int_equal(db_exec(d, "INSERT INTO t (id) VALUES ('z')", DB_NOARGS), DB_OK);
        db_close(d);
    }
}

#define NTHREADS 3

static pthread_barrier_t held, release; /* all threads hold a connection; they may exit */

static void *thread_main(void *arg)
{
    char err[256];
    db *d = db_thread_get(err, sizeof(err));
    *(db **)arg = d;
    db_res *r = NULL;
    int rc = d ? db_query(d, &r, "SELECT 1", DB_NOARGS) : -1;
    db_res_free(r);
    bool same = d == db_thread_get(err, sizeof(err));
    pthread_barrier_wait(&held);
    pthread_barrier_wait(&release);
    return (void *)(intptr_t)(rc == DB_OK && same);
}

/* Each thread gets its own connection, kept across calls and closed when the thread ends;
 * db_open_count() follows. */
static void test_thread_connections(void **state)
{
    (void)state;
    const char *u[2];
    for (int k = 0, n = urls(u); k < n; k++) {
        assert_int_equal(db_global_init(u[k]), DB_OK);
        long before = db_open_count();
        pthread_t t[NTHREADS];
        db *seen[NTHREADS];
        pthread_barrier_init(&held, NULL, NTHREADS + 1);
        pthread_barrier_init(&release, NULL, NTHREADS + 1);
        for (int i = 0; i < NTHREADS; i++)
            assert_int_equal(pthread_create(&t[i], NULL, thread_main, &seen[i]), 0);
        pthread_barrier_wait(&held);
        assert_int_equal(db_open_count(), before + NTHREADS);
        pthread_barrier_wait(&release);
        for (int i = 0; i < NTHREADS; i++) {
            void *ok;
            pthread_join(t[i], &ok);
            assert_true(ok);
            for (int j = 0; j < i; j++)
                assert_ptr_not_equal(seen[i], seen[j]);
        }
        pthread_barrier_destroy(&held);
        pthread_barrier_destroy(&release);
        assert_int_equal(db_open_count(), before); /* closed at thread exit */
        char err[256];
        db *d = db_thread_get(err, sizeof(err));
        assert_non_null(d);
        assert_int_equal(db_open_count(), before + 1);
        assert_ptr_equal(db_thread_get(err, sizeof(err)), d);
        db_thread_close();
        assert_int_equal(db_open_count(), before);
    }
}

/* PostgreSQL's own quoting forms keep their `?` (SQLite has none of them). */
static void test_pg_quoting(void **state)
{
    (void)state;
    const char *pg = getenv("ROADIE_TEST_PG_URL");
    if (!pg || !*pg)
        skip();
    db *d = open_fresh(pg);
    db_res *r;
    assert_int_equal(
        db_query(d, &r, "SELECT $$?$$, $x$ ? $x$, E'\\'?', /* ? */ ?::text, 'a''?' -- ?\n", DB_ARGS(DB_TEXT("p"))),
        DB_OK);
    static const char *want[] = {"?", " ? ", "'?", "p", "a'?"};
    for (size_t c = 0; c < 5; c++)
        assert_string_equal(db_res_text(r, 0, c), want[c]);
    db_res_free(r);
    db_close(d);
}

/* The driver's connection defaults apply unless the URL sets them. */
static void test_pg_url_settings(void **state)
{
    (void)state;
    const char *pg = getenv("ROADIE_TEST_PG_URL");
    if (!pg || !*pg)
        skip();
    char url[512], err[256];
    static const struct {
        const char *suffix, *app;
    } cases[] = {{"", "roadie"}, {"?application_name=other&connect_timeout=2", "other"}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(url, sizeof(url), "%s%s", pg, cases[i].suffix);
        db *d = db_open(url, err, sizeof(err));
        assert_non_null(d);
        db_res *r;
        assert_int_equal(db_query(d, &r, "SELECT current_setting('application_name')", DB_NOARGS), DB_OK);
        assert_string_equal(db_res_text(r, 0, 0), cases[i].app);
        db_res_free(r);
        db_close(d);
    }
}

static int64_t scalar(db *d, const char *sql, const db_param *p, size_t n)
{
    db_res *r;
    assert_int_equal(db_query(d, &r, sql, p, n), DB_OK);
    int64_t v = db_res_int(r, 0, 0);
    db_res_free(r);
    return v;
}

/* The pg driver keeps statements prepared per connection: many distinct ones (more than it
 * keeps), a table changing shape under one, one deallocated behind its back, a rollback of
 * an aborted transaction while the cache is full, and bytea and NULL in one position. */
static void test_pg_statement_cache(void **state)
{
    (void)state;
    const char *pg = getenv("ROADIE_TEST_PG_URL");
    if (!pg || !*pg)
        skip();
    db *d = open_fresh(pg);
    char sql[64];
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 150; i++) {
            snprintf(sql, sizeof(sql), "SELECT ?::bigint + %d", i);
            assert_int_equal(scalar(d, sql, DB_ARGS(DB_INT(1000))), 1000 + i);
        }
    assert_true(scalar(d, "SELECT count(*) FROM pg_prepared_statements", DB_NOARGS) <= 65);
    /* the cache is full: an aborted transaction still rolls back, and the connection works */
    assert_int_equal(db_begin(d), DB_OK);
    assert_int_equal(db_exec(d, "SELEKT", DB_NOARGS), DB_EINVAL);
    assert_int_equal(db_rollback(d), DB_OK);
    assert_int_equal(scalar(d, "SELECT 7", DB_NOARGS), 7);
    /* the table changes shape: re-prepared (outside a transaction, transparently) */
    assert_int_equal(db_exec(d, "INSERT INTO t (id, n) VALUES ('a', 1)", DB_NOARGS), DB_OK);
    const char *star = "SELECT * FROM t WHERE id = ?";
    db_res *r;
    assert_int_equal(db_query(d, &r, star, DB_ARGS(DB_TEXT("a"))), DB_OK);
    size_t cols = db_res_cols(r);
    db_res_free(r);
    assert_int_equal(db_exec(d, "ALTER TABLE t ADD COLUMN extra TEXT", DB_NOARGS), DB_OK);
    assert_int_equal(db_query(d, &r, star, DB_ARGS(DB_TEXT("a"))), DB_OK);
    assert_int_equal(db_res_cols(r), cols + 1);
    db_res_free(r);
    assert_int_equal(db_exec(d, "ALTER TABLE t DROP COLUMN extra", DB_NOARGS), DB_OK);
    assert_int_equal(db_begin(d), DB_OK); /* inside a transaction: fails, once */
    assert_int_not_equal(db_query(d, &r, star, DB_ARGS(DB_TEXT("a"))), DB_OK);
    assert_int_equal(db_rollback(d), DB_OK);
    assert_int_equal(db_query(d, &r, star, DB_ARGS(DB_TEXT("a"))), DB_OK);
    assert_int_equal(db_res_cols(r), cols);
    db_res_free(r);
    /* deallocated behind the driver's back */
    assert_int_equal(db_exec_script(d, "DEALLOCATE ALL"), DB_OK);
    assert_int_equal(scalar(d, "SELECT ?::bigint + 0", DB_ARGS(DB_INT(5))), 5);
    /* one position, bytes one time and NULL the next */
    const char *put = "UPDATE t SET b = ? WHERE id = 'a'";
    assert_int_equal(db_exec(d, put, DB_ARGS(DB_BLOB("\0\1", 2))), DB_OK);
    assert_int_equal(scalar(d, "SELECT length(b) FROM t WHERE id = 'a'", DB_NOARGS), 2);
    assert_int_equal(db_exec(d, put, DB_ARGS(DB_TEXT(NULL))), DB_OK);
    assert_int_equal(db_exec(d, put, DB_ARGS(DB_BLOB("\0\1\2", 3))), DB_OK);
    assert_int_equal(scalar(d, "SELECT length(b) FROM t WHERE id = 'a'", DB_NOARGS), 3);
    db_close(d);
}

/* Asks the server to end d's session and waits until it has. */
static void kill_backend(const char *url, db *d, int64_t *pid)
{
    db_res *r;
    assert_int_equal(db_query(d, &r, "SELECT pg_backend_pid()", DB_NOARGS), DB_OK);
    *pid = db_res_int(r, 0, 0);
    db_res_free(r);
    char err[256];
    db *killer = db_open(url, err, sizeof(err));
    assert_non_null(killer);
    assert_int_equal(db_exec(killer, "SELECT pg_terminate_backend(?, 5000)", DB_ARGS(DB_INT(*pid))), DB_OK);
    db_close(killer);
}

/* A thread's PostgreSQL connection ended by the server is replaced by db_thread_get(): at
 * once when it was idle; a statement sent on the dead one fails with DB_ECONN. */
static void test_pg_reconnect(void **state)
{
    (void)state;
    const char *pg = getenv("ROADIE_TEST_PG_URL");
    if (!pg || !*pg)
        skip();
    assert_int_equal(db_global_init(pg), DB_OK);
    for (int send_first = 0; send_first < 2; send_first++) {
        char err[256];
        db *d = db_thread_get(err, sizeof(err));
        assert_non_null(d);
        long open = db_open_count();
        int64_t pid;
        kill_backend(pg, d, &pid);
        db_res *r;
        if (send_first)
            assert_int_equal(db_query(d, &r, "SELECT 1", DB_NOARGS), DB_ECONN);
        d = db_thread_get(err, sizeof(err));
        assert_non_null(d);
        assert_int_equal(db_open_count(), open);
        assert_int_equal(db_query(d, &r, "SELECT pg_backend_pid()", DB_NOARGS), DB_OK);
        assert_true(db_res_int(r, 0, 0) != pid);
        db_res_free(r);
    }
    db_thread_close();
    assert_int_equal(db_global_init(sqlite_url), DB_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types_and_placeholders),
        cmocka_unit_test(test_doubles),
        cmocka_unit_test(test_blobs),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_constraints),
        cmocka_unit_test(test_transactions),
        cmocka_unit_test(test_thread_connections),
        cmocka_unit_test(test_pg_quoting),
        cmocka_unit_test(test_pg_reconnect),
        cmocka_unit_test(test_pg_url_settings),
        cmocka_unit_test(test_pg_statement_cache),
    };
    return testdb_run(tests, sizeof(tests) / sizeof(tests[0]));
}
