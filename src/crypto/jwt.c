/* crypto/jwt: HS256 JSON Web Tokens (RFC 7519 / 7515 compact form), nothing else. */
#include "crypto/crypto_int.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void hmac(const crypto_key *k, const char *msg, size_t n, unsigned char mac[crypto_auth_hmacsha256_BYTES])
{
    crypto_hmac_sha256(k->secret, k->len, msg, n, mac);
}

/* Appends base64url(p, n) at out + *len. Returns -1 when it does not fit. */
static int b64_append(char *out, size_t outlen, size_t *len, const void *p, size_t n)
{
    size_t need = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if (*len + need > outlen)
        return -1;
    sodium_bin2base64(out + *len, need, p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    *len += need - 1;
    return 0;
}

int crypto_jwt_sign(const crypto_keyset *k, const crypto_claims *c, char *out, size_t outlen)
{
    const crypto_key *key = &k->keys[k->n - 1];
    json_t *h = json_pack("{s:s, s:s, s:s}", "alg", "HS256", "typ", "JWT", "kid", key->kid);
    json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "iss", c->iss, "aud", c->aud, "sub", c->sub,
                          "role", c->role, "ver", (json_int_t)c->ver, "iat", (json_int_t)c->iat, "nbf",
                          (json_int_t)c->nbf, "exp", (json_int_t)c->exp);
    char *hs = h ? json_dumps(h, JSON_COMPACT) : NULL, *ps = p ? json_dumps(p, JSON_COMPACT) : NULL;
    size_t len = 0;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    int rc = -1;
    if (!hs || !ps || b64_append(out, outlen, &len, hs, strlen(hs)) < 0 || len + 1 >= outlen)
        goto out;
    out[len++] = '.';
    if (b64_append(out, outlen, &len, ps, strlen(ps)) < 0 || len + 1 >= outlen)
        goto out;
    hmac(key, out, len, mac);
    out[len++] = '.';
    if (b64_append(out, outlen, &len, mac, sizeof(mac)) < 0)
        goto out;
    rc = (int)len;
out:
    free(hs);
    free(ps);
    json_decref(h);
    json_decref(p);
    return rc;
}

/* Decodes one base64url part (strict: no padding, no stray characters) and parses JSON. */
static json_t *part_json(const char *s, size_t n)
{
    unsigned char buf[CRYPTO_JWT_MAX];
    size_t len;
    if (sodium_base642bin(buf, sizeof(buf), s, n, NULL, &len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return NULL;
    json_t *j = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, NULL);
    if (j && !json_is_object(j)) {
        json_decref(j);
        return NULL;
    }
    return j;
}

/* Finds the key the header names, after checking that the header says exactly HS256. */
static int check_header(const crypto_keyset *k, json_t *h, const crypto_key **key)
{
    const char *alg = json_string_value(json_object_get(h, "alg"));
    const char *kid = json_string_value(json_object_get(h, "kid"));
    json_t *typ = json_object_get(h, "typ");
    if (!alg || strcmp(alg, "HS256") != 0)
        return CRYPTO_EALG;
    if (json_object_get(h, "crit") || (typ && (!json_is_string(typ) || strcmp(json_string_value(typ), "JWT") != 0)))
        return CRYPTO_EFORMAT;
    if (!kid)
        return CRYPTO_EKID;
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->keys[i].kid, kid) == 0) {
            *key = &k->keys[i];
            return CRYPTO_OK;
        }
    return CRYPTO_EKID;
}

static int copy_str(json_t *p, const char *name, char *dst, size_t n)
{
    const char *v = json_string_value(json_object_get(p, name));
    if (!v || strlen(v) >= n)
        return -1;
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

/* Times beyond the year 9999 (or before 1970) are refused: no overflow near INT64_MAX. */
#define JWT_TIME_MAX INT64_C(253402300799)

static bool time_ok(int64_t t)
{
    return t >= 0 && t <= JWT_TIME_MAX;
}

static int check_claims(json_t *p, const char *iss, const char *aud, int64_t now, crypto_claims *c)
{
    json_t *exp = json_object_get(p, "exp"), *nbf = json_object_get(p, "nbf"), *iat = json_object_get(p, "iat");
    json_t *ver = json_object_get(p, "ver");
    if (!json_is_integer(exp) || !json_is_integer(iat) || (nbf && !json_is_integer(nbf)) || !json_is_integer(ver) ||
        copy_str(p, "sub", c->sub, sizeof(c->sub)) < 0 || copy_str(p, "role", c->role, sizeof(c->role)) < 0)
        return CRYPTO_EFORMAT;
    if (copy_str(p, "iss", c->iss, sizeof(c->iss)) < 0 || strcmp(c->iss, iss) != 0)
        return CRYPTO_EISS;
    if (copy_str(p, "aud", c->aud, sizeof(c->aud)) < 0 || strcmp(c->aud, aud) != 0)
        return CRYPTO_EAUD;
    c->exp = json_integer_value(exp);
    c->iat = json_integer_value(iat);
    c->nbf = nbf ? json_integer_value(nbf) : c->iat;
    c->ver = json_integer_value(ver);
    if (!time_ok(c->exp) || !time_ok(c->iat) || !time_ok(c->nbf))
        return CRYPTO_EFORMAT;
    if (now >= c->exp + CRYPTO_JWT_LEEWAY_S)
        return CRYPTO_EEXPIRED;
    if (now + CRYPTO_JWT_LEEWAY_S < c->nbf || now + CRYPTO_JWT_LEEWAY_S < c->iat)
        return CRYPTO_ENBF;
    return CRYPTO_OK;
}

int crypto_jwt_verify(const crypto_keyset *k, const char *token, const char *iss, const char *aud, int64_t now,
                      crypto_claims *out)
{
    size_t n = strnlen(token, CRYPTO_JWT_MAX + 1);
    const char *d1 = memchr(token, '.', n), *d2 = d1 ? memchr(d1 + 1, '.', n - (size_t)(d1 + 1 - token)) : NULL;
    if (n > CRYPTO_JWT_MAX || !d2 || memchr(d2 + 1, '.', n - (size_t)(d2 + 1 - token)))
        return CRYPTO_EFORMAT;
    json_t *h = part_json(token, (size_t)(d1 - token)), *p = NULL;
    const crypto_key *key = NULL;
    unsigned char sig[64], mac[crypto_auth_hmacsha256_BYTES];
    size_t siglen;
    int rc = CRYPTO_EFORMAT;
    if (!h || (rc = check_header(k, h, &key)) != CRYPTO_OK)
        goto out;
    rc = CRYPTO_ESIG;
    if (sodium_base642bin(sig, sizeof(sig), d2 + 1, n - (size_t)(d2 + 1 - token), NULL, &siglen, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        siglen != sizeof(mac))
        goto out;
    hmac(key, token, (size_t)(d2 - token), mac);
    if (sodium_memcmp(sig, mac, sizeof(mac)) != 0)
        goto out;
    rc = CRYPTO_EFORMAT;
    if ((p = part_json(d1 + 1, (size_t)(d2 - d1 - 1))))
        rc = check_claims(p, iss, aud, now, out);
out:
    json_decref(h);
    json_decref(p);
    return rc;
}
