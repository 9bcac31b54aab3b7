/* Private declarations shared by the files of the http module. */
#ifndef ROADIE_HTTP_INT_H
#define ROADIE_HTTP_INT_H

#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>

#include "http/http.h"

#define HTTP_SEGS_MAX 16  /* segments in a route pattern */
#define HTTP_PARAMS_MAX 8 /* {params} in a route pattern */
#define HTTP_ID_MAX 64    /* longest X-Request-Id taken from a client */

/* ---- route.c: compiled patterns and the matcher ---------------------------------------- */

typedef enum http_seg_kind { HTTP_SEG_LIT, HTTP_SEG_PARAM, HTTP_SEG_REST } http_seg_kind;

typedef struct http_seg {
    http_seg_kind kind;
    const char *text; /* literal text, or the param name; points into the pattern */
    size_t len;
} http_seg;

typedef struct http_croute {
    const http_route *route;
    http_seg segs[HTTP_SEGS_MAX];
    size_t nsegs;
    unsigned specificity; /* literal segments as bits, earlier ones weigh more */
    int obs_id;           /* the route's metrics series */
} http_croute;

struct http_router {
    http_croute *routes;
    size_t n, cap;
};

typedef struct http_param {
    const char *name;       /* in the pattern */
    const char *value;      /* raw slice of the path, not decoded */
    uint32_t name_len, len; /* paths are far shorter than 4 GiB: MHD keeps them in 16 KiB */
} http_param;

typedef struct http_match {
    const http_route *route; /* NULL unless the result is 200 */
    int obs_id;              /* metrics series of route; OBS_ROUTE_UNMATCHED without one */
    unsigned allow;          /* methods answering this path (405 / OPTIONS), HEAD and OPTIONS included */
    size_t nparams;
    http_param params[HTTP_PARAMS_MAX];
} http_match;

/* Matches method and path (len bytes, not NUL-terminated) against the router: returns
 * 200 with out->route and its params, 405 when the path exists with other methods
 * (out->allow lists them), 404 otherwise. Pure: no allocation, no side effects. */
int http_router_match(const http_router *r, http_method m, const char *path, size_t len, http_match *out);
/* Parses a method token ("GET"); 0 for anything else. */
http_method http_method_parse(const char *s);
/* Writes the methods of mask as "GET, HEAD, POST" into out. */
void http_allow_format(unsigned mask, char *out, size_t n);

/* ---- request.c ---------------------------------------------------------------------- */

/* Reply headers, the middleware's included; http_req stays under 1 KiB (malloc's fast path). */
#define HTTP_HEADERS_MAX 24

typedef struct http_hdr {
    const char *name, *value; /* static strings, or copies in the request's arena */
} http_hdr;

typedef enum http_stage {
    HTTP_STAGE_NEW,       /* headers seen, body may follow */
    HTTP_STAGE_SLOW,      /* suspended, handler running on a worker */
    HTTP_STAGE_SLOW_DONE, /* worker finished; queue the reply when MHD calls back */
    HTTP_STAGE_QUEUED,    /* reply handed to MHD */
} http_stage;

struct http_req {
    struct MHD_Connection *conn;
    http_server *srv;
    arena *arena; /* created on first use: most requests need none */
    int64_t start_ns;
    http_method method;
    const char *method_name; /* as sent; MHD's, valid until the request completes */
    const char *path;        /* the raw path; MHD's, likewise */
    int match_rc;            /* 200, 404 or 405 from the router */
    http_match match;
    const char *params[HTTP_PARAMS_MAX]; /* decoded values, parallel to match.params */
    char id[HTTP_ID_MAX + 1];
    char ip[INET6_ADDRSTRLEN];
    const char *origin; /* the request's Origin when CORS allows it */
    size_t body_limit;
    buf body;
    bool body_over; /* more than body_limit arrived; the rest was dropped */
    json_t *json;
    void *auth; /* the authorizer's principal */
    _Atomic http_stage stage;
    struct http_req *next; /* worker queue */
    /* the reply */
    bool replied;
    int status;
    const char *ctype;
    char *data;              /* malloc'd, handed to MHD */
    const char *static_data; /* or a static body */
    size_t len;
    int fd; /* -1 unless replying with a file */
    http_hdr headers[HTTP_HEADERS_MAX];
    size_t nheaders;
    size_t bytes; /* body bytes of the reply, for the log */
};

/* Starts a request on the first access-handler call: arena, id, client IP, route match.
 * NULL when memory ran out. */
http_req *http_req_begin(http_server *s, struct MHD_Connection *conn, const char *url, const char *method);
/* Releases everything the request holds. */
void http_req_end(http_req *req);
/* Percent-decodes n bytes of s into the arena ('+' as space when plus); NULL on a bad
 * escape or an encoded NUL. */
char *http_pct_decode(arena *a, const char *s, size_t n, bool plus);
/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, no surrogates), or 0
 * (also at the terminating NUL). */
size_t http_utf8_seq(const unsigned char *s);
/* True when s is valid UTF-8 throughout. */
bool http_utf8_valid(const char *s);
/* True when s is a sane client request id: [A-Za-z0-9._-]{1,64}. */
bool http_id_sane(const char *s);
/* Writes a fresh request id (thread-local prefix and counter, no syscall) into out. */
void http_id_new(char out[HTTP_ID_MAX + 1]);
/* The client IP for peer given an X-Forwarded-For value (NULL if absent), believing it
 * only when peer is a trusted proxy. */
void http_client_ip(const config *cfg, const struct sockaddr *peer, const char *xff, char out[INET6_ADDRSTRLEN]);
/* Looks a header up in the reply being built. */
const char *http_reply_header_get(const http_req *req, const char *name);
/* Adds a reply header whose name and value are static strings (not copied). */
int http_reply_header_static(http_req *req, const char *name, const char *value);
/* Replies with a static body (not copied). */
void http_reply_static(http_req *req, int status, const char *content_type, const char *data, size_t len);

/* ---- middleware.c -------------------------------------------------------------------- */

/* First call: rejects at once what the headers already condemn (Content-Length over the
 * limit). True when a reply was made. */
bool http_mw_early(http_req *req);
/* Collects a piece of the body under the cap. */
void http_mw_body(http_req *req, const char *data, size_t n);
/* Last call, before the handler: CORS preflight, 404/405, 413, 415, 400, 422,
 * permission. True when the handler should run; false when a reply was made. */
bool http_mw_before(http_req *req);
/* Adds the headers every reply carries (request id, security, CORS, Allow). */
void http_mw_finish_headers(http_req *req);

/* ---- docs.c ------------------------------------------------------------------------ */

/* True when name is a safe relative asset path (no "..", no hidden files). */
bool http_asset_name_ok(const char *name);

/* ---- response.c ---------------------------------------------------------------------- */

/* Builds the MHD response from req's reply and queues it. */
enum MHD_Result http_reply_queue(http_req *req);

/* ---- server.c / worker.c ------------------------------------------------------------- */

typedef struct http_workers {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    http_req *head, *tail;
    size_t queued, max_queued; /* queued counts reserved places too */
    pthread_t *threads;
    size_t nthreads;
    bool stop;
} http_workers;

#define HTTP_SHARDS 8        /* per-thread counters, so threads share no cache line */
#define HTTP_DAEMONS_MAX 256 /* = the largest threads setting */

struct http_server {
    struct MHD_Daemon *daemons[HTTP_DAEMONS_MAX]; /* one thread each */
    size_t ndaemons;
    int listen_fd;
    pthread_t acceptor;
    atomic_bool accept_stop; /* also: stopping, so replies close their connections */
    pthread_t flusher;       /* access-log flusher */
    atomic_bool flusher_stop;
    bool flusher_started;
    const config *cfg;
    const http_router *router;
    struct {
        _Alignas(64) atomic_int n;
    } in_flight[HTTP_SHARDS]; /* requests between first call and completion, by thread */
    http_workers workers;
    int port;
};

/* listen.c: a listening socket for ss (fd, or -1 with err); the port it got. */
int http_listen_open(const struct sockaddr_storage *ss, char *err, size_t errlen);
int http_listen_port(int fd);
/* Starts / stops the thread that accepts on s->listen_fd and hands connections to the
 * daemons in turn. Stopping closes the socket: no new connections after it. */
int http_listen_start(http_server *s);
void http_listen_stop(http_server *s);

/* accesslog.c: batched access-log lines (see there). append: one formatted line from this
 * thread; flush: everything buffered, now; start/stop: the flusher thread (stop flushes,
 * and frees the buffers of threads that must all have ended). */
#define HTTP_ACCESS_FLUSH_MS 100
void http_access_append(const char *line, size_t n);
void http_access_flush(void);
int http_access_start(http_server *s);
void http_access_stop(http_server *s);

/* Starts n workers. Returns 0 or -1. */
int http_workers_start(http_workers *w, size_t n, size_t max_queued);
/* Takes a place in the queue; false when it is full (or stopping). */
bool http_workers_reserve(http_workers *w);
/* Queues a suspended request into the place reserved for it. */
void http_workers_push(http_workers *w, http_req *req);
/* Finishes the queued jobs, then joins the threads. */
void http_workers_stop(http_workers *w);
/* Runs the handler of req (on whichever thread calls it) and makes sure it replied. */
void http_run_handler(http_req *req);

#endif
