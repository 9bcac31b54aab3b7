/* roadie migrate: apply the embedded database migrations, or show their status. */
#include "base/config.h"
#include "cmd/cmd.h"
#include "db/db.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] = "usage: roadie migrate [--to N] [--status]\n\n"
                           "Applies the database migrations this roadie knows to database_url, each in\n"
                           "its own transaction and under a lock, so two processes never both apply one.\n\n"
                           "  --to N     stop after migration N\n"
                           "  --status   list each migration as applied or pending, change nothing\n\n"
                           "Exit status: 0 ok, 1 failure (e.g. the schema is newer than this roadie), 2 usage.\n"
                           "Settings (roadie.conf key, environment variable, default):\n";

static void print_applied(const char *name)
{
    printf("applied %s\n", name);
}

static int status(db *d)
{
    db_migrate_state st;
    if (db_migrate_status(d, &st) != DB_OK) {
        fprintf(stderr, "roadie migrate: %s\n", db_errmsg(d));
        return 1;
    }
    size_t n;
    const db_migration *m = db_migrations(&n);
    for (size_t i = 0; i < n; i++)
        printf("%-8s %s\n", db_migration_applied(d, m[i].version) ? "applied" : "pending", m[i].name);
    printf("schema version %d of %d", st.current, st.latest);
    if (st.newer)
        printf(" (the database is NEWER than this roadie)");
    if (st.edited)
        printf(" (migration %d was changed after it was applied)", st.edited);
    printf(", %d pending\n", st.pending);
    return st.newer || st.edited ? 1 : 0;
}

int cmd_migrate(int argc, char **argv)
{
    if (cmd_wants_help(argc, argv)) {
        fputs(help, stdout);
        config_print_help(stdout);
        return 0;
    }
    int to = -1;
    bool want_status = false;
    for (int i = 1; i < argc; i++) {
        char *end;
        if (strcmp(argv[i], "--status") == 0)
            want_status = true;
        else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc && (to = (int)strtol(argv[++i], &end, 10)) >= 0 && !*end)
            continue;
        else
            return cmd_usage_error("migrate", "unexpected argument '%s'", argv[i]);
    }
    config cfg;
    char err[512];
    if (config_load(NULL, &cfg, err, sizeof(err)) < 0) {
        fprintf(stderr, "roadie migrate: %s\n", err);
        return 1;
    }
    int rc = 1;
    db *d = cmd_open_db(&cfg, err, sizeof(err));
    if (!d) {
        fprintf(stderr, "roadie migrate: %s\n", err);
        goto out;
    }
    db_migrate_state st;
    if (want_status)
        rc = status(d);
    else if (db_migrate(d, to, print_applied) != DB_OK || db_migrate_status(d, &st) != DB_OK)
        fprintf(stderr, "roadie migrate: %s\n", db_errmsg(d));
    else
        rc = printf("schema version %d of %d, %d pending\n", st.current, st.latest, st.pending) < 0;
out:
    db_close(d);
    config_release(&cfg);
    return rc;
}
