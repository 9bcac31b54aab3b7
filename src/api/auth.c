/* api/auth: register, login, refresh, logout. */
#include "api/api_int.h"

#include <stdio.h>
#include <string.h>

/* Every auth route is limited per client IP before anything else happens. */
static bool auth_rate(http_req *req)
{
    return api_rate(req, "auth:ip", &api.rate_auth, http_req_ip(req));
}

static void reg(http_req *req)
{
    store_user u;
    if (!auth_rate(req))
        return;
    if (api.cfg->registration == CONFIG_REGISTRATION_CLOSED) {
        http_reply_problem(req, HTTP_PROBLEM_FORBIDDEN, "registration is closed; ask an administrator for an account");
        return;
    }
    db *d = api_db(req);
    if (!d || !api_user_create(req, d, "user", &u))
        return;
    api_audit(req, d, u.id, "auth.register", u.id, u.id, u.email);
    api_reply_tokens(req, d, &u, NULL, 201);
}

/* One answer for unknown users, wrong passwords, locked and disabled accounts. */
static void login_refused(http_req *req)
{
    http_reply_header(req, "WWW-Authenticate", "Bearer realm=\"roadie\"");
    http_reply_problem(req, HTTP_PROBLEM_UNAUTHORIZED, "wrong email or password, or the account is locked");
}

static void login(http_req *req)
{
    const json_t *b = http_req_body(req);
    const char *pw = json_str_or(b, "password", "");
    char email[256];
    if (!auth_rate(req))
        return;
    db *d = api_db(req);
    if (!d)
        return;
    store_user u;
    bool found = false;
    if (api_email(json_str_or(b, "email", ""), email, sizeof(email)) &&
        store_user_by_email(d, email, &u, &found) != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    /* verified in every case, so that all refusals take the same time */
    bool right = crypto_pw_verify(found ? u.password_hash : NULL, pw);
    int64_t now = base_now_ms();
    if (!found) {
        api_audit(req, d, NULL, "auth.login_failed", NULL, NULL, email);
        login_refused(req);
        return;
    }
    if (u.disabled || u.locked_until > now || !right) {
        bool locked = false;
        if (!right && !u.disabled && u.locked_until <= now &&
            store_user_login_failed(d, u.id, now, API_LOCK_WINDOW_MS, API_LOCK_FAILURES, API_LOCK_MS, &locked) !=
                DB_OK) {
            api_db_fail(req, d);
            return;
        }
        api_audit(req, d, u.id, "auth.login_failed", u.id, u.id, u.email);
        if (locked)
            api_audit(req, d, u.id, "auth.lockout", u.id, u.id, u.email);
        login_refused(req);
        return;
    }
    if (store_user_clear_failures(d, u.id) != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    /* a hash made with older argon2id parameters is upgraded while the password is at hand */
    if (crypto_pw_needs_rehash(u.password_hash) && crypto_pw_hash(pw, u.password_hash) == CRYPTO_OK &&
        store_user_update(d, &u) != DB_OK)
        log_warn("could not upgrade the password hash of %s: %s", u.id, db_errmsg(d));
    api_audit(req, d, u.id, "auth.login", u.id, u.id, u.email);
    api_reply_tokens(req, d, &u, NULL, 200);
}

/* Reads the refresh token of the body and its stored row. False after replying. */
static bool refresh_row(http_req *req, db *d, char hash[CRYPTO_SHA256_HEX], store_refresh *t)
{
    bool found;
    crypto_sha256_hex(json_str_or(http_req_body(req), "refresh_token", ""), hash);
    if (store_refresh_get(d, hash, t, &found) != DB_OK) {
        api_db_fail(req, d);
        return false;
    }
    if (!found || t->revoked || t->expires_at <= base_now_ms()) {
        http_reply_problem(req, HTTP_PROBLEM_UNAUTHORIZED, "this refresh token is not valid; sign in again");
        return false;
    }
    return true;
}

static void refresh(http_req *req)
{
    char hash[CRYPTO_SHA256_HEX];
    store_refresh t;
    store_user u;
    bool won = false, found = false;
    if (!auth_rate(req))
        return;
    db *d = api_db(req);
    if (!d || !refresh_row(req, d, hash, &t))
        return;
    if (!t.used && store_refresh_use(d, hash, &won) != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    if (!won) { /* a used token came back: someone holds a copy, so the whole login ends */
        store_refresh_revoke_family(d, t.family_id);
        api_audit(req, d, t.user_id, "auth.refresh_reused", t.family_id, t.user_id, NULL);
        http_reply_problem(req, HTTP_PROBLEM_UNAUTHORIZED, "this refresh token was already used; sign in again");
        return;
    }
    if (store_user_get(d, t.user_id, &u, &found) != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    if (!found || u.disabled) {
        http_reply_problem(req, HTTP_PROBLEM_UNAUTHORIZED, "this account cannot sign in");
        return;
    }
    api_reply_tokens(req, d, &u, t.family_id, 200);
}

static void logout(http_req *req)
{
    char hash[CRYPTO_SHA256_HEX];
    store_refresh t;
    if (!auth_rate(req))
        return;
    db *d = api_db(req);
    if (!d || !refresh_row(req, d, hash, &t))
        return;
    if (store_refresh_revoke_family(d, t.family_id) != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    api_audit(req, d, t.user_id, "auth.logout", t.family_id, t.user_id, NULL);
    http_reply_empty(req, 204);
}

static const json_field register_body[] = {
    JSON_FIELD("email", JSON_KIND_STRING, .required = true, .min_len = 3, .max_len = 254),
    JSON_FIELD("password", JSON_KIND_STRING, .required = true, .max_len = 1024),
    JSON_FIELD("name", JSON_KIND_STRING, .max_len = 200),
    JSON_FIELDS_END,
};
static const json_field login_body[] = {
    JSON_FIELD("email", JSON_KIND_STRING, .required = true, .max_len = 254),
    JSON_FIELD("password", JSON_KIND_STRING, .required = true, .max_len = 1024),
    JSON_FIELDS_END,
};
static const json_field refresh_body[] = {
    JSON_FIELD("refresh_token", JSON_KIND_STRING, .required = true, .max_len = 256),
    JSON_FIELDS_END,
};

const http_route api_auth_routes[] = {
    {HTTP_POST, "/v1/auth/register", reg, HTTP_PERM_PUBLIC, register_body, 0, true, HTTP_SCOPE_NONE},
    {HTTP_POST, "/v1/auth/login", login, HTTP_PERM_PUBLIC, login_body, 0, true, HTTP_SCOPE_NONE},
    {HTTP_POST, "/v1/auth/refresh", refresh, HTTP_PERM_PUBLIC, refresh_body, 0, false, HTTP_SCOPE_NONE},
    {HTTP_POST, "/v1/auth/logout", logout, HTTP_PERM_PUBLIC, refresh_body, 0, false, HTTP_SCOPE_NONE},
    {0},
};
