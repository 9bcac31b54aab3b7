/* The routes the server answers for operators: health, readiness, metrics. */
#include "http/http_int.h"
#include "obs/obs.h"

#include <string.h>

#define METRICS_MAX (4u << 20)

static void healthz(http_req *req)
{
    static const char ok[] = "{\"status\":\"ok\"}";
    http_reply_static(req, 200, "application/json", ok, sizeof(ok) - 1);
}

static void readyz(http_req *req)
{
    char why[256];
    if (!obs_ready(why, sizeof(why))) {
        http_reply_problem(req, HTTP_PROBLEM_UNAVAILABLE, "not ready: %s", why);
        return;
    }
    static const char ready[] = "{\"status\":\"ready\"}";
    http_reply_static(req, 200, "application/json", ready, sizeof(ready) - 1);
}

static void metrics(http_req *req)
{
    buf b;
    buf_init(&b, METRICS_MAX);
    if (obs_metrics_render(&b) < 0)
        http_reply_problem(req, HTTP_PROBLEM_INTERNAL, "metrics larger than %u bytes", METRICS_MAX);
    else
        http_reply_bytes(req, 200, "text/plain; version=0.0.4; charset=utf-8", b.data ? b.data : "", b.len);
    buf_release(&b);
}

const http_route http_ops_routes[] = {
    {HTTP_GET, "/healthz", healthz, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_GET, "/readyz", readyz, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {HTTP_GET, "/metrics", metrics, HTTP_PERM_PUBLIC, NULL, 0, false, HTTP_SCOPE_NONE},
    {0},
};
