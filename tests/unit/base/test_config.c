/* Unit tests for src/base/config.c: defaults, file, environment, every bad value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"

static const char *const env_keys[] = {
    "ROADIE_ENV",          "ROADIE_LISTEN",    "ROADIE_DATABASE_URL", "ROADIE_BODY_LIMIT",    "ROADIE_TRUSTED_PROXIES",
    "ROADIE_CONFIG",       "ROADIE_DATA_DIR",  "ROADIE_CORS_ORIGINS", "ROADIE_PUBLIC_URL",    "ROADIE_THREADS",
    "ROADIE_REGISTRATION", "ROADIE_RATE_AUTH", "ROADIE_RATE_DEFAULT", "ROADIE_JWT_KEYS_FILE", NULL};

static int clear_env(void **state)
{
    (void)state;
    for (int i = 0; env_keys[i]; i++)
        unsetenv(env_keys[i]);
    return 0;
}

static char *write_conf(const char *text)
{
    static char path[] = "/tmp/roadie-conf-XXXXXX";
    strcpy(path, "/tmp/roadie-conf-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void test_defaults(void **state)
{
    (void)state;
    config c;
    char err[256];
    assert_int_equal(config_load("/nonexistent-but-optional", &c, err, sizeof(err)), -1); /* named: must exist */
    assert_int_equal(config_load(NULL, &c, err, sizeof(err)), 0);
    assert_int_equal(c.env, CONFIG_ENV_PROD);
    assert_string_equal(c.listen_host, "127.0.0.1");
    assert_int_equal(c.listen_port, 8080);
    assert_string_equal(c.database_url, "sqlite:./data/roadie.db");
    assert_string_equal(c.public_url, "http://127.0.0.1:8080");
    assert_int_equal(c.body_limit, 1024 * 1024);
    assert_true(c.threads >= 1);
    config_release(&c);
}

static void test_file_then_env(void **state)
{
    (void)state;
    char *path = write_conf("# comment\n env = dev \nlisten=[::1]:9000\nbody_limit = 256K # trailing\n"
                            "cors_origins = https://a.example, http://b.example:8080\n");
    setenv("ROADIE_LISTEN", "0.0.0.0:7000", 1);
    setenv("ROADIE_DATA_DIR", "/tmp/rd", 1);
    config c;
    char err[256];
    assert_int_equal(config_load(path, &c, err, sizeof(err)), 0);
    assert_int_equal(c.env, CONFIG_ENV_DEV);
    assert_string_equal(c.listen_host, "0.0.0.0");
    assert_int_equal(c.listen_port, 7000);
    assert_int_equal(c.body_limit, 256 * 1024);
    assert_int_equal(c.n_cors_origins, 2);
    assert_string_equal(c.cors_origins[1], "http://b.example:8080");
    assert_string_equal(c.database_url, "sqlite:/tmp/rd/roadie.db");
    config_release(&c);
    unlink(path);
    clear_env(NULL);
}

static void test_bad_values(void **state)
{
    (void)state;
    static const struct {
        const char *var, *val, *want; /* want: a piece of the message */
    } cases[] = {
        {"ROADIE_ENV", "staging", "ROADIE_ENV: env: expected dev or prod"},
        {"ROADIE_LISTEN", "8080", "expected IP:PORT"},
        {"ROADIE_LISTEN", "localhost:8080", "expected IP:PORT"},
        {"ROADIE_LISTEN", "127.0.0.1:70000", "got '127.0.0.1:70000'"},
        {"ROADIE_DATABASE_URL", "mysql://x", "expected sqlite:PATH"},
        {"ROADIE_DATABASE_URL", "sqlite:", "expected sqlite:PATH"},
        {"ROADIE_BODY_LIMIT", "0", "body_limit"},
        {"ROADIE_BODY_LIMIT", "65M", "body_limit"},
        {"ROADIE_BODY_LIMIT", "-1", "body_limit"},
        {"ROADIE_TRUSTED_PROXIES", "10.0.0.0/33", "trusted_proxies"},
        {"ROADIE_TRUSTED_PROXIES", "nope", "trusted_proxies"},
        {"ROADIE_CORS_ORIGINS", "example.com", "cors_origins"},
        {"ROADIE_PUBLIC_URL", "ftp://x", "public_url"},
        {"ROADIE_THREADS", "0", "threads"},
        {"ROADIE_THREADS", "2x", "threads"},
        {"ROADIE_REGISTRATION", "maybe", "expected open or closed"},
        {"ROADIE_RATE_AUTH", "10", "expected COUNT/SECONDS"},
        {"ROADIE_RATE_DEFAULT", "0/60", "rate_default"},
        {"ROADIE_JWT_KEYS_FILE", "", "jwt_keys_file"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        setenv(cases[i].var, cases[i].val, 1);
        config c;
        char err[512] = "";
        assert_int_equal(config_load(NULL, &c, err, sizeof(err)), -1);
        if (!strstr(err, cases[i].want))
            fail_msg("case %zu: '%s' lacks '%s'", i, err, cases[i].want);
        unsetenv(cases[i].var);
    }
}

static void test_bad_file(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"colour = blue\n", ":1: unknown setting 'colour' (known: env, listen"},
        {"\n\nenv dev\n", ":3: expected 'key = value'"},
        {"timeout = 0\n", ":1: timeout: expected seconds"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *path = write_conf(cases[i].text);
        config c;
        char err[512] = "";
        assert_int_equal(config_load(path, &c, err, sizeof(err)), -1);
        if (!strstr(err, cases[i].want))
            fail_msg("case %zu: '%s' lacks '%s'", i, err, cases[i].want);
        unlink(path);
    }
}

static void test_cidr_match(void **state)
{
    (void)state;
    config_cidr *nets;
    assert_int_equal(config_parse_cidrs("10.1.0.0/16, 192.168.1.7 ::1/128", &nets), 3);
    static const struct {
        const char *ip;
        bool want;
    } cases[] = {
        {"10.1.200.3", true}, {"10.2.0.1", false}, {"192.168.1.7", true},     {"192.168.1.8", false},
        {"::1", true},        {"::2", false},      {"::ffff:10.1.0.9", true},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sockaddr_storage ss;
        memset(&ss, 0, sizeof(ss));
        if (strchr(cases[i].ip, ':')) {
            struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
            s6->sin6_family = AF_INET6;
            assert_int_equal(inet_pton(AF_INET6, cases[i].ip, &s6->sin6_addr), 1);
        } else {
            struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
            s4->sin_family = AF_INET;
            assert_int_equal(inet_pton(AF_INET, cases[i].ip, &s4->sin_addr), 1);
        }
        if (config_cidr_match(nets, 3, (struct sockaddr *)&ss) != cases[i].want)
            fail_msg("case %s", cases[i].ip);
    }
    free(nets);
    assert_int_equal(config_parse_cidrs("", &nets), 0);
    free(nets);
}

static void test_rate_parse(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int ok;
        unsigned count, period_s, burst;
    } cases[] = {
        {"100/60,20", 1, 100, 60, 20}, {"10/300", 1, 10, 300, 10},
        {"50/3600", 1, 50, 3600, 50},  {"0/60", 0, 0, 0, 0},
        {"10/0", 0, 0, 0, 0},          {"10", 0, 0, 0, 0},
        {"10/60,", 0, 0, 0, 0},        {"10/60,5x", 0, 0, 0, 0},
        {"-1/60", 0, 0, 0, 0},         {"", 0, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        config_rate r;
        int rc = config_parse_rate(cases[i].in, &r);
        assert_int_equal(rc == 0, cases[i].ok);
        if (cases[i].ok) {
            assert_int_equal(r.count, cases[i].count);
            assert_int_equal(r.period_s, cases[i].period_s);
            assert_int_equal(r.burst, cases[i].burst);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rate_parse),
        cmocka_unit_test_setup(test_defaults, clear_env),
        cmocka_unit_test_setup(test_file_then_env, clear_env),
        cmocka_unit_test_setup(test_bad_values, clear_env),
        cmocka_unit_test_setup(test_bad_file, clear_env),
        cmocka_unit_test(test_cidr_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
