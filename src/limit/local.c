/* The in-process store: 64 shards, each a chained hash table under its own mutex. */
#include "limit/limit_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SHARDS 64
#define SHARD_MAX 16384 /* buckets per shard before idle ones are swept */

struct bucket {
    struct bucket *next;
    double tokens;
    int64_t last_ms;
    int64_t full_at_ms; /* when it will be full again: after that it can be forgotten */
    char key[];
};

struct shard {
    pthread_mutex_t mu;
    struct bucket **slots;
    size_t nslots, count;
};

struct local_store {
    limit_store base;
    struct shard shards[SHARDS];
};

static uint64_t hash_key(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Forgets buckets that are full again: a full bucket and no bucket behave the same. */
static void sweep(struct shard *sh, int64_t now_ms)
{
    for (size_t i = 0; i < sh->nslots; i++)
        for (struct bucket **pp = &sh->slots[i]; *pp;) {
            struct bucket *b = *pp;
            if (b->full_at_ms <= now_ms) {
                *pp = b->next;
                free(b);
                sh->count--;
            } else
                pp = &b->next;
        }
}

static struct bucket *find_or_add(struct shard *sh, const char *key, uint64_t h, const limit_rule *r, int64_t now)
{
    struct bucket **slot = &sh->slots[(h >> 6) % sh->nslots];
    for (struct bucket *b = *slot; b; b = b->next)
        if (strcmp(b->key, key) == 0)
            return b;
    if (sh->count >= SHARD_MAX)
        sweep(sh, now);
    if (sh->count >= SHARD_MAX) /* all busy: refuse to grow without bound */
        return NULL;
    size_t n = strlen(key) + 1;
    struct bucket *b = malloc(sizeof(*b) + n);
    if (!b)
        return NULL;
    memcpy(b->key, key, n);
    b->tokens = r->burst;
    b->last_ms = now;
    b->next = *slot;
    *slot = b;
    sh->count++;
    return b;
}

static limit_result local_take(limit_store *s, const char *key, const limit_rule *r, int64_t now_ms)
{
    struct local_store *ls = (struct local_store *)s;
    uint64_t h = hash_key(key);
    struct shard *sh = &ls->shards[h % SHARDS];
    limit_result res;
    pthread_mutex_lock(&sh->mu);
    struct bucket *b = find_or_add(sh, key, h, r, now_ms);
    if (!b) { /* the table is full of live buckets: treat the newcomer as limited */
        pthread_mutex_unlock(&sh->mu);
        return limit_result_for(0, false, r);
    }
    double tokens = limit_refill(b->tokens, now_ms - b->last_ms, r);
    bool ok = tokens >= 1.0;
    if (ok)
        tokens -= 1.0;
    b->tokens = tokens;
    if (now_ms > b->last_ms)
        b->last_ms = now_ms;
    b->full_at_ms = b->last_ms + (int64_t)((r->burst - tokens) * r->period_ms / r->count) + 1;
    res = limit_result_for(tokens, ok, r);
    pthread_mutex_unlock(&sh->mu);
    return res;
}

static void local_free(limit_store *s)
{
    struct local_store *ls = (struct local_store *)s;
    for (int i = 0; i < SHARDS; i++) {
        struct shard *sh = &ls->shards[i];
        if (sh->slots)
            sweep(sh, INT64_MAX);
        free(sh->slots);
        pthread_mutex_destroy(&sh->mu);
    }
    free(ls);
}

limit_store *limit_store_new_local(void)
{
    struct local_store *ls = calloc(1, sizeof(*ls));
    if (!ls)
        return NULL;
    ls->base.take = local_take;
    ls->base.free = local_free;
    /* A hot bucket (one user hammering the API) is held for a few dozen ns: spinning briefly
     * beats sleeping in the kernel. */
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP);
    for (int i = 0; i < SHARDS; i++) {
        pthread_mutex_init(&ls->shards[i].mu, &attr);
        ls->shards[i].nslots = 256;
        ls->shards[i].slots = calloc(256, sizeof(struct bucket *));
        if (!ls->shards[i].slots) {
            local_free(&ls->base);
            return NULL;
        }
    }
    return &ls->base;
}
