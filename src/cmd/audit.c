/* roadie audit: check the audit log's hash chain, or print its head. */
#include "base/config.h"
#include "cmd/cmd.h"
#include "db/db.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

static const char help[] = "usage: roadie audit verify [--head HASH]\n"
                           "       roadie audit head\n\n"
                           "verify  recomputes every entry's hash and link; exit 0 when the chain is intact, 1 with\n"
                           "        the first broken entry otherwise (an edited, inserted or deleted row). With\n"
                           "        --head, a head hash saved earlier (from 'roadie audit head') must still be in the\n"
                           "        chain, which also catches entries removed from the end.\n"
                           "head    prints the newest entry's sequence number and hash; keep it somewhere else.\n";

static int verify(db *d, const char *head)
{
    bool ok;
    int64_t bad;
    char why[256];
    if (store_audit_verify(d, head, &ok, &bad, why, sizeof(why)) != DB_OK) {
        fprintf(stderr, "roadie audit: %s\n", db_errmsg(d));
        return 1;
    }
    if (!ok) {
        printf("audit chain BROKEN: %s\n", why);
        return 1;
    }
    int64_t seq;
    char hash[STORE_HASH_HEX];
    if (store_audit_head(d, &seq, hash) != DB_OK)
        return 1;
    printf("audit chain intact: %lld entries, head %s\n", (long long)seq, hash);
    return 0;
}

int cmd_audit(int argc, char **argv)
{
    if (cmd_wants_help(argc, argv) || argc < 2) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *head = NULL;
    bool is_verify = strcmp(argv[1], "verify") == 0;
    if (!is_verify && strcmp(argv[1], "head") != 0)
        return cmd_usage_error("audit", "unknown subcommand '%s'", argv[1]);
    for (int i = 2; i < argc; i++) {
        if (is_verify && strcmp(argv[i], "--head") == 0 && i + 1 < argc && strlen(argv[i + 1]) == STORE_HASH_HEX - 1)
            head = argv[++i];
        else
            return cmd_usage_error("audit", "unexpected argument '%s'", argv[i]);
    }
    config cfg;
    char err[512];
    if (config_load(NULL, &cfg, err, sizeof(err)) < 0) {
        fprintf(stderr, "roadie audit: %s\n", err);
        return 1;
    }
    int rc = 1;
    db *d = cmd_open_db(&cfg, err, sizeof(err));
    if (!d) {
        fprintf(stderr, "roadie audit: %s\n", err);
    } else if (is_verify) {
        rc = verify(d, head);
    } else {
        int64_t seq;
        char hash[STORE_HASH_HEX];
        if (store_audit_head(d, &seq, hash) == DB_OK) {
            printf("%lld %s\n", (long long)seq, hash);
            rc = 0;
        } else {
            fprintf(stderr, "roadie audit: %s\n", db_errmsg(d));
        }
    }
    db_close(d);
    config_release(&cfg);
    return rc;
}
