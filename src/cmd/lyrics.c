/* roadie lyrics analyze: the lyric report for a file or stdin. */
#include "base/config.h"
#include "cmd/cmd.h"
#include "lyrics/lyrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LYRICS_INPUT_MAX (64u << 20)

static const char help[] = "usage: roadie lyrics analyze [FILE|-]\n\n"
                           "Prints the lyric report as JSON (docs/lyrics.md): explicit, profanity, sentiment\n"
                           "{score, label}, repetition, hook, chorus, and per stanza its rhyme scheme and per line\n"
                           "{text, syllables, stress, rhyme, scheme, sentiment, internal_rhymes}. Reads stdin when\n"
                           "FILE is - or missing. English only. Data comes from share_dir/lyrics.\n";

/* Reads all of f (at most LYRICS_INPUT_MAX bytes) into a malloc'd buffer. */
static char *slurp(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *p = malloc(cap);
    while (p) {
        n += fread(p + n, 1, cap - n, f);
        if (n < cap || cap >= LYRICS_INPUT_MAX)
            break;
        char *q = realloc(p, cap *= 2);
        if (!q)
            free(p);
        p = q;
    }
    if (p && ferror(f)) {
        free(p);
        p = NULL;
    }
    *len = n;
    return p;
}

int cmd_lyrics(int argc, char **argv)
{
    if (cmd_wants_help(argc, argv)) {
        fputs(help, stdout);
        return 0;
    }
    if (argc < 2 || strcmp(argv[1], "analyze") != 0 || argc > 3)
        return cmd_usage_error("lyrics", "expected 'analyze [FILE|-]'");
    const char *path = argc == 3 ? argv[2] : "-";
    config cfg;
    char err[512], dir[4096];
    if (config_load(NULL, &cfg, err, sizeof(err)) < 0) {
        fprintf(stderr, "roadie lyrics: %s\n", err);
        return 1;
    }
    snprintf(dir, sizeof(dir), "%s/lyrics", cfg.share_dir);
    config_release(&cfg);
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    size_t len;
    char *text = slurp(f, &len), *json = NULL;
    if (f != stdin)
        fclose(f);
    lyrics_data *d = text ? lyrics_data_open(dir, err, sizeof(err)) : NULL;
    if (!text)
        fprintf(stderr, "roadie lyrics: cannot read %s\n", path);
    else if (!d)
        fprintf(stderr, "roadie lyrics: %s\n", err);
    else if (len >= LYRICS_INPUT_MAX)
        fprintf(stderr, "roadie lyrics: %s is larger than %u MB\n", path, LYRICS_INPUT_MAX >> 20);
    else if ((json = lyrics_analyze_json(d, text, len)))
        puts(json);
    int rc = json ? 0 : 1;
    free(json);
    free(text);
    lyrics_data_free(d);
    return rc;
}
