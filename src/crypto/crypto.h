/*
 * crypto: passwords, access tokens and opaque secrets, all on libsodium.
 *
 * - Passwords: argon2id (crypto_pwhash_str) at OWASP's recommended minimum, 19 MiB of memory
 *   and 2 passes; a policy check (12-128 code points, not on a common-password list).
 * - Access tokens: JWS compact serialisation, HS256 only (HMAC-SHA256). Only Roadie issues and
 *   verifies them, so a shared secret is enough and the whole algorithm-confusion family of
 *   attacks (alg=none, RS256 public key used as an HMAC key, ...) is closed by refusing every
 *   header that does not say exactly HS256. Keys come from a key set (kid + secret per line):
 *   the newest signs, all verify, so keys rotate without logging anyone out.
 * - Opaque tokens (refresh tokens, API keys): 32 random bytes, stored only as SHA-256.
 *
 * Call crypto_init() once before anything else. Every other function is thread-safe.
 */
#ifndef ROADIE_CRYPTO_H
#define ROADIE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum crypto_err {
    CRYPTO_OK = 0,
    CRYPTO_ENOMEM = -1,
    CRYPTO_EFORMAT = -2,  /* not a well-formed token / file */
    CRYPTO_EALG = -3,     /* the header names an algorithm other than HS256 */
    CRYPTO_EKID = -4,     /* no key with that kid */
    CRYPTO_ESIG = -5,     /* the signature does not match */
    CRYPTO_EEXPIRED = -6, /* exp is in the past */
    CRYPTO_ENBF = -7,     /* nbf is in the future */
    CRYPTO_EISS = -8,     /* wrong issuer */
    CRYPTO_EAUD = -9,     /* wrong audience */
    CRYPTO_EIO = -10,     /* a file could not be read or written */
} crypto_err;

/* Initialises libsodium. Returns 0 or -1. */
int crypto_init(void);
/* A stable message for an error code. */
const char *crypto_strerror(int err);

/* ---- passwords ---------------------------------------------------------------------- */

#define CRYPTO_PW_OPSLIMIT 2                   /* OWASP: argon2id, t=2 */
#define CRYPTO_PW_MEMLIMIT (19u * 1024 * 1024) /* OWASP: m=19 MiB */
#define CRYPTO_PW_MIN 12                       /* code points */
#define CRYPTO_PW_MAX 128
#define CRYPTO_PW_HASH_MAX 128 /* room for an encoded hash, NUL included */

/* Hashes pw into out. Returns 0 or CRYPTO_ENOMEM. Slow on purpose (tens of ms). */
int crypto_pw_hash(const char *pw, char out[CRYPTO_PW_HASH_MAX]);
/* True when pw matches hash. A NULL hash verifies against a dummy, so that an unknown user
 * costs as much time as a known one, and returns false. */
bool crypto_pw_verify(const char *hash, const char *pw);
/* True when hash was made with other parameters than today's (or is not an argon2id hash we
 * can read): the caller should re-hash the password it has just verified and store that. */
bool crypto_pw_needs_rehash(const char *hash);

typedef struct crypto_pwlist crypto_pwlist;
/* Opens a common-password list: a sorted file, one lower-case password per line (built by
 * scripts/common-passwords.sh). NULL with a message in err. */
crypto_pwlist *crypto_pwlist_open(const char *path, char *err, size_t errlen);
void crypto_pwlist_free(crypto_pwlist *l);
/* True when pw, lower-cased, is on the list. */
bool crypto_pwlist_has(const crypto_pwlist *l, const char *pw);
/* Checks the password policy. Returns NULL when pw is acceptable, else why not (a static
 * string for the 422 response). common may be NULL to skip that check. */
const char *crypto_pw_policy(const char *pw, const crypto_pwlist *common);

/* ---- JWT (HS256) ------------------------------------------------------------------- */

#define CRYPTO_JWT_MAX 4096 /* longer tokens are refused unread */
#define CRYPTO_JWT_LEEWAY_S 30

typedef struct crypto_keyset crypto_keyset;
/* Parses a key set: one "KID SECRET" per line (SECRET as base64url without padding or hex,
 * at least 32 bytes), '#' comments and blank lines ignored, at most 16 keys, kids unique.
 * The last key signs. NULL with a message in err. */
crypto_keyset *crypto_keyset_parse(const char *text, char *err, size_t errlen);
crypto_keyset *crypto_keyset_load(const char *path, char *err, size_t errlen);
void crypto_keyset_free(crypto_keyset *k);
/* Creates a new key-set file at path with one fresh key, mode 0600, failing when the file
 * exists (dev mode calls it when there is none). Returns 0 or CRYPTO_EIO with err set. */
int crypto_keyset_create(const char *path, char *err, size_t errlen);

typedef struct crypto_claims {
    char iss[64], aud[64];
    char sub[64];          /* the user id */
    char role[16];         /* global role */
    int64_t ver;           /* the user's token version at issue time */
    int64_t iat, nbf, exp; /* seconds since the epoch */
} crypto_claims;

/* Signs c with the newest key into out. Returns the length, or -1 when out is too small. */
int crypto_jwt_sign(const crypto_keyset *k, const crypto_claims *c, char *out, size_t outlen);
/* Verifies token at time now (seconds): header exactly {alg: HS256, kid known, typ JWT if
 * present}, signature, iss and aud equal to the expected ones, exp/nbf within the leeway.
 * Fills *out on CRYPTO_OK; otherwise returns the first failure. */
int crypto_jwt_verify(const crypto_keyset *k, const char *token, const char *iss, const char *aud, int64_t now,
                      crypto_claims *out);

/* ---- opaque tokens ----------------------------------------------------------------- */

#define CRYPTO_TOKEN_MAX 64 /* prefix + 43 characters + NUL fits */
#define CRYPTO_SHA256_HEX 65

/* A new token: prefix followed by 32 random bytes in base64url (43 characters). */
void crypto_token_new(const char *prefix, char out[CRYPTO_TOKEN_MAX]);
/* SHA-256 of s as 64 hex digits: what is stored instead of a token. */
void crypto_sha256_hex(const char *s, char out[CRYPTO_SHA256_HEX]);

#endif
