/* Unit tests for src/crypto/seal.c: round trips, keys, tampering, malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

#define KEY_HEX "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define KEY_B64 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8" /* the same 32 bytes */

static void test_keys(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int want;
    } cases[] = {
        {KEY_HEX, CRYPTO_OK},
        {KEY_B64, CRYPTO_OK},
        {"", CRYPTO_EFORMAT},
        {"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e", CRYPTO_EFORMAT},     /* 31 bytes */
        {"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20", CRYPTO_EFORMAT}, /* 33 bytes */
        {"zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", CRYPTO_EFORMAT},   /* not hex */
        {"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", CRYPTO_EFORMAT},                       /* padding */
        {"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9", CRYPTO_EFORMAT},                        /* unused bits set */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        crypto_sealkey k;
        if (crypto_sealkey_init(&k, cases[i].text) != cases[i].want)
            fail_msg("case %zu ('%s')", i, cases[i].text);
        crypto_sealkey_release(&k);
    }
    crypto_sealkey a, b;
    assert_int_equal(crypto_sealkey_init(&a, KEY_HEX), CRYPTO_OK);
    assert_int_equal(crypto_sealkey_init(&b, KEY_B64), CRYPTO_OK);
    assert_memory_equal(a.k, b.k, sizeof(a.k));
    char hex[2 * CRYPTO_SEAL_KEYBYTES + 1];
    crypto_sealkey_new_hex(hex);
    assert_int_equal(strlen(hex), 64);
    assert_int_equal(crypto_sealkey_init(&a, hex), CRYPTO_OK);
    assert_memory_not_equal(a.k, b.k, sizeof(a.k));
}

static void test_roundtrip(void **state)
{
    (void)state;
    crypto_sealkey k;
    assert_int_equal(crypto_sealkey_init(&k, KEY_HEX), CRYPTO_OK);
    static const char *const msgs[] = {"", "x", "spotify refresh token AQB3...", "\xff\xfe binary"};
    for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
        char *s1 = crypto_seal(&k, msgs[i], strlen(msgs[i])), *s2 = crypto_seal(&k, msgs[i], strlen(msgs[i]));
        unsigned char *plain;
        size_t len;
        assert_non_null(s1);
        assert_memory_equal(s1, "sb1.", 4);
        assert_string_not_equal(s1, s2); /* a fresh nonce every time */
        assert_int_equal(crypto_unseal(&k, s1, &plain, &len), CRYPTO_OK);
        assert_int_equal(len, strlen(msgs[i]));
        assert_string_equal((char *)plain, msgs[i]);
        free(plain);
        free(s1);
        free(s2);
    }
    /* the largest value, and one byte more */
    unsigned char *big = calloc(1, CRYPTO_SEAL_MAX + 1), *plain;
    size_t len;
    char *s = crypto_seal(&k, big, CRYPTO_SEAL_MAX);
    assert_non_null(s);
    assert_int_equal(crypto_unseal(&k, s, &plain, &len), CRYPTO_OK);
    assert_int_equal(len, CRYPTO_SEAL_MAX);
    free(plain);
    free(s);
    assert_null(crypto_seal(&k, big, CRYPTO_SEAL_MAX + 1));
    free(big);
}

static void test_tamper(void **state)
{
    (void)state;
    crypto_sealkey k, other;
    assert_int_equal(crypto_sealkey_init(&k, KEY_HEX), CRYPTO_OK);
    crypto_sealkey_init(&other, "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100");
    char *s = crypto_seal(&k, "secret value", 12);
    unsigned char *plain = (unsigned char *)"untouched";
    size_t len;
    assert_int_equal(crypto_unseal(&other, s, &plain, &len), CRYPTO_ESIG);
    assert_null(plain);
    /* every change of one character is refused: base64 rejects some, the tag the rest */
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++) {
        char saved = s[i];
        s[i] = saved == 'A' ? 'B' : 'A';
        int rc = crypto_unseal(&k, s, &plain, &len);
        if (rc == CRYPTO_OK)
            fail_msg("changed character %zu still opens", i);
        s[i] = saved;
    }
    static const char *const bad[] = {
        "", "sb1.", "sb1.AAAA", "sb2.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "sb1.!!!!", "plain text"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(crypto_unseal(&k, bad[i], &plain, &len), CRYPTO_EFORMAT);
    s[n - 1] = '\0'; /* truncated */
    assert_int_not_equal(crypto_unseal(&k, s, &plain, &len), CRYPTO_OK);
    free(s);
}

int main(void)
{
    if (crypto_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_tamper),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
