/* Unit tests for src/http/route.c (the matcher) and request.c's pure helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_int.h"

static void h(http_req *req)
{
    (void)req;
}

static const http_route table[] = {
    {HTTP_GET, "/", h, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_GET, "/healthz", h, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_GET, "/v1/tracks/{id}", h, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_DELETE, "/v1/tracks/{id}", h, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_GET, "/v1/tracks/search", h, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_POST, "/v1/tracks", h, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_GET, "/v1/artists/{artist_id}/tracks/{track_id}", h, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_GET, "/docs/assets/{path...}", h, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {0},
};

static void test_match_table(void **state)
{
    (void)state;
    char err[256];
    http_router *r = http_router_new();
    assert_int_equal(http_router_add(r, table, err, sizeof(err)), 0);
    static const struct {
        http_method m;
        const char *path;
        int rc;
        const char *route;   /* matched pattern when rc is 200 */
        const char *p1, *p2; /* raw values of the first two params */
        const char *allow;   /* Allow for 405 */
    } cases[] = {
        {HTTP_GET, "/", 200, "/", NULL, NULL, NULL},
        {HTTP_GET, "/healthz", 200, "/healthz", NULL, NULL, NULL},
        {HTTP_HEAD, "/healthz", 200, "/healthz", NULL, NULL, NULL},
        {HTTP_GET, "/healthz/", 404, NULL, NULL, NULL, NULL},
        {HTTP_GET, "/healthzz", 404, NULL, NULL, NULL, NULL},
        {HTTP_GET, "//healthz", 404, NULL, NULL, NULL, NULL},
        {HTTP_GET, "", 404, NULL, NULL, NULL, NULL},
        {HTTP_GET, "healthz", 404, NULL, NULL, NULL, NULL},
        {HTTP_POST, "/healthz", 405, NULL, NULL, NULL, "GET, HEAD, OPTIONS"},
        {HTTP_GET, "/v1/tracks/abc", 200, "/v1/tracks/{id}", "abc", NULL, NULL},
        {HTTP_DELETE, "/v1/tracks/abc", 200, "/v1/tracks/{id}", "abc", NULL, NULL},
        {HTTP_GET, "/v1/tracks/search", 200, "/v1/tracks/search", NULL, NULL, NULL}, /* literal wins */
        {HTTP_DELETE, "/v1/tracks/search", 200, "/v1/tracks/{id}", "search", NULL, NULL},
        {HTTP_GET, "/v1/tracks/a%2Fb", 200, "/v1/tracks/{id}", "a%2Fb", NULL, NULL},
        {HTTP_GET, "/v1/tracks/", 404, NULL, NULL, NULL, NULL}, /* empty param */
        {HTTP_GET, "/v1/tracks/a/b", 404, NULL, NULL, NULL, NULL},
        {HTTP_PUT, "/v1/tracks/x", 405, NULL, NULL, NULL, "GET, HEAD, DELETE, OPTIONS"},
        {HTTP_GET, "/v1/tracks", 405, NULL, NULL, NULL, "POST, OPTIONS"},
        {HTTP_GET, "/v1/artists/ar1/tracks/tr2", 200, "/v1/artists/{artist_id}/tracks/{track_id}", "ar1", "tr2", NULL},
        {HTTP_GET, "/docs/assets/a/b.css", 200, "/docs/assets/{path...}", "a/b.css", NULL, NULL},
        {HTTP_GET, "/docs/assets/", 404, NULL, NULL, NULL, NULL},
        {HTTP_OPTIONS, "/healthz", 405, NULL, NULL, NULL, "GET, HEAD, OPTIONS"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        http_match m;
        int rc = http_router_match(r, cases[i].m, cases[i].path, strlen(cases[i].path), &m);
        assert_int_equal(rc, cases[i].rc);
        if (rc == 200) {
            assert_string_equal(m.route->path, cases[i].route);
            assert_true(m.obs_id > 0);
            const char *want[2] = {cases[i].p1, cases[i].p2};
            size_t n = cases[i].p2 ? 2 : cases[i].p1 ? 1 : 0;
            assert_int_equal(m.nparams, n);
            for (size_t k = 0; k < n; k++) {
                assert_int_equal(m.params[k].len, strlen(want[k]));
                assert_memory_equal(m.params[k].value, want[k], m.params[k].len);
            }
        } else {
            assert_null(m.route);
            char allow[96];
            http_allow_format(m.allow, allow, sizeof(allow));
            assert_string_equal(allow, cases[i].allow ? cases[i].allow : "");
        }
    }
    assert_int_equal(http_router_count(r), 8);
    assert_string_equal(http_router_get(r, 2)->path, "/v1/tracks/{id}");
    assert_null(http_router_get(r, 8));
    http_router_free(r);
}

static void test_bad_patterns(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",        "healthz",
        "/a/{}",   "/a/{Id}",
        "/a/{1x}", "/a/{rest...}/b",
        "/a b",    "/a/%20",
        "/a/{id",  "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        http_route t[] = {{HTTP_GET, bad[i], h, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE}, {0}};
        char err[256] = "";
        http_router *r = http_router_new();
        assert_int_equal(http_router_add(r, t, err, sizeof(err)), -1);
        assert_true(err[0] != '\0');
        http_router_free(r);
    }
    /* same method and shape twice, whatever the param names */
    http_route dup[] = {{HTTP_GET, "/x/{a}", h, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
                        {HTTP_GET, "/x/{b}", h, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
                        {0}};
    char err[256];
    http_router *r = http_router_new();
    assert_int_equal(http_router_add(r, dup, err, sizeof(err)), -1);
    http_router_free(r);
    http_route nohandler[] = {{HTTP_GET, "/x", NULL, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE}, {0}};
    r = http_router_new();
    assert_int_equal(http_router_add(r, nohandler, err, sizeof(err)), -1);
    http_router_free(r);
}

static void test_pct_decode(void **state)
{
    (void)state;
    arena *a = arena_new();
    static const struct {
        const char *in;
        bool plus;
        const char *want; /* NULL: rejected */
    } cases[] = {
        {"abc", false, "abc"},         {"a%2Fb", false, "a/b"}, {"a%2fb", false, "a/b"},
        {"a+b", false, "a+b"},         {"a+b", true, "a b"},    {"%", false, NULL},
        {"%4", false, NULL},           {"%zz", false, NULL},    {"%00", false, NULL},
        {"%C3%A9", false, "\xC3\xA9"}, {"", false, ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *out = http_pct_decode(a, cases[i].in, strlen(cases[i].in), cases[i].plus);
        if (cases[i].want)
            assert_string_equal(out, cases[i].want);
        else
            assert_null(out);
    }
    arena_free(a);
}

static void test_utf8(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        bool ok;
    } cases[] = {
        {"", true},
        {"plain", true},
        {"caf\xC3\xA9", true},
        {"\xE2\x82\xAC", true},     /* euro sign */
        {"\xF0\x9F\x8E\xB5", true}, /* musical note, 4 bytes */
        {"\xFF", false},
        {"\xC3", false},             /* cut short */
        {"\xC0\xAF", false},         /* overlong '/' */
        {"\xE0\x80\xAF", false},     /* overlong */
        {"\xED\xA0\x80", false},     /* surrogate */
        {"\xF4\x90\x80\x80", false}, /* past U+10FFFF */
        {"a\x80", false},            /* stray continuation */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (http_utf8_valid(cases[i].s) != cases[i].ok)
            fail_msg("case %zu: expected %s", i, cases[i].ok ? "valid" : "invalid");
}

static void test_request_ids(void **state)
{
    (void)state;
    assert_true(http_id_sane("abc-DEF_1.2"));
    assert_false(http_id_sane(""));
    assert_false(http_id_sane("a b"));
    assert_false(http_id_sane("a\nb"));
    assert_false(http_id_sane("x\"y"));
    char longid[HTTP_ID_MAX + 2];
    memset(longid, 'a', sizeof(longid) - 1);
    longid[HTTP_ID_MAX + 1] = '\0';
    assert_false(http_id_sane(longid));
    longid[HTTP_ID_MAX] = '\0';
    assert_true(http_id_sane(longid));
    char a[HTTP_ID_MAX + 1], b[HTTP_ID_MAX + 1];
    http_id_new(a);
    http_id_new(b);
    assert_true(http_id_sane(a));
    assert_string_not_equal(a, b);
    assert_int_equal(strlen(a), 23);
}

static void test_client_ip(void **state)
{
    (void)state;
    config cfg = {0};
    assert_int_equal(config_parse_cidrs("10.0.0.0/8, ::1", &cfg.trusted_proxies), 2);
    cfg.n_trusted_proxies = 2;
    struct sockaddr_in proxy = {.sin_family = AF_INET}, outsider = {.sin_family = AF_INET};
    inet_pton(AF_INET, "10.1.2.3", &proxy.sin_addr);
    inet_pton(AF_INET, "203.0.113.9", &outsider.sin_addr);
    static const struct {
        bool via_proxy;
        const char *xff, *want;
    } cases[] = {
        {false, "1.2.3.4", "203.0.113.9"},               /* not from a proxy: header ignored */
        {true, NULL, "10.1.2.3"},                        /* proxy without the header */
        {true, "1.2.3.4", "1.2.3.4"},                    /* one hop */
        {true, "6.6.6.6, 1.2.3.4, 10.0.0.7", "1.2.3.4"}, /* client forged the first entry */
        {true, "10.0.0.1, 10.0.0.2", "10.0.0.1"},        /* all ours: the first one */
        {true, "1.2.3.4, garbage", "10.1.2.3"},          /* malformed: stop at the proxy */
        {true, " 2001:db8::1 ", "2001:db8::1"},
        {true, "", "10.1.2.3"},
        {true, "255.0.10.99", "255.0.10.99"},
        {true, "0.0.0.0", "0.0.0.0"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[INET6_ADDRSTRLEN];
        const struct sockaddr *peer = cases[i].via_proxy ? (struct sockaddr *)&proxy : (struct sockaddr *)&outsider;
        http_client_ip(&cfg, peer, cases[i].xff, out);
        assert_string_equal(out, cases[i].want);
    }
    free(cfg.trusted_proxies);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match_table), cmocka_unit_test(test_bad_patterns), cmocka_unit_test(test_pct_decode),
        cmocka_unit_test(test_utf8),        cmocka_unit_test(test_request_ids),  cmocka_unit_test(test_client_ip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
