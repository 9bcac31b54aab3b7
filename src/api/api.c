/* api/api: shared state, the authorizer, and helpers for every resource file. */
#include "api/api_int.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

api_state api;

static bool authorize(http_req *req, const http_route *route);

static limit_rule rule_of(const config_rate *r)
{
    return (limit_rule){.count = r->count, .period_ms = r->period_s * 1000, .burst = r->burst};
}

int api_init(const config *cfg, const crypto_keyset *keys, char *err, size_t errlen)
{
    char path[4096];
    api.cfg = cfg;
    api.keys = keys;
    api.rate_auth = rule_of(&cfg->rate_auth);
    api.rate_ai = rule_of(&cfg->rate_ai);
    api.rate_default = rule_of(&cfg->rate_default);
    snprintf(path, sizeof(path), "%s/common-passwords.txt", cfg->share_dir);
    if (!(api.common = crypto_pwlist_open(path, err, errlen)))
        return -1;
    snprintf(path, sizeof(path), "%s/lyrics", cfg->share_dir);
    if (!(api.lyrics = lyrics_data_open(path, err, errlen)))
        return -1;
    api.limits = cfg->redis_url ? limit_store_new_redis(cfg->redis_url, err, errlen) : limit_store_new_local();
    if (!api.limits) {
        if (!cfg->redis_url)
            snprintf(err, errlen, "out of memory");
        return -1;
    }
    http_set_authorizer(authorize);
    return 0;
}

void api_release(void)
{
    crypto_pwlist_free(api.common);
    lyrics_data_free(api.lyrics);
    limit_store_free(api.limits);
    memset(&api, 0, sizeof(api));
}

db *api_db(http_req *req)
{
    char err[256];
    db *d = db_thread_get(err, sizeof(err));
    if (!d) {
        log_error("database: %s", err);
        http_reply_problem(req, HTTP_PROBLEM_UNAVAILABLE, "the database cannot be reached");
    }
    return d;
}

void api_db_fail(http_req *req, db *d)
{
    log_error("database: %s", db_errmsg(d));
    http_reply_problem(req, HTTP_PROBLEM_INTERNAL, "a database error occurred");
}

void api_constraint_fail(http_req *req, db *d, const char *exists)
{
    db_constraint c = db_constraint_of(d);
    if (c == DB_C_UNIQUE)
        http_reply_problem(req, HTTP_PROBLEM_CONFLICT, "%s", exists);
    else if (c == DB_C_FOREIGN_KEY)
        http_reply_problem(req, HTTP_PROBLEM_CONFLICT, "a record this change refers to was deleted meanwhile");
    else
        api_db_fail(req, d);
}

bool api_rate(http_req *req, const char *klass, const limit_rule *rule, const char *who)
{
    char key[160], num[32];
    snprintf(key, sizeof(key), "%s:%s", klass, who);
    limit_result r = limit_take(api.limits, key, rule, base_now_ms());
    snprintf(num, sizeof(num), "%u", r.limit);
    http_reply_header(req, "RateLimit-Limit", num);
    snprintf(num, sizeof(num), "%u", r.remaining);
    http_reply_header(req, "RateLimit-Remaining", num);
    snprintf(num, sizeof(num), "%u", r.reset_s);
    http_reply_header(req, "RateLimit-Reset", num);
    if (r.allowed)
        return true;
    snprintf(num, sizeof(num), "%u", r.retry_after_s);
    http_reply_header(req, "Retry-After", num);
    http_reply_problem(req, HTTP_PROBLEM_RATE_LIMITED, "too many requests; retry in %u s", r.retry_after_s);
    return false;
}

void api_audit(http_req *req, db *d, const char *actor, const char *action, const char *target, const char *subject,
               const char *email)
{
    store_audit_entry e = {.actor_id = actor,
                           .action = action,
                           .target = target,
                           .request_id = http_req_id(req),
                           .subject_id = subject,
                           .email = email,
                           .ip = http_req_ip(req)};
    if (store_audit_append(d, &e, false) != DB_OK)
        log_error("audit %s: %s", action, db_errmsg(d));
}

bool api_user_create(http_req *req, db *d, const char *role, store_user *u)
{
    const json_t *b = http_req_body(req);
    const char *pw = json_str_or(b, "password", ""), *why;
    memset(u, 0, sizeof(*u));
    if (!api_email(json_str_or(b, "email", ""), u->email, sizeof(u->email))) {
        api_invalid(req, "email", "is not an email address");
        return false;
    }
    if ((why = crypto_pw_policy(pw, api.common))) {
        api_invalid(req, "password", why);
        return false;
    }
    base_id_new(u->id);
    snprintf(u->name, sizeof(u->name), "%s", json_str_or(b, "name", ""));
    snprintf(u->role, sizeof(u->role), "%s", role);
    if (crypto_pw_hash(pw, u->password_hash) != CRYPTO_OK) {
        http_reply_problem(req, HTTP_PROBLEM_INTERNAL, "out of memory");
        return false;
    }
    int rc = store_user_insert(d, u);
    if (rc == DB_ECONSTRAINT)
        api_constraint_fail(req, d, "an account with this email exists");
    else if (rc != DB_OK)
        api_db_fail(req, d);
    return rc == DB_OK;
}

json_t *api_user_json(const store_user *u)
{
    char created[BASE_RFC3339_LEN];
    base_rfc3339(u->created_at, created);
    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", u->id, "email", u->email, "name", u->name, "role", u->role,
                     "created_at", created);
}

json_t *api_time_json(const db_res *r, size_t i, size_t c)
{
    char t[BASE_RFC3339_LEN];
    if (db_res_null(r, i, c))
        return json_null();
    base_rfc3339(db_res_int(r, i, c), t);
    return json_string(t);
}

void api_invalid(http_req *req, const char *field, const char *message)
{
    json_issues issues = {.n = 1};
    snprintf(issues.items[0].field, sizeof(issues.items[0].field), "%s", field);
    snprintf(issues.items[0].message, sizeof(issues.items[0].message), "%s", message);
    http_reply_invalid(req, &issues);
}

bool api_email(const char *in, char *out, size_t n)
{
    size_t len = strlen(in);
    const char *at = strchr(in, '@');
    if (len >= n || len > 254 || !at || at == in || !strchr(at, '.') || strchr(at + 1, '@') || at[1] == '.' ||
        in[len - 1] == '.')
        return false;
    for (size_t i = 0; i <= len; i++) {
        if (in[i] && (isspace((unsigned char)in[i]) || iscntrl((unsigned char)in[i])))
            return false;
        out[i] = (char)tolower((unsigned char)in[i]);
    }
    return true;
}

void api_reply_tokens(http_req *req, db *d, const store_user *u, const char *family, int status)
{
    char access[1024], refresh[CRYPTO_TOKEN_MAX], hash[CRYPTO_SHA256_HEX], fam[BASE_ID_LEN];
    int64_t now = base_now_ms() / 1000;
    crypto_claims c = {.ver = u->token_version, .iat = now, .nbf = now, .exp = now + API_ACCESS_TTL_S};
    snprintf(c.iss, sizeof(c.iss), API_ISSUER);
    snprintf(c.aud, sizeof(c.aud), API_AUDIENCE);
    snprintf(c.sub, sizeof(c.sub), "%s", u->id);
    snprintf(c.role, sizeof(c.role), "%s", u->role);
    if (family)
        snprintf(fam, sizeof(fam), "%s", family);
    else
        base_id_new(fam);
    crypto_token_new("rt_", refresh);
    crypto_sha256_hex(refresh, hash);
    if (crypto_jwt_sign(api.keys, &c, access, sizeof(access)) < 0) {
        http_reply_problem(req, HTTP_PROBLEM_INTERNAL, "could not sign a token");
        return;
    }
    if (store_refresh_insert(d, hash, fam, u->id, base_now_ms() + API_REFRESH_TTL_MS) != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    http_reply_json(req, status,
                    json_pack("{s:s, s:s, s:i, s:s, s:o}", "access_token", access, "token_type", "Bearer", "expires_in",
                              API_ACCESS_TTL_S, "refresh_token", refresh, "user", api_user_json(u)));
}

const api_principal *api_caller(http_req *req)
{
    return http_req_auth(req);
}

/* 401 with the Bearer challenge (RFC 6750). */
static bool unauthorized(http_req *req, const char *why)
{
    http_reply_header(req, "WWW-Authenticate", "Bearer realm=\"roadie\"");
    http_reply_problem(req, HTTP_PROBLEM_UNAUTHORIZED, "%s", why);
    return false;
}

/* The artist routes: the caller must belong to the artist in {id} with a role at least
 * the route's; others learn nothing (404), members with too small a role get 403. */
static bool artist_member(http_req *req, db *d, http_perm perm, api_principal *p)
{
    static const char *const rank[] = {"viewer", "editor", "owner"};
    const char *id = http_req_param(req, "id");
    if (!id || store_member_role(d, id, p->user.id, p->artist_role) != DB_OK) {
        api_db_fail(req, d);
        return false;
    }
    if (!p->artist_role[0]) {
        http_reply_problem(req, HTTP_PROBLEM_NOT_FOUND, "no such artist");
        return false;
    }
    int have = 0, need = perm - HTTP_PERM_ARTIST_VIEWER;
    for (int i = 0; i < 3; i++)
        if (strcmp(rank[i], p->artist_role) == 0)
            have = i;
    if (have < need) {
        http_reply_problem(req, HTTP_PROBLEM_FORBIDDEN, "this needs the %s role for this artist", rank[need]);
        return false;
    }
    snprintf(p->artist_id, sizeof(p->artist_id), "%s", id);
    return true;
}

static const char *scope_name(http_scope s)
{
    return s == HTTP_SCOPE_READ ? "read" : s == HTTP_SCOPE_INGEST ? "ingest" : s == HTTP_SCOPE_WRITE ? "write" : "";
}

/* An API key: only artist routes that name a scope, only its own artist (404 otherwise),
 * only with that scope (403). */
static bool key_allowed(http_req *req, db *d, const http_route *route, const char *token, api_principal *p)
{
    char hash[CRYPTO_SHA256_HEX];
    db_res *r = NULL;
    crypto_sha256_hex(token, hash);
    if (store_key_find(d, hash, &r) != DB_OK) {
        api_db_fail(req, d);
        return false;
    }
    bool found = db_res_rows(r) == 1;
    if (found) {
        snprintf(p->key_id, sizeof(p->key_id), "%s", db_res_text(r, 0, 0));
        snprintf(p->artist_id, sizeof(p->artist_id), "%s", db_res_text(r, 0, 1));
    }
    char scopes[64];
    snprintf(scopes, sizeof(scopes), ",%s,", found ? db_res_text(r, 0, 2) : "");
    db_res_free(r);
    if (!found)
        return unauthorized(req, "unknown or revoked API key");
    if (route->perm < HTTP_PERM_ARTIST_VIEWER || route->key_scope == HTTP_SCOPE_NONE) {
        http_reply_problem(req, HTTP_PROBLEM_FORBIDDEN, "API keys cannot use this route; sign in as a user");
        return false;
    }
    const char *id = http_req_param(req, "id");
    if (!id || strcmp(id, p->artist_id) != 0) {
        http_reply_problem(req, HTTP_PROBLEM_NOT_FOUND, "no such artist");
        return false;
    }
    char want[16];
    snprintf(want, sizeof(want), ",%s,", scope_name(route->key_scope));
    if (!strstr(scopes, want)) {
        http_reply_problem(req, HTTP_PROBLEM_FORBIDDEN, "this API key lacks the '%s' scope",
                           scope_name(route->key_scope));
        return false;
    }
    p->is_key = true;
    store_key_touch(d, p->key_id);
    return api_rate(req, "default:key", &api.rate_default, p->key_id);
}

#define TOKEN_CACHE 64 /* verified access tokens remembered per thread */

/* A verified token is checked once: the same string keeps its claims until it expires
 * (the signature covers exactly these bytes, and keys change only with a restart). */
static int verify_cached(const char *token, int64_t now, crypto_claims *c)
{
    static _Thread_local struct {
        uint64_t hash;
        char token[CRYPTO_JWT_MAX / 4];
        crypto_claims claims;
    } cache[TOKEN_CACHE];
    size_t n = strlen(token);
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)token[i]) * 1099511628211ULL;
    __typeof__(&cache[0]) e = &cache[h % TOKEN_CACHE];
    if (e->hash == h && strcmp(e->token, token) == 0 && now < e->claims.exp + CRYPTO_JWT_LEEWAY_S) {
        *c = e->claims;
        return CRYPTO_OK;
    }
    int rc = crypto_jwt_verify(api.keys, token, API_ISSUER, API_AUDIENCE, now, c);
    if (rc == CRYPTO_OK && n < sizeof(e->token)) {
        e->hash = h;
        memcpy(e->token, token, n + 1);
        e->claims = *c;
    }
    return rc;
}

#define USER_CACHE 64      /* user rows remembered per thread */
#define USER_CACHE_MS 1000 /* how long; changes made by this process end it at once */

static atomic_uint_fast64_t users_generation;

void api_users_changed(void)
{
    atomic_fetch_add(&users_generation, 1);
}

/* The user row for id, from this thread's cache when fresh: a change made through this
 * process is seen at once, one made through another instance within USER_CACHE_MS. */
static int user_cached(db *d, const char *id, store_user *u, bool *found)
{
    static _Thread_local struct {
        store_user u;
        int64_t at;
        uint64_t gen;
    } cache[USER_CACHE];
    uint64_t h = 1469598103934665603ULL, gen = atomic_load(&users_generation);
    for (const char *p = id; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    __typeof__(&cache[0]) e = &cache[h % USER_CACHE];
    int64_t now = base_now_ms();
    if (e->at && e->gen == gen && now - e->at < USER_CACHE_MS && strcmp(e->u.id, id) == 0) {
        *u = e->u;
        *found = true;
        return DB_OK;
    }
    int rc = store_user_get(d, id, u, found);
    if (rc == DB_OK && *found) {
        e->u = *u;
        e->at = now;
        e->gen = gen;
    }
    return rc;
}

static bool authorize(http_req *req, const http_route *route)
{
    const char *h = http_req_header(req, "Authorization");
    if (!h || strncasecmp(h, "Bearer ", 7) != 0 || !h[7])
        return unauthorized(req, "sign in: send 'Authorization: Bearer <access token>'");
    const char *token = h + 7;
    api_principal *p = arena_calloc(http_req_arena(req), sizeof(*p));
    db *d = p ? api_db(req) : NULL;
    if (!p)
        http_reply_problem(req, HTTP_PROBLEM_INTERNAL, "out of memory");
    if (!d)
        return false;
    if (strncmp(token, "rk_", 3) == 0) {
        if (!crypto_token_valid("rk_", token))
            return unauthorized(req, "malformed API key");
        if (!key_allowed(req, d, route, token, p))
            return false;
        http_req_set_auth(req, p);
        return true;
    }
    crypto_claims c;
    int rc = verify_cached(token, base_now_ms() / 1000, &c);
    if (rc != CRYPTO_OK)
        return unauthorized(req, crypto_strerror(rc));
    bool found;
    if (user_cached(d, c.sub, &p->user, &found) != DB_OK) {
        api_db_fail(req, d);
        return false;
    }
    if (!found || p->user.disabled || c.ver < p->user.token_version)
        return unauthorized(req, "this token is no longer valid; sign in again");
    if (route->perm == HTTP_PERM_ADMIN && strcmp(p->user.role, "admin") != 0) {
        http_reply_problem(req, HTTP_PROBLEM_FORBIDDEN, "this route is for administrators");
        return false;
    }
    if (!api_rate(req, "default:user", &api.rate_default, p->user.id))
        return false;
    if (route->perm >= HTTP_PERM_ARTIST_VIEWER && !artist_member(req, d, route->perm, p))
        return false;
    http_req_set_auth(req, p);
    return true;
}

int api_routes_add(http_router *r, char *err, size_t errlen)
{
    const http_route *tables[] = {api_auth_routes, api_me_routes,    api_artist_routes,
                                  api_key_routes,  api_admin_routes, api_lyrics_routes};
    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
        if (http_router_add(r, tables[i], err, errlen) < 0)
            return -1;
    return 0;
}
