/* Every error reply, built here and only here: RFC 9457 application/problem+json. */
#include "http/http_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    int status;
    const char *type, *title;
} problems[HTTP_PROBLEM_COUNT_] = {
    [HTTP_PROBLEM_BAD_REQUEST] = {400, "urn:roadie:problem:bad-request", "Bad request"},
    [HTTP_PROBLEM_BAD_JSON] = {400, "urn:roadie:problem:malformed-json", "Malformed JSON body"},
    [HTTP_PROBLEM_BAD_PATH] = {400, "urn:roadie:problem:bad-path-parameter", "Bad path parameter"},
    [HTTP_PROBLEM_UNAUTHORIZED] = {401, "urn:roadie:problem:unauthorized", "Authentication required"},
    [HTTP_PROBLEM_FORBIDDEN] = {403, "urn:roadie:problem:forbidden", "Not allowed"},
    [HTTP_PROBLEM_NOT_FOUND] = {404, "urn:roadie:problem:not-found", "Not found"},
    [HTTP_PROBLEM_METHOD] = {405, "urn:roadie:problem:method-not-allowed", "Method not allowed"},
    [HTTP_PROBLEM_CONFLICT] = {409, "urn:roadie:problem:conflict", "Conflict"},
    [HTTP_PROBLEM_TOO_LARGE] = {413, "urn:roadie:problem:body-too-large", "Request body too large"},
    [HTTP_PROBLEM_MEDIA_TYPE] = {415, "urn:roadie:problem:unsupported-media-type", "Unsupported media type"},
    [HTTP_PROBLEM_INVALID] = {422, "urn:roadie:problem:validation", "Request body is not valid"},
    [HTTP_PROBLEM_RATE_LIMITED] = {429, "urn:roadie:problem:rate-limited", "Too many requests"},
    [HTTP_PROBLEM_INTERNAL] = {500, "urn:roadie:problem:internal", "Internal server error"},
    [HTTP_PROBLEM_UNAVAILABLE] = {503, "urn:roadie:problem:unavailable", "Service unavailable"},
};

int http_problem_status(http_problem p)
{
    return (unsigned)p < HTTP_PROBLEM_COUNT_ ? problems[p].status : 500;
}

const char *http_problem_type(http_problem p)
{
    return (unsigned)p < HTTP_PROBLEM_COUNT_ ? problems[p].type : problems[HTTP_PROBLEM_INTERNAL].type;
}

/* Replaces every byte that does not start valid UTF-8 with '?', in place: details quote
 * what clients sent (paths, tokens jansson choked on), and jansson takes only UTF-8. */
static void utf8_sanitize(char *s)
{
    while (*s) {
        size_t n = http_utf8_seq((const unsigned char *)s);
        if (n == 0)
            *s++ = '?';
        else
            s += n;
    }
}

/* The path as a URI reference: bytes outside printable ASCII percent-encoded. Freed by the
 * caller; NULL when memory ran out. */
static char *instance(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = malloc(strlen(path) * 3 + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)path; out && *p; p++) {
        if (*p > 0x20 && *p < 0x7F) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    if (out)
        *o = '\0';
    return out;
}

/* Builds and sends the problem; errors, when not NULL, is taken. detail is sanitized. */
static void reply(http_req *req, http_problem p, char *detail, json_t *errors)
{
    if ((unsigned)p >= HTTP_PROBLEM_COUNT_)
        p = HTTP_PROBLEM_INTERNAL;
    utf8_sanitize(detail);
    char *where = instance(req->path);
    json_t *body =
        where ? json_pack("{s:s, s:s, s:i, s:s, s:s, s:s}", "type", problems[p].type, "title", problems[p].title,
                          "status", problems[p].status, "detail", detail, "instance", where, "request_id", req->id)
              : NULL;
    free(where);
    if (body && errors)
        json_object_set_new(body, "errors", errors);
    else
        json_decref(errors);
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text) { /* out of memory: still say something */
        http_reply_bytes(req, 500, "application/problem+json", "{\"status\":500}", 14);
        return;
    }
    http_reply_bytes(req, problems[p].status, "application/problem+json", text, strlen(text));
    free(text);
}

void http_reply_problem(http_req *req, http_problem p, const char *fmt, ...)
{
    char detail[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    reply(req, p, detail, NULL);
}

void http_reply_invalid(http_req *req, const json_issues *issues)
{
    json_t *errors = json_array();
    for (size_t i = 0; errors && i < issues->n; i++) {
        json_issue it = issues->items[i]; /* a copy: sanitized below */
        utf8_sanitize(it.field);
        utf8_sanitize(it.message);
        json_array_append_new(errors, json_pack("{s:s, s:s}", "field", it.field, "message", it.message));
    }
    char detail[96];
    snprintf(detail, sizeof(detail), "%zu problem%s in the request body%s", issues->n, issues->n == 1 ? "" : "s",
             issues->truncated ? " (only the first are listed)" : "");
    reply(req, HTTP_PROBLEM_INVALID, detail, errors);
}
