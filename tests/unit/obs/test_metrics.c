/* Unit tests for src/obs: metric series, text format, gauges, readiness. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "obs/obs.h"

static double seven(void)
{
    return 7;
}

static bool not_ready(char *why, size_t len)
{
    snprintf(why, len, "database unreachable");
    return false;
}

static int reset(void **state)
{
    (void)state;
    obs_reset();
    return 0;
}

static void render(buf *b)
{
    buf_init(b, 1 << 20);
    assert_int_equal(obs_metrics_render(b), 0);
}

static void test_series(void **state)
{
    (void)state;
    int a = obs_route_register("GET", "/healthz");
    int b = obs_route_register("POST", "/v1/\"odd\"");
    assert_true(a > 0 && b > a);
    assert_int_equal(obs_route_register("GET", "/healthz"), a);
    obs_http_observe(a, 200, 300000);      /* 0.3 ms */
    obs_http_observe(a, 200, 3000000);     /* 3 ms */
    obs_http_observe(a, 503, 20000000000); /* 20 s: only +Inf */
    obs_http_observe(b, 422, 1000);
    obs_http_observe(OBS_ROUTE_UNMATCHED, 404, 1000);
    obs_http_observe(9999, 404, 1000); /* unknown id: unmatched */
    obs_http_in_flight(2);
    obs_http_in_flight(-1);
    buf out;
    render(&out);
    static const char *const want[] = {
        "# TYPE roadie_http_requests_total counter\n",
        "roadie_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 2\n",
        "roadie_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"503\"} 1\n",
        "roadie_http_requests_total{method=\"POST\",route=\"/v1/\\\"odd\\\"\",status=\"422\"} 1\n",
        "roadie_http_requests_total{method=\"\",route=\"unmatched\",status=\"404\"} 2\n",
        "# TYPE roadie_http_request_duration_seconds histogram\n",
        "roadie_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le=\"0.0005\"} 1\n",
        "roadie_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le=\"0.005\"} 2\n",
        "roadie_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le=\"10\"} 2\n",
        "roadie_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le=\"+Inf\"} 3\n",
        "roadie_http_request_duration_seconds_count{method=\"GET\",route=\"/healthz\"} 3\n",
        "roadie_http_request_duration_seconds_sum{method=\"GET\",route=\"/healthz\"} 20.003300000\n",
        "roadie_http_requests_in_flight 1\n",
        "roadie_build_info{version=\"",
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        if (!strstr(out.data, want[i]))
            fail_msg("missing: %s\nin:\n%s", want[i], out.data);
    buf_release(&out);
}

static void test_gauges_and_cap(void **state)
{
    (void)state;
    assert_int_equal(obs_gauge_register("roadie_db_connections_open", "Open database connections.", seven), 0);
    assert_int_equal(obs_gauge_register("roadie_db_connections_open", "again", seven), -1);
    buf out;
    render(&out);
    assert_non_null(strstr(out.data, "# TYPE roadie_db_connections_open gauge\nroadie_db_connections_open 7\n"));
    buf_release(&out);
    buf small;
    buf_init(&small, 64);
    assert_int_equal(obs_metrics_render(&small), -1);
    buf_release(&small);
}

static void test_ready(void **state)
{
    (void)state;
    char why[64];
    assert_true(obs_ready(why, sizeof(why)));
    obs_set_ready_check(not_ready);
    assert_false(obs_ready(why, sizeof(why)));
    assert_string_equal(why, "database unreachable");
    obs_set_ready_check(NULL);
    assert_true(obs_ready(why, sizeof(why)));
}

static void *hammer(void *arg)
{
    int id = *(int *)arg;
    for (int i = 0; i < 100000; i++)
        obs_http_observe(id, 200 + (i % 3), 1000);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    int id = obs_route_register("GET", "/x");
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, hammer, &id);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    buf out;
    render(&out);
    assert_non_null(strstr(out.data, "route=\"/x\",status=\"200\"} 133336\n"));
    assert_non_null(strstr(out.data, "route=\"/x\",status=\"201\"} 133332\n"));
    assert_non_null(strstr(out.data, "route=\"/x\",status=\"202\"} 133332\n"));
    assert_non_null(strstr(out.data, "_count{method=\"GET\",route=\"/x\"} 400000\n"));
    buf_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_series, reset),
        cmocka_unit_test_setup(test_gauges_and_cap, reset),
        cmocka_unit_test_setup(test_ready, reset),
        cmocka_unit_test_setup(test_threads, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
