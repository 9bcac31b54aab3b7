/* Token-bucket arithmetic shared by both stores, and rule parsing. */
#include "limit/limit_int.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>

double limit_refill(double tokens, int64_t elapsed_ms, const limit_rule *r)
{
    if (elapsed_ms > 0)
        tokens += (double)elapsed_ms * r->count / r->period_ms;
    return tokens > r->burst ? r->burst : tokens;
}

limit_result limit_result_for(double tokens_after, bool allowed, const limit_rule *r)
{
    double ms_per_token = (double)r->period_ms / r->count;
    limit_result res = {.allowed = allowed, .limit = r->burst};
    res.remaining = tokens_after > 0 ? (uint32_t)floor(tokens_after) : 0;
    res.reset_s = (uint32_t)ceil((r->burst - tokens_after) * ms_per_token / 1000.0);
    if (!allowed) {
        uint32_t wait = (uint32_t)ceil((1.0 - tokens_after) * ms_per_token / 1000.0);
        res.retry_after_s = wait ? wait : 1;
    }
    return res;
}

limit_result limit_take(limit_store *s, const char *key, const limit_rule *rule, int64_t now_ms)
{
    return s->take(s, key, rule, now_ms);
}

void limit_store_free(limit_store *s)
{
    if (s)
        s->free(s);
}
