/*
 * config: Roadie's settings. Read from a `key = value` file (roadie.conf; '#' starts a
 * comment) and then from environment variables named ROADIE_<KEY> (ROADIE_DATABASE_URL for
 * database_url), which win. Every value is validated at load, and the first bad one is
 * reported as "KEY: what is wrong (got 'VALUE')". Unknown keys in the file are errors.
 * A loaded config is read-only and may be shared by all threads.
 */
#ifndef ROADIE_CONFIG_H
#define ROADIE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/base.h"

struct sockaddr;

typedef enum config_env { CONFIG_ENV_PROD = 0, CONFIG_ENV_DEV = 1 } config_env;

/* One network in CIDR notation, IPv4 or IPv6. */
typedef struct config_cidr {
    int family;             /* AF_INET or AF_INET6 */
    unsigned char addr[16]; /* network address, first 4 bytes for IPv4 */
    int prefix;             /* prefix length in bits */
} config_cidr;

/* A rate-limit class: count requests per period_s seconds, bursts up to burst. */
typedef struct config_rate {
    unsigned count, period_s, burst;
} config_rate;

typedef enum config_registration { CONFIG_REGISTRATION_OPEN = 0, CONFIG_REGISTRATION_CLOSED = 1 } config_registration;

typedef struct config {
    config_env env;    /* env: dev | prod (default prod) */
    char *listen_host; /* listen: HOST:PORT (default 127.0.0.1:8080) */
    int listen_port;
    char *database_url; /* database_url: sqlite:PATH | postgresql://... (default sqlite:DATA_DIR/roadie.db) */
    char *data_dir;     /* data_dir (default ./data) */
    char *
        share_dir; /* share_dir: dictionaries, web assets (default: next to the binary, else /usr/local/share/roadie) */
    char *public_url;    /* public_url: how clients reach the API (default http://LISTEN) */
    char *redis_url;     /* redis_url: redis://HOST:PORT[/DB] (default none) */
    char **cors_origins; /* cors_origins: comma-separated origins allowed by CORS (default none) */
    size_t n_cors_origins;
    config_cidr *trusted_proxies; /* trusted_proxies: comma-separated CIDRs whose X-Forwarded-For is believed */
    size_t n_trusted_proxies;
    size_t body_limit;                /* body_limit: bytes, K/M suffix allowed (default 1M) */
    log_level log_level;              /* log_level: debug | info | warn | error (default info) */
    int threads;                      /* threads: HTTP worker threads (default: number of cores) */
    unsigned conn_limit;              /* conn_limit: open connections in all (default 1024) */
    unsigned per_ip_conn_limit;       /* per_ip_conn_limit (default 64) */
    unsigned timeout;                 /* timeout: seconds a connection may stay idle (default 30) */
    config_registration registration; /* registration: open | closed (default open) */
    char *jwt_keys_file;              /* jwt_keys_file: kid + secret per line (dev: DATA_DIR/jwt-keys) */
    config_rate rate_auth;            /* rate_auth: per client IP on auth routes (default 10/300) */
    config_rate rate_ai;              /* rate_ai: per user on AI routes (default 50/3600) */
    config_rate rate_default;         /* rate_default: per user or key (default 100/60,20) */
} config;

/* Loads defaults, then the file at path (NULL: $ROADIE_CONFIG, else ./roadie.conf if it
 * exists; a path that was named explicitly must exist), then the environment. Returns 0, or
 * -1 with a message in err; *out is then released. Call config_release() when done. */
int config_load(const char *path, config *out, char *err, size_t errlen);
void config_release(config *c);

/* Parses a comma-separated CIDR list ("10.0.0.0/8, ::1/128"; a bare address is a host).
 * Returns the count (0 for an empty list) and an array the caller frees, or -1 on a bad entry. */
int config_parse_cidrs(const char *s, config_cidr **out);
/* True when sa (AF_INET/AF_INET6; v4-mapped v6 counts as v4) lies in one of the networks. */
bool config_cidr_match(const config_cidr *nets, size_t n, const struct sockaddr *sa);
/* True when sa is one of c's trusted proxies. */
bool config_proxy_trusted(const config *c, const struct sockaddr *sa);

/* Parses "COUNT/SECONDS" or "COUNT/SECONDS,BURST" (burst defaults to count), e.g.
 * "100/60,20". Returns 0 or -1. */
int config_parse_rate(const char *s, config_rate *out);

/* Prints one line per setting (key, environment variable, default) for --help texts. */
void config_print_help(FILE *f);

#endif
