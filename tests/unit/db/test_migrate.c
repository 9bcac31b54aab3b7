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

/* This test's own migrations stand in for the embedded ones (the archive's
 * build/gen/db/migrations.o is then not linked), so that it can have several, edit one,
 * break one, or forget one as an older roadie would. */
static const db_migration good[] = {
    {1, "0001_a", "CREATE TABLE a (id TEXT PRIMARY KEY, at BIGINT NOT NULL);\n"},
    {2, "0002_b",
     "CREATE TABLE b (id TEXT PRIMARY KEY, a_id TEXT REFERENCES a (id));\n"
     "INSERT INTO a (id, at) VALUES ('x', 1); -- applied twice, this fails\n"},
    {5, "0005_c", "CREATE TABLE c (id TEXT PRIMARY KEY);\n"}, /* versions may skip */
};
static const db_migration edited[] = {
    {1, "0001_a", "CREATE TABLE a (id TEXT PRIMARY KEY, at BIGINT NOT NULL, more TEXT);\n"},
    {2, "0002_b", "CREATE TABLE b (id TEXT PRIMARY KEY);\n"},
};
static const db_migration broken[] = {
    {1, "0001_a", "CREATE TABLE a (id TEXT PRIMARY KEY, at BIGINT NOT NULL);\n"},
    {2, "0002_b", "CREATE TABLE b (id TEXT PRIMARY KEY);\nINSERT INTO nowhere VALUES (1);\n"},
};
static const db_migration *known = good;
static size_t nknown = 3;

const db_migration *db_migrations(size_t *n)
{
    *n = nknown;
    return known;
}

static void use(const db_migration *list, size_t n)
{
    known = list;
    nknown = n;
}

static bool table_exists(db *d, const char *name)
{
    db_res *r;
    const char *sql = db_kind_of(d) == DB_PG ? "SELECT 1 WHERE to_regclass(?) IS NOT NULL"
                                             : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?";
    assert_int_equal(db_query(d, &r, sql, DB_ARGS(DB_TEXT(name))), DB_OK);
    bool yes = db_res_rows(r) == 1;
    db_res_free(r);
    return yes;
}

/* One row per step on one database: which migrations this roadie knows, what it is asked,
 * and what it must find. */
static void test_migrations(void **state)
{
    (void)state;
    static const struct {
        const db_migration *list;
        size_t n;
        int to; /* db_migrate(to); -2: only read the status */
        int rc; /* of db_migrate */
        int current, pending, edited;
        bool newer;
        const char *exists, *absent; /* a table that must (not) be there */
    } steps[] = {
        {good, 3, -2, DB_OK, 0, 3, 0, false, NULL, "a"},
        {good, 3, 1, DB_OK, 1, 2, 0, false, "a", "b"},          /* --to 1 */
        {good, 3, 1, DB_OK, 1, 2, 0, false, "a", "b"},          /* again: nothing to do */
        {good, 3, 3, DB_OK, 2, 1, 0, false, "b", "c"},          /* --to 3: up to 2, no 3 */
        {good, 3, -1, DB_OK, 5, 0, 0, false, "c", NULL},        /* the rest */
        {good, 3, -1, DB_OK, 5, 0, 0, false, "c", NULL},        /* idempotent */
        {good, 2, -1, DB_ESCHEMA, 5, 0, 0, true, NULL, NULL},   /* an older roadie: refuses */
        {edited, 2, -1, DB_ESCHEMA, 5, 0, 1, true, NULL, NULL}, /* 1 edited after it ran */
    };
    const char *u[2];
    for (int k = 0, n = urls(u); k < n; k++) {
        char err[256];
        db *d = db_open(u[k], err, sizeof(err));
        assert_non_null(d);
        drop_schema(d);
        for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
            use(steps[i].list, steps[i].n);
            if (steps[i].to != -2)
                assert_int_equal(db_migrate(d, steps[i].to, NULL), steps[i].rc);
            db_migrate_state st;
            assert_int_equal(db_migrate_status(d, &st), DB_OK);
            assert_int_equal(st.current, steps[i].current);
            assert_int_equal(st.pending, steps[i].pending);
            assert_int_equal(st.edited, steps[i].edited);
            assert_int_equal(st.newer, steps[i].newer);
            assert_int_equal(st.latest, (int)steps[i].list[steps[i].n - 1].version);
            if (steps[i].exists)
                assert_true(table_exists(d, steps[i].exists));
            if (steps[i].absent)
                assert_false(table_exists(d, steps[i].absent));
        }
        use(good, 3);
        drop_schema(d);
        db_close(d);
    }
}

/* A migration that fails leaves nothing of itself behind and names itself in the error;
 * the ones before it stay applied. */
static void test_broken_migration(void **state)
{
    (void)state;
    const char *u[2];
    for (int k = 0, n = urls(u); k < n; k++) {
        char err[256];
        db *d = db_open(u[k], err, sizeof(err));
        assert_non_null(d);
        drop_schema(d);
        use(broken, 2);
        assert_int_not_equal(db_migrate(d, -1, NULL), DB_OK);
        assert_non_null(strstr(db_errmsg(d), "0002_b"));
        assert_true(db_migration_applied(d, 1));
        assert_false(db_migration_applied(d, 2));
        assert_false(table_exists(d, "b"));
        /* no transaction left open: SQLite refuses a nested BEGIN, PostgreSQL any statement
         * in an aborted transaction */
        assert_int_equal(db_begin(d), DB_OK);
        db_res *r;
        assert_int_equal(db_query(d, &r, "SELECT 1", DB_NOARGS), DB_OK);
        db_res_free(r);
        assert_int_equal(db_rollback(d), DB_OK);
        use(good, 3);
        drop_schema(d);
        db_close(d);
    }
}

/* Four processes migrate one empty database at once: each migration is applied once, and
 * none of them fails (without the lock, two would run one CREATE TABLE). */
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
        assert_int_equal(db_query(d, &r, "SELECT count(*) FROM a", DB_NOARGS), DB_OK);
        assert_int_equal(db_res_int(r, 0, 0), 1); /* 0002_b's row, inserted once */
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
        cmocka_unit_test(test_broken_migration),
        cmocka_unit_test(test_concurrent_migrators),
        cmocka_unit_test(test_migrate_waits_for_writer),
        cmocka_unit_test(test_ready),
    };
    return testdb_run(tests, sizeof(tests) / sizeof(tests[0]));
}
