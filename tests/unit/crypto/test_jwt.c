/* Unit tests for src/crypto/jwt.c and keyset.c: known answers, attacks, rotation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "crypto/jwt.c" /* for hmac() and b64_append() */

#define K1 "k1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
#define K2 "k2 AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow\n"
#define NOW 1800000000

static crypto_keyset *keys(const char *text)
{
    char err[200];
    crypto_keyset *k = crypto_keyset_parse(text, err, sizeof(err));
    if (!k)
        fail_msg("%s", err);
    return k;
}

static crypto_claims claims(void)
{
    crypto_claims c = {.iss = "roadie", .aud = "roadie-api", .sub = "user1", .role = "user", .ver = 3};
    c.iat = c.nbf = NOW;
    c.exp = NOW + 900;
    return c;
}

/* RFC 7515 appendix A.1: the HS256 example's signature, and RFC 4231 case 2. */
static void test_known_answers(void **state)
{
    (void)state;
    crypto_keyset *k = keys(K2);
    static const char input[] = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
                                "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb"
                                "290Ijp0cnVlfQ";
    unsigned char mac[32];
    char out[64];
    size_t len = 0;
    hmac(&k->keys[0], input, strlen(input), mac);
    assert_int_equal(b64_append(out, sizeof(out), &len, mac, sizeof(mac)), 0);
    assert_string_equal(out, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    crypto_key jefe = {.kid = "j", .len = 4};
    memcpy(jefe.secret, "Jefe", 4);
    static const char data[] = "what do ya want for nothing?";
    char hex[65];
    hmac(&jefe, data, strlen(data), mac);
    sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
    assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    crypto_keyset_free(k);
}

/* Builds header.payload.signature from raw JSON, signed with key (or with sig if given). */
static void forge(const crypto_key *key, const char *header, const char *payload, const char *sig, char *out,
                  size_t outlen)
{
    size_t len = 0;
    unsigned char mac[32];
    assert_int_equal(b64_append(out, outlen, &len, header, strlen(header)), 0);
    out[len++] = '.';
    assert_int_equal(b64_append(out, outlen, &len, payload, strlen(payload)), 0);
    hmac(key, out, len, mac);
    out[len++] = '.';
    if (sig)
        snprintf(out + len, outlen - len, "%s", sig);
    else
        assert_int_equal(b64_append(out, outlen, &len, mac, sizeof(mac)), 0);
}

#define GOOD_P                                                                                                         \
    "{\"iss\":\"roadie\",\"aud\":\"roadie-api\",\"sub\":\"u\",\"role\":\"user\",\"ver\":1,\"iat\":1800000000,\"exp\":" \
    "1800000900}"

static void test_forged_tokens(void **state)
{
    (void)state;
    static const struct {
        const char *name, *header, *payload, *sig;
        int want;
    } cases[] = {
        {"good", "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}", GOOD_P, NULL, CRYPTO_OK},
        {"alg none", "{\"alg\":\"none\",\"kid\":\"k1\"}", GOOD_P, "", CRYPTO_EALG},
        {"alg None", "{\"alg\":\"None\",\"kid\":\"k1\"}", GOOD_P, NULL, CRYPTO_EALG},
        {"alg HS512", "{\"alg\":\"HS512\",\"kid\":\"k1\"}", GOOD_P, NULL, CRYPTO_EALG},
        {"alg RS256", "{\"alg\":\"RS256\",\"kid\":\"k1\"}", GOOD_P, NULL, CRYPTO_EALG},
        {"alg ES256", "{\"alg\":\"ES256\",\"kid\":\"k1\"}", GOOD_P, NULL, CRYPTO_EALG},
        {"alg unknown", "{\"alg\":\"XY999\",\"kid\":\"k1\"}", GOOD_P, NULL, CRYPTO_EALG},
        {"alg missing", "{\"kid\":\"k1\"}", GOOD_P, NULL, CRYPTO_EALG},
        {"alg number", "{\"alg\":256,\"kid\":\"k1\"}", GOOD_P, NULL, CRYPTO_EALG},
        {"alg twice", "{\"alg\":\"HS256\",\"alg\":\"none\",\"kid\":\"k1\"}", GOOD_P, NULL, CRYPTO_EFORMAT},
        {"crit", "{\"alg\":\"HS256\",\"kid\":\"k1\",\"crit\":[\"x\"]}", GOOD_P, NULL, CRYPTO_EFORMAT},
        {"kid unknown", "{\"alg\":\"HS256\",\"kid\":\"k9\"}", GOOD_P, NULL, CRYPTO_EKID},
        {"kid missing", "{\"alg\":\"HS256\"}", GOOD_P, NULL, CRYPTO_EKID},
        {"header not object", "[1]", GOOD_P, NULL, CRYPTO_EFORMAT},
        {"bad signature", "{\"alg\":\"HS256\",\"kid\":\"k1\"}", GOOD_P, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
         CRYPTO_ESIG},
        {"short signature", "{\"alg\":\"HS256\",\"kid\":\"k1\"}", GOOD_P, "AAAA", CRYPTO_ESIG},
        {"expired", "{\"alg\":\"HS256\",\"kid\":\"k1\"}",
         "{\"iss\":\"roadie\",\"aud\":\"roadie-api\",\"sub\":\"u\",\"role\":\"user\",\"ver\":1,\"iat\":1,\"exp\":"
         "1799999960}",
         NULL, CRYPTO_EEXPIRED},
        {"not yet valid", "{\"alg\":\"HS256\",\"kid\":\"k1\"}",
         "{\"iss\":\"roadie\",\"aud\":\"roadie-api\",\"sub\":\"u\",\"role\":\"user\",\"ver\":1,\"iat\":1800000000,"
         "\"nbf\":1800000100,\"exp\":1800000900}",
         NULL, CRYPTO_ENBF},
        {"wrong audience", "{\"alg\":\"HS256\",\"kid\":\"k1\"}",
         "{\"iss\":\"roadie\",\"aud\":\"other\",\"sub\":\"u\",\"role\":\"user\",\"ver\":1,\"iat\":1800000000,"
         "\"exp\":1800000900}",
         NULL, CRYPTO_EAUD},
        {"wrong issuer", "{\"alg\":\"HS256\",\"kid\":\"k1\"}",
         "{\"iss\":\"evil\",\"aud\":\"roadie-api\",\"sub\":\"u\",\"role\":\"user\",\"ver\":1,\"iat\":1800000000,"
         "\"exp\":1800000900}",
         NULL, CRYPTO_EISS},
        {"exp as string", "{\"alg\":\"HS256\",\"kid\":\"k1\"}",
         "{\"iss\":\"roadie\",\"aud\":\"roadie-api\",\"sub\":\"u\",\"role\":\"user\",\"ver\":1,\"iat\":1800000000,"
         "\"exp\":\"1800000900\"}",
         NULL, CRYPTO_EFORMAT},
        {"no sub", "{\"alg\":\"HS256\",\"kid\":\"k1\"}",
         "{\"iss\":\"roadie\",\"aud\":\"roadie-api\",\"role\":\"user\",\"ver\":1,\"iat\":1800000000,\"exp\":"
         "1800000900}",
         NULL, CRYPTO_EFORMAT},
    };
    crypto_keyset *k = keys(K1);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char tok[2048];
        crypto_claims c;
        forge(&k->keys[0], cases[i].header, cases[i].payload, cases[i].sig, tok, sizeof(tok));
        int rc = crypto_jwt_verify(k, tok, "roadie", "roadie-api", NOW, &c);
        if (rc != cases[i].want)
            fail_msg("%s: got %d (%s), want %d", cases[i].name, rc, crypto_strerror(rc), cases[i].want);
    }
    crypto_keyset_free(k);
}

static void test_malformed(void **state)
{
    (void)state;
    crypto_keyset *k = keys(K1);
    crypto_claims c = claims(), got;
    char good[1024];
    assert_true(crypto_jwt_sign(k, &c, good, sizeof(good)) > 0);
    char big[CRYPTO_JWT_MAX + 100];
    memset(big, 'A', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    big[10] = big[20] = '.';
    const char *bad[] = {"", ".", "..", "...", "a.b", "a.b.c.d", big, "e30.e30.", "e30=.e30.AAAA", "e3+.e30.AAAA"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = crypto_jwt_verify(k, bad[i], "roadie", "roadie-api", NOW, &got);
        assert_true(rc != CRYPTO_OK);
    }
    /* every single-character change of a good token is refused */
    size_t n = strlen(good);
    for (size_t i = 0; i < n; i++) {
        char t[1024];
        memcpy(t, good, n + 1);
        if (t[i] == '.')
            continue;
        t[i] = t[i] == 'A' ? 'B' : 'A';
        int rc = crypto_jwt_verify(k, t, "roadie", "roadie-api", NOW, &got);
        /* the last character of a base64 part may carry unused bits, which strict decoding refuses */
        if (rc == CRYPTO_OK)
            fail_msg("changed byte %zu still verifies", i);
    }
    crypto_keyset_free(k);
}

static void test_roundtrip_and_rotation(void **state)
{
    (void)state;
    crypto_keyset *old = keys(K1), *both = keys(K1 "# rotated in\n" K2), *only_new = keys(K2);
    crypto_claims c = claims(), got;
    char t1[1024], t2[1024];
    assert_true(crypto_jwt_sign(old, &c, t1, sizeof(t1)) > 0);
    assert_true(crypto_jwt_sign(both, &c, t2, sizeof(t2)) > 0);
    assert_int_equal(crypto_jwt_verify(old, t1, "roadie", "roadie-api", NOW, &got), CRYPTO_OK);
    assert_string_equal(got.sub, "user1");
    assert_int_equal(got.ver, 3);
    assert_int_equal(got.exp, NOW + 900);
    assert_int_equal(crypto_jwt_verify(both, t1, "roadie", "roadie-api", NOW, &got), CRYPTO_OK); /* old still ok */
    assert_int_equal(crypto_jwt_verify(both, t2, "roadie", "roadie-api", NOW, &got), CRYPTO_OK);
    assert_int_equal(crypto_jwt_verify(old, t2, "roadie", "roadie-api", NOW, &got), CRYPTO_EKID); /* new key signs */
    assert_int_equal(crypto_jwt_verify(only_new, t1, "roadie", "roadie-api", NOW, &got), CRYPTO_EKID);
    assert_int_equal(crypto_jwt_sign(old, &c, t1, 20), -1); /* too small */
    crypto_keyset_free(old);
    crypto_keyset_free(both);
    crypto_keyset_free(only_new);
}

static void test_keyset_parse(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool ok;
    } cases[] = {
        {K1, true},
        {"# comment only\n\n", false},
        {"k1 00112233\n", false},                                                         /* too short */
        {"k1\n", false},                                                                  /* no secret */
        {K1 K1, false},                                                                   /* kid twice */
        {"k1 !!0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", false}, /* not hex, not b64 */
        {"k1 AAAA AAAA\n", false},
        {"  k1   000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f   # trailing comment\n", true},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char err[200];
        crypto_keyset *k = crypto_keyset_parse(cases[i].text, err, sizeof(err));
        if ((k != NULL) != cases[i].ok)
            fail_msg("case %zu: %s", i, k ? "accepted" : err);
        crypto_keyset_free(k);
    }
    char path[] = "/tmp/roadie-keys-XXXXXX", err[200];
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    assert_int_equal(crypto_keyset_create(path, err, sizeof(err)), CRYPTO_OK);
    assert_int_equal(crypto_keyset_create(path, err, sizeof(err)), CRYPTO_EIO); /* never overwrites */
    crypto_keyset *k = crypto_keyset_load(path, err, sizeof(err));
    assert_non_null(k);
    crypto_keyset_free(k);
    unlink(path);
}

int main(void)
{
    if (crypto_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers), cmocka_unit_test(test_forged_tokens),
        cmocka_unit_test(test_malformed),     cmocka_unit_test(test_roundtrip_and_rotation),
        cmocka_unit_test(test_keyset_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
