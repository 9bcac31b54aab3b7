/* crypto internals shared by the key set, JWT and webhook code. */
#ifndef ROADIE_CRYPTO_INT_H
#define ROADIE_CRYPTO_INT_H

#include "crypto/crypto.h"

#define CRYPTO_KEYS_MAX 16
#define CRYPTO_KEY_MAX 128 /* bytes of one secret */

typedef struct crypto_key {
    char kid[32];
    unsigned char secret[CRYPTO_KEY_MAX];
    size_t len;
} crypto_key;

struct crypto_keyset {
    crypto_key keys[CRYPTO_KEYS_MAX];
    size_t n; /* keys[n - 1] signs */
};

/* HMAC-SHA256 of msg under a key of any length (RFC 2104; longer keys are hashed first). */
void crypto_hmac_sha256(const unsigned char *key, size_t keylen, const void *msg, size_t n, unsigned char mac[32]);

#endif
