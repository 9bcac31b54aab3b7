/* Building a reply, and handing it to libmicrohttpd. */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* True the first time: a request has exactly one reply. */
static bool claim(http_req *req)
{
    if (req->replied) {
        log_warn("second reply to %s %s ignored", req->method_name, req->path);
        return false;
    }
    req->replied = true;
    return true;
}

void http_reply_bytes(http_req *req, int status, const char *content_type, const void *data, size_t len)
{
    if (!claim(req))
        return;
    arena *a = http_req_arena(req);
    req->status = status;
    req->ctype = content_type && a ? arena_strdup(a, content_type) : NULL;
    req->data = malloc(len ? len : 1);
    req->len = req->data ? len : 0;
    if (!req->data || (content_type && !req->ctype)) {
        req->status = 500; /* out of memory: an empty 500 is all we can do */
        req->ctype = NULL;
        req->len = 0;
        return;
    }
    if (len)
        memcpy(req->data, data, len);
}

void http_reply_static(http_req *req, int status, const char *content_type, const char *data, size_t len)
{
    if (!claim(req))
        return;
    req->status = status;
    req->ctype = content_type;
    req->static_data = data;
    req->len = len;
}

void http_reply_json(http_req *req, int status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text) {
        http_reply_problem(req, HTTP_PROBLEM_INTERNAL, "could not build the response");
        return;
    }
    if (!claim(req)) {
        free(text);
        return;
    }
    req->status = status;
    req->ctype = "application/json";
    req->data = text;
    req->len = strlen(text);
}

void http_reply_fd(http_req *req, int status, const char *content_type, int fd, size_t size)
{
    if (!claim(req)) {
        close(fd);
        return;
    }
    arena *a = http_req_arena(req);
    req->status = status;
    req->ctype = a ? arena_strdup(a, content_type) : NULL;
    req->fd = fd;
    req->len = size;
}

void http_reply_empty(http_req *req, int status)
{
    if (!claim(req))
        return;
    req->status = status;
}

int http_reply_header_static(http_req *req, const char *name, const char *value)
{
    if (req->nheaders == HTTP_HEADERS_MAX) {
        log_warn("more than %d reply headers; %s dropped", HTTP_HEADERS_MAX, name);
        return -1;
    }
    req->headers[req->nheaders++] = (http_hdr){name, value};
    return 0;
}

int http_reply_header(http_req *req, const char *name, const char *value)
{
    if (strpbrk(name, "\r\n:") || strpbrk(value, "\r\n"))
        return -1;
    arena *a = http_req_arena(req);
    const char *n = a ? arena_strdup(a, name) : NULL, *v = n ? arena_strdup(a, value) : NULL;
    return v ? http_reply_header_static(req, n, v) : -1;
}

const char *http_reply_header_get(const http_req *req, const char *name)
{
    for (size_t i = 0; i < req->nheaders; i++)
        if (strcasecmp(req->headers[i].name, name) == 0)
            return req->headers[i].value;
    return NULL;
}

static struct MHD_Response *make_response(http_req *req)
{
    struct MHD_Response *r;
    if (req->fd >= 0) {
        r = MHD_create_response_from_fd64(req->len, req->fd);
        if (r)
            req->fd = -1; /* MHD closes it */
    } else if (req->static_data || req->len == 0) {
        r = MHD_create_response_from_buffer(req->len, (void *)(req->static_data ? req->static_data : ""),
                                            MHD_RESPMEM_PERSISTENT);
    } else {
        r = MHD_create_response_from_buffer(req->len, req->data, MHD_RESPMEM_MUST_FREE);
        if (r)
            req->data = NULL; /* MHD frees it */
    }
    return r;
}

enum MHD_Result http_reply_queue(http_req *req)
{
    if (!req->replied)
        http_reply_problem(req, HTTP_PROBLEM_INTERNAL, "the handler gave no reply");
    http_mw_finish_headers(req);
    req->bytes = req->len;
    struct MHD_Response *r = make_response(req);
    if (!r)
        return MHD_NO;
    if (req->ctype)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, req->ctype);
    for (size_t i = 0; i < req->nheaders; i++)
        MHD_add_response_header(r, req->headers[i].name, req->headers[i].value);
    enum MHD_Result ret = MHD_queue_response(req->conn, (unsigned)req->status, r);
    MHD_destroy_response(r);
    atomic_store(&req->stage, HTTP_STAGE_QUEUED);
    return ret;
}
