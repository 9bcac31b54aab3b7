/* api/me: the signed-in user's own account. */
#include "api/api_int.h"

#include <stdio.h>
#include <string.h>

/* Rendered by hand: the hottest authenticated route. */
static void get_me(http_req *req)
{
    const store_user *u = &api_caller(req)->user;
    char created[BASE_RFC3339_LEN];
    buf b;
    base_rfc3339(u->created_at, created);
    buf_init(&b, 1024);
    int e = buf_printf(&b, "{\"id\":\"%s\",\"email\":", u->id);
    e |= buf_json_str(&b, u->email);
    e |= buf_puts(&b, ",\"name\":");
    e |= buf_json_str(&b, u->name);
    e |= buf_printf(&b, ",\"role\":\"%s\",\"created_at\":\"%s\"}", u->role, created);
    if (e)
        http_reply_problem(req, HTTP_PROBLEM_INTERNAL, "out of memory");
    else
        http_reply_bytes(req, 200, "application/json", b.data, b.len);
    buf_release(&b);
}

static void patch_me(http_req *req)
{
    const json_t *b = http_req_body(req);
    store_user u = api_caller(req)->user;
    const char *email = json_str_or(b, "email", NULL), *name = json_str_or(b, "name", NULL);
    if (email && !api_email(email, u.email, sizeof(u.email))) {
        api_invalid(req, "email", "is not an email address");
        return;
    }
    if (name)
        snprintf(u.name, sizeof(u.name), "%s", name);
    db *d = api_db(req);
    if (!d)
        return;
    int rc = store_user_update(d, &u);
    if (rc == DB_ECONSTRAINT) {
        api_constraint_fail(req, d, "another account uses this email");
        return;
    }
    if (rc != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    api_users_changed();
    http_reply_json(req, 200, api_user_json(&u));
}

/* A new password ends every session: refresh families revoked, older access tokens refused
 * (token_version), and fresh tokens for the caller. */
static void change_password(http_req *req)
{
    const json_t *b = http_req_body(req);
    store_user u = api_caller(req)->user;
    const char *cur = json_str_or(b, "current_password", ""), *next = json_str_or(b, "new_password", ""), *why;
    if (!crypto_pw_verify(u.password_hash, cur)) {
        api_invalid(req, "current_password", "is not the current password");
        return;
    }
    if ((why = crypto_pw_policy(next, api.common))) {
        api_invalid(req, "new_password", why);
        return;
    }
    db *d = api_db(req);
    if (!d)
        return;
    if (crypto_pw_hash(next, u.password_hash) != CRYPTO_OK) {
        http_reply_problem(req, HTTP_PROBLEM_INTERNAL, "out of memory");
        return;
    }
    u.token_version++;
    if (store_user_save_signout(d, &u) != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    api_users_changed();
    api_audit(req, d, u.id, "auth.password_changed", u.id, u.id, u.email);
    api_reply_tokens(req, d, &u, NULL, 200);
}

/* GDPR access: everything Roadie keeps about the caller: the account, memberships,
 * sign-ins (not the tokens, which are kept only as hashes), what they did, and the
 * personal data audit entries hold about them (email, IP address). */
static void export_me(http_req *req)
{
    const store_user *u = &api_caller(req)->user;
    db *d = api_db(req);
    db_res *artists = NULL, *audit = NULL, *sessions = NULL, *personal = NULL;
    if (!d)
        return;
    if (store_artist_list_for(d, u->id, &artists) != DB_OK ||
        store_audit_list(d, u->id, NULL, 0, 0, 100000, &audit) != DB_OK ||
        store_refresh_list_user(d, u->id, &sessions) != DB_OK ||
        store_audit_personal_for(d, u->id, &personal) != DB_OK) {
        db_res_free(artists);
        db_res_free(audit);
        db_res_free(sessions);
        api_db_fail(req, d);
        return;
    }
    json_t *a = json_array(), *log = json_array(), *ses = json_array(), *per = json_array();
    for (size_t i = 0; i < db_res_rows(artists); i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "id", db_res_text(artists, i, 0), "name",
                                           db_res_text(artists, i, 1), "role", db_res_text(artists, i, 5)));
    for (size_t i = 0; i < db_res_rows(audit); i++)
        json_array_append_new(log, json_pack("{s:o, s:s, s:s?}", "at", api_time_json(audit, i, 1), "action",
                                             db_res_text(audit, i, 3), "target", db_res_text(audit, i, 4)));
    for (size_t i = 0; i < db_res_rows(sessions); i++)
        json_array_append_new(ses,
                              json_pack("{s:o, s:o, s:o, s:o}", "created_at", api_time_json(sessions, i, 1),
                                        "expires_at", api_time_json(sessions, i, 2), "rotated_at",
                                        api_time_json(sessions, i, 3), "revoked_at", api_time_json(sessions, i, 4)));
    for (size_t i = 0; i < db_res_rows(personal); i++)
        json_array_append_new(per, json_pack("{s:o, s:s, s:s?, s:s?}", "at", api_time_json(personal, i, 1), "action",
                                             db_res_text(personal, i, 2), "email", db_res_text(personal, i, 3), "ip",
                                             db_res_text(personal, i, 4)));
    db_res_free(artists);
    db_res_free(audit);
    db_res_free(sessions);
    db_res_free(personal);
    char updated[BASE_RFC3339_LEN];
    base_rfc3339(u->updated_at, updated);
    json_t *user = api_user_json(u);
    json_object_set_new(user, "updated_at", json_string(updated));
    http_reply_json(req, 200,
                    json_pack("{s:o, s:o, s:o, s:o, s:o}", "user", user, "artists", a, "activity", log, "sign_ins", ses,
                              "personal_data_in_audit_log", per));
}

/* GDPR erasure: the account, its memberships and sessions, the artists only it owns, and
 * the personal data of its audit entries (the entries stay, pointing to an id that no longer
 * resolves). Confirmed by the password. */
static void delete_me(http_req *req)
{
    const store_user *u = &api_caller(req)->user;
    if (!crypto_pw_verify(u->password_hash, json_str_or(http_req_body(req), "password", ""))) {
        api_invalid(req, "password", "is not the current password");
        return;
    }
    db *d = api_db(req);
    if (!d)
        return;
    int rc = db_begin(d);
    if (rc == DB_OK && (rc = store_artist_delete_sole_owned(d, u->id)) == DB_OK &&
        (rc = store_user_delete(d, u->id)) == DB_OK && (rc = store_audit_forget(d, u->id)) == DB_OK)
        rc = db_commit(d);
    if (rc != DB_OK) {
        db_rollback(d);
        api_db_fail(req, d);
        return;
    }
    api_users_changed();
    api_audit(req, d, u->id, "auth.account_deleted", u->id, NULL, NULL);
    http_reply_empty(req, 204);
}

static const json_field delete_body[] = {
    JSON_FIELD("password", JSON_KIND_STRING, .required = true, .max_len = 1024),
    JSON_FIELDS_END,
};

static const json_field patch_body[] = {
    JSON_FIELD("email", JSON_KIND_STRING, .min_len = 3, .max_len = 254),
    JSON_FIELD("name", JSON_KIND_STRING, .max_len = 200),
    JSON_FIELDS_END,
};
static const json_field password_body[] = {
    JSON_FIELD("current_password", JSON_KIND_STRING, .required = true, .max_len = 1024),
    JSON_FIELD("new_password", JSON_KIND_STRING, .required = true, .max_len = 1024),
    JSON_FIELDS_END,
};

const http_route api_me_routes[] = {
    {HTTP_GET, "/v1/me", get_me, HTTP_PERM_USER, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_PATCH, "/v1/me", patch_me, HTTP_PERM_USER, patch_body, 0, false, HTTP_SCOPE_NONE},
    {HTTP_POST, "/v1/me/password", change_password, HTTP_PERM_USER, password_body, 0, true, HTTP_SCOPE_NONE},
    {HTTP_GET, "/v1/me/export", export_me, HTTP_PERM_USER, NULL, 0, true, HTTP_SCOPE_NONE},
    {HTTP_DELETE, "/v1/me", delete_me, HTTP_PERM_USER, delete_body, 0, true, HTTP_SCOPE_NONE},
    {0},
};
