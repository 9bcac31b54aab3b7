/* libFuzzer target: arbitrary bytes as a bearer token (JWT verification) and as a key-set file. */
#include "crypto/crypto.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static crypto_keyset *keys;
    char err[200];
    if (!keys) {
        crypto_init();
        keys = crypto_keyset_parse("k1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", err,
                                   sizeof(err));
    }
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    crypto_claims c;
    crypto_jwt_verify(keys, s, "roadie", "roadie-api", 1800000000, &c);
    crypto_keyset_free(crypto_keyset_parse(s, err, sizeof(err)));
    free(s);
    return 0;
}
