/* Readiness: one check registered by whoever knows (the database, migrations). */
#include "obs/obs.h"

#include <stdatomic.h>
#include <stdio.h>

typedef bool (*ready_fn)(char *why, size_t len);
static _Atomic(ready_fn) check;

void obs_set_ready_check(bool (*fn)(char *why, size_t len))
{
    atomic_store(&check, fn);
}

bool obs_ready(char *why, size_t len)
{
    ready_fn fn = atomic_load(&check);
    if (len)
        why[0] = '\0';
    if (!fn)
        return true;
    if (fn(why, len))
        return true;
    if (len && !why[0])
        snprintf(why, len, "not ready");
    return false;
}
