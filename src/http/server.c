/* The libmicrohttpd daemon: epoll, a thread pool, and the access handler that drives
 * each request through the middleware to its handler. */
#include "http/http_int.h"
#include "obs/obs.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define HTTP_WORKERS 4           /* threads for slow routes */
#define HTTP_WORKER_QUEUE 1024   /* slow requests waiting for one; more get a 503 */
#define HTTP_HEADER_MEMORY 32768 /* per connection; bigger headers get MHD's 431 */

/* Suspends req and hands it to a worker; replies 503 when they are all busy. */
static enum MHD_Result go_slow(http_req *req)
{
    atomic_store(&req->stage, HTTP_STAGE_SLOW);
    MHD_suspend_connection(req->conn);
    if (http_workers_push(&req->srv->workers, req))
        return MHD_YES;
    MHD_resume_connection(req->conn);
    atomic_store(&req->stage, HTTP_STAGE_NEW);
    http_reply_problem(req, HTTP_PROBLEM_UNAVAILABLE, "all workers are busy; retry shortly");
    return http_reply_queue(req);
}

/* libmicrohttpd calls this once when the headers are in, once per piece of body, once at
 * the end, and again after a resume. In 0.9.75 a reply queued on the first call closes
 * keep-alive, so only rejections that should close the connection answer there. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **ctx)
{
    (void)version;
    http_server *s = cls;
    http_req *req = *ctx;
    if (!req) {
        if (!(req = http_req_begin(s, conn, url, method)))
            return MHD_NO;
        *ctx = req;
        atomic_fetch_add(&s->in_flight, 1);
        obs_http_in_flight(1);
        return http_mw_early(req) ? http_reply_queue(req) : MHD_YES;
    }
    if (*upload_size) {
        http_mw_body(req, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    switch (atomic_load(&req->stage)) {
    case HTTP_STAGE_SLOW:
        return MHD_YES;
    case HTTP_STAGE_SLOW_DONE:
        return http_reply_queue(req);
    case HTTP_STAGE_QUEUED:
        return MHD_YES;
    case HTTP_STAGE_NEW:
        break;
    }
    if (!req->replied && http_mw_before(req)) {
        if (req->match.route->slow)
            return go_slow(req);
        http_run_handler(req);
    }
    return http_reply_queue(req);
}

static void access_log(const http_req *req, enum MHD_RequestTerminationCode toe, int64_t ns)
{
    buf f;
    buf_init(&f, 8192);
    buf_puts(&f, "\"method\":");
    buf_json_str(&f, req->method_name);
    buf_puts(&f, ",\"route\":");
    if (req->match.route)
        buf_json_str(&f, req->match.route->path);
    else
        buf_puts(&f, "null");
    buf_puts(&f, ",\"path\":");
    buf_json_str(&f, req->path);
    buf_printf(&f, ",\"status\":%d,\"duration_ms\":%.3f,\"bytes\":%zu,\"ip\":\"%s\"", req->replied ? req->status : 0,
               (double)ns / 1e6, req->bytes, req->ip);
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
        buf_printf(&f, ",\"aborted\":%d", (int)toe);
    log_set_request_id(req->id);
    log_write(LOG_INFO, f.data, "request");
    log_set_request_id(NULL);
    buf_release(&f);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **ctx, enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    http_server *s = cls;
    http_req *req = *ctx;
    if (!req)
        return;
    int64_t ns = base_mono_ns() - req->start_ns;
    access_log(req, toe, ns);
    obs_http_observe(req->match.route ? req->match.obs_id : OBS_ROUTE_UNMATCHED, req->replied ? req->status : 0, ns);
    obs_http_in_flight(-1);
    http_req_end(req);
    *ctx = NULL;
    atomic_fetch_sub(&s->in_flight, 1);
}

/* Paths stay percent-encoded: the router splits on '/' first and decodes each parameter
 * itself, so an encoded slash never becomes a separator. */
static size_t keep_escaped(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    size_t n = strlen(msg);
    while (n && msg[n - 1] == '\n')
        msg[--n] = '\0';
    log_warn("libmicrohttpd: %s", msg);
}

static int listen_addr(const config *cfg, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof(*ss));
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, cfg->listen_host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)cfg->listen_port);
        return AF_INET;
    }
    if (inet_pton(AF_INET6, cfg->listen_host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)cfg->listen_port);
        return AF_INET6;
    }
    return -1;
}

static struct MHD_Daemon *start_daemon(http_server *s, const struct sockaddr_storage *ss, int family)
{
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    if (family == AF_INET6)
        flags |= MHD_USE_IPv6;
    const config *cfg = s->cfg;
    /* the logger goes first so that no message escapes to MHD's own stderr writer */
    return MHD_start_daemon(
        flags, (uint16_t)cfg->listen_port, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, ss, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads, MHD_OPTION_CONNECTION_LIMIT,
        cfg->conn_limit, MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_conn_limit, MHD_OPTION_CONNECTION_TIMEOUT,
        cfg->timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_HEADER_MEMORY, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, s, MHD_OPTION_UNESCAPE_CALLBACK, keep_escaped, NULL, MHD_OPTION_END);
}

http_server *http_server_start(const config *cfg, const http_router *router, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    int family = listen_addr(cfg, &ss);
    http_server *s = calloc(1, sizeof(*s));
    if (!s || family < 0) {
        snprintf(err, errlen, s ? "listen: bad address %s" : "out of memory", cfg->listen_host);
        free(s);
        return NULL;
    }
    s->cfg = cfg;
    s->router = router;
    if (http_workers_start(&s->workers, HTTP_WORKERS, HTTP_WORKER_QUEUE) < 0) {
        snprintf(err, errlen, "could not start the worker threads");
        free(s);
        return NULL;
    }
    if (!(s->daemon = start_daemon(s, &ss, family))) {
        snprintf(err, errlen, "could not listen on %s:%d (in use, or not an address of this host?)", cfg->listen_host,
                 cfg->listen_port);
        http_workers_stop(&s->workers);
        free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : cfg->listen_port;
    return s;
}

int http_server_port(const http_server *s)
{
    return s->port;
}

int http_server_stop(http_server *s, int grace_ms)
{
    if (!s)
        return 0;
    MHD_socket fd = MHD_quiesce_daemon(s->daemon); /* no new connections from here on */
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    int64_t deadline = base_mono_ns() + (int64_t)grace_ms * 1000000;
    while (atomic_load(&s->in_flight) > 0 && base_mono_ns() < deadline)
        usleep(5000);
    int left = atomic_load(&s->in_flight);
    if (left > 0) {
        /* A handler still runs and may touch the daemon: leave it all to process exit. */
        log_error("shutdown: %d request(s) still running after %d ms", left, grace_ms);
        return -1;
    }
    http_workers_stop(&s->workers);
    MHD_stop_daemon(s->daemon);
    free(s);
    return 0;
}
