/* limit: declarations shared by the two stores. */
#ifndef ROADIE_LIMIT_INT_H
#define ROADIE_LIMIT_INT_H

#include "limit/limit.h"

/* Every store starts with these two operations. */
struct limit_store {
    limit_result (*take)(limit_store *s, const char *key, const limit_rule *rule, int64_t now_ms);
    void (*free)(limit_store *s);
};

/* tokens after elapsed_ms of refilling, capped at the burst. */
double limit_refill(double tokens, int64_t elapsed_ms, const limit_rule *r);
/* The headers' figures for a bucket left with tokens_after tokens. */
limit_result limit_result_for(double tokens_after, bool allowed, const limit_rule *r);

#endif
