/* The Redis store: the bucket is a hash {t: tokens, ts: last refill in ms} updated by one
 * Lua script, so concurrent instances never race. Redis's own clock is used, so instances
 * with skewed clocks still agree. One connection per thread, reconnected after errors. */
#include "limit/limit_int.h"

#include <hiredis/hiredis.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

static const char script[] = "local c, p, b = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])\n"
                             "local t = redis.call('TIME')\n"
                             "local now = t[1] * 1000 + math.floor(t[2] / 1000)\n"
                             "local v = redis.call('HMGET', KEYS[1], 't', 'ts')\n"
                             "local tokens, ts = tonumber(v[1]) or b, tonumber(v[2]) or now\n"
                             "if now > ts then tokens = math.min(b, tokens + (now - ts) * c / p) end\n"
                             "local ok = 0\n"
                             "if tokens >= 1 then tokens = tokens - 1; ok = 1 end\n"
                             "redis.call('HSET', KEYS[1], 't', tostring(tokens), 'ts', tostring(math.max(now, ts)))\n"
                             "redis.call('PEXPIRE', KEYS[1], math.ceil((b - tokens) * p / c) + 1000)\n"
                             "return {ok, tostring(tokens)}\n";

struct redis_store {
    limit_store base;
    char host[256];
    int port; /* 0 for a unix socket at host */
    char password[256];
    int db;
    pthread_key_t conn;            /* this thread's redisContext */
    _Atomic int64_t down_until_ms; /* after a failed connect, wait before trying again */
};

static void conn_free(void *c)
{
    redisFree(c);
}

static redisContext *connect_redis(struct redis_store *rs)
{
    struct timeval tv = {.tv_sec = 1};
    redisContext *c =
        rs->port ? redisConnectWithTimeout(rs->host, rs->port, tv) : redisConnectUnixWithTimeout(rs->host, tv);
    if (!c || c->err) {
        log_warn("redis: cannot connect: %s", c ? c->errstr : "out of memory");
        redisFree(c);
        return NULL;
    }
    redisSetTimeout(c, tv);
    redisReply *r = NULL;
    if (rs->password[0])
        r = redisCommand(c, "AUTH %s", rs->password);
    if (!rs->password[0] || (r && r->type != REDIS_REPLY_ERROR)) {
        freeReplyObject(r);
        r = rs->db ? redisCommand(c, "SELECT %d", rs->db) : NULL;
        if (!rs->db || (r && r->type != REDIS_REPLY_ERROR)) {
            freeReplyObject(r);
            return c;
        }
    }
    log_warn("redis: %s", r ? r->str : c->errstr);
    freeReplyObject(r);
    redisFree(c);
    return NULL;
}

static redisReply *run_script(redisContext *c, const char *key, const limit_rule *r)
{
    char count[16], period[16], burst[16];
    snprintf(count, sizeof(count), "%u", r->count);
    snprintf(period, sizeof(period), "%u", r->period_ms);
    snprintf(burst, sizeof(burst), "%u", r->burst);
    return redisCommand(c, "EVAL %s 1 %s %s %s %s", script, key, count, period, burst);
}

static limit_result redis_take(limit_store *s, const char *key, const limit_rule *rule, int64_t now_ms)
{
    struct redis_store *rs = (struct redis_store *)s;
    (void)now_ms; /* Redis's clock decides */
    redisContext *c = pthread_getspecific(rs->conn);
    if (!c && base_now_ms() >= atomic_load(&rs->down_until_ms)) {
        if ((c = connect_redis(rs)))
            pthread_setspecific(rs->conn, c);
        else
            atomic_store(&rs->down_until_ms, base_now_ms() + 1000);
    }
    redisReply *r = c ? run_script(c, key, rule) : NULL;
    if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 2 && r->element[0]->type == REDIS_REPLY_INTEGER &&
        r->element[1]->type == REDIS_REPLY_STRING) {
        limit_result res = limit_result_for(strtod(r->element[1]->str, NULL), r->element[0]->integer == 1, rule);
        freeReplyObject(r);
        return res;
    }
    log_warn("redis: rate limit check failed, allowing the request: %s", r && r->type == REDIS_REPLY_ERROR ? r->str
                                                                         : c                               ? c->errstr
                                                                             : "not connected");
    freeReplyObject(r);
    if (c && c->err) { /* the connection is broken: drop it, reconnect next time */
        redisFree(c);
        pthread_setspecific(rs->conn, NULL);
    }
    return limit_result_for(rule->burst, true, rule); /* fail open */
}

static void redis_free(limit_store *s)
{
    struct redis_store *rs = (struct redis_store *)s;
    redisContext *c = pthread_getspecific(rs->conn);
    redisFree(c);
    pthread_key_delete(rs->conn); /* other threads' connections close when they exit */
    free(rs);
}

/* redis://[:password@]host[:port][/db] or unix:/path */
static int parse_url(struct redis_store *rs, const char *url)
{
    if (strncmp(url, "unix:", 5) == 0) {
        rs->port = 0;
        return snprintf(rs->host, sizeof(rs->host), "%s", url + 5) < (int)sizeof(rs->host) && url[5] ? 0 : -1;
    }
    if (strncmp(url, "redis://", 8) != 0)
        return -1;
    const char *p = url + 8, *at = strchr(p, '@');
    if (at) {
        if (*p != ':' || (size_t)(at - p - 1) >= sizeof(rs->password))
            return -1;
        memcpy(rs->password, p + 1, (size_t)(at - p - 1));
        p = at + 1;
    }
    size_t hl = strcspn(p, ":/");
    if (hl == 0 || hl >= sizeof(rs->host))
        return -1;
    memcpy(rs->host, p, hl);
    p += hl;
    rs->port = 6379;
    char *end;
    if (*p == ':') {
        long port = strtol(p + 1, &end, 10);
        if (end == p + 1 || port < 1 || port > 65535)
            return -1;
        rs->port = (int)port;
        p = end;
    }
    if (*p == '/' && p[1]) {
        long db = strtol(p + 1, &end, 10);
        if (*end || db < 0 || db > 1000)
            return -1;
        rs->db = (int)db;
    } else if (*p && strcmp(p, "/") != 0)
        return -1;
    return 0;
}

limit_store *limit_store_new_redis(const char *url, char *err, size_t errlen)
{
    struct redis_store *rs = calloc(1, sizeof(*rs));
    if (!rs) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (parse_url(rs, url) < 0) {
        snprintf(err, errlen, "redis_url: expected redis://[:password@]host[:port][/db] or unix:/path");
        free(rs);
        return NULL;
    }
    if (pthread_key_create(&rs->conn, conn_free) != 0) {
        snprintf(err, errlen, "out of thread keys");
        free(rs);
        return NULL;
    }
    rs->base.take = redis_take;
    rs->base.free = redis_free;
    return &rs->base;
}
