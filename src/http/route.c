/* The route table: patterns compiled once at start, matched by a pure function. */
#include "http/http_int.h"
#include "obs/obs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    http_method m;
    const char *name;
} methods[] = {
    {HTTP_GET, "GET"},     {HTTP_HEAD, "HEAD"},     {HTTP_POST, "POST"},       {HTTP_PUT, "PUT"},
    {HTTP_PATCH, "PATCH"}, {HTTP_DELETE, "DELETE"}, {HTTP_OPTIONS, "OPTIONS"},
};
#define NMETHODS (sizeof(methods) / sizeof(methods[0]))

const char *http_method_name(http_method m)
{
    for (size_t i = 0; i < NMETHODS; i++)
        if (methods[i].m == m)
            return methods[i].name;
    return "";
}

http_method http_method_parse(const char *s)
{
    for (size_t i = 0; i < NMETHODS; i++)
        if (strcmp(methods[i].name, s) == 0)
            return methods[i].m;
    return 0;
}

void http_allow_format(unsigned mask, char *out, size_t n)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < NMETHODS && used < n; i++)
        if (mask & methods[i].m)
            used += (size_t)snprintf(out + used, n - used, "%s%s", used ? ", " : "", methods[i].name);
}

http_router *http_router_new(void)
{
    return calloc(1, sizeof(http_router));
}

void http_router_free(http_router *r)
{
    if (!r)
        return;
    free(r->routes);
    free(r);
}

size_t http_router_count(const http_router *r)
{
    return r->n;
}

const http_route *http_router_get(const http_router *r, size_t i)
{
    return i < r->n ? r->routes[i].route : NULL;
}

static bool name_char(char c, bool first)
{
    return (c >= 'a' && c <= 'z') || c == '_' || (!first && c >= '0' && c <= '9');
}

/* RFC 3986 pchar, minus '%' (patterns hold decoded literals only) and the braces. */
static bool literal_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~!$&'()*+,;=:@", c);
}

static int compile_seg(const char *s, size_t len, bool last, http_seg *out)
{
    if (len >= 2 && s[0] == '{' && s[len - 1] == '}') {
        bool rest = len > 5 && memcmp(s + len - 4, "...}", 4) == 0;
        size_t nl = len - 2 - (rest ? 3 : 0);
        if (nl == 0 || (rest && !last))
            return -1;
        for (size_t i = 0; i < nl; i++)
            if (!name_char(s[1 + i], i == 0))
                return -1;
        *out = (http_seg){rest ? HTTP_SEG_REST : HTTP_SEG_PARAM, s + 1, nl};
        return 0;
    }
    for (size_t i = 0; i < len; i++)
        if (!literal_char(s[i]))
            return -1;
    *out = (http_seg){HTTP_SEG_LIT, s, len};
    return 0;
}

static int compile(const http_route *route, http_croute *out)
{
    const char *p = route->path;
    size_t nparams = 0;
    memset(out, 0, sizeof(*out));
    out->route = route;
    if (!p || p[0] != '/' || !route->handler)
        return -1;
    for (p++;;) {
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (out->nsegs == HTTP_SEGS_MAX || compile_seg(p, len, !end, &out->segs[out->nsegs]) < 0)
            return -1;
        if (out->segs[out->nsegs].kind == HTTP_SEG_LIT)
            out->specificity |= 1u << (HTTP_SEGS_MAX - 1 - out->nsegs);
        else if (++nparams > HTTP_PARAMS_MAX)
            return -1;
        out->nsegs++;
        if (!end)
            return 0;
        p = end + 1;
    }
}

/* Same method and same shape (param names aside): the second could never be reached. */
static bool same_shape(const http_croute *a, const http_croute *b)
{
    if (a->route->method != b->route->method || a->nsegs != b->nsegs)
        return false;
    for (size_t i = 0; i < a->nsegs; i++) {
        const http_seg *x = &a->segs[i], *y = &b->segs[i];
        if (x->kind != y->kind || (x->kind == HTTP_SEG_LIT && (x->len != y->len || memcmp(x->text, y->text, x->len))))
            return false;
    }
    return true;
}

static int add_one(http_router *r, const http_route *route, char *err, size_t errlen)
{
    http_croute c;
    if (compile(route, &c) < 0 || !http_method_name(route->method)[0] || route->method == HTTP_HEAD ||
        route->method == HTTP_OPTIONS) {
        snprintf(err, errlen, "route %s %s: bad method, pattern or handler", http_method_name(route->method),
                 route->path ? route->path : "(null)");
        return -1;
    }
    for (size_t i = 0; i < r->n; i++)
        if (same_shape(&r->routes[i], &c)) {
            snprintf(err, errlen, "route %s %s: same as %s", http_method_name(route->method), route->path,
                     r->routes[i].route->path);
            return -1;
        }
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        http_croute *grown = realloc(r->routes, cap * sizeof(*grown));
        if (!grown) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        r->routes = grown;
        r->cap = cap;
    }
    c.obs_id = obs_route_register(http_method_name(route->method), route->path);
    r->routes[r->n++] = c;
    return 0;
}

int http_router_add(http_router *r, const http_route *table, char *err, size_t errlen)
{
    for (const http_route *route = table; route->method; route++)
        if (add_one(r, route, err, errlen) < 0)
            return -1;
    return 0;
}

/* Matches one compiled route's segments against the path; fills params on success. */
static bool match_path(const http_croute *c, const char *path, size_t len, http_match *out)
{
    size_t pos = 1, np = 0; /* path[0] is '/' */
    for (size_t i = 0; i < c->nsegs; i++) {
        const http_seg *seg = &c->segs[i];
        if (pos > len)
            return false; /* the path ran out of segments */
        const char *start = path + pos;
        const char *slash = memchr(start, '/', len - pos);
        size_t sl = slash ? (size_t)(slash - start) : len - pos;
        if (seg->kind == HTTP_SEG_REST)
            sl = len - pos;
        if (seg->kind == HTTP_SEG_LIT) {
            if (sl != seg->len || memcmp(start, seg->text, sl) != 0)
                return false;
        } else {
            if (sl == 0)
                return false;
            out->params[np++] =
                (http_param){.name = seg->text, .value = start, .name_len = (uint32_t)seg->len, .len = (uint32_t)sl};
        }
        pos += sl + 1;
    }
    if (pos <= len)
        return false; /* path segments left over */
    out->nparams = np;
    return true;
}

static bool method_fits(http_method want, http_method route)
{
    return want == route || (want == HTTP_HEAD && route == HTTP_GET);
}

int http_router_match(const http_router *r, http_method m, const char *path, size_t len, http_match *out)
{
    const http_croute *best = NULL;
    memset(out, 0, sizeof(*out));
    if (len == 0 || path[0] != '/')
        return 404;
    http_match tmp;
    for (size_t i = 0; i < r->n; i++) {
        const http_croute *c = &r->routes[i];
        if (!match_path(c, path, len, &tmp))
            continue;
        out->allow |= c->route->method | HTTP_OPTIONS | (c->route->method == HTTP_GET ? HTTP_HEAD : 0);
        if (method_fits(m, c->route->method) && (!best || c->specificity > best->specificity)) {
            best = c;
            out->nparams = tmp.nparams;
            memcpy(out->params, tmp.params, tmp.nparams * sizeof(tmp.params[0]));
        }
    }
    if (best) {
        out->route = best->route;
        out->obs_id = best->obs_id;
        return 200;
    }
    out->nparams = 0;
    return out->allow ? 405 : 404;
}
