/* roadie: dispatch to a subcommand. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <string.h>

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"migrate", cmd_migrate, "apply database migrations; --status lists them"},
    {"audit", cmd_audit, "verify the audit log's hash chain; print its head"},
    {"user", cmd_user, "add a user (the first admin) or reset a password, from stdin"},
    {"analyze", cmd_analyze, "Spotify audio-features (and --analysis) JSON for audio files"},
    {"serve", cmd_serve, "serve the HTTP API until SIGTERM"},
    {"openapi", cmd_openapi, "print the OpenAPI 3.1 document"},
    {"lyrics", cmd_lyrics, "lyric report: syllables, rhyme, scheme, sentiment, explicitness"},
    {NULL, NULL, NULL},
};

static void usage(FILE *f)
{
    fputs("usage: roadie <command> [options]\n\n"
          "Roadie: a self-hosted backend that gives artists an AI agent for their careers on Spotify.\n\n"
          "commands:\n",
          f);
    for (const struct command *c = commands; c->name; c++)
        fprintf(f, "  %-14s %s\n", c->name, c->summary);
    fputs("\n'roadie <command> --help' describes one command.\n", f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("roadie %s\n", ROADIE_VERSION);
        return 0;
    }
    for (const struct command *c = commands; c->name; c++)
        if (strcmp(argv[1], c->name) == 0)
            return c->run(argc - 1, argv + 1);
    fprintf(stderr, "roadie: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
