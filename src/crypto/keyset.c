/* crypto/keyset: the JWT signing keys, "KID SECRET" per line; the last one signs. */
#include "crypto/crypto_int.h"

#include "base/base.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KEYSET_FILE_MAX 65536

/* Decodes a secret written as hex (even length, all hex digits) or base64url without padding. */
static int decode_secret(const char *s, unsigned char *out, size_t *len)
{
    size_t n = strlen(s), i = 0;
    while (i < n && isxdigit((unsigned char)s[i]))
        i++;
    if (i == n && n % 2 == 0)
        return sodium_hex2bin(out, CRYPTO_KEY_MAX, s, n, NULL, len, NULL);
    return sodium_base642bin(out, CRYPTO_KEY_MAX, s, n, NULL, len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* A kid goes into every token header: letters, digits, '.', '_' and '-' only. */
static bool kid_ok(const char *kid)
{
    return kid[strspn(kid, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")] == '\0';
}

static int parse_line(crypto_keyset *k, char *line, int lineno, char *err, size_t errlen)
{
    char *kid = strtok(line, " \t"), *secret = strtok(NULL, " \t"), *extra = strtok(NULL, " \t");
    if (!kid)
        return 0; /* blank */
    crypto_key *key = &k->keys[k->n];
    if (!secret || extra || strlen(kid) >= sizeof(key->kid) || !kid_ok(kid)) {
        snprintf(err, errlen, "line %d: expected 'KID SECRET' (kid: up to %zu of A-Z a-z 0-9 . _ -)", lineno,
                 sizeof(key->kid) - 1);
        return -1;
    }
    if (k->n == CRYPTO_KEYS_MAX) {
        snprintf(err, errlen, "line %d: more than %d keys", lineno, CRYPTO_KEYS_MAX);
        return -1;
    }
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->keys[i].kid, kid) == 0) {
            snprintf(err, errlen, "line %d: kid '%s' appears twice", lineno, kid);
            return -1;
        }
    if (decode_secret(secret, key->secret, &key->len) != 0 || key->len < 32) {
        snprintf(err, errlen, "line %d: the secret must be hex or base64url and at least 32 bytes", lineno);
        return -1;
    }
    snprintf(key->kid, sizeof(key->kid), "%s", kid);
    k->n++;
    return 0;
}

crypto_keyset *crypto_keyset_parse(const char *text, char *err, size_t errlen)
{
    crypto_keyset *k = calloc(1, sizeof(*k));
    char *copy = strdup(text);
    int lineno = 0;
    if (!k || !copy) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    for (char *line = copy, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        if (parse_line(k, line, lineno, err, errlen) < 0)
            goto fail;
    }
    if (k->n == 0) {
        snprintf(err, errlen, "no keys");
        goto fail;
    }
    free(copy);
    return k;
fail:
    free(copy);
    crypto_keyset_free(k);
    return NULL;
}

crypto_keyset *crypto_keyset_load(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *text = malloc(KEYSET_FILE_MAX + 1);
    size_t n = text ? fread(text, 1, KEYSET_FILE_MAX + 1, f) : 0;
    fclose(f);
    crypto_keyset *k = NULL;
    char why[200];
    if (!text)
        snprintf(err, errlen, "out of memory");
    else if (n > KEYSET_FILE_MAX)
        snprintf(err, errlen, "%s: larger than %d bytes", path, KEYSET_FILE_MAX);
    else {
        text[n] = '\0';
        if (!(k = crypto_keyset_parse(text, why, sizeof(why))))
            snprintf(err, errlen, "%s: %s", path, why);
    }
    free(text);
    return k;
}

void crypto_keyset_free(crypto_keyset *k)
{
    if (k)
        sodium_memzero(k, sizeof(*k));
    free(k);
}

int crypto_keyset_create(const char *path, char *err, size_t errlen)
{
    unsigned char secret[32];
    char kid[BASE_ID_LEN], hex[sizeof(secret) * 2 + 1], line[256];
    base_id_new(kid);
    randombytes_buf(secret, sizeof(secret));
    sodium_bin2hex(hex, sizeof(hex), secret, sizeof(secret));
    int n =
        snprintf(line, sizeof(line), "# Roadie JWT keys: KID SECRET per line; the last line signs.\n%s %s\n", kid, hex);
    sodium_memzero(secret, sizeof(secret));
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 || fchmod(fd, 0600) < 0 || write(fd, line, (size_t)n) != n || fsync(fd) < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(path);
        }
        sodium_memzero(line, sizeof(line));
        return CRYPTO_EIO;
    }
    sodium_memzero(line, sizeof(line));
    close(fd);
    return CRYPTO_OK;
}
