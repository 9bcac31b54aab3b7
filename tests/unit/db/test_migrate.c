/* Unit tests for src/db/migrate.c: each case runs on SQLite, and on PostgreSQL when
 * ROADIE_TEST_PG_URL names a server (scripts/test.sh starts one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testdb.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/db.h"
#include "db/db_int.h"

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

/* SQLite: a migrator waits for another process's write transaction longer than the 5 s a
 * request waits (that one may be a slow migration). */
static void test_migrate_waits_for_writer(void **state)
{
    (void)state;
    char err[256];
    db *d = db_open(sqlite_url, err, sizeof(err));
    assert_non_null(d);
    drop_schema(d);
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    pid_t kid = fork();
    if (kid == 0) {
        db *c = db_open(sqlite_url, err, sizeof(err));
        bool ok = c && db_begin(c) == DB_OK && write(ready[1], "x", 1) == 1;
        usleep((DB_SQLITE_BUSY_MS + 1000) * 1000);
        ok = ok && db_commit(c) == DB_OK;
        db_close(c);
        _exit(ok ? 0 : 1);
    }
    char x;
    assert_int_equal(read(ready[0], &x, 1), 1);
    assert_int_equal(db_migrate(d, -1, NULL), DB_OK);
    int status;
    waitpid(kid, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* and requests wait their usual time again */
    db_res *r;
    assert_int_equal(db_query(d, &r, "PRAGMA busy_timeout", DB_NOARGS), DB_OK);
    assert_int_equal(db_res_int(r, 0, 0), DB_SQLITE_BUSY_MS);
    db_res_free(r);
    close(ready[0]);
    close(ready[1]);
    drop_schema(d);
    db_close(d);
}

/* db_ready() (the server's /readyz) is false until the schema is current, and says why. */
static void test_ready(void **state)
{
    (void)state;
    const char *u[2];
    for (int k = 0, n = urls(u); k < n; k++) {
        assert_int_equal(db_global_init(u[k]), DB_OK);
        char err[256], why[128] = "";
        db *d = db_thread_get(err, sizeof(err));
        assert_non_null(d);
        drop_schema(d);
        assert_false(db_ready(why, sizeof(why)));
        assert_non_null(strstr(why, "version 0"));
        assert_int_equal(db_migrate(d, -1, NULL), DB_OK);
        assert_true(db_ready(why, sizeof(why)));
        drop_schema(d);
        db_thread_close();
    }
    assert_int_equal(db_global_init("sqlite:/nonexistent-dir/x.db"), DB_OK);
    char why[128] = "";
    assert_false(db_ready(why, sizeof(why)));
    assert_non_null(strstr(why, "nonexistent-dir"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrations),
        cmocka_unit_test(test_concurrent_migrators),
        cmocka_unit_test(test_migrate_waits_for_writer),
        cmocka_unit_test(test_ready),
    };
    return testdb_run(tests, sizeof(tests) / sizeof(tests[0]));
}
