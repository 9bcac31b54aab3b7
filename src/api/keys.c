/* api/keys: API keys for machine clients, scoped to one artist, shown once, stored hashed. */
#include "api/api_int.h"

#include <stdio.h>
#include <string.h>

static const char *const scope_names[] = {"read", "ingest", "write", NULL};

static void create(http_req *req)
{
    const json_t *b = http_req_body(req);
    const api_principal *p = api_caller(req);
    const json_t *scopes = json_object_get(b, "scopes");
    char list[64] = "", key[CRYPTO_TOKEN_MAX], hash[CRYPTO_SHA256_HEX], prefix[CRYPTO_TOKEN_MAX], id[BASE_ID_LEN];
    for (int s = 0; scope_names[s]; s++) /* a canonical, de-duplicated list */
        for (size_t i = 0; i < json_array_size(scopes); i++)
            if (strcmp(json_string_value(json_array_get(scopes, i)), scope_names[s]) == 0) {
                snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", list[0] ? "," : "", scope_names[s]);
                break;
            }
    base_id_new(id);
    crypto_token_new("rk_", key);
    crypto_sha256_hex(key, hash);
    crypto_token_public(key, prefix);
    db *d = api_db(req);
    if (!d)
        return;
    if (store_key_insert(d, id, p->artist_id, json_str_or(b, "name", ""), prefix, hash, list, p->user.id) != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    api_audit(req, d, p->user.id, "key.created", id, NULL, NULL);
    json_t *sc = json_array();
    for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ","))
        json_array_append_new(sc, json_string(tok));
    http_reply_json(req, 201,
                    json_pack("{s:s, s:s, s:s, s:o, s:s, s:s}", "id", id, "name", json_str_or(b, "name", ""), "prefix",
                              prefix, "scopes", sc, "key", key, "note", "the key is shown only now; store it safely"));
}

static void list(http_req *req)
{
    db *d = api_db(req);
    db_res *r;
    if (!d)
        return;
    if (store_key_list(d, api_caller(req)->artist_id, &r) != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < db_res_rows(r); i++) {
        json_t *sc = json_array();
        char scopes[64];
        snprintf(scopes, sizeof(scopes), "%s", db_res_text(r, i, 3));
        for (char *tok = strtok(scopes, ","); tok; tok = strtok(NULL, ","))
            json_array_append_new(sc, json_string(tok));
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "id", db_res_text(r, i, 0),
                                               "name", db_res_text(r, i, 1), "prefix", db_res_text(r, i, 2), "scopes",
                                               sc, "created_at", api_time_json(r, i, 4), "last_used_at",
                                               api_time_json(r, i, 5), "revoked_at", api_time_json(r, i, 6)));
    }
    db_res_free(r);
    http_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

static void revoke(http_req *req)
{
    const api_principal *p = api_caller(req);
    const char *key = http_req_param(req, "key_id");
    db *d = api_db(req);
    if (!d)
        return;
    if (store_key_revoke(d, p->artist_id, key) != DB_OK) {
        api_db_fail(req, d);
        return;
    }
    if (db_changes(d) == 0) {
        http_reply_problem(req, HTTP_PROBLEM_NOT_FOUND, "no such live API key");
        return;
    }
    api_audit(req, d, p->user.id, "key.revoked", key, NULL, NULL);
    http_reply_empty(req, 204);
}

static const json_field scope_item = JSON_FIELD(NULL, JSON_KIND_STRING, .choices = scope_names);
static const json_field key_body[] = {
    JSON_FIELD("name", JSON_KIND_STRING, .required = true, .min_len = 1, .max_len = 100),
    JSON_FIELD("scopes", JSON_KIND_ARRAY, .required = true, .min_len = 1, .max_len = 3, .items = &scope_item),
    JSON_FIELDS_END,
};

const http_route api_key_routes[] = {
    {HTTP_POST, "/v1/artists/{id}/api-keys", create, HTTP_PERM_ARTIST_OWNER, key_body, 0, false, HTTP_SCOPE_NONE},
    {HTTP_GET, "/v1/artists/{id}/api-keys", list, HTTP_PERM_ARTIST_OWNER, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_DELETE, "/v1/artists/{id}/api-keys/{key_id}", revoke, HTTP_PERM_ARTIST_OWNER, NULL, 0, false,
     HTTP_SCOPE_NONE},
    {0},
};
