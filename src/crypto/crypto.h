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
 * - Opaque tokens (refresh tokens, API keys): 32 random bytes, stored only as SHA-256 (the
 *   tokens carry 256 bits of entropy, so an unkeyed hash cannot be inverted and needs no
 *   extra server secret), with a short public prefix kept in clear for display.
 * - Webhook signatures in the Standard Webhooks format (HMAC-SHA256 over id.timestamp.body).
 * - Sealed values: crypto_secretbox (XSalsa20-Poly1305) with a key from the configuration,
 *   for secrets Roadie must read back (third-party OAuth tokens at rest).
 *
 * libsodium owns the crypto_<primitive> names (crypto_box_seal, crypto_secretbox_easy, ...);
 * the names here avoid every one of them (crypto_pw_, crypto_jwt_, crypto_webhook_, ...).
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
    CRYPTO_ETOOBIG = -11, /* an input or output exceeds its documented maximum */
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

#define CRYPTO_TOKEN_SHOWN 8 /* random characters kept in the public prefix */
/* True when token is prefix followed by exactly 43 base64url characters, i.e. something
 * crypto_token_new could have made: anything else is refused before any lookup. */
bool crypto_token_valid(const char *prefix, const char *token);
/* The public part of a token for lists and logs: its prefix and first CRYPTO_TOKEN_SHOWN random
 * characters ("rk_AbCdEfGh"), which leaves 208 unknown bits. out must hold CRYPTO_TOKEN_MAX. */
void crypto_token_public(const char *token, char out[CRYPTO_TOKEN_MAX]);

/* ---- webhook signatures (Standard Webhooks) ------------------------------------------ */
/* Headers webhook-id, webhook-timestamp (seconds) and webhook-signature, the last one holding
 * space-separated "v1,<base64 HMAC-SHA256 of id.timestamp.body>" entries; secrets are written
 * "whsec_<base64>" (standard alphabet) and hold 24 to 64 bytes. */

#define CRYPTO_WEBHOOK_SECRET_MAX 96 /* "whsec_" + base64 of 64 bytes + NUL */
#define CRYPTO_WEBHOOK_SIG_MAX 48    /* "v1," + 44 base64 characters + NUL */
#define CRYPTO_WEBHOOK_ID_MAX 256    /* longer webhook-id values are refused */
#define CRYPTO_WEBHOOK_HEADER_MAX 4096
#define CRYPTO_WEBHOOK_TOLERANCE_S 300 /* the reference libraries' default: five minutes */

/* A new secret: "whsec_" + 32 random bytes in base64. */
void crypto_webhook_secret_new(char out[CRYPTO_WEBHOOK_SECRET_MAX]);
/* True when secret parses ("whsec_" optional, base64, 24 to 64 bytes). */
bool crypto_webhook_secret_valid(const char *secret);
/* Signs body for delivery msg_id (1 to CRYPTO_WEBHOOK_ID_MAX visible ASCII characters) at ts
 * (seconds) into out as "v1,<base64>". Returns CRYPTO_OK, or CRYPTO_EFORMAT for a bad secret,
 * id or timestamp. */
int crypto_webhook_sign(const char *secret, const char *msg_id, int64_t ts, const void *body, size_t len,
                        char out[CRYPTO_WEBHOOK_SIG_MAX]);
/* Verifies a received webhook from its three header values and raw body at time now (seconds).
 * Returns CRYPTO_OK when one v1 entry matches (compared in constant time) and the timestamp is
 * within tolerance_s of now; otherwise CRYPTO_EFORMAT (bad secret, id, timestamp or header;
 * header longer than CRYPTO_WEBHOOK_HEADER_MAX), CRYPTO_EEXPIRED (too old), CRYPTO_ENBF (too
 * far in the future) or CRYPTO_ESIG. Any header may be NULL (then CRYPTO_EFORMAT). */
int crypto_webhook_verify(const char *secret, const char *msg_id, const char *timestamp, const char *sig_header,
                          const void *body, size_t len, int64_t now, int64_t tolerance_s);

/* ---- sealed values (secret box) -------------------------------------------------------- */
/* "sb1." + base64url(24-byte nonce || 16-byte tag || ciphertext): text, to fit TEXT columns;
 * the random nonce is never reused in practice (192 bits), the tag refuses any change. */

#define CRYPTO_SEAL_KEYBYTES 32
#define CRYPTO_SEAL_MAX 65536 /* plaintext bytes */

typedef struct crypto_sealkey {
    unsigned char k[CRYPTO_SEAL_KEYBYTES];
} crypto_sealkey;

/* Reads a key from configuration text: exactly 32 bytes as 64 hex digits or base64url
 * without padding. Returns CRYPTO_OK or CRYPTO_EFORMAT. Wipe it with crypto_sealkey_release. */
int crypto_sealkey_init(crypto_sealkey *key, const char *text);
/* Writes a fresh random key as 64 hex digits and a NUL (dev mode keeps it under the data dir). */
void crypto_sealkey_new_hex(char out[2 * CRYPTO_SEAL_KEYBYTES + 1]);
/* Zeroes the key. */
void crypto_sealkey_release(crypto_sealkey *key);
/* Encrypts len bytes of msg. Returns a NUL-terminated string the caller frees, or NULL when
 * len exceeds CRYPTO_SEAL_MAX or memory runs out. */
char *crypto_seal(const crypto_sealkey *key, const void *msg, size_t len);
/* Decrypts sealed into *out (malloc'd, NUL-terminated after *outlen bytes, caller frees).
 * Returns CRYPTO_OK, CRYPTO_EFORMAT (not a sealed value), CRYPTO_ESIG (wrong key or altered)
 * or CRYPTO_ENOMEM; *out is NULL on failure. */
int crypto_unseal(const crypto_sealkey *key, const char *sealed, unsigned char **out, size_t *outlen);

#endif
