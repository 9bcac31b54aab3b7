/* Unit tests for src/store users, tokens, artists, members and keys, on SQLite and (when
 * ROADIE_TEST_PG_URL is set) PostgreSQL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testdb.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

static db *fresh(const char *url)
{
    char err[256];
    db *d = db_open(url, err, sizeof(err));
    if (!d)
        fail_msg("%s", err);
    assert_int_equal(db_migrate(d, -1, NULL), DB_OK);
    assert_int_equal(db_exec_script(d, "DELETE FROM api_keys; DELETE FROM artist_members; DELETE FROM artists;"
                                       " DELETE FROM refresh_tokens; DELETE FROM users"),
                     DB_OK);
    return d;
}

static void add_user(db *d, const char *id, const char *email)
{
    store_user u = {0};
    snprintf(u.id, sizeof(u.id), "%s", id);
    snprintf(u.email, sizeof(u.email), "%s", email);
    snprintf(u.password_hash, sizeof(u.password_hash), "hash");
    snprintf(u.role, sizeof(u.role), "user");
    assert_int_equal(store_user_insert(d, &u), DB_OK);
}

static void test_users(void **state)
{
    (void)state;
    const char *u[2];
    for (int k = 0, n = urls(u); k < n; k++) {
        db *d = fresh(u[k]);
        add_user(d, "u1", "a@example.com");
        store_user x = {0};
        snprintf(x.id, sizeof(x.id), "u2");
        snprintf(x.email, sizeof(x.email), "a@example.com");
        snprintf(x.password_hash, sizeof(x.password_hash), "h");
        snprintf(x.role, sizeof(x.role), "user");
        assert_int_equal(store_user_insert(d, &x), DB_ECONSTRAINT); /* email taken */
        snprintf(x.role, sizeof(x.role), "root");
        snprintf(x.email, sizeof(x.email), "b@example.com");
        assert_int_equal(store_user_insert(d, &x), DB_ECONSTRAINT); /* role checked */
        bool found;
        store_user got;
        assert_int_equal(store_user_by_email(d, "a@example.com", &got, &found), DB_OK);
        assert_true(found);
        assert_string_equal(got.id, "u1");
        got.token_version++;
        snprintf(got.role, sizeof(got.role), "admin");
        assert_int_equal(store_user_update(d, &got), DB_OK);
        assert_int_equal(store_user_get(d, "u1", &got, &found), DB_OK);
        assert_int_equal(got.token_version, 1);
        assert_string_equal(got.role, "admin");
        assert_int_equal(store_user_get(d, "nope", &got, &found), DB_OK);
        assert_false(found);
        db_close(d);
    }
}

/* One row per failed attempt: (time, locked after it). 5 failures in 15 minutes lock. */
static void test_lockout(void **state)
{
    (void)state;
    static const struct {
        int64_t t;
        bool locks;
    } steps[] = {
        {0, false},       {1000, false},    {2000, false},    {3000, false},
        {4000, true},                                                           /* 5th within the window */
        {5000, false},    {6000, false},    {7000, false},    {2000000, false}, /* window passed: count restarts */
        {2001000, false}, {2002000, false}, {2003000, false}, {2004000, true},
    };
    const char *u[2];
    for (int k = 0, n = urls(u); k < n; k++) {
        db *d = fresh(u[k]);
        add_user(d, "u1", "a@example.com");
        for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
            bool locked;
            assert_int_equal(store_user_login_failed(d, "u1", 1000000000 + steps[i].t, 900000, 5, 900000, &locked),
                             DB_OK);
            if (locked != steps[i].locks)
                fail_msg("step %zu: locked=%d", i, locked);
        }
        bool found;
        store_user got;
        store_user_get(d, "u1", &got, &found);
        assert_int_equal(got.locked_until, 1000000000 + 2004000 + 900000);
        db_close(d);
    }
}

static void test_refresh(void **state)
{
    (void)state;
    const char *u[2];
    for (int k = 0, n = urls(u); k < n; k++) {
        db *d = fresh(u[k]);
        add_user(d, "u1", "a@example.com");
        assert_int_equal(store_refresh_insert(d, "h1", "f1", "u1", 99), DB_OK);
        assert_int_equal(store_refresh_insert(d, "h2", "f1", "u1", 99), DB_OK);
        bool won, found;
        assert_int_equal(store_refresh_use(d, "h1", &won), DB_OK);
        assert_true(won);
        assert_int_equal(store_refresh_use(d, "h1", &won), DB_OK);
        assert_false(won); /* reuse */
        store_refresh t;
        assert_int_equal(store_refresh_get(d, "h1", &t, &found), DB_OK);
        assert_true(found && t.used && !t.revoked);
        assert_string_equal(t.family_id, "f1");
        assert_int_equal(store_refresh_revoke_family(d, "f1"), DB_OK);
        assert_int_equal(store_refresh_get(d, "h2", &t, &found), DB_OK);
        assert_true(found && !t.used && t.revoked);
        db_close(d);
    }
}

static void test_artists_members_keys(void **state)
{
    (void)state;
    const char *u[2];
    for (int k = 0, n = urls(u); k < n; k++) {
        db *d = fresh(u[k]);
        add_user(d, "u1", "a@example.com");
        add_user(d, "u2", "b@example.com");
        assert_int_equal(store_artist_create(d, "a1", "Band", NULL, "u1"), DB_OK);
        assert_int_equal(store_artist_create(d, "a2", "Duo", NULL, "u1"), DB_OK);
        assert_int_equal(store_member_add(d, "a2", "u2", "owner"), DB_OK);
        assert_int_equal(store_member_add(d, "a2", "u2", "viewer"), DB_ECONSTRAINT);
        assert_int_equal(store_member_add(d, "a1", "u2", "boss"), DB_ECONSTRAINT);
        char role[8];
        assert_int_equal(store_member_role(d, "a2", "u2", role), DB_OK);
        assert_string_equal(role, "owner");
        assert_int_equal(store_member_role(d, "a1", "u2", role), DB_OK);
        assert_string_equal(role, "");
        int64_t owners;
        assert_int_equal(store_member_owner_count(d, "a2", &owners), DB_OK);
        assert_int_equal(owners, 2);
        assert_int_equal(store_key_insert(d, "k1", "a1", "ci", "rk_abc", "kh", "read,write", "u1"), DB_OK);
        db_res *r;
        assert_int_equal(store_key_find(d, "kh", &r), DB_OK);
        assert_int_equal(db_res_rows(r), 1);
        assert_string_equal(db_res_text(r, 0, 1), "a1");
        db_res_free(r);
        assert_int_equal(store_key_revoke(d, "a2", "k1"), DB_OK); /* another artist's key: no change */
        assert_int_equal(db_changes(d), 0);
        assert_int_equal(store_key_revoke(d, "a1", "k1"), DB_OK);
        assert_int_equal(store_key_find(d, "kh", &r), DB_OK);
        assert_int_equal(db_res_rows(r), 0);
        db_res_free(r);
        /* erasing u1: a1 (sole owner) goes, a2 (co-owned) stays */
        assert_int_equal(store_artist_delete_sole_owned(d, "u1"), DB_OK);
        assert_int_equal(store_user_delete(d, "u1"), DB_OK);
        assert_int_equal(store_artist_list_for(d, "u2", &r), DB_OK);
        assert_int_equal(db_res_rows(r), 1);
        assert_string_equal(db_res_text(r, 0, 0), "a2");
        db_res_free(r);
        assert_int_equal(store_artist_get(d, "a1", &r), DB_OK);
        assert_int_equal(db_res_rows(r), 0);
        db_res_free(r);
        db_close(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_users),
        cmocka_unit_test(test_lockout),
        cmocka_unit_test(test_refresh),
        cmocka_unit_test(test_artists_members_keys),
    };
    return testdb_run(tests, sizeof(tests) / sizeof(tests[0]));
}
