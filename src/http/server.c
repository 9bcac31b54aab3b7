/* The libmicrohttpd daemons (epoll, one thread each, fed by the acceptor in listen.c) and
 * the access handler that drives each request through the middleware to its handler. */
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
#define HTTP_HEADER_MEMORY 16384 /* per connection (its pool, zeroed per request); headers past ~12 KiB get 431 */

/* This thread's in-flight counter (threads take them in turn on first use). */
static atomic_int *in_flight(http_server *s)
{
    static _Thread_local int mine = -1;
    static atomic_int next;
    if (mine < 0)
        mine = atomic_fetch_add(&next, 1) % HTTP_SHARDS;
    return &s->in_flight[mine].n;
}

static int in_flight_total(http_server *s)
{
    int n = 0;
    for (int i = 0; i < HTTP_SHARDS; i++)
        n += atomic_load(&s->in_flight[i].n);
    return n;
}

/* Suspends req and hands it to a worker; replies 503 when they are all busy. */
static enum MHD_Result go_slow(http_req *req)
{
    if (!http_workers_reserve(&req->srv->workers)) {
        http_reply_header(req, "Retry-After", "1");
        http_reply_problem(req, HTTP_PROBLEM_UNAVAILABLE, "all workers are busy; retry shortly");
        return http_reply_queue(req);
    }
    /* suspended before it is queued: a worker may resume it at once */
    atomic_store(&req->stage, HTTP_STAGE_SLOW);
    MHD_suspend_connection(req->conn);
    http_workers_push(&req->srv->workers, req);
    return MHD_YES;
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
        atomic_fetch_add_explicit(in_flight(s), 1, memory_order_relaxed);
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

/* The access line's fields, formatted by hand into a stack buffer: this runs once per
 * request and printf was a tenth of the server's CPU. */
typedef struct line {
    char *p, *end;
} line;

static void put(line *l, const char *s, size_t n)
{
    if ((size_t)(l->end - l->p) < n)
        n = (size_t)(l->end - l->p);
    memcpy(l->p, s, n);
    l->p += n;
}

#define PUT(l, lit) put(l, lit, sizeof(lit) - 1)

static void put_uint(line *l, uint64_t v, int min_digits)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v || n < min_digits);
    while (n && l->p < l->end)
        *l->p++ = tmp[--n];
}

/* A JSON string of raw request text: printable ASCII as is, quote and backslash escaped,
 * every other byte percent-encoded (it is a URL or a token, so that reads naturally). */
static void put_str(line *l, const char *s, size_t max)
{
    static const char hex[] = "0123456789ABCDEF";
    PUT(l, "\"");
    for (size_t i = 0; i < max && s[i] && l->end - l->p > 4; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            *l->p++ = '\\';
            *l->p++ = (char)c;
        } else if (c >= 0x20 && c < 0x7F) {
            *l->p++ = (char)c;
        } else {
            *l->p++ = '%';
            *l->p++ = hex[c >> 4];
            *l->p++ = hex[c & 15];
        }
    }
    PUT(l, "\"");
}

static void access_log(const http_req *req, enum MHD_RequestTerminationCode toe, int64_t ns)
{
    if (!log_enabled(LOG_INFO))
        return;
    char text[2048];
    line l = {text, text + sizeof(text) - 1};
    uint64_t us = ns > 0 ? (uint64_t)ns / 1000 : 0;
    /* the request id goes in first, where log_write would put it: the same line, without
     * log_write escaping it byte by byte (ids are [A-Za-z0-9._-], nothing to escape) */
    PUT(&l, "\"request_id\":");
    put_str(&l, req->id, sizeof(req->id));
    PUT(&l, ",\"method\":");
    put_str(&l, req->method_name, 16);
    PUT(&l, ",\"route\":");
    if (req->match.route)
        put_str(&l, req->match.route->path, 256);
    else
        PUT(&l, "null");
    PUT(&l, ",\"path\":");
    put_str(&l, req->path, 500); /* escaped, at most 1500 of the 2048 */
    PUT(&l, ",\"status\":");
    put_uint(&l, req->replied ? (uint64_t)req->status : 0, 1);
    PUT(&l, ",\"duration_ms\":");
    put_uint(&l, us / 1000, 1);
    PUT(&l, ".");
    put_uint(&l, us % 1000, 3);
    PUT(&l, ",\"bytes\":");
    put_uint(&l, req->bytes, 1);
    PUT(&l, ",\"ip\":");
    put_str(&l, req->ip, sizeof(req->ip));
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK) {
        PUT(&l, ",\"aborted\":");
        put_uint(&l, (uint64_t)toe, 1);
    }
    *l.p = '\0';
    log_set_request_id(NULL); /* cheap, and no second request_id from a stale one */
    char out[4096];
    size_t n = log_format_plain(out, sizeof(out), LOG_INFO, text, "request");
    if (n)
        http_access_append(out, n);
    else
        log_write(LOG_INFO, text, "request");
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
    atomic_fetch_sub_explicit(in_flight(s), 1, memory_order_release);
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

/* One single-threaded daemon without a listening socket: connections come from the
 * acceptor (listen.c). Limits are shared out, since each daemon counts its own. */
static struct MHD_Daemon *start_daemon(http_server *s, size_t n)
{
    /* TURBO: read and write before asking epoll (about 1 us less per request here) */
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_TURBO |
                     MHD_ALLOW_SUSPEND_RESUME | MHD_USE_SUPPRESS_DATE_NO_CLOCK | MHD_USE_ERROR_LOG;
    const config *cfg = s->cfg;
    unsigned conns = (unsigned)((cfg->conn_limit + n - 1) / n),
             per_ip = (unsigned)((cfg->per_ip_conn_limit + n - 1) / n);
    /* the logger goes first so that no message escapes to MHD's own stderr writer */
    return MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
                            MHD_OPTION_CONNECTION_LIMIT, conns, MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
                            MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
                            (size_t)HTTP_HEADER_MEMORY, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                            MHD_OPTION_UNESCAPE_CALLBACK, keep_escaped, NULL, MHD_OPTION_END);
}

static void stop_daemons(http_server *s)
{
    for (size_t i = 0; i < s->ndaemons; i++)
        MHD_stop_daemon(s->daemons[i]);
    s->ndaemons = 0;
}

static void server_free(http_server *s)
{
    stop_daemons(s);
    http_workers_stop(&s->workers);
    if (s->flusher_started)
        http_access_stop(s);
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    free(s);
}

http_server *http_server_start(const config *cfg, const http_router *router, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    http_server *s = calloc(1, sizeof(*s));
    if (!s || listen_addr(cfg, &ss) < 0) {
        snprintf(err, errlen, s ? "listen: bad address %s" : "out of memory", cfg->listen_host);
        free(s);
        return NULL;
    }
    s->cfg = cfg;
    s->router = router;
    if ((s->listen_fd = http_listen_open(&ss, err, errlen)) < 0) {
        free(s);
        return NULL;
    }
    if (http_workers_start(&s->workers, HTTP_WORKERS, HTTP_WORKER_QUEUE) < 0 ||
        !(s->flusher_started = http_access_start(s) == 0)) {
        snprintf(err, errlen, "could not start the worker threads");
        server_free(s);
        return NULL;
    }
    size_t n = cfg->threads > 0 && cfg->threads <= HTTP_DAEMONS_MAX ? (size_t)cfg->threads : 1;
    for (; s->ndaemons < n; s->ndaemons++)
        if (!(s->daemons[s->ndaemons] = start_daemon(s, n))) {
            snprintf(err, errlen, "could not start the HTTP threads");
            server_free(s);
            return NULL;
        }
    s->port = http_listen_port(s->listen_fd);
    if (http_listen_start(s) < 0) {
        snprintf(err, errlen, "could not start the accepting thread");
        server_free(s);
        return NULL;
    }
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
    http_listen_stop(s); /* no new connections from here on */
    int64_t deadline = base_mono_ns() + (int64_t)grace_ms * 1000000;
    while (in_flight_total(s) > 0 && base_mono_ns() < deadline)
        usleep(5000);
    int left = in_flight_total(s);
    if (left > 0) {
        /* A handler still runs and may touch the daemon: leave it all to process exit. */
        http_access_flush();
        log_error("shutdown: %d request(s) still running after %d ms", left, grace_ms);
        return -1;
    }
    server_free(s);
    return 0;
}
