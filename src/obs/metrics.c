/* Prometheus metrics in atomics, sharded by thread: no lock and no cache line shared
 * between threads on the request path; /metrics adds the shards up. */
#include "obs/obs.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#ifndef ROADIE_VERSION
#define ROADIE_VERSION "unknown"
#endif

#define STATUS_SLOTS 16 /* distinct statuses kept per route */
static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

#define SHARDS 8 /* threads beyond this share shards, still correctly */

typedef struct series {
    char method[8];
    char route[120];
    atomic_int status[STATUS_SLOTS]; /* 0: free; written once per (route, status) */
} series;

/* One thread's counts for one route: four whole cache lines. */
typedef struct counts {
    _Alignas(64) atomic_ullong count[STATUS_SLOTS]; /* parallel to series.status */
    atomic_ullong bucket[NBUCKETS];                 /* not cumulative; summed when rendered */
    atomic_ullong total;
    atomic_ullong sum_ns;
} counts;

typedef struct padded {
    _Alignas(64) atomic_llong v;
} padded;

typedef struct gauge {
    const char *name, *help;
    double (*fn)(void);
} gauge;

static series routes[OBS_ROUTES_MAX];
static counts shards[SHARDS][OBS_ROUTES_MAX];
static atomic_int nroutes = 1; /* slot 0: unmatched */
static gauge gauges[OBS_GAUGES_MAX];
static atomic_int ngauges;
static padded in_flight[SHARDS];

/* This thread's shard, handed out in turn on first use. */
static int shard(void)
{
    static _Thread_local int mine = -1;
    static atomic_int next;
    if (mine < 0)
        mine = atomic_fetch_add(&next, 1) % SHARDS;
    return mine;
}

int obs_route_register(const char *method, const char *route)
{
    int n = atomic_load(&nroutes);
    for (int i = 1; i < n; i++)
        if (strcmp(routes[i].method, method) == 0 && strcmp(routes[i].route, route) == 0)
            return i;
    if (n == OBS_ROUTES_MAX)
        return OBS_ROUTE_UNMATCHED;
    snprintf(routes[n].method, sizeof(routes[n].method), "%s", method);
    snprintf(routes[n].route, sizeof(routes[n].route), "%s", route);
    atomic_store(&nroutes, n + 1);
    return n;
}

static void count_status(series *s, counts *c, int status)
{
    for (int i = 0; i < STATUS_SLOTS; i++) {
        int cur = atomic_load_explicit(&s->status[i], memory_order_acquire);
        if (cur == 0) {
            int expect = 0;
            if (!atomic_compare_exchange_strong(&s->status[i], &expect, status))
                cur = expect; /* another thread took the slot */
            else
                cur = status;
        }
        if (cur == status) {
            atomic_fetch_add_explicit(&c->count[i], 1, memory_order_relaxed);
            return;
        }
    }
    /* more distinct statuses than slots: fold into the last slot's count */
    atomic_fetch_add_explicit(&c->count[STATUS_SLOTS - 1], 1, memory_order_relaxed);
}

void obs_http_observe(int route_id, int status, int64_t duration_ns)
{
    if (route_id < 0 || route_id >= atomic_load(&nroutes))
        route_id = OBS_ROUTE_UNMATCHED;
    counts *c = &shards[shard()][route_id];
    count_status(&routes[route_id], c, status >= 100 && status <= 999 ? status : 0);
    double secs = (double)duration_ns / 1e9;
    size_t b = 0;
    while (b < NBUCKETS && secs > buckets[b])
        b++;
    if (b < NBUCKETS)
        atomic_fetch_add_explicit(&c->bucket[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&c->total, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&c->sum_ns, (unsigned long long)(duration_ns > 0 ? duration_ns : 0),
                              memory_order_relaxed);
}

void obs_http_in_flight(int delta)
{
    atomic_fetch_add_explicit(&in_flight[shard()].v, delta, memory_order_relaxed);
}

int obs_gauge_register(const char *name, const char *help, double (*fn)(void))
{
    int n = atomic_load(&ngauges);
    for (int i = 0; i < n; i++)
        if (strcmp(gauges[i].name, name) == 0)
            return -1;
    if (n == OBS_GAUGES_MAX || !fn)
        return -1;
    gauges[n] = (gauge){name, help, fn};
    atomic_store(&ngauges, n + 1);
    return 0;
}

/* A label value: backslash, double quote and newline escaped. */
static int label(buf *out, const char *s)
{
    int rc = 0;
    for (; *s && rc == 0; s++) {
        if (*s == '\\' || *s == '"')
            rc = buf_printf(out, "\\%c", *s);
        else if (*s == '\n')
            rc = buf_puts(out, "\\n");
        else
            rc = buf_append(out, s, 1);
    }
    return rc;
}

static int series_labels(buf *out, const series *s, int id)
{
    int rc = buf_puts(out, "method=\"");
    rc |= label(out, id == OBS_ROUTE_UNMATCHED ? "" : s->method);
    rc |= buf_puts(out, "\",route=\"");
    rc |= label(out, id == OBS_ROUTE_UNMATCHED ? "unmatched" : s->route);
    return rc | buf_puts(out, "\"");
}

static int render_requests(buf *out, int n)
{
    int rc = buf_puts(out, "# HELP roadie_http_requests_total HTTP requests by route template and status.\n"
                           "# TYPE roadie_http_requests_total counter\n");
    for (int id = 0; id < n; id++)
        for (int i = 0; i < STATUS_SLOTS; i++) {
            int status = atomic_load(&routes[id].status[i]);
            if (status == 0)
                break;
            rc |= buf_puts(out, "roadie_http_requests_total{");
            rc |= series_labels(out, &routes[id], id);
            unsigned long long sum = 0;
            for (int k = 0; k < SHARDS; k++)
                sum += atomic_load(&shards[k][id].count[i]);
            rc |= buf_printf(out, ",status=\"%d\"} %llu\n", status, sum);
        }
    return rc;
}

static int render_latency(buf *out, int n)
{
    int rc = buf_puts(out, "# HELP roadie_http_request_duration_seconds Time from request start to reply sent.\n"
                           "# TYPE roadie_http_request_duration_seconds histogram\n");
    for (int id = 0; id < n; id++) {
        const series *s = &routes[id];
        unsigned long long total = 0, sum_ns = 0, cum = 0;
        for (int k = 0; k < SHARDS; k++) {
            total += atomic_load(&shards[k][id].total);
            sum_ns += atomic_load(&shards[k][id].sum_ns);
        }
        if (total == 0)
            continue;
        for (size_t b = 0; b < NBUCKETS; b++) {
            for (int k = 0; k < SHARDS; k++)
                cum += atomic_load(&shards[k][id].bucket[b]);
            rc |= buf_puts(out, "roadie_http_request_duration_seconds_bucket{");
            rc |= series_labels(out, s, id);
            rc |= buf_printf(out, ",le=\"%g\"} %llu\n", buckets[b], cum);
        }
        rc |= buf_puts(out, "roadie_http_request_duration_seconds_bucket{");
        rc |= series_labels(out, s, id);
        rc |= buf_printf(out, ",le=\"+Inf\"} %llu\n", total);
        rc |= buf_puts(out, "roadie_http_request_duration_seconds_sum{");
        rc |= series_labels(out, s, id);
        rc |= buf_printf(out, "} %.9f\n", (double)sum_ns / 1e9);
        rc |= buf_puts(out, "roadie_http_request_duration_seconds_count{");
        rc |= series_labels(out, s, id);
        rc |= buf_printf(out, "} %llu\n", total);
    }
    return rc;
}

static int render_gauges(buf *out)
{
    long long flying = 0;
    for (int k = 0; k < SHARDS; k++)
        flying += atomic_load(&in_flight[k].v);
    int rc = buf_printf(out,
                        "# HELP roadie_http_requests_in_flight HTTP requests being served.\n"
                        "# TYPE roadie_http_requests_in_flight gauge\nroadie_http_requests_in_flight %lld\n",
                        flying);
    int n = atomic_load(&ngauges);
    for (int i = 0; i < n; i++)
        rc |= buf_printf(out, "# HELP %s %s\n# TYPE %s gauge\n%s %.17g\n", gauges[i].name, gauges[i].help,
                         gauges[i].name, gauges[i].name, gauges[i].fn());
    rc |= buf_puts(out, "# HELP roadie_build_info The running build.\n# TYPE roadie_build_info gauge\n"
                        "roadie_build_info{version=\"");
    rc |= label(out, ROADIE_VERSION);
    return rc | buf_puts(out, "\"} 1\n");
}

int obs_metrics_render(buf *out)
{
    int n = atomic_load(&nroutes);
    int rc = render_requests(out, n);
    rc |= render_latency(out, n);
    rc |= render_gauges(out);
    return rc ? -1 : 0;
}

void obs_reset(void)
{
    memset(routes, 0, sizeof(routes));
    memset(shards, 0, sizeof(shards));
    memset(in_flight, 0, sizeof(in_flight));
    atomic_store(&nroutes, 1);
    atomic_store(&ngauges, 0);
    obs_set_ready_check(NULL);
}
