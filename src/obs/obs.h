/*
 * obs: what an operator watches. Prometheus metrics kept in atomics (HTTP requests by
 * route and status, a latency histogram, requests in flight, gauges read through
 * callbacks such as open database connections, build info) rendered in the text
 * exposition format; and the readiness check behind /readyz. The module knows nothing of
 * HTTP servers or databases: others report to it and register callbacks.
 *
 * Threads: registration (obs_route_register, obs_gauge_register, obs_set_ready_check)
 * happens at start, before serving; observing and rendering are thread-safe and lock-free.
 */
#ifndef ROADIE_OBS_H
#define ROADIE_OBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

#define OBS_ROUTES_MAX 256
#define OBS_GAUGES_MAX 16
#define OBS_ROUTE_UNMATCHED 0 /* the series of requests that matched no route */

/* Registers a route's labels (copied). Returns its id (> 0), the id of the same pair
 * registered before, or OBS_ROUTE_UNMATCHED when the table is full. */
int obs_route_register(const char *method, const char *route);
/* Counts one finished request of route id with its status and duration. */
void obs_http_observe(int route_id, int status, int64_t duration_ns);
/* Requests being served: +1 when one starts, -1 when it ends. */
void obs_http_in_flight(int delta);

/* A gauge whose value fn returns when /metrics is read (fn must be thread-safe), e.g.
 * roadie_db_connections_open. name must be a valid metric name; both strings are
 * borrowed (string literals). Returns 0, or -1 when the table is full or name is taken. */
int obs_gauge_register(const char *name, const char *help, double (*fn)(void));

/* Appends every metric in the Prometheus text format (version 0.0.4) to out. Returns 0,
 * or -1 when out's cap was reached. */
int obs_metrics_render(buf *out);

/* The readiness check: fn returns true when the service can take traffic, or false with
 * a reason in why. NULL removes it (then always ready). */
void obs_set_ready_check(bool (*fn)(char *why, size_t len));
/* Runs the registered check. True when ready; else false with a reason in why. */
bool obs_ready(char *why, size_t len);

/* Forgets every series, gauge and check (tests only; not thread-safe). */
void obs_reset(void);

#endif
