/* Tests for the Redis store (src/limit/redis.c) against a real redis-server that the test
 * starts on a unix socket of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "limit/limit.h"

static char dir[] = "/tmp/roadie-redis-XXXXXX";
static char sock[256], url[300];
static pid_t server;

static int start_redis(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(sock, sizeof(sock), "%s/redis.sock", dir);
    snprintf(url, sizeof(url), "unix:%s", sock);
    server = fork();
    if (server == 0) {
        execlp("redis-server", "redis-server", "--port", "0", "--unixsocket", sock, "--save", "", "--appendonly", "no",
               "--dir", dir, "--loglevel", "warning", (char *)NULL);
        _exit(127);
    }
    struct stat st;
    for (int i = 0; i < 100 && stat(sock, &st) != 0; i++)
        usleep(50000);
    return stat(sock, &st) == 0 ? 0 : -1; /* redis-server is installed by scripts/deps.sh */
}

static int stop_redis(void **state)
{
    (void)state;
    kill(server, SIGTERM);
    waitpid(server, NULL, 0);
    unlink(sock);
    rmdir(dir);
    return 0;
}

/* Two stores stand for two Roadie instances: they share one bucket. */
static void test_shared_bucket(void **state)
{
    (void)state;
    char err[256];
    limit_store *a = limit_store_new_redis(url, err, sizeof(err));
    limit_store *b = limit_store_new_redis(url, err, sizeof(err));
    assert_non_null(a);
    assert_non_null(b);
    limit_rule r = {.count = 5, .period_ms = 60000, .burst = 5};
    for (int i = 0; i < 5; i++) {
        limit_result res = limit_take(i % 2 ? a : b, "auth:ip:198.51.100.1", &r, 0);
        assert_true(res.allowed);
        assert_int_equal(res.remaining, 4 - i);
    }
    limit_result no = limit_take(a, "auth:ip:198.51.100.1", &r, 0);
    assert_false(no.allowed);
    assert_true(no.retry_after_s >= 11 && no.retry_after_s <= 12);
    assert_false(limit_take(b, "auth:ip:198.51.100.1", &r, 0).allowed);
    assert_true(limit_take(b, "auth:ip:198.51.100.2", &r, 0).allowed);
    limit_store_free(a);
    limit_store_free(b);
}

static void test_fail_open_and_bad_urls(void **state)
{
    (void)state;
    char err[256];
    limit_store *dead = limit_store_new_redis("unix:/nonexistent/redis.sock", err, sizeof(err));
    assert_non_null(dead);
    limit_rule r = {.count = 1, .period_ms = 1000, .burst = 1};
    for (int i = 0; i < 3; i++)
        assert_true(limit_take(dead, "k", &r, 0).allowed);
    limit_store_free(dead);
    static const char *const bad[] = {"redis://", "redis://host:0", "redis://host:99999", "http://x",
                                      "unix:",    "redis://h/x",    "redis://user@h"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_null(limit_store_new_redis(bad[i], err, sizeof(err)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_bucket),
        cmocka_unit_test(test_fail_open_and_bad_urls),
    };
    return cmocka_run_group_tests(tests, start_redis, stop_redis);
}
