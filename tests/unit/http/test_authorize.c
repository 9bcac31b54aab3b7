/* Unit tests for the permission step of src/http/middleware.c: PUBLIC passes, other
 * permissions go to the installed authorizer, or get 403 without one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "http/middleware.c"

static int calls;

static void h(http_req *req)
{
    (void)req;
}

static bool deny(http_req *req, http_perm perm)
{
    calls++;
    http_reply_problem(req, HTTP_PROBLEM_UNAUTHORIZED, "permission %d needs a token", (int)perm);
    return false;
}

static bool allow(http_req *req, http_perm perm)
{
    (void)perm;
    calls++;
    http_req_set_auth(req, &calls);
    return true;
}

static void check(http_authorizer fn, http_perm perm, bool want_pass, int want_status)
{
    http_route route = {HTTP_GET, "/x", h, perm, NULL, 0, false};
    http_router router = {0};
    http_server srv = {0};
    http_req req = {0};
    router.authorize = fn;
    srv.router = &router;
    req.srv = &srv;
    req.path = "/x";
    req.fd = -1;
    req.match.route = &route;
    strcpy(req.id, "test");
    assert_int_equal(authorized(&req), want_pass);
    assert_int_equal(req.replied ? req.status : 0, want_status);
    if (want_pass && perm != HTTP_PERM_PUBLIC)
        assert_ptr_equal(http_req_auth(&req), &calls);
    free(req.data);
    arena_free(req.arena);
}

static void test_authorize(void **state)
{
    (void)state;
    calls = 0;
    check(NULL, HTTP_PERM_PUBLIC, true, 0);
    check(deny, HTTP_PERM_PUBLIC, true, 0); /* PUBLIC never asks */
    assert_int_equal(calls, 0);
    check(NULL, (http_perm)1, false, 403); /* no authorizer: refused */
    check(deny, (http_perm)1, false, 401);
    check(allow, (http_perm)1, true, 0);
    assert_int_equal(calls, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_authorize),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
