/* Unit tests for src/store/audit.c on SQLite, and on PostgreSQL when ROADIE_TEST_PG_URL is set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testdb.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/store.h"

/* A migrated database with an empty audit log. */
static db *fresh(const char *url)
{
    char err[256];
    db *d = db_open(url, err, sizeof(err));
    if (!d)
        fail_msg("%s", err);
    assert_int_equal(db_migrate(d, -1, NULL), DB_OK);
    assert_int_equal(db_exec_script(d, "DELETE FROM audit_personal; DELETE FROM audit_log"), DB_OK);
    return d;
}

static void append_n(db *d, int n)
{
    for (int i = 0; i < n; i++) {
        store_audit_entry e = {.actor_id = "u1",
                               .action = i % 2 ? "auth.login" : "auth.login_failed",
                               .target = "u1",
                               .request_id = "req",
                               .subject_id = "u1",
                               .email = "a@example.com",
                               .ip = "203.0.113.9"};
        assert_int_equal(store_audit_append(d, &e, false), DB_OK);
    }
}

static bool verify(db *d, const char *head, int64_t *bad)
{
    bool ok;
    char why[256];
    assert_int_equal(store_audit_verify(d, head, &ok, bad, why, sizeof(why)), DB_OK);
    return ok;
}

/* One row per way of tampering: each must be caught at the given entry. */
static void test_tamper(void **state)
{
    (void)state;
    static const struct {
        const char *sql;
        int64_t bad;
    } cases[] = {
        {"UPDATE audit_log SET action = 'auth.logout' WHERE seq = 3", 3},
        {"UPDATE audit_log SET at = at + 1 WHERE seq = 2", 2},
        {"UPDATE audit_log SET actor_id = NULL WHERE seq = 4", 4},
        {"DELETE FROM audit_log WHERE seq = 3", 4},
        {"UPDATE audit_log SET seq = seq + 100 WHERE seq = 5", 105},
        {"INSERT INTO audit_log VALUES (0, 0, 'x', 'fake', NULL, NULL, '{}', 'p', 'h')", 0},
    };
    const char *u[2];
    for (int k = 0, nu = urls(u); k < nu; k++)
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
            db *d = fresh(u[k]);
            append_n(d, 5);
            int64_t bad;
            assert_true(verify(d, NULL, &bad));
            assert_int_equal(db_exec_script(d, "DELETE FROM audit_personal"), DB_OK);
            assert_int_equal(db_exec(d, cases[i].sql, DB_NOARGS), DB_OK);
            assert_false(verify(d, NULL, &bad));
            assert_int_equal(bad, cases[i].bad);
            db_close(d);
        }
}

static void test_head_and_truncation(void **state)
{
    (void)state;
    const char *u[2];
    for (int k = 0, nu = urls(u); k < nu; k++) {
        db *d = fresh(u[k]);
        int64_t seq, bad;
        char head[STORE_HASH_HEX];
        assert_int_equal(store_audit_head(d, &seq, head), DB_OK);
        assert_int_equal(seq, 0);
        assert_true(verify(d, head, &bad)); /* the empty chain's head */
        append_n(d, 4);
        assert_int_equal(store_audit_head(d, &seq, head), DB_OK);
        assert_int_equal(seq, 4);
        append_n(d, 2);
        assert_true(verify(d, head, &bad)); /* an older head is still in the chain */
        assert_int_equal(db_exec_script(d, "DELETE FROM audit_personal; DELETE FROM audit_log WHERE seq >= 4"), DB_OK);
        assert_true(verify(d, NULL, &bad));  /* a cut tail looks whole without a head... */
        assert_false(verify(d, head, &bad)); /* ...and is caught with one */
        db_close(d);
    }
}

static void test_forget_keeps_chain(void **state)
{
    (void)state;
    const char *u[2];
    for (int k = 0, nu = urls(u); k < nu; k++) {
        db *d = fresh(u[k]);
        append_n(d, 3);
        assert_int_equal(store_audit_forget(d, "u1"), DB_OK);
        db_res *r;
        assert_int_equal(db_query(d, &r, "SELECT count(*) FROM audit_personal WHERE email IS NOT NULL", DB_NOARGS),
                         DB_OK);
        assert_int_equal(db_res_int(r, 0, 0), 0);
        db_res_free(r);
        int64_t bad;
        assert_true(verify(d, NULL, &bad));
        assert_int_equal(store_audit_list(d, "u1", "auth.login", 0, 0, 10, &r), DB_OK);
        assert_int_equal(db_res_rows(r), 1);
        assert_string_equal(db_res_text(r, 0, 3), "auth.login");
        db_res_free(r);
        db_close(d);
    }
}

/* Four processes append at once: one unbroken chain of every entry. */
static void test_concurrent_appenders(void **state)
{
    (void)state;
    const char *u[2];
    for (int k = 0, nu = urls(u); k < nu; k++) {
        db *d = fresh(u[k]);
        pid_t kids[4];
        for (int i = 0; i < 4; i++)
            if ((kids[i] = fork()) == 0) {
                char err[256];
                db *c = db_open(u[k], err, sizeof(err));
                int bad = !c;
                for (int j = 0; c && j < 25; j++) {
                    store_audit_entry e = {.action = "test.append"};
                    bad |= store_audit_append(c, &e, false) != DB_OK;
                }
                db_close(c);
                _exit(bad);
            }
        for (int i = 0; i < 4; i++) {
            int st;
            waitpid(kids[i], &st, 0);
            assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
        }
        int64_t seq, bad;
        char head[STORE_HASH_HEX];
        assert_int_equal(store_audit_head(d, &seq, head), DB_OK);
        assert_int_equal(seq, 100);
        assert_true(verify(d, head, &bad));
        db_close(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tamper),
        cmocka_unit_test(test_head_and_truncation),
        cmocka_unit_test(test_forget_keeps_chain),
        cmocka_unit_test(test_concurrent_appenders),
    };
    return testdb_run(tests, sizeof(tests) / sizeof(tests[0]));
}
