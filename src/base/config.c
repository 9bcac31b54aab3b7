/* Configuration: defaults, then roadie.conf, then ROADIE_* environment variables. */
#include "base/config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CONFIG_LINE_MAX 4096

typedef int (*setter)(config *c, const char *v);

static int set_str(char **dst, const char *v)
{
    char *p = strdup(v);
    if (!p)
        return -1;
    free(*dst);
    *dst = p;
    return 0;
}

static int parse_uint(const char *v, unsigned long min, unsigned long max, unsigned long *out)
{
    char *end;
    if (!isdigit((unsigned char)*v))
        return -1;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (errno || *end || n < min || n > max)
        return -1;
    *out = n;
    return 0;
}

static int set_env(config *c, const char *v)
{
    if (strcmp(v, "dev") == 0)
        c->env = CONFIG_ENV_DEV;
    else if (strcmp(v, "prod") == 0)
        c->env = CONFIG_ENV_PROD;
    else
        return -1;
    return 0;
}

static int set_listen(config *c, const char *v)
{
    const char *colon = strrchr(v, ':');
    unsigned long port;
    if (!colon || colon == v || parse_uint(colon + 1, 0, 65535, &port) < 0)
        return -1;
    size_t hl = (size_t)(colon - v);
    if (v[0] == '[' && colon[-1] == ']') /* [::1]:8080 */
        v++, hl -= 2;
    char host[INET6_ADDRSTRLEN];
    unsigned char tmp[16];
    if (hl >= sizeof(host))
        return -1;
    memcpy(host, v, hl);
    host[hl] = '\0';
    if (inet_pton(AF_INET, host, tmp) != 1 && inet_pton(AF_INET6, host, tmp) != 1)
        return -1;
    c->listen_port = (int)port;
    return set_str(&c->listen_host, host);
}

static int set_database_url(config *c, const char *v)
{
    if (!((strncmp(v, "sqlite:", 7) == 0 && v[7]) || strncmp(v, "postgresql://", 13) == 0 ||
          strncmp(v, "postgres://", 11) == 0))
        return -1;
    return set_str(&c->database_url, v);
}

static int set_nonempty(char **dst, const char *v)
{
    return *v ? set_str(dst, v) : -1;
}

static int set_data_dir(config *c, const char *v)
{
    return set_nonempty(&c->data_dir, v);
}

static int set_share_dir(config *c, const char *v)
{
    return set_nonempty(&c->share_dir, v);
}

static int set_public_url(config *c, const char *v)
{
    if (strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0)
        return -1;
    char *p = strdup(v);
    if (!p)
        return -1;
    size_t n = strlen(p);
    while (n > 0 && p[n - 1] == '/') /* no trailing slash: paths are appended */
        p[--n] = '\0';
    free(c->public_url);
    c->public_url = p;
    return 0;
}

static int set_redis_url(config *c, const char *v)
{
    if (!*v) {
        free(c->redis_url);
        c->redis_url = NULL;
        return 0;
    }
    if (strncmp(v, "redis://", 8) != 0 && strncmp(v, "unix:", 5) != 0)
        return -1;
    return set_str(&c->redis_url, v);
}

static void free_list(char **items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);
}

static int set_cors_origins(config *c, const char *v)
{
    char *copy = strdup(v), *save = NULL;
    char **items = NULL;
    size_t n = 0;
    int rc = -1;
    if (!copy)
        return -1;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (isspace((unsigned char)*tok))
            tok++;
        size_t len = strlen(tok);
        while (len && isspace((unsigned char)tok[len - 1]))
            tok[--len] = '\0';
        if (!len)
            continue;
        if (strcmp(tok, "*") != 0 && strncmp(tok, "http://", 7) != 0 && strncmp(tok, "https://", 8) != 0)
            goto out;
        char **grown = realloc(items, (n + 1) * sizeof(*items));
        if (!grown || !(grown[n] = strdup(tok))) {
            items = grown ? grown : items;
            goto out;
        }
        items = grown;
        n++;
    }
    free_list(c->cors_origins, c->n_cors_origins);
    c->cors_origins = items;
    c->n_cors_origins = n;
    items = NULL;
    n = 0;
    rc = 0;
out:
    free_list(items, n);
    free(copy);
    return rc;
}

static int parse_cidr(const char *s, config_cidr *out)
{
    char host[INET6_ADDRSTRLEN + 1];
    const char *slash = strchr(s, '/');
    size_t hl = slash ? (size_t)(slash - s) : strlen(s);
    unsigned long prefix = 0;
    if (hl == 0 || hl >= sizeof(host))
        return -1;
    memcpy(host, s, hl);
    host[hl] = '\0';
    memset(out, 0, sizeof(*out));
    if (inet_pton(AF_INET, host, out->addr) == 1)
        out->family = AF_INET;
    else if (inet_pton(AF_INET6, host, out->addr) == 1)
        out->family = AF_INET6;
    else
        return -1;
    int bits = out->family == AF_INET ? 32 : 128;
    if (slash && parse_uint(slash + 1, 0, (unsigned long)bits, &prefix) < 0)
        return -1;
    out->prefix = slash ? (int)prefix : bits;
    for (int b = out->prefix; b < bits; b++) /* keep the network part only */
        out->addr[b / 8] &= (unsigned char)~(0x80 >> (b % 8));
    return 0;
}

int config_parse_cidrs(const char *s, config_cidr **out)
{
    char *copy = strdup(s), *save = NULL;
    config_cidr *nets = NULL;
    int n = 0;
    *out = NULL;
    if (!copy)
        return -1;
    for (char *tok = strtok_r(copy, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
        config_cidr *grown = realloc(nets, (size_t)(n + 1) * sizeof(*nets));
        if (!grown)
            goto fail;
        nets = grown;
        if (parse_cidr(tok, &nets[n]) < 0)
            goto fail;
        n++;
    }
    free(copy);
    *out = nets;
    return n;
fail:
    free(copy);
    free(nets);
    return -1;
}

bool config_cidr_match(const config_cidr *nets, size_t n, const struct sockaddr *sa)
{
    unsigned char addr[16];
    int family;
    if (!sa)
        return false;
    if (sa->sa_family == AF_INET) {
        memcpy(addr, &((const struct sockaddr_in *)sa)->sin_addr, 4);
        family = AF_INET;
    } else if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a6 = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        family = IN6_IS_ADDR_V4MAPPED(a6) ? AF_INET : AF_INET6;
        memcpy(addr, family == AF_INET ? a6->s6_addr + 12 : a6->s6_addr, family == AF_INET ? 4 : 16);
    } else
        return false;
    for (size_t i = 0; i < n; i++) {
        if (nets[i].family != family)
            continue;
        int p = nets[i].prefix, full = p / 8;
        if (memcmp(addr, nets[i].addr, (size_t)full) != 0)
            continue;
        if (p % 8 && ((addr[full] ^ nets[i].addr[full]) & (unsigned char)(0xFF << (8 - p % 8))))
            continue;
        return true;
    }
    return false;
}

bool config_proxy_trusted(const config *c, const struct sockaddr *sa)
{
    return config_cidr_match(c->trusted_proxies, c->n_trusted_proxies, sa);
}

static int set_trusted_proxies(config *c, const char *v)
{
    config_cidr *nets;
    int n = config_parse_cidrs(v, &nets);
    if (n < 0)
        return -1;
    free(c->trusted_proxies);
    c->trusted_proxies = nets;
    c->n_trusted_proxies = (size_t)n;
    return 0;
}

static int set_body_limit(config *c, const char *v)
{
    char num[32];
    size_t len = strlen(v), mult = 1;
    if (len == 0 || len >= sizeof(num))
        return -1;
    memcpy(num, v, len + 1);
    char last = (char)toupper((unsigned char)num[len - 1]);
    if (last == 'K' || last == 'M') {
        mult = last == 'K' ? 1024 : 1024 * 1024;
        num[len - 1] = '\0';
    }
    unsigned long n;
    if (parse_uint(num, 1, (64UL << 20) / mult, &n) < 0) /* at most 64 MiB */
        return -1;
    c->body_limit = n * mult;
    return 0;
}

static int set_log_level(config *c, const char *v)
{
    return log_level_parse(v, &c->log_level);
}

static int set_threads(config *c, const char *v)
{
    unsigned long n;
    if (parse_uint(v, 1, 256, &n) < 0)
        return -1;
    c->threads = (int)n;
    return 0;
}

#define UINT_SETTER(field, lo, hi)                                                                                     \
    static int set_##field(config *c, const char *v)                                                                   \
    {                                                                                                                  \
        unsigned long n;                                                                                               \
        if (parse_uint(v, lo, hi, &n) < 0)                                                                             \
            return -1;                                                                                                 \
        c->field = (unsigned)n;                                                                                        \
        return 0;                                                                                                      \
    }
UINT_SETTER(conn_limit, 1, 1000000)
UINT_SETTER(per_ip_conn_limit, 1, 1000000)
UINT_SETTER(timeout, 1, 3600)

static int parse_u32(const char **s, unsigned *out)
{
    char *end;
    if (!isdigit((unsigned char)**s))
        return -1;
    errno = 0;
    unsigned long v = strtoul(*s, &end, 10);
    if (errno || v == 0 || v > 1000000000UL)
        return -1;
    *out = (unsigned)v;
    *s = end;
    return 0;
}

int config_parse_rate(const char *s, config_rate *out)
{
    unsigned count, seconds, burst;
    if (parse_u32(&s, &count) < 0 || *s++ != '/' || parse_u32(&s, &seconds) < 0 || seconds > 86400 * 30)
        return -1;
    burst = count;
    if (*s == ',') {
        s++;
        if (parse_u32(&s, &burst) < 0)
            return -1;
    }
    if (*s)
        return -1;
    *out = (config_rate){.count = count, .period_s = seconds, .burst = burst};
    return 0;
}

static int set_registration(config *c, const char *v)
{
    if (strcmp(v, "open") == 0)
        c->registration = CONFIG_REGISTRATION_OPEN;
    else if (strcmp(v, "closed") == 0)
        c->registration = CONFIG_REGISTRATION_CLOSED;
    else
        return -1;
    return 0;
}

static int set_jwt_keys_file(config *c, const char *v)
{
    return *v ? set_str(&c->jwt_keys_file, v) : -1;
}

#define RATE_SETTER(field)                                                                                             \
    static int set_##field(config *c, const char *v)                                                                   \
    {                                                                                                                  \
        return config_parse_rate(v, &c->field);                                                                        \
    }
RATE_SETTER(rate_auth)
RATE_SETTER(rate_ai)
RATE_SETTER(rate_default)

static const struct key {
    const char *name;
    setter set;
    const char *expect; /* said when a value is refused */
    const char *help;   /* the default, for --help */
} keys[] = {
    {"env", set_env, "expected dev or prod", "default: prod; dev generates secrets and migrates by itself"},
    {"listen", set_listen, "expected IP:PORT, e.g. 127.0.0.1:8080 or [::1]:8080", "default: 127.0.0.1:8080"},
    {"database_url", set_database_url, "expected sqlite:PATH or postgresql://...",
     "default: sqlite:DATA_DIR/roadie.db"},
    {"data_dir", set_data_dir, "expected a directory path", "default: ./data"},
    {"share_dir", set_share_dir, "expected a directory path",
     "default: share/ beside the binary, else /usr/local/share/roadie"},
    {"public_url", set_public_url, "expected an http:// or https:// URL", "default: http://LISTEN"},
    {"redis_url", set_redis_url, "expected redis://HOST:PORT[/DB] or unix:PATH",
     "default: none (in-process rate limits and fan-out)"},
    {"cors_origins", set_cors_origins, "expected comma-separated http(s):// origins or *", "default: none"},
    {"trusted_proxies", set_trusted_proxies, "expected comma-separated CIDRs, e.g. 10.0.0.0/8,::1", "default: none"},
    {"body_limit", set_body_limit, "expected a size in bytes up to 64M, K/M suffix allowed",
     "default: 1M (per-route overrides apply)"},
    {"log_level", set_log_level, "expected debug, info, warn or error", "default: info"},
    {"threads", set_threads, "expected a whole number 1-256", "default: number of cores"},
    {"conn_limit", set_conn_limit, "expected a whole number 1-1000000", "default: 1024"},
    {"per_ip_conn_limit", set_per_ip_conn_limit, "expected a whole number 1-1000000", "default: 64"},
    {"timeout", set_timeout, "expected seconds 1-3600", "default: 30 (seconds idle)"},
    {"registration", set_registration, "expected open or closed", "default: open; closed: only admins create users"},
    {"jwt_keys_file", set_jwt_keys_file, "expected a file path",
     "default: none in prod (required); dev: DATA_DIR/jwt-keys, generated"},
    {"rate_auth", set_rate_auth, "expected COUNT/SECONDS[,BURST], e.g. 10/300", "default: 10/300 per client IP"},
    {"rate_ai", set_rate_ai, "expected COUNT/SECONDS[,BURST], e.g. 50/3600", "default: 50/3600 per user"},
    {"rate_default", set_rate_default, "expected COUNT/SECONDS[,BURST], e.g. 100/60,20",
     "default: 100/60,20 per user or key"},
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static int apply(config *c, const char *key, const char *val, const char *where, char *err, size_t errlen)
{
    for (size_t i = 0; i < NKEYS; i++) {
        if (strcmp(keys[i].name, key) != 0)
            continue;
        if (keys[i].set(c, val) == 0)
            return 0;
        snprintf(err, errlen, "%s%s: %s (got '%.200s')", where, key, keys[i].expect, val);
        return -1;
    }
    buf known;
    buf_init(&known, 1024);
    for (size_t i = 0; i < NKEYS; i++)
        buf_printf(&known, "%s%s", i ? ", " : "", keys[i].name);
    snprintf(err, errlen, "%sunknown setting '%.100s' (known: %s)", where, key, known.data ? known.data : "");
    buf_release(&known);
    return -1;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

static int load_file(config *c, const char *path, bool must_exist, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (!must_exist && errno == ENOENT)
            return 0;
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char line[CONFIG_LINE_MAX], where[PATH_MAX + 32];
    int lineno = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof(line), f)) {
        lineno++;
        snprintf(where, sizeof(where), "%s:%d: ", path, lineno);
        if (!strchr(line, '\n') && !feof(f)) {
            snprintf(err, errlen, "%sline longer than %d bytes", where, CONFIG_LINE_MAX - 2);
            rc = -1;
            break;
        }
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *s = trim(line);
        if (!*s)
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errlen, "%sexpected 'key = value'", where);
            rc = -1;
            break;
        }
        *eq = '\0';
        rc = apply(c, trim(s), trim(eq + 1), where, err, errlen);
    }
    fclose(f);
    return rc;
}

static void env_name(const char *key, char name[64])
{
    size_t j = 0;
    memcpy(name, "ROADIE_", 7);
    for (; key[j] && j + 8 < 64; j++)
        name[7 + j] = (char)toupper((unsigned char)key[j]);
    name[7 + j] = '\0';
}

void config_print_help(FILE *f)
{
    for (size_t i = 0; i < NKEYS; i++) {
        char name[64];
        env_name(keys[i].name, name);
        fprintf(f, "  %-18s %-26s %s\n", keys[i].name, name, keys[i].help);
    }
}

static int load_env(config *c, char *err, size_t errlen)
{
    for (size_t i = 0; i < NKEYS; i++) {
        char name[64];
        env_name(keys[i].name, name);
        const char *v = getenv(name);
        char where[80];
        snprintf(where, sizeof(where), "%s: ", name);
        if (v && apply(c, keys[i].name, v, where, err, errlen) < 0)
            return -1;
    }
    return 0;
}

/* share_dir default: "share" beside the executable (build/share in the build tree). */
static char *default_share_dir(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 8);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            strcpy(slash + 1, "share");
            if (access(exe, F_OK) == 0)
                return strdup(exe);
        }
    }
    return strdup("/usr/local/share/roadie");
}

static int fill_derived(config *c)
{
    if (!c->database_url) {
        size_t n = strlen(c->data_dir) + sizeof("sqlite:/roadie.db");
        if (!(c->database_url = malloc(n)))
            return -1;
        snprintf(c->database_url, n, "sqlite:%s/roadie.db", c->data_dir);
    }
    if (!c->share_dir && !(c->share_dir = default_share_dir()))
        return -1;
    if (!c->public_url) {
        size_t n = strlen(c->listen_host) + 24;
        if (!(c->public_url = malloc(n)))
            return -1;
        bool v6 = strchr(c->listen_host, ':') != NULL;
        snprintf(c->public_url, n, v6 ? "http://[%s]:%d" : "http://%s:%d", c->listen_host, c->listen_port);
    }
    return 0;
}

int config_load(const char *path, config *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    out->threads = cores > 0 && cores <= 256 ? (int)cores : 2;
    out->log_level = LOG_INFO;
    out->body_limit = 1024 * 1024;
    out->conn_limit = 1024;
    out->per_ip_conn_limit = 64;
    out->timeout = 30;
    out->listen_port = 8080;
    out->rate_auth = (config_rate){10, 300, 10};
    out->rate_ai = (config_rate){50, 3600, 50};
    out->rate_default = (config_rate){100, 60, 20};
    int rc = -1;
    if (!(out->listen_host = strdup("127.0.0.1")) || !(out->data_dir = strdup("./data")))
        goto out;
    bool named = path != NULL || getenv("ROADIE_CONFIG") != NULL;
    if (!path)
        path = getenv("ROADIE_CONFIG") ? getenv("ROADIE_CONFIG") : "roadie.conf";
    if (load_file(out, path, named, err, errlen) < 0 || load_env(out, err, errlen) < 0)
        goto out;
    if (fill_derived(out) < 0) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    rc = 0;
out:
    if (rc < 0)
        config_release(out);
    return rc;
}

void config_release(config *c)
{
    free(c->listen_host);
    free(c->database_url);
    free(c->data_dir);
    free(c->share_dir);
    free(c->public_url);
    free(c->redis_url);
    free_list(c->cors_origins, c->n_cors_origins);
    free(c->trusted_proxies);
    free(c->jwt_keys_file);
    memset(c, 0, sizeof(*c));
}
