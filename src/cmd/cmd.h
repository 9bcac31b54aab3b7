/*
 * cmd: the `roadie` command line. main.c dispatches on the first word to one
 * cmd_<name>(argc, argv) per subcommand (argv[0] is the subcommand itself). Each returns
 * the process exit status: 0 ok, 1 failure, 2 usage error. A subcommand prints its own
 * --help.
 */
#ifndef ROADIE_CMD_H
#define ROADIE_CMD_H

#include <stddef.h>

struct config;
struct db;

/* Prints "roadie <name>: " and the message to stderr, returns 2 (a usage error). */
int cmd_usage_error(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* True when argv holds -h or --help. */
int cmd_wants_help(int argc, char **argv);

/* Creates cfg's data_dir (mode 0700) unless it exists. Returns 0, or -1 with a message. */
int cmd_data_dir(const struct config *cfg, char *err, size_t errlen);
/* Opens cfg's database (creating data_dir for SQLite first), or NULL with a message in err. */
struct db *cmd_open_db(const struct config *cfg, char *err, size_t errlen);

int cmd_migrate(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_lyrics(int argc, char **argv);

struct http_router;

/* roadie openapi: prints the OpenAPI document. */
int cmd_openapi(int argc, char **argv);
/* roadie serve: the HTTP API until SIGTERM/SIGINT. */
int cmd_serve(int argc, char **argv);
/* Adds every route the server answers (the one route table, in sections) to r. Returns 0,
 * or -1 with a message in err. The OpenAPI check in the unit tests uses it too. */
int cmd_routes_add(struct http_router *r, char *err, size_t errlen);

#endif
