/* roadie analyze: Spotify audio-features (and audio-analysis) JSON for audio files. */
#include "audio/audio.h"
#include "base/base.h"
#include "base/config.h"
#include "cmd/cmd.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
    "usage: roadie analyze FILE... [--analysis] [--json-lines]\n\n"
    "Decodes each audio file (WAV, FLAC, Ogg Vorbis, Opus, MP3; up to 20 minutes) and prints\n"
    "Spotify's AudioFeaturesObject for it. Several files are analysed on all cores.\n\n"
    "  --analysis    print {\"audio_features\": ..., \"audio_analysis\": ...} for each file\n"
    "  --json-lines  one JSON value per line instead of a JSON array (several files)\n\n"
    "One file gives one JSON object; several give an array in the order named. A file that\n"
    "fails gives {\"file\": NAME, \"error\": {\"code\": N, \"message\": TEXT}} in its place, and\n"
    "the exit status is then 1. track_href and analysis_url use public_url + /v1.\n";

typedef struct job {
    const char *path;
    char *json; /* the rendered answer (object or error) */
    int failed;
} job;

typedef struct pool {
    job *jobs;
    size_t n;
    atomic_size_t next;
    bool analysis;
    const char *api;
} pool;

static char *error_json(const char *path, int code)
{
    buf b;
    buf_init(&b, 1 << 16);
    buf_puts(&b, "{\"file\":");
    buf_json_str(&b, path);
    buf_printf(&b, ",\"error\":{\"code\":%d,\"message\":", code);
    buf_json_str(&b, audio_strerror(code));
    buf_puts(&b, "}}");
    return buf_take(&b);
}

static char *render(const audio_result *r, const char *api, bool analysis)
{
    char *f = audio_json_features(r, api), *a = analysis ? audio_json_analysis(r) : NULL;
    if (!analysis || !f || !a) {
        free(a);
        if (analysis) {
            free(f);
            return NULL;
        }
        return f;
    }
    buf b;
    buf_init(&b, (size_t)-1);
    int e = buf_printf(&b, "{\"audio_features\":%s,\"audio_analysis\":%s}", f, a);
    free(f);
    free(a);
    return e ? NULL : buf_take(&b);
}

static void *worker(void *arg)
{
    pool *p = arg;
    size_t i;
    while ((i = atomic_fetch_add(&p->next, 1)) < p->n) {
        job *j = &p->jobs[i];
        audio_result r;
        int rc = audio_analyze_file(j->path, &r);
        if (rc == AUDIO_OK && !(j->json = render(&r, p->api, p->analysis)))
            rc = AUDIO_ENOMEM;
        audio_result_release(&r);
        if (rc != AUDIO_OK) {
            j->failed = 1;
            j->json = error_json(j->path, rc);
        }
    }
    return NULL;
}

static int print_all(const pool *p, bool lines)
{
    int failed = 0;
    if (p->n > 1 && !lines)
        fputs("[", stdout);
    for (size_t i = 0; i < p->n; i++) {
        failed |= p->jobs[i].failed;
        if (p->n > 1 && !lines && i)
            fputs(",\n", stdout);
        fputs(p->jobs[i].json ? p->jobs[i].json : "null", stdout);
        if (lines)
            fputs("\n", stdout);
    }
    if (p->n > 1 && !lines)
        fputs("]", stdout);
    if (!lines)
        fputs("\n", stdout);
    return failed;
}

int cmd_analyze(int argc, char **argv)
{
    if (cmd_wants_help(argc, argv)) {
        fputs(help, stdout);
        return 0;
    }
    pool p = {.jobs = calloc((size_t)argc, sizeof(job))};
    bool lines = false;
    if (!p.jobs)
        return 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--analysis") == 0)
            p.analysis = true;
        else if (strcmp(argv[i], "--json-lines") == 0)
            lines = true;
        else if (argv[i][0] == '-' && argv[i][1])
            return free(p.jobs), cmd_usage_error("analyze", "unknown option '%s'", argv[i]);
        else
            p.jobs[p.n++].path = argv[i];
    }
    if (p.n == 0)
        return free(p.jobs), cmd_usage_error("analyze", "expected at least one FILE");
    config cfg;
    char err[512], api[600];
    if (config_load(NULL, &cfg, err, sizeof(err)) < 0) {
        fprintf(stderr, "roadie analyze: %s\n", err);
        free(p.jobs);
        return 1;
    }
    snprintf(api, sizeof(api), "%s/v1", cfg.public_url);
    p.api = api;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nt = cores < 1 ? 1 : (size_t)cores > p.n ? p.n : (size_t)cores;
    pthread_t t[64];
    nt = nt > 64 ? 64 : nt;
    for (size_t i = 0; i < nt; i++)
        pthread_create(&t[i], NULL, worker, &p);
    for (size_t i = 0; i < nt; i++)
        pthread_join(t[i], NULL);
    int failed = print_all(&p, lines);
    for (size_t i = 0; i < p.n; i++)
        free(p.jobs[i].json);
    free(p.jobs);
    config_release(&cfg);
    return failed ? 1 : 0;
}
