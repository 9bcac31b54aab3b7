/* roadie serve: the HTTP API. Startup is a short list of steps so that more can slot in
 * (open the database and check migrations; load secrets) without reshaping it. */
#include "api/api.h"
#include "base/config.h"
#include "cmd/cmd.h"
#include "crypto/crypto.h"
#include "db/db.h"
#include "http/http.h"
#include "obs/obs.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void help(void)
{
    fputs("usage: roadie serve [--config FILE]\n\n"
          "Serves the HTTP API on the configured address until SIGTERM or SIGINT, then stops\n"
          "accepting, lets requests in flight finish and exits 0.\n\n"
          "settings (roadie.conf 'key = value', or the environment variable, which wins):\n",
          stdout);
    config_print_help(stdout);
}

int cmd_routes_add(http_router *r, char *err, size_t errlen)
{
    if (http_router_add(r, http_ops_routes, err, errlen) < 0 || http_router_add(r, http_docs_routes, err, errlen) < 0 ||
        api_routes_add(r, err, errlen) < 0)
        return -1;
    return 0;
}

static void log_applied(const char *name)
{
    log_info("applied migration %s", name);
}

static double db_connections(void)
{
    return (double)db_open_count();
}

/* Opens the database, checks its schema (dev: migrates it) and registers readiness. */
static int open_storage(const config *cfg, char *err, size_t errlen)
{
    db *d;
    db_migrate_state st;
    if ((strncmp(cfg->database_url, "sqlite:", 7) == 0 && cmd_data_dir(cfg, err, errlen) < 0) ||
        db_global_init(cfg->database_url) != DB_OK || !(d = db_thread_get(err, errlen)))
        return -1;
    if (db_migrate_status(d, &st) != DB_OK) {
        snprintf(err, errlen, "database: %s", db_errmsg(d));
        return -1;
    }
    if (st.newer || st.edited) {
        snprintf(err, errlen, "the database schema (version %d) %s; refusing to start", st.current,
                 st.newer ? "is newer than this roadie knows" : "has a migration that was changed after it ran");
        return -1;
    }
    if (st.pending && cfg->env == CONFIG_ENV_PROD) {
        snprintf(err, errlen, "%d database migration(s) pending; run 'roadie migrate' first", st.pending);
        return -1;
    }
    if (st.pending && db_migrate(d, -1, log_applied) != DB_OK) {
        snprintf(err, errlen, "migrating: %s", db_errmsg(d));
        return -1;
    }
    obs_set_ready_check(db_ready);
    obs_gauge_register("roadie_db_connections_open", "Database connections open.", db_connections);
    return 0;
}

/* Loads the JWT key set. dev: DATA_DIR/jwt-keys, created when missing; prod: jwt_keys_file
 * must be set, since a secret never has a built-in default. */
static crypto_keyset *load_keys(const config *cfg, char *err, size_t errlen)
{
    char path[4096];
    if (cfg->jwt_keys_file) {
        snprintf(path, sizeof(path), "%s", cfg->jwt_keys_file);
    } else if (cfg->env == CONFIG_ENV_PROD) {
        snprintf(err, errlen,
                 "jwt_keys_file (ROADIE_JWT_KEYS_FILE) is required in prod: a file with one 'KID SECRET'"
                 " per line, secret of 32+ random bytes in hex");
        return NULL;
    } else {
        snprintf(path, sizeof(path), "%s/jwt-keys", cfg->data_dir);
        if (cmd_data_dir(cfg, err, errlen) < 0 ||
            (access(path, F_OK) != 0 && crypto_keyset_create(path, err, errlen) != CRYPTO_OK))
            return NULL;
    }
    return crypto_keyset_load(path, err, errlen);
}

/* Waits for SIGTERM or SIGINT, which every thread has blocked (see cmd_serve). */
static int wait_signal(const sigset_t *set)
{
    int sig = 0;
    sigwait(set, &sig);
    return sig;
}

int cmd_serve(int argc, char **argv)
{
    const char *path = NULL;
    if (cmd_wants_help(argc, argv)) {
        help();
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            path = argv[++i];
        else
            return cmd_usage_error("serve", "unexpected argument '%s'", argv[i]);
    }
    /* Blocked before any thread starts, so that only sigwait below sees them. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    config cfg;
    char err[512];
    http_router *router = NULL;
    http_server *srv = NULL;
    crypto_keyset *keys = NULL;
    int rc = 1;
    if (config_load(path, &cfg, err, sizeof(err)) < 0) {
        fprintf(stderr, "roadie serve: %s\n", err);
        return 1;
    }
    log_set_level(cfg.log_level);
    snprintf(err, sizeof(err), "libsodium failed to initialise");
    if (crypto_init() < 0 || !(keys = load_keys(&cfg, err, sizeof(err))) || open_storage(&cfg, err, sizeof(err)) < 0 ||
        api_init(&cfg, keys, err, sizeof(err)) < 0) {
        log_error("%s", err);
        goto out;
    }
    if (!(router = http_router_new()) || cmd_routes_add(router, err, sizeof(err)) < 0) {
        log_error("routes: %s", router ? err : "out of memory");
        goto out;
    }
    if (getenv("ROADIE_TEST_ROUTES") && strcmp(getenv("ROADIE_TEST_ROUTES"), "1") == 0) {
        log_warn("ROADIE_TEST_ROUTES=1: serving the integration-test routes under /_test/");
        if (http_router_add(router, http_test_routes, err, sizeof(err)) < 0) {
            log_error("routes: %s", err);
            goto out;
        }
    }
    if (!(srv = http_server_start(&cfg, router, err, sizeof(err)))) {
        log_error("%s", err);
        goto out;
    }
    log_info("listening on http://%s%s%s:%d (docs %s/docs, health %s/healthz)", strchr(cfg.listen_host, ':') ? "[" : "",
             cfg.listen_host, strchr(cfg.listen_host, ':') ? "]" : "", http_server_port(srv), cfg.public_url,
             cfg.public_url);
    int sig = wait_signal(&sigs);
    log_info("signal %d: finishing requests in flight", sig);
    rc = http_server_stop(srv, (int)cfg.timeout * 1000) == 0 ? 0 : 1;
    log_info("stopped");
out:
    http_router_free(router);
    api_release();
    crypto_keyset_free(keys);
    db_thread_close();
    config_release(&cfg);
    return rc;
}
