/* Unit tests for src/crypto/jwt.c and keyset.c: known answers, attacks, rotation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
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

/* RFC 7515 appendix A.1: the HS256 example's signature, computed with its key. */
static void test_rfc7515(void **state)
{
    (void)state;
    crypto_keyset *k = keys(K2);
    static const char input[] = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
                                "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb"
                                "290Ijp0cnVlfQ";
    static const char sig[] = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    unsigned char mac[32];
    char out[64], tok[512];
    size_t len = 0;
    hmac(&k->keys[0], input, strlen(input), mac);
    assert_int_equal(b64_append(out, sizeof(out), &len, mac, sizeof(mac)), 0);
    assert_string_equal(out, sig);
    /* The whole example token is still refused: its header names no kid, and its iss/aud are
     * not ours. Roadie accepts only tokens it issued itself. */
    snprintf(tok, sizeof(tok), "%s.%s", input, sig);
    crypto_claims c;
    assert_int_equal(crypto_jwt_verify(k, tok, "joe", "", 1300819380, &c), CRYPTO_EKID);
    crypto_keyset_free(k);
}

/* RFC 4231 section 4: HMAC-SHA-256 test cases 1-4, 6, 7 (5 is about truncation). */
static void test_rfc4231(void **state)
{
    (void)state;
    static const struct {
        unsigned char key_byte; /* key: key_len bytes of key_byte, or 0x01..0x19 when 0 */
        size_t key_len;
        const char *data; /* text, or data_len bytes of data_byte when NULL */
        unsigned char data_byte;
        size_t data_len;
        const char *want;
    } cases[] = {
        {0x0b, 20, "Hi There", 0, 0, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
        {'J', 4, "what do ya want for nothing?", 0, 0,
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
        {0xaa, 20, NULL, 0xdd, 50, "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
        {0, 25, NULL, 0xcd, 50, "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
        {0xaa, 131, "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0,
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
        {0xaa, 131,
         "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be "
         "hashed before being used by the HMAC algorithm.",
         0, 0, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        unsigned char key[131], data[64], mac[32];
        char hex[65];
        for (size_t j = 0; j < cases[i].key_len; j++)
            key[j] = cases[i].key_byte ? cases[i].key_byte : (unsigned char)(j + 1);
        if (cases[i].key_byte == 'J')
            memcpy(key, "Jefe", 4);
        const void *msg = cases[i].data;
        size_t n = cases[i].data ? strlen(cases[i].data) : cases[i].data_len;
        if (!cases[i].data) {
            memset(data, cases[i].data_byte, n);
            msg = data;
        }
        crypto_hmac_sha256(key, cases[i].key_len, msg, n, mac);
        sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
        if (strcmp(hex, cases[i].want) != 0)
            fail_msg("case %zu: %s", i, hex);
    }
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
        {"exp near INT64_MAX", "{\"alg\":\"HS256\",\"kid\":\"k1\"}",
         "{\"iss\":\"roadie\",\"aud\":\"roadie-api\",\"sub\":\"u\",\"role\":\"user\",\"ver\":1,\"iat\":1800000000,"
         "\"exp\":9223372036854775807}",
         NULL, CRYPTO_EFORMAT},
        {"negative iat", "{\"alg\":\"HS256\",\"kid\":\"k1\"}",
         "{\"iss\":\"roadie\",\"aud\":\"roadie-api\",\"sub\":\"u\",\"role\":\"user\",\"ver\":1,\"iat\":-5,"
         "\"exp\":1800000900}",
         NULL, CRYPTO_EFORMAT},
        {"iat in the future", "{\"alg\":\"HS256\",\"kid\":\"k1\"}",
         "{\"iss\":\"roadie\",\"aud\":\"roadie-api\",\"sub\":\"u\",\"role\":\"user\",\"ver\":1,\"iat\":1800000031,"
         "\"exp\":1800000900}",
         NULL, CRYPTO_ENBF},
        {"expired within leeway", "{\"alg\":\"HS256\",\"kid\":\"k1\"}",
         "{\"iss\":\"roadie\",\"aud\":\"roadie-api\",\"sub\":\"u\",\"role\":\"user\",\"ver\":1,\"iat\":1,"
         "\"exp\":1799999971}",
         NULL, CRYPTO_OK},
        {"aud as array", "{\"alg\":\"HS256\",\"kid\":\"k1\"}",
         "{\"iss\":\"roadie\",\"aud\":[\"roadie-api\"],\"sub\":\"u\",\"role\":\"user\",\"ver\":1,\"iat\":1800000000,"
         "\"exp\":1800000900}",
         NULL, CRYPTO_EAUD},
        {"typ not JWT", "{\"alg\":\"HS256\",\"typ\":\"at+jwt+x\",\"kid\":\"k1\"}", GOOD_P, NULL, CRYPTO_EFORMAT},
        {"payload not JSON", "{\"alg\":\"HS256\",\"kid\":\"k1\"}", "not json", NULL, CRYPTO_EFORMAT},
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

/* The size cap is exact: the longest good token under it verifies, anything over is refused. */
static void test_size_cap(void **state)
{
    (void)state;
    crypto_keyset *k = keys(K1);
    crypto_claims c;
    static char pad[CRYPTO_JWT_MAX], payload[CRYPTO_JWT_MAX + 256], tok[2 * CRYPTO_JWT_MAX];
    bool under = false, over = false;
    for (size_t n = 2800; n < 3100 && !(under && over); n++) {
        memset(pad, 'p', n);
        pad[n] = '\0';
        snprintf(payload, sizeof(payload), "{\"pad\":\"%s\",%s", pad, GOOD_P + 1);
        forge(&k->keys[0], "{\"alg\":\"HS256\",\"kid\":\"k1\"}", payload, NULL, tok, sizeof(tok));
        int rc = crypto_jwt_verify(k, tok, "roadie", "roadie-api", NOW, &c);
        if (strlen(tok) <= CRYPTO_JWT_MAX) {
            assert_int_equal(rc, CRYPTO_OK);
            under |= strlen(tok) > CRYPTO_JWT_MAX - 4;
        } else {
            assert_int_equal(rc, CRYPTO_EFORMAT);
            over = true;
        }
    }
    assert_true(under && over);
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
        {"k\"1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", false}, /* kid charset */
        {"k\xc3\xa9 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", false},
        {"2026-01.k_1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", true},
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
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600); /* fchmod: whatever the umask */
    crypto_keyset *k = crypto_keyset_load(path, err, sizeof(err));
    assert_non_null(k);
    assert_int_equal(k->n, 1);
    assert_int_equal(k->keys[0].len, 32);
    /* the generated key signs tokens that verify */
    crypto_claims c = claims(), got;
    char tok[1024];
    assert_true(crypto_jwt_sign(k, &c, tok, sizeof(tok)) > 0);
    assert_int_equal(crypto_jwt_verify(k, tok, "roadie", "roadie-api", NOW, &got), CRYPTO_OK);
    crypto_keyset_free(k);
    unlink(path);
    assert_int_equal(crypto_keyset_create("/nonexistent-dir/keys", err, sizeof(err)), CRYPTO_EIO);
}

int main(void)
{
    if (crypto_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc7515),       cmocka_unit_test(test_rfc4231),
        cmocka_unit_test(test_forged_tokens), cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_size_cap),      cmocka_unit_test(test_roundtrip_and_rotation),
        cmocka_unit_test(test_keyset_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
