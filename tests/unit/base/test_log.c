/* Unit tests for src/base/log.c: log_write_plain writes the very line log_write does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"

/* Runs both writers with stderr sent to a temp file; returns the two lines with their
 * time values blanked (they may fall in different milliseconds). */
static void both(log_level lvl, const char *fields, const char *msg, char *a, char *b, size_t n)
{
    char path[] = "/tmp/roadie-test-log-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    int saved = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    log_write(lvl, fields, "%s", msg);
    log_write_plain(lvl, fields, msg);
    dup2(saved, STDERR_FILENO);
    close(saved);
    FILE *f = fdopen(fd, "r");
    rewind(f);
    assert_non_null(fgets(a, (int)n, f));
    assert_non_null(fgets(b, (int)n, f));
    fclose(f);
    unlink(path);
    for (char *line = a; line; line = line == a ? b : NULL) {
        char *t = strstr(line, "\"time\":\"");
        assert_non_null(t);
        memset(t + 8, 'T', BASE_RFC3339_LEN - 1);
    }
}

static void test_plain_same_line(void **state)
{
    (void)state;
    static const struct {
        const char *rid, *fields, *msg;
    } cases[] = {
        {NULL, NULL, "request"},
        {"abc-123", "\"status\":200,\"path\":\"/healthz\"", "request"},
        {NULL, "\"x\":1", "needs \"escaping\"\n"}, /* falls back to log_write */
        {"id", "", "caf\xC3\xA9"},                 /* non-ASCII: falls back */
    };
    static char a[8192], b[8192];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        log_set_request_id(cases[i].rid);
        both(LOG_INFO, cases[i].fields, cases[i].msg, a, b, sizeof(a));
        assert_string_equal(a, b);
    }
    char *big = malloc(6000);
    memset(big, 'x', 5999);
    big[0] = '"', big[1] = 'k', big[2] = '"', big[3] = ':', big[4] = '"', big[5997] = '"', big[5998] = '1';
    big[5999] = '\0';
    static char la[16384], lb[16384];
    both(LOG_WARN, big, "long", la, lb, sizeof(la)); /* longer than the stack line: log_write */
    assert_string_equal(la, lb);
    free(big);
    log_set_request_id(NULL);
}

static void test_plain_level(void **state)
{
    (void)state;
    char path[] = "/tmp/roadie-test-log-XXXXXX";
    int fd = mkstemp(path);
    int saved = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    log_set_level(LOG_WARN);
    log_write_plain(LOG_INFO, NULL, "hidden");
    log_write_plain(LOG_ERROR, NULL, "shown");
    log_set_level(LOG_INFO);
    dup2(saved, STDERR_FILENO);
    close(saved);
    char text[512] = "";
    ssize_t n = pread(fd, text, sizeof(text) - 1, 0);
    close(fd);
    unlink(path);
    assert_true(n > 0);
    assert_null(strstr(text, "hidden"));
    assert_non_null(strstr(text, "\"level\":\"error\",\"msg\":\"shown\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_same_line),
        cmocka_unit_test(test_plain_level),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
