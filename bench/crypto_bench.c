/*
 * crypto_bench: the crypto module's costs (bench/crypto.sh builds and runs it):
 *   argon2id   one crypto_pw_hash and one crypto_pw_verify at Roadie's parameters (OWASP:
 *              19 MiB, t=2), median of 7, against libsodium's own "interactive" preset
 *              (64 MiB, t=2) hashed in the same run
 *   jwt        crypto_jwt_verify of a 15-minute access token, against one bare HMAC-SHA256
 *              over the same signing input (what is left is base64 and JSON)
 *   webhook    crypto_webhook_sign of a 1 KiB body, against bare HMAC-SHA256 of the body
 *   crypto_bench
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/crypto.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define RUNS 7

static double median(double *v)
{
    qsort(v, RUNS, sizeof(v[0]), cmp);
    return v[RUNS / 2];
}

static void bench_argon2id(void)
{
    static const char pw[] = "correct horse battery staple";
    char h[CRYPTO_PW_HASH_MAX], ref[crypto_pwhash_STRBYTES];
    double th[RUNS], tv[RUNS], tr[RUNS];
    for (int i = 0; i < RUNS; i++) {
        double t0 = now_ms();
        if (crypto_pw_hash(pw, h) != CRYPTO_OK)
            exit(1);
        double t1 = now_ms();
        if (!crypto_pw_verify(h, pw))
            exit(1);
        double t2 = now_ms();
        if (crypto_pwhash_str(ref, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
            exit(1);
        double t3 = now_ms();
        th[i] = t1 - t0, tv[i] = t2 - t1, tr[i] = t3 - t2;
    }
    double mh = median(th), mv = median(tv), mr = median(tr);
    printf("argon2id (m=19 MiB, t=2): hash %.1f ms, verify %.1f ms (median of %d)\n", mh, mv, RUNS);
    printf("reference libsodium interactive (m=64 MiB, t=2): %.1f ms; ratio %.2fx\n", mr, mh / mr);
}

static void bench_jwt(void)
{
    char err[200], tok[1024];
    crypto_keyset *k =
        crypto_keyset_parse("k1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", err, sizeof(err));
    crypto_claims c = {.iss = "roadie", .aud = "roadie-api", .sub = "01HZX3Q9ABCDEF", .role = "user", .ver = 1};
    c.iat = c.nbf = 1800000000, c.exp = c.iat + 900;
    if (!k || crypto_jwt_sign(k, &c, tok, sizeof(tok)) < 0)
        exit(1);
    enum { N = 200000 };
    unsigned char key[32] = {0}, mac[32];
    size_t input = (size_t)(strrchr(tok, '.') - tok);
    double t0 = now_ms();
    for (int i = 0; i < N; i++)
        if (crypto_jwt_verify(k, tok, "roadie", "roadie-api", 1800000000, &c) != CRYPTO_OK)
            exit(1);
    double t1 = now_ms();
    for (int i = 0; i < N; i++)
        crypto_auth_hmacsha256(mac, (const unsigned char *)tok + (i & 1), input, key);
    double t2 = now_ms();
    double us = (t1 - t0) * 1e3 / N, ref = (t2 - t1) * 1e3 / N;
    printf("jwt verify (%zu-byte token): %.2f us; reference HMAC-SHA256 of the signing input: %.2f us; "
           "ratio %.1fx\n",
           strlen(tok), us, ref, us / ref);
    crypto_keyset_free(k);
}

static void bench_webhook(void)
{
    char secret[CRYPTO_WEBHOOK_SECRET_MAX], sig[CRYPTO_WEBHOOK_SIG_MAX], body[1024];
    unsigned char key[32] = {0}, mac[32];
    memset(body, 'x', sizeof(body));
    crypto_webhook_secret_new(secret);
    enum { N = 200000 };
    double t0 = now_ms();
    for (int i = 0; i < N; i++)
        if (crypto_webhook_sign(secret, "evt_01HZX3Q9", 1800000000 + i, body, sizeof(body), sig) != CRYPTO_OK)
            exit(1);
    double t1 = now_ms();
    for (int i = 0; i < N; i++)
        crypto_auth_hmacsha256(mac, (const unsigned char *)body, sizeof(body) - (size_t)(i & 1), key);
    double t2 = now_ms();
    double us = (t1 - t0) * 1e3 / N, ref = (t2 - t1) * 1e3 / N;
    printf("webhook sign (1 KiB body): %.2f us; reference HMAC-SHA256 of the body: %.2f us; ratio %.2fx\n", us, ref,
           us / ref);
}

int main(void)
{
    if (crypto_init() < 0)
        return 1;
    bench_argon2id();
    bench_jwt();
    bench_webhook();
    return 0;
}
