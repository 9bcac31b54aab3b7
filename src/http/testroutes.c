/* Routes that exist only for the integration suite (ROADIE_TEST_ROUTES=1): a JSON body
 * with a schema and a small body limit, a slow handler, path and query parameters. They
 * drive the shared middleware the way real routes will, before real routes exist. */
#include "http/http_int.h"

#include <stdlib.h>
#include <time.h>

static const json_field city[] = {
    JSON_FIELD("city", JSON_KIND_STRING, .required = true, .min_len = 1, .max_len = 40),
    JSON_FIELDS_END,
};
static const json_field tag = JSON_FIELD(NULL, JSON_KIND_STRING, .min_len = 1, .max_len = 16);
static const json_field echo_body[] = {
    JSON_FIELD("name", JSON_KIND_STRING, .required = true, .min_len = 1, .max_len = 32),
    JSON_FIELD("count", JSON_KIND_INT, .ranged = true, .min = 0, .max = 100),
    JSON_FIELD("tags", JSON_KIND_ARRAY, .max_len = 5, .items = &tag),
    JSON_FIELD("address", JSON_KIND_OBJECT, .fields = city),
    JSON_FIELDS_END,
};

static void echo(http_req *req)
{
    http_reply_json(req, 200, json_pack("{s:O}", "echo", http_req_body(req)));
}

static void slow(http_req *req)
{
    const char *ms_text = http_req_query(req, "ms");
    long ms = ms_text ? strtol(ms_text, NULL, 10) : 100;
    if (ms < 0 || ms > 10000) {
        http_reply_problem(req, HTTP_PROBLEM_BAD_REQUEST, "ms must be between 0 and 10000");
        return;
    }
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    http_reply_json(req, 200, json_pack("{s:i}", "slept_ms", (int)ms));
}

static void params(http_req *req)
{
    const char *q = http_req_query(req, "q");
    http_reply_json(
        req, 200, json_pack("{s:s, s:s?, s:s}", "id", http_req_param(req, "id"), "q", q, "route", http_req_route(req)));
}

const http_route http_test_routes[] = {
    {HTTP_POST, "/_test/echo", echo, HTTP_PERM_PUBLIC, echo_body, 2048, false, HTTP_SCOPE_NONE},
    {HTTP_GET, "/_test/slow", slow, HTTP_PERM_PUBLIC, NULL, 0, true, HTTP_SCOPE_NONE},
    {HTTP_GET, "/_test/params/{id}", params, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {0},
};
