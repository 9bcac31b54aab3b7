/* crypto/password: argon2id hashes and the password policy. */
#include "crypto/crypto.h"

#include <sodium.h>
#include <string.h>

static char dummy_hash[crypto_pwhash_STRBYTES];

int crypto_init(void)
{
    if (sodium_init() < 0)
        return -1;
    /* Hashed once, so that verifying an unknown user costs what a real one does. */
    static const char dummy_pw[] = "roadie dummy password for unknown users";
    if (!dummy_hash[0] &&
        crypto_pwhash_str(dummy_hash, dummy_pw, sizeof(dummy_pw) - 1, CRYPTO_PW_OPSLIMIT, CRYPTO_PW_MEMLIMIT) != 0)
        return -1;
    return 0;
}

int crypto_pw_hash(const char *pw, char out[CRYPTO_PW_HASH_MAX])
{
    _Static_assert(crypto_pwhash_STRBYTES <= CRYPTO_PW_HASH_MAX, "hash buffer");
    if (crypto_pwhash_str(out, pw, strlen(pw), CRYPTO_PW_OPSLIMIT, CRYPTO_PW_MEMLIMIT) != 0)
        return CRYPTO_ENOMEM;
    return CRYPTO_OK;
}

bool crypto_pw_verify(const char *hash, const char *pw)
{
    if (!hash || !*hash) {
        if (crypto_pwhash_str_verify(dummy_hash, pw, strlen(pw)) == 0)
            return false; /* the dummy password itself: still no user */
        return false;
    }
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

bool crypto_pw_needs_rehash(const char *hash)
{
    return !hash || crypto_pwhash_argon2id_str_needs_rehash(hash, CRYPTO_PW_OPSLIMIT, CRYPTO_PW_MEMLIMIT) != 0;
}

/* Code points in s, or -1 when s is not valid UTF-8 (overlongs and surrogates included). */
static long utf8_len(const char *s)
{
    long n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p, need, min;
        if (c < 0x80) {
            p++;
            n++;
            continue;
        }
        if ((c & 0xe0) == 0xc0)
            need = 1, min = 0x80, c &= 0x1f;
        else if ((c & 0xf0) == 0xe0)
            need = 2, min = 0x800, c &= 0x0f;
        else if ((c & 0xf8) == 0xf0)
            need = 3, min = 0x10000, c &= 0x07;
        else
            return -1;
        p++;
        for (unsigned i = 0; i < need; i++, p++) {
            if ((*p & 0xc0) != 0x80)
                return -1;
            c = (c << 6) | (*p & 0x3f);
        }
        if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
            return -1;
        n++;
    }
    return n;
}

const char *crypto_pw_policy(const char *pw, const crypto_pwlist *common)
{
    long n = utf8_len(pw);
    if (n < 0)
        return "the password is not valid UTF-8";
    if (n < CRYPTO_PW_MIN)
        return "the password must have at least 12 characters";
    if (n > CRYPTO_PW_MAX)
        return "the password must have at most 128 characters";
    if (common && crypto_pwlist_has(common, pw))
        return "the password is on a list of commonly used passwords";
    return NULL;
}
