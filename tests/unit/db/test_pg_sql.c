/* Unit tests for the pg driver's `?` to `$n` rewrite (src/db/pg.c); no server needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "db/pg.c"

/* One row per SQL text: what the server must receive, and how many parameters it has. */
static void test_rewrite(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
        size_t count;
    } cases[] = {
        {"SELECT 1", "SELECT 1", 0},
        {"SELECT ?, ?", "SELECT $1, $2", 2},
        {"SELECT '?', ?", "SELECT '?', $1", 1},
        {"SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1},
        {"SELECT \"a?\" FROM t WHERE x = ?", "SELECT \"a?\" FROM t WHERE x = $1", 1},
        {"SELECT E'\\'?', ?", "SELECT E'\\'?', $1", 1},
        {"SELECT e'a\\\\', ?", "SELECT e'a\\\\', $1", 1},
        {"SELECT date'x', ?", "SELECT date'x', $1", 1}, /* 'e' of date does not start E'' */
        {"SELECT 'a\\', ?", "SELECT 'a\\', $1", 1},     /* standard strings keep backslashes */
        {"SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2", 2},
        {"SELECT ? -- trailing?", "SELECT $1 -- trailing?", 1},
        {"SELECT /* a? /* b? */ c? */ ?", "SELECT /* a? /* b? */ c? */ $1", 1},
        {"SELECT $$ ? $$, ?", "SELECT $$ ? $$, $1", 1},
        {"SELECT $t$ ? $$ ? $t$, ?", "SELECT $t$ ? $$ ? $t$, $1", 1},
        {"SELECT a$b$, ?", "SELECT a$b$, $1", 1}, /* $ inside an identifier */
        {"SELECT '?", "SELECT '?", 0},            /* unterminated: copied, never read past */
        {"SELECT $x$ ?", "SELECT $x$ ?", 0},
        {"SELECT /* ?", "SELECT /* ?", 0},
        {"SELECT ?::text", "SELECT $1::text", 1},
        {"", "", 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t count = 99;
        char *out = rewrite(cases[i].in, &count);
        assert_non_null(out);
        assert_string_equal(out, cases[i].out);
        assert_int_equal(count, cases[i].count);
        free(out);
    }
}

/* Thousands of placeholders: counting stops past the limit, the buffer is never overrun. */
static void test_rewrite_many(void **state)
{
    (void)state;
    for (size_t n = PG_MAX_PARAMS - 1; n <= 20000; n = n * 3 + 1) {
        char *in = malloc(n + 1);
        assert_non_null(in);
        memset(in, '?', n);
        in[n] = '\0';
        size_t count;
        char *out = rewrite(in, &count);
        assert_non_null(out);
        assert_int_equal(count, n <= PG_MAX_PARAMS ? n : PG_MAX_PARAMS + 1);
        free(out);
        free(in);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rewrite),
        cmocka_unit_test(test_rewrite_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
