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
    req->status = status;
    req->ctype = content_type ? arena_strdup(req->arena, content_type) : NULL;
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
    req->status = status;
    req->ctype = arena_strdup(req->arena, content_type);
    req->fd = fd;
    req->len = size;
}

void http_reply_empty(http_req *req, int status)
{
    if (!claim(req))
        return;
    req->status = status;
}

int http_reply_header(http_req *req, const char *name, const char *value)
{
    if (strpbrk(name, "\r\n:") || strpbrk(value, "\r\n"))
        return -1;
    http_hdr *h = arena_alloc(req->arena, sizeof(*h));
    if (!h || !(h->name = arena_strdup(req->arena, name)) || !(h->value = arena_strdup(req->arena, value)))
        return -1;
    h->next = req->headers;
    req->headers = h;
    return 0;
}

const char *http_reply_header_get(const http_req *req, const char *name)
{
    for (const http_hdr *h = req->headers; h; h = h->next)
        if (strcasecmp(h->name, name) == 0)
            return h->value;
    return NULL;
}

static struct MHD_Response *make_response(http_req *req)
{
    struct MHD_Response *r;
    if (req->fd >= 0) {
        r = MHD_create_response_from_fd64(req->len, req->fd);
        if (r)
            req->fd = -1; /* MHD closes it */
    } else if (req->len == 0) {
        r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
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
    for (const http_hdr *h = req->headers; h; h = h->next)
        MHD_add_response_header(r, h->name, h->value);
    enum MHD_Result ret = MHD_queue_response(req->conn, (unsigned)req->status, r);
    MHD_destroy_response(r);
    atomic_store(&req->stage, HTTP_STAGE_QUEUED);
    return ret;
}
