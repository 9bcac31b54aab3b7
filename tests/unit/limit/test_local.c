/* Unit tests for the token bucket (src/limit/bucket.c, src/limit/local.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "limit/limit.h"

/* One row per request against one bucket: 100/min with burst 20 (the default class). */
static void test_timeline(void **state)
{
    (void)state;
    limit_store *s = limit_store_new_local();
    limit_rule r = {.count = 100, .period_ms = 60000, .burst = 20};
    for (int i = 0; i < 20; i++) {
        limit_result res = limit_take(s, "default:user:a", &r, 1000);
        assert_true(res.allowed);
        assert_int_equal(res.remaining, 19 - i);
        assert_int_equal(res.limit, 20);
    }
    limit_result no = limit_take(s, "default:user:a", &r, 1000);
    assert_false(no.allowed);
    assert_int_equal(no.remaining, 0);
    assert_int_equal(no.retry_after_s, 1); /* one token per 0.6 s */
    assert_int_equal(no.reset_s, 12);      /* 20 tokens x 0.6 s */
    /* another key is independent */
    assert_true(limit_take(s, "default:user:b", &r, 1000).allowed);
    /* 0.6 s later exactly one more token */
    assert_true(limit_take(s, "default:user:a", &r, 1600).allowed);
    assert_false(limit_take(s, "default:user:a", &r, 1600).allowed);
    /* a clock going backwards does not add tokens */
    assert_false(limit_take(s, "default:user:a", &r, 500).allowed);
    /* long idle: full again, never above burst */
    limit_result full = limit_take(s, "default:user:a", &r, 10000000);
    assert_true(full.allowed);
    assert_int_equal(full.remaining, 19);
    limit_store_free(s);
    limit_store_free(NULL);
}

static void test_auth_class(void **state)
{
    (void)state;
    limit_store *s = limit_store_new_local();
    limit_rule r = {.count = 10, .period_ms = 300000, .burst = 10};
    for (int i = 0; i < 10; i++)
        assert_true(limit_take(s, "auth:ip:203.0.113.9", &r, 0).allowed);
    limit_result no = limit_take(s, "auth:ip:203.0.113.9", &r, 0);
    assert_false(no.allowed);
    assert_int_equal(no.retry_after_s, 30);
    limit_store_free(s);
}

static void test_many_keys(void **state)
{
    (void)state;
    limit_store *s = limit_store_new_local();
    limit_rule r = {.count = 1, .period_ms = 1000, .burst = 1};
    char key[32];
    for (int i = 0; i < 200000; i++) { /* more than the table holds: idle buckets are swept */
        snprintf(key, sizeof(key), "k%d", i);
        assert_true(limit_take(s, key, &r, (int64_t)i * 10).allowed);
    }
    limit_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timeline),
        cmocka_unit_test(test_auth_class),
        cmocka_unit_test(test_many_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
