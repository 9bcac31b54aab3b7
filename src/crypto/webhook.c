/* crypto/webhook: Standard Webhooks signatures (https://www.standardwebhooks.com/), so that a
 * receiver's existing library verifies what Roadie sends, and Roadie verifies what others send. */
#include "crypto/crypto_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define SECRET_PREFIX "whsec_"
#define SECRET_MIN 24 /* the specification's range */
#define SECRET_MAX 64
#define TS_DIGITS_MAX 12 /* seconds until the year 33658: refuses overflow early */
#define SIG_ENTRIES_MAX 16

/* Decodes a secret ("whsec_" optional, standard base64 with or without padding). */
static int secret_decode(const char *s, unsigned char key[SECRET_MAX], size_t *len)
{
    if (strncmp(s, SECRET_PREFIX, strlen(SECRET_PREFIX)) == 0)
        s += strlen(SECRET_PREFIX);
    size_t n = strnlen(s, CRYPTO_WEBHOOK_SECRET_MAX);
    int variant = n % 4 == 0 ? sodium_base64_VARIANT_ORIGINAL : sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
    if (n == CRYPTO_WEBHOOK_SECRET_MAX || sodium_base642bin(key, SECRET_MAX, s, n, NULL, len, NULL, variant) != 0)
        return -1;
    return *len >= SECRET_MIN ? 0 : -1;
}

static bool id_valid(const char *id)
{
    size_t n = strnlen(id, CRYPTO_WEBHOOK_ID_MAX + 1);
    if (n == 0 || n > CRYPTO_WEBHOOK_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (id[i] <= ' ' || id[i] > '~')
            return false;
    return true;
}

void crypto_webhook_secret_new(char out[CRYPTO_WEBHOOK_SECRET_MAX])
{
    unsigned char key[32];
    randombytes_buf(key, sizeof(key));
    memcpy(out, SECRET_PREFIX, strlen(SECRET_PREFIX));
    sodium_bin2base64(out + strlen(SECRET_PREFIX), CRYPTO_WEBHOOK_SECRET_MAX - strlen(SECRET_PREFIX), key, sizeof(key),
                      sodium_base64_VARIANT_ORIGINAL);
    sodium_memzero(key, sizeof(key));
}

bool crypto_webhook_secret_valid(const char *secret)
{
    unsigned char key[SECRET_MAX];
    size_t len;
    bool ok = secret_decode(secret, key, &len) == 0;
    sodium_memzero(key, sizeof(key));
    return ok;
}

/* The MAC of "id.ts.body". */
static void mac_of(const unsigned char *key, size_t keylen, const char *id, int64_t ts, const void *body, size_t len,
                   unsigned char mac[32])
{
    crypto_auth_hmacsha256_state st;
    char tsbuf[32];
    int tn = snprintf(tsbuf, sizeof(tsbuf), ".%lld.", (long long)ts);
    crypto_auth_hmacsha256_init(&st, key, keylen);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)id, strlen(id));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)tsbuf, (size_t)tn);
    crypto_auth_hmacsha256_update(&st, body, len);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(&st, sizeof(st));
}

int crypto_webhook_sign(const char *secret, const char *msg_id, int64_t ts, const void *body, size_t len,
                        char out[CRYPTO_WEBHOOK_SIG_MAX])
{
    unsigned char key[SECRET_MAX], mac[32];
    size_t keylen;
    int rc = CRYPTO_EFORMAT;
    if (!id_valid(msg_id) || ts < 0 || secret_decode(secret, key, &keylen) != 0)
        goto out;
    mac_of(key, keylen, msg_id, ts, body, len, mac);
    memcpy(out, "v1,", 3);
    sodium_bin2base64(out + 3, CRYPTO_WEBHOOK_SIG_MAX - 3, mac, sizeof(mac), sodium_base64_VARIANT_ORIGINAL);
    rc = CRYPTO_OK;
out:
    sodium_memzero(key, sizeof(key));
    return rc;
}

/* Parses a webhook-timestamp: decimal digits only, no sign, no spaces. */
static int ts_parse(const char *s, int64_t *ts)
{
    size_t n = strnlen(s, TS_DIGITS_MAX + 1);
    if (n == 0 || n > TS_DIGITS_MAX)
        return -1;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *ts = v;
    return 0;
}

/* True when one "v1,<base64>" entry of the space-separated header equals mac. Every entry is
 * compared, in constant time, so timing does not tell which one matched. */
static bool header_matches(const char *h, const unsigned char mac[32], int *bad)
{
    bool found = false;
    int entries = 0;
    while (*h) {
        size_t n = strcspn(h, " ");
        unsigned char sig[33];
        size_t siglen;
        if (n > 3 && memcmp(h, "v1,", 3) == 0 && ++entries <= SIG_ENTRIES_MAX &&
            sodium_base642bin(sig, sizeof(sig), h + 3, n - 3, NULL, &siglen, NULL, sodium_base64_VARIANT_ORIGINAL) ==
                0 &&
            siglen == 32)
            found |= sodium_memcmp(sig, mac, 32) == 0;
        else if (n > 0 && (n < 3 || memcmp(h, "v1,", 3) == 0))
            *bad = 1; /* a malformed v1 entry or junk; other versions (v1a,...) are skipped */
        h += n;
        h += strspn(h, " ");
    }
    return found;
}

int crypto_webhook_verify(const char *secret, const char *msg_id, const char *timestamp, const char *sig_header,
                          const void *body, size_t len, int64_t now, int64_t tolerance_s)
{
    unsigned char key[SECRET_MAX], mac[32];
    size_t keylen;
    int64_t ts;
    int bad = 0, rc = CRYPTO_EFORMAT;
    if (!secret || !msg_id || !timestamp || !sig_header || !id_valid(msg_id) || ts_parse(timestamp, &ts) < 0 ||
        strnlen(sig_header, CRYPTO_WEBHOOK_HEADER_MAX + 1) > CRYPTO_WEBHOOK_HEADER_MAX ||
        secret_decode(secret, key, &keylen) != 0)
        goto out;
    rc = CRYPTO_EEXPIRED;
    if (ts < now - tolerance_s)
        goto out;
    rc = CRYPTO_ENBF;
    if (ts > now + tolerance_s)
        goto out;
    mac_of(key, keylen, msg_id, ts, body, len, mac);
    bool ok = header_matches(sig_header, mac, &bad);
    rc = ok ? CRYPTO_OK : bad ? CRYPTO_EFORMAT : CRYPTO_ESIG;
out:
    sodium_memzero(key, sizeof(key));
    return rc;
}
