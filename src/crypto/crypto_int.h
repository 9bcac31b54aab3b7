/* crypto internals shared by the key set and the JWT code. */
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

#endif
