/* api/artists: artists and their teams (owners, editors, viewers). */
#include "api/api_int.h"

#include <stdio.h>
#include <string.h>

static const char *const member_roles[] = {"owner", "editor", "viewer", NULL};

/* An artist row (id, name, spotify_id, created_at, updated_at[, role]) as JSON. */
static json_t *artist_json(const db_res *r, size_t i, const char *role)
{
    char created[BASE_RFC3339_LEN], updated[BASE_RFC3339_LEN];
    base_rfc3339(db_res_int(r, i, 3), created);
    base_rfc3339(db_res_int(r, i, 4), updated);
    const char *spotify = db_res_text(r, i, 2);
    json_t *j =
        json_pack("{s:s, s:s, s:o, s:s, s:s}", "id", db_res_text(r, i, 0), "name", db_res_text(r, i, 1), "spotify_id",
                  spotify ? json_string(spotify) : json_null(), "created_at", created, "updated_at", updated);
    if (j && role)
        json_object_set_new(j, "role", json_string(role));
    return j;
}

/* Replies with the artist id as it is now (status 200 or 201). */
static void reply_artist(http_req *req, db *d, const char *id, const char *role, int status)
{
    db_res *r;
    if (store_artist_get(d, id, &r) != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    if (db_res_rows(r) == 1)
        http_reply_json(req, status, artist_json(r, 0, role));
    else
        http_reply_problem(req, HTTP_PROBLEM_NOT_FOUND, "no such artist");
    db_res_free(r);
}

static void create(http_req *req)
{
    const json_t *b = http_req_body(req);
    const api_principal *p = api_caller(req);
    char id[BASE_ID_LEN];
    base_id_new(id);
    db *d = api_db(req);
    if (!d)
        return;
    if (store_artist_create(d, id, json_str_or(b, "name", ""), json_str_or(b, "spotify_id", NULL), p->user.id) !=
        DB_OK) {
        api_db_fail(req, d);
        return;
    }
    api_audit(req, d, p->user.id, "artist.created", id, NULL, NULL);
    reply_artist(req, d, id, "owner", 201);
}

static void list(http_req *req)
{
    db *d = api_db(req);
    db_res *r;
    if (!d)
        return;
    if (store_artist_list_for(d, api_caller(req)->user.id, &r) != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < db_res_rows(r); i++)
        json_array_append_new(items, artist_json(r, i, db_res_text(r, i, 5)));
    db_res_free(r);
    http_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

static void get(http_req *req)
{
    const api_principal *p = api_caller(req);
    db *d = api_db(req);
    if (d)
        reply_artist(req, d, p->artist_id, p->is_key ? NULL : p->artist_role, 200);
}

static void patch(http_req *req)
{
    const json_t *b = http_req_body(req);
    const api_principal *p = api_caller(req);
    db *d = api_db(req);
    db_res *r;
    if (!d)
        return;
    if (store_artist_get(d, p->artist_id, &r) != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    char name[256], spotify[128];
    snprintf(name, sizeof(name), "%s", json_str_or(b, "name", db_res_text(r, 0, 1)));
    const char *sp = json_object_get(b, "spotify_id") ? json_str_or(b, "spotify_id", NULL) : db_res_text(r, 0, 2);
    snprintf(spotify, sizeof(spotify), "%s", sp ? sp : "");
    db_res_free(r);
    if (store_artist_update(d, p->artist_id, name, spotify[0] ? spotify : NULL) != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    api_audit(req, d, p->user.id, "artist.updated", p->artist_id, NULL, NULL);
    reply_artist(req, d, p->artist_id, p->artist_role, 200);
}

static void delete (http_req *req)
{
    const api_principal *p = api_caller(req);
    db *d = api_db(req);
    if (!d)
        return;
    if (store_artist_delete(d, p->artist_id) != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    api_audit(req, d, p->user.id, "artist.deleted", p->artist_id, NULL, NULL);
    http_reply_empty(req, 204);
}

/* ---- members ----------------------------------------------------------------------- */

static json_t *member_json(const db_res *r, size_t i)
{
    char since[BASE_RFC3339_LEN];
    base_rfc3339(db_res_int(r, i, 4), since);
    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "user_id", db_res_text(r, i, 0), "email", db_res_text(r, i, 1),
                     "name", db_res_text(r, i, 2), "role", db_res_text(r, i, 3), "since", since);
}

static void members(http_req *req)
{
    db *d = api_db(req);
    db_res *r;
    if (!d)
        return;
    if (store_member_list(d, api_caller(req)->artist_id, &r) != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < db_res_rows(r); i++)
        json_array_append_new(items, member_json(r, i));
    db_res_free(r);
    http_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

static void add_member(http_req *req)
{
    const json_t *b = http_req_body(req);
    const api_principal *p = api_caller(req);
    char email[256];
    store_user u;
    bool found = false;
    if (!api_email(json_str_or(b, "email", ""), email, sizeof(email))) {
        api_invalid(req, "email", "is not an email address");
        return;
    }
    db *d = api_db(req);
    if (!d)
        return;
    if (store_user_by_email(d, email, &u, &found) != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    if (!found) {
        api_invalid(req, "email", "no Roadie account uses this email; they must register first");
        return;
    }
    const char *role = json_str_or(b, "role", "viewer");
    int rc = store_member_add(d, p->artist_id, u.id, role);
    if (rc == DB_ECONSTRAINT) {
        api_constraint_fail(req, d, "this user is already a member; change their role instead");
        return;
    }
    if (rc != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    api_audit(req, d, p->user.id, "member.added", u.id, u.id, u.email);
    http_reply_json(req, 201,
                    json_pack("{s:s, s:s, s:s, s:s}", "user_id", u.id, "email", u.email, "name", u.name, "role", role));
}

/* The member in {user_id}: its role into role, or false after replying 404. */
static bool member_of(http_req *req, db *d, const char *artist, const char *user, char role[8])
{
    if (store_member_role(d, artist, user, role) != DB_OK) {
        api_db_fail(req, d);
        return false;
    }
    if (!role[0]) {
        http_reply_problem(req, HTTP_PROBLEM_NOT_FOUND, "no such member");
        return false;
    }
    return true;
}

/* True when taking the owner role from a member would leave the artist without owners
 * (replies 409 then). */
static bool last_owner(http_req *req, db *d, const char *artist, const char *role)
{
    int64_t owners = 0;
    if (strcmp(role, "owner") != 0)
        return false;
    if (store_member_owner_count(d, artist, &owners) != DB_OK) {
        api_db_fail(req, d);
        return true;
    }
    if (owners > 1)
        return false;
    http_reply_problem(req, HTTP_PROBLEM_CONFLICT, "an artist needs an owner: make someone else owner first");
    return true;
}

static void set_member(http_req *req)
{
    const api_principal *p = api_caller(req);
    const char *user = http_req_param(req, "user_id"), *role = json_str_or(http_req_body(req), "role", "");
    char now[8];
    db *d = api_db(req);
    if (!d || !member_of(req, d, p->artist_id, user, now))
        return;
    if (strcmp(role, "owner") != 0 && last_owner(req, d, p->artist_id, now))
        return;
    if (store_member_set_role(d, p->artist_id, user, role) != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    api_audit(req, d, p->user.id, "member.role_changed", user, user, NULL);
    http_reply_json(req, 200, json_pack("{s:s, s:s}", "user_id", user, "role", role));
}

static void remove_member(http_req *req)
{
    const api_principal *p = api_caller(req);
    const char *user = http_req_param(req, "user_id");
    char now[8];
    db *d = api_db(req);
    if (!d || !member_of(req, d, p->artist_id, user, now) || last_owner(req, d, p->artist_id, now))
        return;
    if (store_member_remove(d, p->artist_id, user) != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    api_audit(req, d, p->user.id, "member.removed", user, user, NULL);
    http_reply_empty(req, 204);
}

static const json_field artist_body[] = {
    JSON_FIELD("name", JSON_KIND_STRING, .required = true, .min_len = 1, .max_len = 200),
    JSON_FIELD("spotify_id", JSON_KIND_STRING, .nullable = true, .min_len = 1, .max_len = 64),
    JSON_FIELDS_END,
};
static const json_field artist_patch[] = {
    JSON_FIELD("name", JSON_KIND_STRING, .min_len = 1, .max_len = 200),
    JSON_FIELD("spotify_id", JSON_KIND_STRING, .nullable = true, .min_len = 1, .max_len = 64),
    JSON_FIELDS_END,
};
static const json_field member_body[] = {
    JSON_FIELD("email", JSON_KIND_STRING, .required = true, .max_len = 254),
    JSON_FIELD("role", JSON_KIND_STRING, .choices = member_roles),
    JSON_FIELDS_END,
};
static const json_field role_body[] = {
    JSON_FIELD("role", JSON_KIND_STRING, .required = true, .choices = member_roles),
    JSON_FIELDS_END,
};

const http_route api_artist_routes[] = {
    {HTTP_POST, "/v1/artists", create, HTTP_PERM_USER, artist_body, 0, false, HTTP_SCOPE_NONE},
    {HTTP_GET, "/v1/artists", list, HTTP_PERM_USER, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_GET, "/v1/artists/{id}", get, HTTP_PERM_ARTIST_VIEWER, NULL, 0, false, HTTP_SCOPE_READ},
    {HTTP_PATCH, "/v1/artists/{id}", patch, HTTP_PERM_ARTIST_OWNER, artist_patch, 0, false, HTTP_SCOPE_NONE},
    {HTTP_DELETE, "/v1/artists/{id}", delete, HTTP_PERM_ARTIST_OWNER, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_GET, "/v1/artists/{id}/members", members, HTTP_PERM_ARTIST_VIEWER, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_POST, "/v1/artists/{id}/members", add_member, HTTP_PERM_ARTIST_OWNER, member_body, 0, false, HTTP_SCOPE_NONE},
    {HTTP_PATCH, "/v1/artists/{id}/members/{user_id}", set_member, HTTP_PERM_ARTIST_OWNER, role_body, 0, false,
     HTTP_SCOPE_NONE},
    {HTTP_DELETE, "/v1/artists/{id}/members/{user_id}", remove_member, HTTP_PERM_ARTIST_OWNER, NULL, 0, false,
     HTTP_SCOPE_NONE},
    {0},
};
