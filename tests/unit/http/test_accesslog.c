/* Unit tests for src/http/accesslog.c: batched lines from many threads all arrive, whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/http_int.h"

#define THREADS 4
#define LINES 5000 /* 4 x 5000 x ~40 bytes: several 32 KiB buffers each */

static void *writer(void *arg)
{
    int id = *(int *)arg;
    for (int i = 0; i < LINES; i++) {
        char line[64];
        int n = snprintf(line, sizeof(line), "{\"thread\":%d,\"line\":%d,\"pad\":\"xxxx\"}\n", id, i);
        http_access_append(line, (size_t)n);
    }
    return NULL;
}

static void test_lines_whole_and_complete(void **state)
{
    (void)state;
    char path[] = "/tmp/roadie-test-access-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    int saved = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    http_server s;
    memset(&s, 0, sizeof(s));
    assert_int_equal(http_access_start(&s), 0);
    pthread_t t[THREADS];
    int ids[THREADS];
    for (int i = 0; i < THREADS; i++) {
        ids[i] = i;
        pthread_create(&t[i], NULL, writer, &ids[i]);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    http_access_stop(&s); /* flushes what the threads left */
    dup2(saved, STDERR_FILENO);
    close(saved);
    FILE *f = fdopen(fd, "r");
    rewind(f);
    static int next[THREADS];
    char line[128];
    int total = 0;
    while (fgets(line, sizeof(line), f)) {
        int id, n;
        char pad[8];
        if (sscanf(line, "{\"thread\":%d,\"line\":%d,\"pad\":\"%4[x]\"}\n", &id, &n, pad) != 3)
            fail_msg("mangled line: %s", line);
        assert_true(id >= 0 && id < THREADS);
        assert_int_equal(n, next[id]); /* each thread's lines in order */
        next[id]++;
        total++;
    }
    fclose(f);
    unlink(path);
    assert_int_equal(total, THREADS * LINES);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_whole_and_complete),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
