/*
 * limit: token-bucket rate limits. A bucket is named by a key the caller builds
 * ("auth:ip:203.0.113.9", "default:user:8sK..."), holds at most `burst` tokens and refills
 * at `count` tokens per `period_ms`. Each request takes one token.
 *
 * Two stores: in-process (sharded hash table, one mutex per shard, idle buckets evicted)
 * and Redis (one Lua script per check, so several Roadie instances share the buckets).
 * A limit_store may be used from any thread; the Redis store keeps one connection per
 * thread. If Redis cannot be reached the check fails open (allowed, logged), because a
 * limiter outage must not take the API down with it.
 */
#ifndef ROADIE_LIMIT_H
#define ROADIE_LIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct limit_rule {
    uint32_t count;     /* tokens added per period */
    uint32_t period_ms; /* the refill period */
    uint32_t burst;     /* bucket capacity */
} limit_rule;

typedef struct limit_result {
    bool allowed;
    uint32_t limit;         /* RateLimit-Limit: the capacity */
    uint32_t remaining;     /* RateLimit-Remaining: whole tokens left after this request */
    uint32_t reset_s;       /* RateLimit-Reset: seconds until the bucket is full again */
    uint32_t retry_after_s; /* Retry-After when refused: seconds until one token is back */
} limit_result;

typedef struct limit_store limit_store;

/* An in-process store, or NULL when memory ran out. */
limit_store *limit_store_new_local(void);
/* A store on the Redis server at url ("redis://host:port[/db]" or "unix:/path"). Returns
 * NULL with a message in err when the URL is bad; reachability is checked per thread on use. */
limit_store *limit_store_new_redis(const char *url, char *err, size_t errlen);
void limit_store_free(limit_store *s);

/* Takes one token from bucket key under rule at time now_ms and says whether that was
 * allowed. Thread-safe. */
limit_result limit_take(limit_store *s, const char *key, const limit_rule *rule, int64_t now_ms);

#endif
