/* crypto/seal: values Roadie keeps encrypted and reads back (XSalsa20-Poly1305 secret box). */
#include "crypto/crypto.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define SEAL_TAG "sb1."
#define SEAL_TAG_LEN 4
#define SEAL_HEAD (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
#define SEAL_TEXT_MAX                                                                                                  \
    (SEAL_TAG_LEN + sodium_base64_ENCODED_LEN(SEAL_HEAD + CRYPTO_SEAL_MAX, sodium_base64_VARIANT_URLSAFE_NO_PADDING))

_Static_assert(CRYPTO_SEAL_KEYBYTES == crypto_secretbox_KEYBYTES, "key size");

int crypto_sealkey_init(crypto_sealkey *key, const char *text)
{
    size_t n = strnlen(text, 2 * CRYPTO_SEAL_KEYBYTES + 1), len = 0;
    int rc = -1;
    if (n == 2 * CRYPTO_SEAL_KEYBYTES)
        rc = sodium_hex2bin(key->k, sizeof(key->k), text, n, NULL, &len, NULL);
    else if (n == sodium_base64_ENCODED_LEN(CRYPTO_SEAL_KEYBYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING) - 1)
        rc = sodium_base642bin(key->k, sizeof(key->k), text, n, NULL, &len, NULL,
                               sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if (rc != 0 || len != CRYPTO_SEAL_KEYBYTES) {
        sodium_memzero(key, sizeof(*key));
        return CRYPTO_EFORMAT;
    }
    return CRYPTO_OK;
}

void crypto_sealkey_new_hex(char out[2 * CRYPTO_SEAL_KEYBYTES + 1])
{
    unsigned char k[CRYPTO_SEAL_KEYBYTES];
    randombytes_buf(k, sizeof(k));
    sodium_bin2hex(out, 2 * CRYPTO_SEAL_KEYBYTES + 1, k, sizeof(k));
    sodium_memzero(k, sizeof(k));
}

void crypto_sealkey_release(crypto_sealkey *key)
{
    sodium_memzero(key, sizeof(*key));
}

char *crypto_seal(const crypto_sealkey *key, const void *msg, size_t len)
{
    if (len > CRYPTO_SEAL_MAX)
        return NULL;
    unsigned char *box = malloc(SEAL_HEAD + len);
    size_t tn = sodium_base64_ENCODED_LEN(SEAL_HEAD + len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *text = box ? malloc(SEAL_TAG_LEN + tn) : NULL;
    if (!text)
        goto out;
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, msg, len, box, key->k);
    memcpy(text, SEAL_TAG, SEAL_TAG_LEN);
    sodium_bin2base64(text + SEAL_TAG_LEN, tn, box, SEAL_HEAD + len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
out:
    free(box);
    return text;
}

int crypto_unseal(const crypto_sealkey *key, const char *sealed, unsigned char **out, size_t *outlen)
{
    size_t n = strnlen(sealed, SEAL_TEXT_MAX), len;
    unsigned char *box = NULL, *plain = NULL;
    int rc = CRYPTO_EFORMAT;
    *out = NULL;
    *outlen = 0;
    if (n < SEAL_TAG_LEN || n == SEAL_TEXT_MAX || memcmp(sealed, SEAL_TAG, SEAL_TAG_LEN) != 0)
        goto out;
    rc = CRYPTO_ENOMEM;
    if (!(box = malloc(n)))
        goto out;
    rc = CRYPTO_EFORMAT;
    if (sodium_base642bin(box, n, sealed + SEAL_TAG_LEN, n - SEAL_TAG_LEN, NULL, &len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        len < SEAL_HEAD)
        goto out;
    rc = CRYPTO_ENOMEM;
    if (!(plain = malloc(len - SEAL_HEAD + 1)))
        goto out;
    rc = CRYPTO_ESIG;
    if (crypto_secretbox_open_easy(plain, box + crypto_secretbox_NONCEBYTES, len - crypto_secretbox_NONCEBYTES, box,
                                   key->k) != 0)
        goto out;
    plain[len - SEAL_HEAD] = '\0';
    *out = plain;
    *outlen = len - SEAL_HEAD;
    plain = NULL;
    rc = CRYPTO_OK;
out:
    free(box);
    free(plain);
    return rc;
}
