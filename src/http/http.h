/*
 * http: Roadie's HTTP server on libmicrohttpd. Every route is a row of a declarative table
 * (method, path pattern with {params}, handler, permission, body schema, body limit, slow
 * flag); the server runs the same middleware for all of them (request id, client IP, CORS,
 * body limit, content type, JSON parsing and schema check, security headers, access log,
 * metrics) and only then calls the handler. Handlers read as parse, authorize, act, render:
 * they find their inputs already checked, and answer with one http_reply_* call; the
 * problem helpers write an RFC 9457 problem+json reply, so a handler that hits an error just
 * returns (Redis's ...OrReply).
 *
 * Threads: handlers run on the server's pool (or, for slow routes, on its worker pool); a
 * request and everything reached through it belong to the one thread running its handler.
 */
#ifndef ROADIE_HTTP_H
#define ROADIE_HTTP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/base.h"
#include "base/config.h"
#include "json/json.h"

typedef struct http_req http_req;
typedef struct http_router http_router;
typedef struct http_server http_server;

/* Methods, as bits so that a set of them (an Allow header) is a mask. */
typedef enum http_method {
    HTTP_GET = 1 << 0,
    HTTP_HEAD = 1 << 1,
    HTTP_POST = 1 << 2,
    HTTP_PUT = 1 << 3,
    HTTP_PATCH = 1 << 4,
    HTTP_DELETE = 1 << 5,
    HTTP_OPTIONS = 1 << 6,
} http_method;

/* What a caller must be to reach a route. The server checks it before the handler runs,
 * through the authorizer the API registers (http_set_authorizer). */
typedef enum http_perm {
    HTTP_PERM_PUBLIC = 0,    /* anyone */
    HTTP_PERM_USER,          /* a signed-in user (an access token; API keys are refused) */
    HTTP_PERM_ADMIN,         /* a signed-in user whose global role is admin */
    HTTP_PERM_ARTIST_VIEWER, /* any member of the artist in the {id} parameter */
    HTTP_PERM_ARTIST_EDITOR, /* an editor or owner of that artist */
    HTTP_PERM_ARTIST_OWNER,  /* an owner of that artist */
} http_perm;

/* What an API key needs to reach an artist route (keys reach nothing else): none (keys are
 * refused), read (that artist's GET routes), ingest (posting listening events), write
 * (creating and changing that artist's content). */
typedef enum http_scope { HTTP_SCOPE_NONE = 0, HTTP_SCOPE_READ, HTTP_SCOPE_INGEST, HTTP_SCOPE_WRITE } http_scope;

/* A handler answers its request with exactly one http_reply_* call (a handler that returns
 * without replying gets a 500). */
typedef void (*http_handler)(http_req *req);

/* One row of the route table. A table is an array ended by a row whose method is 0. */
typedef struct http_route {
    http_method method;
    const char *path; /* "/v1/tracks/{id}"; a last segment "{name...}" takes the rest */
    http_handler handler;
    http_perm perm;
    const json_field *body; /* schema of the JSON body; NULL: the route takes no body */
    size_t body_limit;      /* bytes; 0: the configured body_limit */
    bool slow;              /* runs on the worker pool (argon2id, long queries, uploads) */
    http_scope key_scope;   /* the API-key scope that reaches it (artist routes only) */
} http_route;

/* Decides whether req may reach route (never called for PUBLIC routes). Returns true to go
 * on, or false after replying (401, 403, 404, 429...). It may keep what it learnt about the
 * caller with http_req_set_auth. */
typedef bool (*http_authorizer)(http_req *req, const struct http_route *route);
/* Registers the authorizer; set once before the server starts. Without one, every route
 * but PUBLIC ones answers 403. */
void http_set_authorizer(http_authorizer fn);

/* ---- route table -------------------------------------------------------------------- */

/* An empty router, or NULL when memory ran out. */
http_router *http_router_new(void);
void http_router_free(http_router *r);
/* Adds every row of table (borrowed: it must outlive the router, as static tables do).
 * Returns 0, or -1 with a message in err for a malformed pattern or a method and pattern
 * already present. Not thread-safe: build the router before starting the server. */
int http_router_add(http_router *r, const http_route *table, char *err, size_t errlen);
/* The routes, in the order added, for documentation checks. */
size_t http_router_count(const http_router *r);
const http_route *http_router_get(const http_router *r, size_t i);
/* "GET", "POST", ...; "" for anything else. */
const char *http_method_name(http_method m);

/* The routes the http module answers itself: /healthz, /readyz and /metrics
 * (http_ops_routes); /openapi.json, /docs and /docs/assets/{path...} (http_docs_routes). */
extern const http_route http_ops_routes[];
extern const http_route http_docs_routes[];
/* Routes for the integration suite only (/_test/...): a schema'd JSON body with a 2 KiB
 * limit, a slow handler, path and query parameters. Not part of the API. */
extern const http_route http_test_routes[];

/* The OpenAPI 3.1 document (docs/openapi.json, built in): NUL-terminated, *len bytes. */
const char *http_openapi(size_t *len);

/* ---- server -------------------------------------------------------------------------- */

/* Starts listening on cfg->listen with cfg->threads threads and the worker pool. cfg and
 * router are borrowed until http_server_stop returns. Returns NULL with a message in err. */
http_server *http_server_start(const config *cfg, const http_router *router, char *err, size_t errlen);
/* The port actually bound (useful with listen port 0). */
int http_server_port(const http_server *s);
/* Graceful stop: stops accepting, waits up to grace_ms for requests in flight to finish,
 * then closes everything and frees s. Returns 0, or -1 when requests were still running
 * at the deadline (they are cut off). http_server_stop(NULL, ..) returns 0. */
int http_server_stop(http_server *s, int grace_ms);

/* ---- requests -------------------------------------------------------------------------- */

http_method http_req_method(const http_req *req);
/* The path as requested, without the query ("/v1/tracks/abc"). */
const char *http_req_path(const http_req *req);
/* The pattern of the matched route ("/v1/tracks/{id}"). */
const char *http_req_route(const http_req *req);
/* Path parameter by name, percent-decoded and valid UTF-8 (the middleware answered 400
 * otherwise); NULL when the route has none of that name. */
const char *http_req_param(const http_req *req, const char *name);
/* Query parameter by name, percent-decoded ('+' is a space); NULL when absent, not valid
 * percent-encoding, or not valid UTF-8. */
const char *http_req_query(http_req *req, const char *name);
/* Request header by name (case-insensitive); NULL when absent. */
const char *http_req_header(const http_req *req, const char *name);
/* The parsed JSON body (borrowed; already checked against the route's schema), or NULL
 * when the route takes no body. */
const json_t *http_req_body(const http_req *req);
/* Client address as text: the socket peer, or the last X-Forwarded-For hop not in
 * trusted_proxies when the peer is a trusted proxy. */
const char *http_req_ip(const http_req *req);
/* The request id sent back in X-Request-Id. */
const char *http_req_id(const http_req *req);
/* Memory freed when the request ends. */
arena *http_req_arena(http_req *req);
/* The caller as the authorizer described it (memory it owns, e.g. the request arena), or
 * NULL on a PUBLIC route. */
void http_req_set_auth(http_req *req, void *principal);
void *http_req_auth(const http_req *req);
/* The server's configuration. */
const config *http_req_config(const http_req *req);

/* ---- replies --------------------------------------------------------------------------- */

/* Each reply helper may be called once per request; a second call is ignored (and logged). */

/* Replies with body serialised compactly as application/json. Takes the reference to body
 * (NULL, as from a failed json_pack, gives a 500). */
void http_reply_json(http_req *req, int status, json_t *body);
/* Replies with len bytes of data (copied) and content_type. */
void http_reply_bytes(http_req *req, int status, const char *content_type, const void *data, size_t len);
/* Replies with the whole of an open file (fd is owned from now on, even on failure). */
void http_reply_fd(http_req *req, int status, const char *content_type, int fd, size_t size);
/* An empty reply (204, 304, ...). */
void http_reply_empty(http_req *req, int status);
/* Adds a response header (name and value copied). Headers the middleware would add by
 * default (Content-Security-Policy, Cache-Control) are left alone when the handler sets
 * them. Returns 0 or -1 (no memory, or a CR/LF in value). */
int http_reply_header(http_req *req, const char *name, const char *value);

/* Every error kind Roadie answers with: each has one status, one stable type URI
 * ("urn:roadie:problem:<slug>") and one title, listed in problem.c only. */
typedef enum http_problem {
    HTTP_PROBLEM_BAD_REQUEST,  /* 400 malformed request (bad query value, ...) */
    HTTP_PROBLEM_BAD_JSON,     /* 400 body is not well-formed JSON */
    HTTP_PROBLEM_BAD_PATH,     /* 400 path parameter is not valid percent-encoding */
    HTTP_PROBLEM_UNAUTHORIZED, /* 401 */
    HTTP_PROBLEM_FORBIDDEN,    /* 403 */
    HTTP_PROBLEM_NOT_FOUND,    /* 404 unknown route or resource */
    HTTP_PROBLEM_METHOD,       /* 405 (Allow header added by the server) */
    HTTP_PROBLEM_CONFLICT,     /* 409 */
    HTTP_PROBLEM_TOO_LARGE,    /* 413 body over the route's limit */
    HTTP_PROBLEM_MEDIA_TYPE,   /* 415 body is not application/json */
    HTTP_PROBLEM_INVALID,      /* 422 body fails its schema (use http_reply_invalid) */
    HTTP_PROBLEM_RATE_LIMITED, /* 429 (caller adds Retry-After) */
    HTTP_PROBLEM_INTERNAL,     /* 500 */
    HTTP_PROBLEM_UNAVAILABLE,  /* 503 not ready, or shutting down */
    HTTP_PROBLEM_COUNT_
} http_problem;

/* Replies application/problem+json {type, title, status, detail, instance, request_id}
 * with detail formatted from fmt. */
void http_reply_problem(http_req *req, http_problem p, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A 422 whose "errors" member lists issues as [{field, message}]. */
void http_reply_invalid(http_req *req, const json_issues *issues);
/* The problem's status and type URI, for documentation and tests. */
int http_problem_status(http_problem p);
const char *http_problem_type(http_problem p);

#endif
