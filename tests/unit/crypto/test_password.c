/* Unit tests for src/crypto/password.c, pwlist.c and token.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/crypto.h"

static void test_hash_verify(void **state)
{
    (void)state;
    char h[CRYPTO_PW_HASH_MAX];
    assert_int_equal(crypto_pw_hash("correct horse battery staple", h), CRYPTO_OK);
    assert_non_null(strstr(h, "$argon2id$"));
    assert_non_null(strstr(h, "m=19456,t=2")); /* OWASP: 19 MiB, 2 passes */
    assert_true(crypto_pw_verify(h, "correct horse battery staple"));
    assert_false(crypto_pw_verify(h, "correct horse battery stapl"));
    assert_false(crypto_pw_verify(NULL, "anything at all here"));
    assert_false(crypto_pw_verify("", "anything at all here"));
    assert_false(crypto_pw_verify("$argon2id$garbage", "anything at all here"));
    assert_false(crypto_pw_needs_rehash(h));
    /* older or weaker parameters, another algorithm, garbage: re-hash on the next login */
    static const char *const stale[] = {
        "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
        "$argon2id$v=19$m=19456,t=1,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
        "$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
        "$2y$10$abcdefghijklmnopqrstuv",
        "",
    };
    for (size_t i = 0; i < sizeof(stale) / sizeof(stale[0]); i++)
        if (!crypto_pw_needs_rehash(stale[i]))
            fail_msg("'%s' does not need a rehash", stale[i]);
    assert_true(crypto_pw_needs_rehash(NULL));
}

static void test_policy(void **state)
{
    (void)state;
    char path[] = "/tmp/roadie-pw-XXXXXX";
    int fd = mkstemp(path);
    static const char list[] = "aaaaaaaaaaaa\npassword1234\nqwertyuiopasdf\n"; /* sorted, lower case */
    assert_int_equal(write(fd, list, sizeof(list) - 1), (ssize_t)(sizeof(list) - 1));
    close(fd);
    char err[200];
    crypto_pwlist *l = crypto_pwlist_open(path, err, sizeof(err));
    assert_non_null(l);
    static const struct {
        const char *pw;
        const char *why; /* a piece of the reason, NULL when accepted */
    } cases[] = {
        {"short", "at least 12"},
        {"elevenchars", "at least 12"},
        {"twelve chars", NULL},
        {"PassWord1234", "commonly used"},
        {"password1234", "commonly used"},
        {"aaaaaaaaaaaa", "commonly used"},
        {"qwertyuiopasdf", "commonly used"},
        {"qwertyuiopasdg", NULL},
        {"ñandú ñandú ñ", NULL},       /* 13 code points, more bytes */
        {"ñandúñandú", "at least 12"}, /* 10 code points, 14 bytes */
        {"bad \xff utf-8 here", "UTF-8"},
        {"overlong \xc0\xaf slash!", "UTF-8"},
        {"surrogate \xed\xa0\x80 here", "UTF-8"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *why = crypto_pw_policy(cases[i].pw, l);
        if (!cases[i].why ? why != NULL : !why || !strstr(why, cases[i].why))
            fail_msg("'%s': got '%s'", cases[i].pw, why ? why : "accepted");
    }
    char long_pw[140];
    memset(long_pw, 'x', 129);
    long_pw[129] = '\0';
    assert_non_null(strstr(crypto_pw_policy(long_pw, l), "at most 128"));
    long_pw[128] = '\0';
    assert_null(crypto_pw_policy(long_pw, l));
    crypto_pwlist_free(l);
    unlink(path);
    assert_null(crypto_pwlist_open("/nonexistent/list", err, sizeof(err)));
}

/* The list the build makes from the npm package holds well-known long passwords. */
static void test_built_list(void **state)
{
    (void)state;
    char err[200];
    crypto_pwlist *l = crypto_pwlist_open("build/share/common-passwords.txt", err, sizeof(err));
    if (!l)
        fail_msg("%s", err);
    assert_true(crypto_pwlist_has(l, "1q2w3e4r5t6y"));
    assert_true(crypto_pwlist_has(l, "Q1W2E3R4T5Y6"));
    assert_false(crypto_pwlist_has(l, "roadie unit test passphrase"));
    crypto_pwlist_free(l);
}

static void test_tokens(void **state)
{
    (void)state;
    char a[CRYPTO_TOKEN_MAX], b[CRYPTO_TOKEN_MAX], h[CRYPTO_SHA256_HEX];
    crypto_token_new("rk_", a);
    crypto_token_new("rk_", b);
    assert_int_equal(strlen(a), 3 + 43);
    assert_memory_equal(a, "rk_", 3);
    assert_string_not_equal(a, b);
    crypto_sha256_hex("abc", h);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    char pub[CRYPTO_TOKEN_MAX];
    crypto_token_public(a, pub);
    assert_int_equal(strlen(pub), 3 + CRYPTO_TOKEN_SHOWN);
    assert_memory_equal(pub, a, strlen(pub));
    crypto_token_public("short", pub);
    assert_string_equal(pub, "short");
}

static void test_token_shape(void **state)
{
    (void)state;
    char t[CRYPTO_TOKEN_MAX];
    crypto_token_new("rt_", t);
    assert_true(crypto_token_valid("rt_", t));
    assert_false(crypto_token_valid("rk_", t)); /* a refresh token is not an API key */
    static const struct {
        const char *token;
        bool ok;
    } cases[] = {
        {"rk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", true},
        {"rk_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_w", true},
        {"rk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB", false},  /* unused bits set */
        {"rk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", false},   /* 42 characters */
        {"rk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", false}, /* 44 characters */
        {"rk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", false},
        {"rk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+/A", false},
        {"rk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA A", false},
        {"RK_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", false},
        {"", false},
        {"rk_", false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (crypto_token_valid("rk_", cases[i].token) != cases[i].ok)
            fail_msg("'%s'", cases[i].token);
}

int main(void)
{
    if (crypto_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_verify), cmocka_unit_test(test_policy),      cmocka_unit_test(test_built_list),
        cmocka_unit_test(test_tokens),      cmocka_unit_test(test_token_shape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
