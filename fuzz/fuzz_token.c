/* libFuzzer target for every parser of outside input in src/crypto. The first byte picks one:
 *   0  the rest is a bearer token (crypto_jwt_verify, and the opaque-token shape checks);
 *   1  the rest is "HEADER\nPAYLOAD" JSON, signed here with the known key before verifying, so
 *      the fuzzer reaches the header and claim checks behind the signature;
 *   2  the rest is a key-set file (crypto_keyset_parse);
 *   3  the rest is "ID\nTIMESTAMP\nSIGNATURES\nBODY" for crypto_webhook_verify;
 *   4  the rest is a sealed value (crypto_unseal).
 * The committed corpus (fuzz/corpus/fuzz_token/) has a seed for each. */
#include "crypto/crypto.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define KEY_HEX "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define NOW 1800000000
#define WH_SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

static crypto_keyset *keys;
static crypto_sealkey seal_key;

static void verify(const char *token)
{
    crypto_claims c;
    char pub[CRYPTO_TOKEN_MAX];
    crypto_jwt_verify(keys, token, "roadie", "roadie-api", NOW, &c);
    if (crypto_token_valid("rk_", token))
        crypto_token_public(token, pub);
}

/* Signs "HEADER\nPAYLOAD" with the key set's key (kid k1) and verifies the result. */
static void signed_parts(const char *s)
{
    const char *nl = strchr(s, '\n');
    if (!nl || strlen(s) > CRYPTO_JWT_MAX)
        return;
    size_t hn = (size_t)(nl - s), pn = strlen(nl + 1), len;
    char tok[CRYPTO_JWT_MAX * 2 + 64];
    unsigned char key[32], mac[32];
    sodium_bin2base64(tok, sizeof(tok), (const unsigned char *)s, hn, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    len = strlen(tok);
    tok[len++] = '.';
    sodium_bin2base64(tok + len, sizeof(tok) - len, (const unsigned char *)nl + 1, pn,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    len += strlen(tok + len);
    sodium_hex2bin(key, sizeof(key), KEY_HEX, strlen(KEY_HEX), NULL, NULL, NULL);
    crypto_auth_hmacsha256(mac, (const unsigned char *)tok, len, key);
    tok[len++] = '.';
    sodium_bin2base64(tok + len, sizeof(tok) - len, mac, sizeof(mac), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    verify(tok);
}

/* Splits s at its first three newlines into the webhook headers and body. */
static void webhook(char *s, size_t size)
{
    char *f[3];
    for (int i = 0; i < 3; i++) {
        char *nl = memchr(s, '\n', size);
        if (!nl)
            return;
        *nl = '\0';
        f[i] = s;
        size -= (size_t)(nl + 1 - s);
        s = nl + 1;
    }
    crypto_webhook_verify(WH_SECRET, f[0], f[1], f[2], s, size, NOW, CRYPTO_WEBHOOK_TOLERANCE_S);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[200];
    if (!keys) {
        crypto_init();
        keys = crypto_keyset_parse("k1 " KEY_HEX "\n", err, sizeof(err));
        crypto_sealkey_init(&seal_key, KEY_HEX);
    }
    if (size < 1)
        return 0;
    char *s = malloc(size);
    if (!s)
        return 0;
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    unsigned char *plain;
    size_t plen;
    switch (data[0] % 5) {
    case 0:
        verify(s);
        break;
    case 1:
        signed_parts(s);
        break;
    case 2:
        crypto_keyset_free(crypto_keyset_parse(s, err, sizeof(err)));
        break;
    case 3:
        webhook(s, size - 1);
        break;
    default:
        if (crypto_unseal(&seal_key, s, &plain, &plen) == CRYPTO_OK)
            free(plain);
        break;
    }
    free(s);
    return 0;
}
