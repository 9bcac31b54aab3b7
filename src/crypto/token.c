/* crypto/token: opaque random tokens and their stored hashes, HMAC-SHA256; error messages. */
#include "crypto/crypto_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

void crypto_token_new(const char *prefix, char out[CRYPTO_TOKEN_MAX])
{
    unsigned char r[32];
    size_t n = strlen(prefix);
    randombytes_buf(r, sizeof(r));
    snprintf(out, CRYPTO_TOKEN_MAX, "%s", prefix);
    sodium_bin2base64(out + n, CRYPTO_TOKEN_MAX - n, r, sizeof(r), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(r, sizeof(r));
}

void crypto_sha256_hex(const char *s, char out[CRYPTO_SHA256_HEX])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
    sodium_bin2hex(out, CRYPTO_SHA256_HEX, h, sizeof(h));
}

bool crypto_token_valid(const char *prefix, const char *token)
{
    size_t n = strlen(prefix);
    unsigned char r[33];
    size_t len;
    if (strncmp(token, prefix, n) != 0 || strnlen(token + n, 44) != 43)
        return false;
    /* strict decoding also refuses a last character whose unused bits are set */
    return sodium_base642bin(r, sizeof(r), token + n, 43, NULL, &len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) ==
               0 &&
           len == 32;
}

void crypto_token_public(const char *token, char out[CRYPTO_TOKEN_MAX])
{
    const char *us = strchr(token, '_');
    size_t keep = us ? (size_t)(us + 1 - token) + CRYPTO_TOKEN_SHOWN : CRYPTO_TOKEN_SHOWN;
    snprintf(out, CRYPTO_TOKEN_MAX, "%.*s", (int)(keep < CRYPTO_TOKEN_MAX ? keep : CRYPTO_TOKEN_MAX - 1), token);
}

void crypto_hmac_sha256(const unsigned char *key, size_t keylen, const void *msg, size_t n, unsigned char mac[32])
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, keylen);
    crypto_auth_hmacsha256_update(&st, msg, n);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(&st, sizeof(st));
}

const char *crypto_strerror(int err)
{
    switch (err) {
    case CRYPTO_OK:
        return "ok";
    case CRYPTO_ENOMEM:
        return "out of memory";
    case CRYPTO_EFORMAT:
        return "malformed token";
    case CRYPTO_EALG:
        return "token algorithm not accepted";
    case CRYPTO_EKID:
        return "unknown signing key";
    case CRYPTO_ESIG:
        return "bad token signature";
    case CRYPTO_EEXPIRED:
        return "token expired";
    case CRYPTO_ENBF:
        return "token not yet valid";
    case CRYPTO_EISS:
        return "wrong token issuer";
    case CRYPTO_EAUD:
        return "wrong token audience";
    case CRYPTO_EIO:
        return "file error";
    case CRYPTO_ETOOBIG:
        return "input too large";
    default:
        return "unknown error";
    }
}
