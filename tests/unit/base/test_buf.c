/* Unit tests for src/base/buf.c and src/base/time.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

static void test_buf_cap(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 8);
    assert_int_equal(buf_puts(&b, "12345"), 0);
    assert_int_equal(buf_puts(&b, "6789"), -1); /* would pass the cap: unchanged */
    assert_string_equal(b.data, "12345");
    assert_int_equal(buf_printf(&b, "%d", 678), 0);
    assert_string_equal(b.data, "12345678");
    assert_int_equal(buf_append(&b, "x", 1), -1);
    buf_release(&b);
}

/* printf output that fits the allocation, that needs it to grow, and that would pass the cap. */
static void test_buf_printf_growth(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 200);
    assert_int_equal(buf_printf(&b, "%s", "ab"), 0);
    char big[150];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(buf_printf(&b, "<%s>", big), 0); /* grows past the first 64 bytes */
    assert_int_equal(b.len, 2 + 151);
    assert_int_equal(b.data[2], '<');
    assert_int_equal(b.data[b.len - 1], '>');
    assert_int_equal(buf_printf(&b, "%s", big), -1); /* would pass 200: unchanged */
    assert_int_equal(b.len, 153);
    assert_int_equal(strlen(b.data), 153);
    assert_int_equal(buf_printf(&b, "%d", 42), 0);
    assert_string_equal(b.data + 153, "42");
    buf_release(&b);
    buf_init(&b, 10); /* the first allocation (64 bytes) is larger than max */
    assert_int_equal(buf_printf(&b, "%s", "0123456789ABCDEFGHIJ"), -1);
    assert_int_equal(b.len, 0);
    assert_int_equal(buf_printf(&b, "%s", "0123456789"), 0);
    assert_int_equal(buf_printf(&b, "%s", "x"), -1);
    assert_string_equal(b.data, "0123456789");
    buf_release(&b);
}

static void test_json_str(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"plain", "\"plain\""},
        {"q\"b\\", "\"q\\\"b\\\\\""},
        {"a\nb\tc\x01", "\"a\\nb\\tc\\u0001\""},
        {"caf\xC3\xA9", "\"caf\xC3\xA9\""},
        {"bad\xFF"
         "x",
         "\"bad\xEF\xBF\xBDx\""},
        {"\xED\xA0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""}, /* surrogate */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        buf b;
        buf_init(&b, 1024);
        assert_int_equal(buf_json_str(&b, cases[i].in), 0);
        assert_string_equal(b.data, cases[i].want);
        buf_release(&b);
    }
}

static void test_take_empty(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 10);
    char *s = buf_take(&b);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
}

static void test_rfc3339(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int ok;
        int64_t ms;
    } cases[] = {
        {"1970-01-01T00:00:00Z", 1, 0},
        {"2026-11-23T22:01:00.123Z", 1, 1795471260123},
        {"2026-11-23T23:01:00+01:00", 1, 1795471260000},
        {"2024-02-29T00:00:00Z", 1, 1709164800000},
        {"2023-02-29T00:00:00Z", 0, 0},
        {"2026-13-01T00:00:00Z", 0, 0},
        {"2026-11-23 22:01:00Z", 0, 0},
        {"2026-11-23T22:01:00", 0, 0},
        {"", 0, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t ms = -1;
        int rc = base_rfc3339_parse(cases[i].in, &ms);
        assert_int_equal(rc == 0, cases[i].ok);
        if (cases[i].ok)
            assert_true(ms == cases[i].ms);
    }
    char out[BASE_RFC3339_LEN];
    base_rfc3339(1795471260123, out);
    assert_string_equal(out, "2026-11-23T22:01:00.123Z");
}

static void test_ids(void **state)
{
    (void)state;
    char a[BASE_ID_LEN], b[BASE_ID_LEN];
    base_id_new(a);
    base_id_new(b);
    assert_int_equal(strlen(a), 22);
    assert_string_not_equal(a, b);
    unsigned char zero[4] = {0, 0, 0, 61};
    char out[4];
    base_base62(zero, 4, out, 3);
    assert_string_equal(out, "00z");
}

static void test_arena(void **state)
{
    (void)state;
    arena *a = arena_new();
    assert_non_null(a);
    for (int i = 0; i < 1000; i++) {
        char *s = arena_printf(a, "item-%d", i);
        assert_string_equal(s, arena_strdup(a, s));
    }
    unsigned char *big = arena_calloc(a, 100000);
    assert_int_equal(big[99999], 0);
    assert_true(((uintptr_t)arena_alloc(a, 3) & 15) == 0);
    arena_free(a);
    arena_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_cap),    cmocka_unit_test(test_buf_printf_growth), cmocka_unit_test(test_json_str),
        cmocka_unit_test(test_take_empty), cmocka_unit_test(test_rfc3339),           cmocka_unit_test(test_ids),
        cmocka_unit_test(test_arena),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
