/* Helpers shared by the subcommands. */
#include "cmd/cmd.h"

#include "base/config.h"
#include "db/db.h"

#include <errno.h>
#include <sys/stat.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int cmd_usage_error(const char *name, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "roadie %s: ", name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'roadie %s --help')\n", name);
    return 2;
}

int cmd_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    return 0;
}

int cmd_data_dir(const config *cfg, char *err, size_t errlen)
{
    if (mkdir(cfg->data_dir, 0700) < 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create data_dir %s: %s", cfg->data_dir, strerror(errno));
        return -1;
    }
    return 0;
}

db *cmd_open_db(const config *cfg, char *err, size_t errlen)
{
    if (strncmp(cfg->database_url, "sqlite:", 7) == 0 && cmd_data_dir(cfg, err, errlen) < 0)
        return NULL;
    return db_open(cfg->database_url, err, errlen);
}
