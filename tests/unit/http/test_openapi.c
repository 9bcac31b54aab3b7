/* The OpenAPI document is the contract: every route in the table is in it, and every
 * operation in it is a route. Also checks the asset-name guard of /docs/assets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cmd/cmd.h"
#include "http/http_int.h"

/* "/docs/assets/{path...}" is written "/docs/assets/{path}" in OpenAPI. */
static void spec_path(const char *pattern, char *out, size_t n)
{
    snprintf(out, n, "%s", pattern);
    char *rest = strstr(out, "...}");
    if (rest)
        memmove(rest, rest + 3, strlen(rest + 3) + 1);
}

static json_t *load_spec(void)
{
    size_t len;
    const char *doc = http_openapi(&len);
    assert_int_equal(strlen(doc), len);
    json_error_t je;
    json_t *spec = json_loadb(doc, len, JSON_REJECT_DUPLICATES, &je);
    if (!spec)
        fail_msg("docs/openapi.json: %s at line %d", je.text, je.line);
    assert_string_equal(json_string_value(json_object_get(spec, "openapi")), "3.1.0");
    return spec;
}

static void test_routes_match_spec(void **state)
{
    (void)state;
    char err[256], path[256], method[16];
    http_router *r = http_router_new();
    assert_int_equal(cmd_routes_add(r, err, sizeof(err)), 0);
    json_t *spec = load_spec();
    json_t *paths = json_object_get(spec, "paths");
    assert_true(json_is_object(paths));
    int missing = 0;
    /* table -> spec */
    for (size_t i = 0; i < http_router_count(r); i++) {
        const http_route *route = http_router_get(r, i);
        spec_path(route->path, path, sizeof(path));
        snprintf(method, sizeof(method), "%s", http_method_name(route->method));
        for (char *p = method; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        json_t *op = json_object_get(json_object_get(paths, path), method);
        if (!op) {
            print_error("route %s %s is not in docs/openapi.json\n", http_method_name(route->method), route->path);
            missing++;
            continue;
        }
        /* the permission and API-key scope the role-matrix test reads from the spec */
        static const char *const perms[] = {"public",        "user",          "admin",
                                            "artist-viewer", "artist-editor", "artist-owner"};
        static const char *const scopes[] = {"none", "read", "ingest", "write"};
        const char *perm = json_string_value(json_object_get(op, "x-permission"));
        const char *scope = json_string_value(json_object_get(op, "x-key-scope"));
        if (!perm || strcmp(perm, perms[route->perm]) != 0 || !scope || strcmp(scope, scopes[route->key_scope]) != 0) {
            print_error("%s %s: x-permission/x-key-scope should be %s/%s\n", http_method_name(route->method),
                        route->path, perms[route->perm], scopes[route->key_scope]);
            missing++;
        }
    }
    /* spec -> table */
    const char *key;
    json_t *item;
    json_object_foreach(paths, key, item)
    {
        static const char *const verbs[] = {"get", "put", "post", "delete", "patch", "head", "options", "trace"};
        for (size_t v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++) {
            if (!json_object_get(item, verbs[v]))
                continue;
            bool found = false;
            for (size_t i = 0; i < http_router_count(r) && !found; i++) {
                const http_route *route = http_router_get(r, i);
                spec_path(route->path, path, sizeof(path));
                found = strcmp(path, key) == 0 && strcasecmp(http_method_name(route->method), verbs[v]) == 0;
            }
            if (!found) {
                print_error("docs/openapi.json has %s %s, which no route answers\n", verbs[v], key);
                missing++;
            }
        }
    }
    assert_int_equal(missing, 0);
    json_decref(spec);
    http_router_free(r);
}

static void test_asset_names(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        bool ok;
    } cases[] = {
        {"redoc.standalone.js", true},
        {"a/b.css", true},
        {"..", false},
        {"../etc/passwd", false},
        {"a/../b.js", false},
        {".hidden", false},
        {"a/.b", false},
        {"/abs.js", false},
        {"a//b.js", false},
        {"a/", false},
        {"", false},
        {"a b.js", false},
        {"a\\b.js", false},
        {"-rf.js", false},
        {"a%2e.js", false},
        {"x.js\n", false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (http_asset_name_ok(cases[i].name) != cases[i].ok)
            fail_msg("asset name '%s': expected %s", cases[i].name, cases[i].ok ? "ok" : "refused");
}

static void test_problem_types(void **state)
{
    (void)state;
    /* every kind has its own status and a stable, distinct type */
    for (int i = 0; i < HTTP_PROBLEM_COUNT_; i++) {
        assert_true(http_problem_status(i) >= 400 && http_problem_status(i) <= 599);
        assert_true(strncmp(http_problem_type(i), "urn:roadie:problem:", 19) == 0);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(http_problem_type(i), http_problem_type(j));
    }
    assert_int_equal(http_problem_status(HTTP_PROBLEM_TOO_LARGE), 413);
    assert_int_equal(http_problem_status(HTTP_PROBLEM_INVALID), 422);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes_match_spec),
        cmocka_unit_test(test_asset_names),
        cmocka_unit_test(test_problem_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
