/* roadie user: operator commands for accounts (first admin, password resets). */
#include "api/api.h"
#include "base/base.h"
#include "base/config.h"
#include "cmd/cmd.h"
#include "crypto/crypto.h"
#include "db/db.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

static const char help[] = "usage: roadie user add EMAIL [--role admin|user] [--name NAME]\n"
                           "       roadie user reset-password EMAIL\n\n"
                           "Reads the new password from the first line of stdin (12-128 characters, not a common\n"
                           "password), so it never appears in the process list or shell history:\n"
                           "  printf '%%s\\n' \"$PASSWORD\" | roadie user add admin@example.com --role admin\n"
                           "reset-password also signs the user out everywhere (refresh tokens revoked, access tokens\n"
                           "refused) and unlocks a locked account. Both are recorded in the audit log.\n";

/* Reads one line of stdin into pw (without the newline). */
static int read_password(char *pw, size_t n)
{
    if (!fgets(pw, (int)n, stdin))
        return -1;
    size_t len = strlen(pw);
    if (len && pw[len - 1] == '\n')
        pw[--len] = '\0';
    if (len && pw[len - 1] == '\r')
        pw[--len] = '\0';
    return 0;
}

/* Hashes a password read from stdin after checking the policy. */
static int new_password_hash(const config *cfg, char hash[CRYPTO_PW_HASH_MAX])
{
    char pw[1024], path[4096], err[256];
    if (read_password(pw, sizeof(pw)) < 0) {
        fprintf(stderr, "roadie user: expected the password on stdin\n");
        return -1;
    }
    snprintf(path, sizeof(path), "%s/common-passwords.txt", cfg->share_dir);
    crypto_pwlist *common = crypto_pwlist_open(path, err, sizeof(err));
    if (!common) {
        fprintf(stderr, "roadie user: %s\n", err);
        return -1;
    }
    const char *why = crypto_pw_policy(pw, common);
    crypto_pwlist_free(common);
    if (why) {
        fprintf(stderr, "roadie user: %s\n", why);
        return -1;
    }
    int rc = crypto_pw_hash(pw, hash);
    memset(pw, 0, sizeof(pw));
    return rc == CRYPTO_OK ? 0 : -1;
}

static int add(db *d, const config *cfg, const char *email, const char *role, const char *name)
{
    store_user u = {0};
    base_id_new(u.id);
    snprintf(u.email, sizeof(u.email), "%s", email);
    snprintf(u.role, sizeof(u.role), "%s", role);
    snprintf(u.name, sizeof(u.name), "%s", name ? name : "");
    if (new_password_hash(cfg, u.password_hash) < 0)
        return 1;
    int rc = store_user_insert(d, &u);
    if (rc == DB_ECONSTRAINT) {
        fprintf(stderr, "roadie user: %s already has an account\n", email);
        return 1;
    }
    store_audit_entry e = {.actor_id = "operator",
                           .action = "admin.user_created",
                           .target = u.id,
                           .detail = strcmp(role, "admin") == 0 ? "{\"role\":\"admin\"}" : "{\"role\":\"user\"}",
                           .subject_id = u.id,
                           .email = email};
    if (rc != DB_OK || store_audit_append(d, &e, false) != DB_OK) {
        fprintf(stderr, "roadie user: %s\n", db_errmsg(d));
        return 1;
    }
    printf("created %s %s (%s)\n", role, email, u.id);
    return 0;
}

static int reset_password(db *d, const config *cfg, const char *email)
{
    store_user u;
    bool found;
    if (store_user_by_email(d, email, &u, &found) != DB_OK || !found) {
        fprintf(stderr, "roadie user: %s\n", found ? db_errmsg(d) : "no such user");
        return 1;
    }
    if (new_password_hash(cfg, u.password_hash) < 0)
        return 1;
    u.token_version++;
    store_audit_entry e = {
        .actor_id = "operator", .action = "admin.password_reset", .target = u.id, .subject_id = u.id, .email = email};
    int rc = db_begin(d);
    if (rc == DB_OK && (rc = store_user_update(d, &u)) == DB_OK && (rc = store_user_clear_failures(d, u.id)) == DB_OK &&
        (rc = store_refresh_revoke_user(d, u.id)) == DB_OK && (rc = store_audit_append(d, &e, true)) == DB_OK)
        rc = db_commit(d);
    if (rc != DB_OK) {
        fprintf(stderr, "roadie user: %s\n", db_errmsg(d));
        db_rollback(d);
        return 1;
    }
    printf("password reset for %s; their sessions are signed out\n", email);
    return 0;
}

int cmd_user(int argc, char **argv)
{
    if (cmd_wants_help(argc, argv)) {
        fputs(help, stdout);
        return 0;
    }
    if (argc < 3)
        return cmd_usage_error("user", "expected 'add EMAIL' or 'reset-password EMAIL'");
    bool is_add = strcmp(argv[1], "add") == 0;
    if (!is_add && strcmp(argv[1], "reset-password") != 0)
        return cmd_usage_error("user", "unknown subcommand '%s'", argv[1]);
    char email[256];
    if (!api_email(argv[2], email, sizeof(email)))
        return cmd_usage_error("user", "'%s' is not an email address", argv[2]);
    const char *role = "user", *name = NULL;
    for (int i = 3; i < argc; i++) {
        if (is_add && strcmp(argv[i], "--role") == 0 && i + 1 < argc &&
            (strcmp(argv[i + 1], "admin") == 0 || strcmp(argv[i + 1], "user") == 0))
            role = argv[++i];
        else if (is_add && strcmp(argv[i], "--name") == 0 && i + 1 < argc && strlen(argv[i + 1]) < 200)
            name = argv[++i];
        else
            return cmd_usage_error("user", "unexpected argument '%s'", argv[i]);
    }
    config cfg;
    char err[512];
    if (config_load(NULL, &cfg, err, sizeof(err)) < 0 || crypto_init() < 0) {
        fprintf(stderr, "roadie user: %s\n", err);
        return 1;
    }
    int rc = 1;
    db *d = cmd_open_db(&cfg, err, sizeof(err));
    db_migrate_state st;
    if (!d)
        fprintf(stderr, "roadie user: %s\n", err);
    else if (db_migrate_status(d, &st) != DB_OK || st.pending || st.newer)
        fprintf(stderr, "roadie user: the database is not migrated (run 'roadie migrate')\n");
    else
        rc = is_add ? add(d, &cfg, email, role, name) : reset_password(d, &cfg, email);
    db_close(d);
    config_release(&cfg);
    return rc;
}
