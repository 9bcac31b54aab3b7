/* api/admin: user administration and the audit log, for global admins. */
#include "api/api_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_MAX 200

/* ?limit= (1..PAGE_MAX, default 50), or -1 after replying 400. */
static int page_limit(http_req *req)
{
    const char *l = http_req_query(req, "limit");
    char *end;
    long n = l ? strtol(l, &end, 10) : 50;
    if (l && (*end || n < 1 || n > PAGE_MAX)) {
        http_reply_problem(req, HTTP_PROBLEM_BAD_REQUEST, "limit must be a whole number from 1 to %d", PAGE_MAX);
        return -1;
    }
    return (int)n;
}

static void list_users(http_req *req)
{
    int limit = page_limit(req);
    const char *after = http_req_query(req, "cursor");
    db *d = limit > 0 ? api_db(req) : NULL;
    db_res *r;
    if (!d)
        return;
    if (store_user_list(d, after ? after : "", limit + 1, &r) != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    json_t *items = json_array();
    size_t n = db_res_rows(r) > (size_t)limit ? (size_t)limit : db_res_rows(r);
    for (size_t i = 0; i < n; i++) {
        char created[BASE_RFC3339_LEN];
        base_rfc3339(db_res_int(r, i, 5), created);
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:b, s:s}", "id", db_res_text(r, i, 0), "email",
                                               db_res_text(r, i, 1), "name", db_res_text(r, i, 2), "role",
                                               db_res_text(r, i, 3), "disabled", db_res_int(r, i, 4) != 0, "created_at",
                                               created));
    }
    json_t *next = db_res_rows(r) > (size_t)limit ? json_string(db_res_text(r, n - 1, 0)) : json_null();
    db_res_free(r);
    http_reply_json(req, 200, json_pack("{s:o, s:o}", "items", items, "next", next));
}

static void create_user(http_req *req)
{
    store_user u;
    db *d = api_db(req);
    if (!d || !api_user_create(req, d, json_str_or(http_req_body(req), "role", "user"), &u))
        return;
    api_audit(req, d, api_caller(req)->user.id, "admin.user_created", u.id, u.id, u.email);
    http_reply_json(req, 201, api_user_json(&u));
}

/* Role changes and disabling take effect at once: sessions end, older tokens are refused. */
static void patch_user(http_req *req)
{
    const json_t *b = http_req_body(req);
    const char *id = http_req_param(req, "user_id");
    store_user u;
    bool found;
    db *d = api_db(req);
    if (!d)
        return;
    if (store_user_get(d, id, &u, &found) != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    if (!found) {
        http_reply_problem(req, HTTP_PROBLEM_NOT_FOUND, "no such user");
        return;
    }
    const char *role = json_str_or(b, "role", NULL);
    if (role)
        snprintf(u.role, sizeof(u.role), "%s", role);
    u.disabled = json_bool_or(b, "disabled", u.disabled);
    u.token_version++;
    if (store_user_save_signout(d, &u) != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    api_users_changed();
    api_audit(req, d, api_caller(req)->user.id, "admin.user_changed", u.id, u.id, NULL);
    json_t *j = api_user_json(&u);
    json_object_set_new(j, "disabled", json_boolean(u.disabled));
    http_reply_json(req, 200, j);
}

static void audit(http_req *req)
{
    int limit = page_limit(req);
    const char *since = http_req_query(req, "since"), *cursor = http_req_query(req, "cursor");
    int64_t since_ms = 0, before = cursor ? strtoll(cursor, NULL, 10) : 0;
    if (limit < 0)
        return;
    if (since && base_rfc3339_parse(since, &since_ms) < 0) {
        http_reply_problem(req, HTTP_PROBLEM_BAD_REQUEST, "since must be an RFC 3339 time");
        return;
    }
    db *d = api_db(req);
    db_res *r;
    if (!d)
        return;
    if (store_audit_list(d, http_req_query(req, "actor"), http_req_query(req, "action"), since_ms, before, limit, &r) !=
        DB_OK) {
        api_db_fail(req, d);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < db_res_rows(r); i++) {
        char at[BASE_RFC3339_LEN];
        base_rfc3339(db_res_int(r, i, 1), at);
        json_t *detail = json_loads(db_res_text(r, i, 6) ? db_res_text(r, i, 6) : "{}", 0, NULL);
        json_array_append_new(items,
                              json_pack("{s:I, s:s, s:s?, s:s, s:s?, s:s?, s:o}", "seq",
                                        (json_int_t)db_res_int(r, i, 0), "at", at, "actor_id", db_res_text(r, i, 2),
                                        "action", db_res_text(r, i, 3), "target", db_res_text(r, i, 4), "request_id",
                                        db_res_text(r, i, 5), "detail", detail ? detail : json_object()));
    }
    size_t n = db_res_rows(r);
    json_t *next = n == (size_t)limit ? json_sprintf("%lld", (long long)db_res_int(r, n - 1, 0)) : json_null();
    db_res_free(r);
    http_reply_json(req, 200, json_pack("{s:o, s:o}", "items", items, "next", next));
}

static const char *const global_roles[] = {"admin", "user", NULL};
static const json_field create_body[] = {
    JSON_FIELD("email", JSON_KIND_STRING, .required = true, .max_len = 254),
    JSON_FIELD("password", JSON_KIND_STRING, .required = true, .max_len = 1024),
    JSON_FIELD("name", JSON_KIND_STRING, .max_len = 200),
    JSON_FIELD("role", JSON_KIND_STRING, .choices = global_roles),
    JSON_FIELDS_END,
};
static const json_field patch_body[] = {
    JSON_FIELD("role", JSON_KIND_STRING, .choices = global_roles),
    JSON_FIELD("disabled", JSON_KIND_BOOL),
    JSON_FIELDS_END,
};

const http_route api_admin_routes[] = {
    {HTTP_GET, "/v1/admin/users", list_users, HTTP_PERM_ADMIN, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_POST, "/v1/admin/users", create_user, HTTP_PERM_ADMIN, create_body, 0, true, HTTP_SCOPE_NONE},
    {HTTP_PATCH, "/v1/admin/users/{user_id}", patch_user, HTTP_PERM_ADMIN, patch_body, 0, false, HTTP_SCOPE_NONE},
    {HTTP_GET, "/v1/admin/audit", audit, HTTP_PERM_ADMIN, NULL, 0, false, HTTP_SCOPE_NONE},
    {0},
};
