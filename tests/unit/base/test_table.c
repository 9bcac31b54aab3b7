/* Unit tests for src/base/table.c: lookups (hits, misses, prefixes, the first of equal keys),
 * the walk in file order, and files it refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"

/* Makes a new file from the template path ("...XXXXXX") holding text. */
static void temp_file(char *path, const char *text)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_lookups(void **state)
{
    (void)state;
    char path[] = "/tmp/roadie-table-XXXXXX";
    /* no newline at the end; "ab" is a prefix of "abc"; "dup" twice; "bare" has no value */
    temp_file(path, "ab\t1\nabc\t22\nbare\ndup\tfirst\ndup\tsecond\nlast\tend");
    char err[256];
    base_table *t = base_table_open(path, err, sizeof(err));
    assert_non_null(t);
    static const struct {
        const char *key, *want; /* want NULL: no such key */
    } cases[] = {
        {"ab", "1"},    {"abc", "22"}, {"bare", ""}, {"dup", "first"}, {"last", "end"}, {"a", NULL},
        {"abcd", NULL}, {"", NULL},    {"ba", NULL}, {"Ab", NULL},     {"1", NULL},     {"end", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t vlen = 99;
        const char *v = base_table_get(t, cases[i].key, strlen(cases[i].key), &vlen);
        if (!cases[i].want) {
            if (v)
                fail_msg("'%s': found '%.*s'", cases[i].key, (int)vlen, v);
            continue;
        }
        if (!v || vlen != strlen(cases[i].want) || memcmp(v, cases[i].want, vlen) != 0)
            fail_msg("'%s': want '%s', got '%.*s'", cases[i].key, cases[i].want, v ? (int)vlen : 0, v ? v : "");
    }
    /* the walk gives every line in order, duplicates included */
    static const char *const keys[] = {"ab", "abc", "bare", "dup", "dup", "last"};
    size_t pos = 0, k = 0, klen, vlen;
    const char *key, *val;
    while (base_table_next(t, &pos, &key, &klen, &val, &vlen)) {
        assert_true(k < 6);
        assert_int_equal(klen, strlen(keys[k]));
        assert_memory_equal(key, keys[k], klen);
        k++;
    }
    assert_int_equal(k, 6);
    assert_true(base_table_size(t) > 0);
    base_table_free(t);
    unlink(path);
}

/* Many keys: every one is found with its own value, and near misses are not. */
static void test_many_keys(void **state)
{
    (void)state;
    buf text;
    buf_init(&text, SIZE_MAX);
    for (int i = 0; i < 20000; i++)
        assert_int_equal(buf_printf(&text, "key%d\t%d\n", i, i * 7), 0);
    char path[] = "/tmp/roadie-table-XXXXXX";
    temp_file(path, text.data);
    buf_release(&text);
    char err[256];
    base_table *t = base_table_open(path, err, sizeof(err));
    assert_non_null(t);
    for (int i = 0; i < 20000; i++) {
        char key[32];
        int n = snprintf(key, sizeof(key), "key%d", i);
        size_t vlen;
        const char *v = base_table_get(t, key, (size_t)n, &vlen);
        assert_non_null(v);
        assert_int_equal(strtol(v, NULL, 10), i * 7);
        n = snprintf(key, sizeof(key), "key%dx", i);
        assert_null(base_table_get(t, key, (size_t)n, NULL));
    }
    base_table_free(t);
    unlink(path);
}

static void test_refused(void **state)
{
    (void)state;
    char err[256] = "";
    assert_null(base_table_open("/nonexistent/roadie-table", err, sizeof(err)));
    assert_non_null(strstr(err, "/nonexistent/roadie-table"));
    char path[] = "/tmp/roadie-table-XXXXXX";
    temp_file(path, "");
    assert_null(base_table_open(path, err, sizeof(err)));
    assert_non_null(strstr(err, "empty"));
    unlink(path);
    base_table_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookups),
        cmocka_unit_test(test_many_keys),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
