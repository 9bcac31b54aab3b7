/* crypto/token: opaque random tokens and their stored hashes; error messages. */
#include "crypto/crypto.h"

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
    default:
        return "unknown error";
    }
}
