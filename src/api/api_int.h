/* api internals: the shared state and the helpers every resource file uses. */
#ifndef ROADIE_API_INT_H
#define ROADIE_API_INT_H

#include "api/api.h"

#include "db/db.h"
#include "limit/limit.h"
#include "lyrics/lyrics.h"
#include "store/store.h"

#include <jansson.h>

#define API_ISSUER "roadie"
#define API_AUDIENCE "roadie-api"
#define API_ACCESS_TTL_S (15 * 60)
#define API_REFRESH_TTL_MS (30LL * 24 * 3600 * 1000)
#define API_LOCK_FAILURES 5
#define API_LOCK_WINDOW_MS (15 * 60 * 1000)
#define API_LOCK_MS (15 * 60 * 1000)

typedef struct api_state {
    const config *cfg;
    const crypto_keyset *keys;
    crypto_pwlist *common; /* common passwords */
    lyrics_data *lyrics;
    limit_store *limits;
    limit_rule rate_auth, rate_ai, rate_default;
} api_state;

extern api_state api;

/* Who is calling (set by the authorizer): a user, or an API key of one artist. */
typedef struct api_principal {
    bool is_key;
    store_user user;     /* the user (is_key false) */
    char key_id[23];     /* the key (is_key true) */
    char artist_id[23];  /* artist routes: the artist of the {id} parameter */
    char artist_role[8]; /* the user's role there ("" for a key) */
} api_principal;

/* The caller of a route with a permission other than PUBLIC. */
const api_principal *api_caller(http_req *req);

/* This thread's database connection, or NULL after replying 503 (OrReply). */
db *api_db(http_req *req);
/* Replies 500 for a database error that is not the client's doing. */
void api_db_fail(http_req *req, db *d);
/* After DB_ECONSTRAINT: 409 with exists when a unique key refused the change, 409 when a row
 * it refers to was deleted meanwhile, else as api_db_fail (a constraint the code should keep). */
void api_constraint_fail(http_req *req, db *d, const char *exists);
/* Takes a token from bucket "<class>:<who>" under rule; adds RateLimit-* headers; on refusal
 * replies 429 with Retry-After and returns false (OrReply). */
bool api_rate(http_req *req, const char *klass, const limit_rule *rule, const char *who);
/* Appends an audit entry for req (its request id and client IP); errors are logged. */
void api_audit(http_req *req, db *d, const char *actor, const char *action, const char *target, const char *subject,
               const char *email);
/* Creates the account the body describes (email, password, name) with role into *u:
 * email checked, password policy applied and hashed (slow), 409 when the email is taken.
 * False after replying (OrReply). */
bool api_user_create(http_req *req, db *d, const char *role, store_user *u);
/* Call after changing any user row: the authorizer's cached rows are then re-read. */
void api_users_changed(void);
/* The public JSON of a user. */
json_t *api_user_json(const store_user *u);
/* A time column (Unix seconds) of row i as an RFC 3339 string, or null. */
json_t *api_time_json(const db_res *r, size_t i, size_t c);
/* Replies 422 with one field error. */
void api_invalid(http_req *req, const char *field, const char *message);
/* Issues an access token and a new refresh token (in family, or a new family when NULL)
 * for u and replies status with {access_token, token_type, expires_in, refresh_token, user}. */
void api_reply_tokens(http_req *req, db *d, const store_user *u, const char *family, int status);

#endif
