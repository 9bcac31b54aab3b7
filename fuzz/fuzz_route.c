/* libFuzzer target: the route matcher. The first byte picks the method, the rest is the
 * request path; matched parameters are percent-decoded and asset names checked, as the
 * server does with them. */
#include "http/http_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void h(http_req *req)
{
    (void)req;
}

static const http_route table[] = {
    {HTTP_GET, "/", h, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_GET, "/healthz", h, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_GET, "/v1/tracks/{id}", h, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_PATCH, "/v1/tracks/{id}", h, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_GET, "/v1/tracks/search", h, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_POST, "/v1/tracks", h, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_GET, "/v1/artists/{artist_id}/tracks/{track_id}", h, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_DELETE, "/v1/artists/{artist_id}/members/{user_id}", h, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_GET, "/docs/assets/{path...}", h, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {0},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static http_router *r;
    static const http_method methods[] = {HTTP_GET,   HTTP_HEAD,   HTTP_POST,   HTTP_PUT,
                                          HTTP_PATCH, HTTP_DELETE, HTTP_OPTIONS};
    char err[128];
    if (!r && (!(r = http_router_new()) || http_router_add(r, table, err, sizeof(err)) < 0))
        abort();
    if (size == 0)
        return 0;
    http_method m = methods[data[0] % 7];
    const char *path = (const char *)data + 1;
    size_t len = size - 1;
    http_match match;
    int rc = http_router_match(r, m, path, len, &match);
    if (rc != 200 && rc != 404 && rc != 405)
        abort();
    if ((rc == 200) != (match.route != NULL) || (rc == 405 && !match.allow) || (rc == 404 && match.allow))
        abort();
    if (rc != 200)
        return 0;
    arena *a = arena_new();
    for (size_t i = 0; i < match.nparams; i++) {
        const http_param *p = &match.params[i];
        if (p->len == 0 || p->value < path || p->value + p->len > path + len)
            abort();
        char *v = http_pct_decode(a, p->value, p->len, false);
        if (v && http_utf8_valid(v) && strcmp(match.route->path, "/docs/assets/{path...}") == 0)
            http_asset_name_ok(v);
    }
    arena_free(a);
    return 0;
}
