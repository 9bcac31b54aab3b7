/* Unit tests for src/db: each case runs on SQLite, and on PostgreSQL when
 * ROADIE_TEST_PG_URL names a server (scripts/test.sh starts one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testdb.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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
        db_exec(d, "CREATE TABLE t (id TEXT PRIMARY KEY, n BIGINT, x DOUBLE PRECISION, s TEXT)", DB_NOARGS), DB_OK);
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
        assert_true(strlen(db_errmsg(d)) > 0);
        assert_int_equal(db_exec(d, "UPDATE t SET n = 1 WHERE id = ?", DB_ARGS(DB_TEXT("a"))), DB_OK);
        assert_int_equal(db_changes(d), 1);
        db_close(d);
    }
    char err[128];
    assert_null(db_open("mysql://x", err, sizeof(err)));
    assert_null(db_open("sqlite:/nonexistent-dir/x.db", err, sizeof(err)));
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
        db_close(d);
    }
}

/* Drops every table, whatever the migrations created. */
static void drop_schema(db *d)
{
    if (db_kind_of(d) == DB_PG) {
        assert_int_equal(db_exec_script(d, "DROP SCHEMA public CASCADE; CREATE SCHEMA public"), DB_OK);
        return;
    }
    assert_int_equal(db_exec_script(d, "PRAGMA foreign_keys=OFF"), DB_OK);
    for (;;) {
        db_res *r;
        assert_int_equal(db_query(d, &r, "SELECT name FROM sqlite_master WHERE type = 'table'", DB_NOARGS), DB_OK);
        if (db_res_rows(r) == 0) {
            db_res_free(r);
            break;
        }
        char sql[256];
        snprintf(sql, sizeof(sql), "DROP TABLE \"%s\"", db_res_text(r, 0, 0));
        db_res_free(r);
        assert_int_equal(db_exec(d, sql, DB_NOARGS), DB_OK);
    }
    assert_int_equal(db_exec_script(d, "PRAGMA foreign_keys=ON"), DB_OK);
}

static void test_migrations(void **state)
{
    (void)state;
    const char *u[2];
    size_t nm;
    const db_migration *m = db_migrations(&nm);
    assert_true(nm >= 1);
    for (int k = 0, n = urls(u); k < n; k++) {
        char err[256];
        db *d = db_open(u[k], err, sizeof(err));
        assert_non_null(d);
        drop_schema(d);
        db_migrate_state st;
        assert_int_equal(db_migrate_status(d, &st), DB_OK);
        assert_int_equal(st.current, 0);
        assert_int_equal(st.pending, (int)nm);
        assert_int_equal(db_migrate(d, m[0].version, NULL), DB_OK);
        assert_true(db_migration_applied(d, m[0].version));
        assert_int_equal(db_migrate(d, -1, NULL), DB_OK);
        assert_int_equal(db_migrate(d, -1, NULL), DB_OK); /* idempotent */
        assert_int_equal(db_migrate_status(d, &st), DB_OK);
        assert_int_equal(st.pending, 0);
        assert_int_equal(st.current, m[nm - 1].version);
        assert_false(st.newer);
        /* an edited migration is noticed */
        assert_int_equal(
            db_exec(d, "UPDATE schema_migrations SET checksum = 'x' WHERE version = ?", DB_ARGS(DB_INT(m[0].version))),
            DB_OK);
        assert_int_equal(db_migrate_status(d, &st), DB_OK);
        assert_int_equal(st.edited, m[0].version);
        assert_int_equal(db_migrate(d, -1, NULL), DB_ESCHEMA);
        /* a schema from a newer roadie is refused */
        drop_schema(d);
        assert_int_equal(db_migrate(d, -1, NULL), DB_OK);
        assert_int_equal(db_exec(d, "INSERT INTO schema_migrations VALUES (9999, 'future', 'x', 0)", DB_NOARGS), DB_OK);
        assert_int_equal(db_migrate_status(d, &st), DB_OK);
        assert_true(st.newer);
        assert_int_equal(db_migrate(d, -1, NULL), DB_ESCHEMA);
        drop_schema(d);
        db_close(d);
    }
}

/* Two processes migrate one empty database at once: each migration is applied once. */
static void test_concurrent_migrators(void **state)
{
    (void)state;
    const char *u[2];
    for (int k = 0, n = urls(u); k < n; k++) {
        char err[256];
        db *d = db_open(u[k], err, sizeof(err));
        drop_schema(d);
        db_close(d);
        pid_t kids[4];
        for (int i = 0; i < 4; i++) {
            if ((kids[i] = fork()) == 0) {
                db *c = db_open(u[k], err, sizeof(err));
                int rc = c ? db_migrate(c, -1, NULL) : -1;
                db_close(c);
                _exit(rc == DB_OK ? 0 : 1);
            }
        }
        for (int i = 0; i < 4; i++) {
            int status;
            waitpid(kids[i], &status, 0);
            assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        }
        d = db_open(u[k], err, sizeof(err));
        size_t nm;
        db_migrations(&nm);
        db_res *r;
        assert_int_equal(db_query(d, &r, "SELECT count(*) FROM schema_migrations", DB_NOARGS), DB_OK);
        assert_int_equal(db_res_int(r, 0, 0), (int64_t)nm);
        db_res_free(r);
        drop_schema(d);
        db_close(d);
    }
}

static void *thread_main(void *arg)
{
    char err[256];
    db *d = db_thread_get(err, sizeof(err));
    *(db **)arg = d;
    db_res *r = NULL;
    int rc = d ? db_query(d, &r, "SELECT 1", DB_NOARGS) : -1;
    db_res_free(r);
    return (void *)(intptr_t)(rc == DB_OK && d == db_thread_get(err, sizeof(err)));
}

static void test_thread_connections(void **state)
{
    (void)state;
    assert_int_equal(db_global_init(sqlite_url), DB_OK);
    long before = db_open_count();
    pthread_t t[3];
    db *seen[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, thread_main, &seen[i]);
    for (int i = 0; i < 3; i++) {
        void *ok;
        pthread_join(t[i], &ok);
        assert_true(ok);
    }
    assert_true(seen[0] != seen[1] && seen[1] != seen[2]);
    assert_int_equal(db_open_count(), before); /* closed at thread exit */
    char why[128];
    assert_false(db_ready(why, sizeof(why))); /* schema not migrated */
    char err[256];
    db *d = db_thread_get(err, sizeof(err));
    assert_int_equal(db_migrate(d, -1, NULL), DB_OK);
    assert_true(db_ready(why, sizeof(why)));
    db_thread_close();
    assert_int_equal(db_open_count(), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types_and_placeholders), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_transactions),           cmocka_unit_test(test_migrations),
        cmocka_unit_test(test_concurrent_migrators),   cmocka_unit_test(test_thread_connections),
    };
    return testdb_run(tests, sizeof(tests) / sizeof(tests[0]));
}
