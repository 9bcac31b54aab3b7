/* Request context: arena, id, client IP, route match, and the accessors handlers use. */
#include "http/http_int.h"

#include <arpa/inet.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *http_pct_decode(arena *a, const char *s, size_t n, bool plus)
{
    char *out = arena_alloc(a, n + 1);
    size_t j = 0;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= n)
                return NULL;
            int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return NULL;
            c = (char)(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus)
            c = ' ';
        else if (c == '\0')
            return NULL;
        out[j++] = c;
    }
    out[j] = '\0';
    return out;
}

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, no surrogates), or 0. */
size_t http_utf8_seq(const unsigned char *s)
{
    unsigned char c = s[0];
    size_t n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    for (size_t i = 1; i < n; i++)
        if (s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xBF))
            return 0; /* also stops at the NUL */
    return n;
}

bool http_utf8_valid(const char *s)
{
    for (size_t n; *s; s += n)
        if (!(n = http_utf8_seq((const unsigned char *)s)))
            return false;
    return true;
}

bool http_id_sane(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (n == HTTP_ID_MAX || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                  c == '.' || c == '_' || c == '-'))
            return false;
    }
    return n > 0;
}

/* Ids need to be unique, not secret: a random per-thread prefix and a counter, so that
 * the hot path makes no getrandom call. */
void http_id_new(char out[HTTP_ID_MAX + 1])
{
    static _Thread_local char prefix[13];
    static _Thread_local uint64_t counter;
    if (!prefix[0]) {
        unsigned char rnd[8];
        base_random(rnd, sizeof(rnd));
        base_base62(rnd, sizeof(rnd), prefix, 12);
    }
    static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    uint64_t n = ++counter;
    memcpy(out, prefix, 12);
    for (int i = 22; i >= 12; i--, n /= 62) /* 11 digits hold any 64-bit count */
        out[i] = digits[n % 62];
    out[23] = '\0';
}

static bool parse_ip(const char *s, size_t n, struct sockaddr_storage *ss)
{
    char tmp[INET6_ADDRSTRLEN];
    memset(ss, 0, sizeof(*ss));
    if (n == 0 || n >= sizeof(tmp))
        return false;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, tmp, &v4->sin_addr) == 1)
        v4->sin_family = AF_INET;
    else if (inet_pton(AF_INET6, tmp, &v6->sin6_addr) == 1)
        v6->sin6_family = AF_INET6;
    else
        return false;
    return true;
}

/* inet_ntop for IPv4, by hand: it runs once per request and inet_ntop is slow. */
static void ipv4_text(const unsigned char *a, char *out)
{
    for (int i = 0; i < 4; i++) {
        unsigned v = a[i];
        if (v >= 100)
            *out++ = (char)('0' + v / 100);
        if (v >= 10)
            *out++ = (char)('0' + v / 10 % 10);
        *out++ = (char)('0' + v % 10);
        *out++ = i < 3 ? '.' : '\0';
    }
}

static void addr_text(const struct sockaddr *sa, char out[INET6_ADDRSTRLEN])
{
    out[0] = '\0';
    if (sa && sa->sa_family == AF_INET)
        ipv4_text((const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr, out);
    else if (sa && sa->sa_family == AF_INET6) {
        const struct in6_addr *a6 = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(a6))
            ipv4_text(a6->s6_addr + 12, out);
        else
            inet_ntop(AF_INET6, a6, out, INET6_ADDRSTRLEN);
    }
}

void http_client_ip(const config *cfg, const struct sockaddr *peer, const char *xff, char out[INET6_ADDRSTRLEN])
{
    addr_text(peer, out);
    if (!xff || !config_proxy_trusted(cfg, peer))
        return;
    /* Walk from the right: each hop was added by the one after it; stop at the first hop
     * that is not one of our proxies (or at a malformed one). */
    size_t end = strlen(xff);
    while (end > 0) {
        size_t start = end;
        while (start > 0 && xff[start - 1] != ',')
            start--;
        size_t a = start, b = end;
        while (a < b && (xff[a] == ' ' || xff[a] == '\t'))
            a++;
        while (b > a && (xff[b - 1] == ' ' || xff[b - 1] == '\t'))
            b--;
        struct sockaddr_storage ss;
        if (!parse_ip(xff + a, b - a, &ss))
            return;
        addr_text((struct sockaddr *)&ss, out);
        if (!config_proxy_trusted(cfg, (struct sockaddr *)&ss))
            return;
        end = start > 0 ? start - 1 : 0;
    }
}

static void set_ip(http_req *req)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const char *xff = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "X-Forwarded-For");
    http_client_ip(req->srv->cfg, ci ? ci->client_addr : NULL, xff, req->ip);
}

/* Past 1 KiB glibc's malloc leaves its per-thread cache and consolidates on every call. */
_Static_assert(sizeof(struct http_req) <= 1008, "http_req should stay under 1 KiB");

http_req *http_req_begin(http_server *s, struct MHD_Connection *conn, const char *url, const char *method)
{
    http_req *req = calloc(1, sizeof(*req));
    if (!req)
        return NULL;
    req->conn = conn;
    req->srv = s;
    req->start_ns = base_mono_ns();
    req->fd = -1;
    req->method = http_method_parse(method);
    req->method_name = method;
    req->path = url;
    req->body_limit = s->cfg->body_limit;
    buf_init(&req->body, s->cfg->body_limit);
    const char *rid = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Request-Id");
    if (rid && http_id_sane(rid))
        snprintf(req->id, sizeof(req->id), "%s", rid);
    else
        http_id_new(req->id);
    set_ip(req);
    req->match_rc = http_router_match(s->router, req->method, req->path, strlen(req->path), &req->match);
    return req;
}

void http_req_end(http_req *req)
{
    if (!req)
        return;
    buf_release(&req->body);
    json_decref(req->json);
    free(req->data);
    if (req->fd >= 0)
        close(req->fd);
    arena_free(req->arena);
    free(req);
}

http_method http_req_method(const http_req *req)
{
    return req->method;
}

const char *http_req_path(const http_req *req)
{
    return req->path;
}

const char *http_req_route(const http_req *req)
{
    return req->match.route ? req->match.route->path : NULL;
}

const char *http_req_param(const http_req *req, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < req->match.nparams; i++)
        if (req->match.params[i].name_len == n && memcmp(req->match.params[i].name, name, n) == 0)
            return req->params[i];
    return NULL;
}

const char *http_req_query(http_req *req, const char *name)
{
    const char *raw = MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
    arena *a = raw ? http_req_arena(req) : NULL;
    const char *v = a ? http_pct_decode(a, raw, strlen(raw), true) : NULL;
    return v && http_utf8_valid(v) ? v : NULL;
}

const char *http_req_header(const http_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const json_t *http_req_body(const http_req *req)
{
    return req->json;
}

const char *http_req_ip(const http_req *req)
{
    return req->ip;
}

const char *http_req_id(const http_req *req)
{
    return req->id;
}

arena *http_req_arena(http_req *req)
{
    if (!req->arena)
        req->arena = arena_new();
    return req->arena;
}

const config *http_req_config(const http_req *req)
{
    return req->srv->cfg;
}

void http_req_set_auth(http_req *req, void *principal)
{
    req->auth = principal;
}

void *http_req_auth(const http_req *req)
{
    return req->auth;
}
