/* The steps every request goes through around its handler, in order: CORS, route
 * (404/405), body limit (413), content type (415), JSON (400), schema (422), permission,
 * path parameters; then the headers every reply carries. */
#include "http/http_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static size_t route_limit(const http_route *route, const config *cfg)
{
    if (!route->body)
        return 0; /* routes without a schema take no body */
    return route->body_limit ? route->body_limit : cfg->body_limit;
}

static bool origin_allowed(const config *cfg, const char *origin);

bool http_mw_early(http_req *req)
{
    const char *origin = http_req_header(req, "Origin");
    if (origin && origin_allowed(req->srv->cfg, origin))
        req->origin = origin;
    if (req->match_rc == 200) {
        req->body_limit = route_limit(req->match.route, req->srv->cfg);
        req->body.max = req->body_limit;
    }
    const char *cl = http_req_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (!cl || req->match_rc != 200)
        return false;
    errno = 0;
    char *end;
    unsigned long long n = strtoull(cl, &end, 10);
    if (errno || *end || n <= req->body_limit)
        return false;
    http_reply_problem(req, HTTP_PROBLEM_TOO_LARGE, "the body has %llu bytes; this route accepts at most %zu", n,
                       req->body_limit);
    return true;
}

void http_mw_body(http_req *req, const char *data, size_t n)
{
    if (req->body_over)
        return;
    if (buf_append(&req->body, data, n) < 0)
        req->body_over = true; /* drop the rest; 413 when the request is complete */
}

static bool origin_allowed(const config *cfg, const char *origin)
{
    for (size_t i = 0; i < cfg->n_cors_origins; i++)
        if (strcmp(cfg->cors_origins[i], "*") == 0 || strcmp(cfg->cors_origins[i], origin) == 0)
            return true;
    return false;
}

/* An OPTIONS request on a known path: a CORS preflight when it asks for one. */
static void options(http_req *req)
{
    const char *want = http_req_header(req, "Access-Control-Request-Method");
    if (req->origin && want) {
        char allow[96];
        http_allow_format(req->match.allow, allow, sizeof(allow));
        http_reply_header(req, "Access-Control-Allow-Methods", allow);
        http_reply_header(req, "Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id");
        http_reply_header(req, "Access-Control-Max-Age", "600");
    }
    http_reply_empty(req, 204);
}

static bool json_media_type(const char *ct)
{
    if (!ct)
        return false;
    size_t n = strcspn(ct, "; \t");
    return n == 16 && strncasecmp(ct, "application/json", 16) == 0;
}

/* Content type, JSON, schema. True when the body is good. */
static bool body_ok(http_req *req)
{
    const http_route *route = req->match.route;
    if (req->body_over || (!route->body && req->body.len > 0)) {
        http_reply_problem(req, HTTP_PROBLEM_TOO_LARGE, "this route accepts at most %zu body bytes", req->body_limit);
        return false;
    }
    if (!route->body)
        return true;
    if (req->body.len > 0 && !json_media_type(http_req_header(req, MHD_HTTP_HEADER_CONTENT_TYPE))) {
        http_reply_problem(req, HTTP_PROBLEM_MEDIA_TYPE, "send the body as application/json");
        return false;
    }
    json_parse_error perr;
    req->json = json_body_parse(req->body.data, req->body.len, req->body_limit, &perr);
    if (!req->json) {
        if (perr.code == JSON_ENOMEM)
            http_reply_problem(req, HTTP_PROBLEM_INTERNAL, "out of memory");
        else
            http_reply_problem(req, HTTP_PROBLEM_BAD_JSON, "%s", perr.text);
        return false;
    }
    json_issues issues = {0};
    if (!json_schema_check(req->json, route->body, &issues)) {
        http_reply_invalid(req, &issues);
        return false;
    }
    return true;
}

static http_authorizer authorizer;

void http_set_authorizer(http_authorizer fn)
{
    authorizer = fn;
}

static bool authorized(http_req *req)
{
    if (req->match.route->perm == HTTP_PERM_PUBLIC)
        return true;
    if (authorizer)
        return authorizer(req, req->match.route);
    http_reply_problem(req, HTTP_PROBLEM_FORBIDDEN, "this route needs a permission the server does not know");
    return false;
}

static bool params_ok(http_req *req)
{
    for (size_t i = 0; i < req->match.nparams; i++) {
        const http_param *p = &req->match.params[i];
        arena *a = http_req_arena(req);
        req->params[i] = a ? http_pct_decode(a, p->value, p->len, false) : NULL;
        if (!req->params[i] || !http_utf8_valid(req->params[i])) {
            http_reply_problem(req, HTTP_PROBLEM_BAD_PATH, "path parameter '%.*s' is not valid percent-encoded UTF-8",
                               (int)p->name_len, p->name);
            return false;
        }
    }
    return true;
}

bool http_mw_before(http_req *req)
{
    if (req->method == HTTP_OPTIONS && req->match.allow) {
        options(req);
        return false;
    }
    if (req->match_rc == 404) {
        http_reply_problem(req, HTTP_PROBLEM_NOT_FOUND, "no route matches %s %s", req->method_name, req->path);
        return false;
    }
    if (req->match_rc == 405) {
        http_reply_problem(req, HTTP_PROBLEM_METHOD, "%s is not allowed on %s", req->method_name, req->path);
        return false;
    }
    return params_ok(req) && authorized(req) && body_ok(req);
}

/* The Date header (RFC 9110 IMF-fixdate), formatted once a second per thread; the server
 * tells libmicrohttpd not to add its own, which it formats for every reply. */
static const char *http_date(void)
{
    static _Thread_local time_t cached = -1;
    static _Thread_local char text[32];
    static const char days[][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t now = time(NULL);
    if (now != cached) {
        struct tm tm;
        gmtime_r(&now, &tm);
        snprintf(text, sizeof(text), "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7], tm.tm_mday,
                 months[tm.tm_mon % 12], (tm.tm_year + 1900) % 10000, tm.tm_hour, tm.tm_min, tm.tm_sec);
        cached = now;
    }
    return text;
}

static void default_header(http_req *req, const char *name, const char *value)
{
    if (!http_reply_header_get(req, name))
        http_reply_header_static(req, name, value);
}

void http_mw_finish_headers(http_req *req)
{
    http_reply_header_static(req, "Date", http_date());     /* this thread's; MHD copies it at once */
    http_reply_header_static(req, "X-Request-Id", req->id); /* lives as long as req */
    http_reply_header_static(req, "X-Content-Type-Options", "nosniff");
    http_reply_header_static(req, "X-Frame-Options", "DENY");
    http_reply_header_static(req, "Referrer-Policy", "no-referrer");
    default_header(req, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    default_header(req, "Cache-Control", "no-store");
    if (atomic_load_explicit(&req->srv->accept_stop, memory_order_relaxed))
        http_reply_header_static(req, "Connection", "close"); /* shutting down: no keep-alive */
    if (req->status == 405 || (req->method == HTTP_OPTIONS && req->match.allow)) {
        char allow[96];
        http_allow_format(req->match.allow, allow, sizeof(allow));
        http_reply_header(req, "Allow", allow);
    }
    if (req->origin) {
        /* echoed even when '*' is configured: one code path, and caches keyed by Vary */
        http_reply_header_static(req, "Access-Control-Allow-Origin", req->origin); /* MHD's, lives as long */
        http_reply_header_static(req, "Access-Control-Expose-Headers",
                                 "X-Request-Id, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After");
    }
    /* With CORS on, every reply depends on Origin, those without Access-Control-Allow-Origin
     * too: a shared cache must not hand one of them (a cacheable docs asset fetched without
     * Origin) to an allowed origin. */
    if (req->srv->cfg->n_cors_origins > 0)
        http_reply_header_static(req, "Vary", "Origin");
}
