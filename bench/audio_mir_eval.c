/*
 * audio_mir_eval: scores the analyser (audio_mir_*) on a development set built by
 * ../shared/data/make-dev-audio.sh and prints, per file and in total, tempo Accuracy1 and
 * Accuracy2, the MIREX weighted key score, time-signature accuracy per class, speed
 * (x realtime on one core, decode and resampling included) and peak memory. With --ref it
 * runs `aubio tempo` and `bpm` (bpm-tools) on the same files in the same run and scores them
 * too, with their speed. With --long FILE SECONDS it streams FILE over and over until SECONDS
 * of audio went through one analyser and prints the peak memory of that (10-minute check).
 *
 * Build (from the repo root, after `make`):
 *   cc -O2 -D_GNU_SOURCE -Isrc -o build/audio_mir_eval bench/audio_mir_eval.c build/rel/libroadie.a \
 *      $(pkg-config --cflags --libs sndfile soxr fftw3f) -lm -lpthread
 * Run:
 *   build/audio_mir_eval /work/devset7 [--ref | --features]
 *   build/audio_mir_eval --long /work/devset7/blupi_music000.wav 600
 *
 * Decoding here is deliberately trivial (libsndfile, downmix, libsoxr); the decoder of the
 * audio module replaces it once `roadie analyze` exists, and bench/audio.sh calls that.
 */
#include <math.h>
#include <sndfile.h>
#include <soxr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "audio/audio.h"

#define BLOCK 8192

typedef struct truth {
    char file[256];
    double tempo;
    int key, mode, ts;
} truth;

typedef struct tally {
    int n, acc1, acc2, nkey, ts_n[8], ts_ok[8];
    double mirex, audio_s, cpu_s;
} tally;

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* A local release: audio_result_release belongs to the decoder half of the module. */
static void result_drop(audio_result *r)
{
    free(r->bars);
    free(r->beats);
    free(r->tatums);
    free(r->sections);
    free(r->segments);
    memset(r, 0, sizeof *r);
}

/* Decodes path (looping until min_seconds when > 0), downmixes, resamples to AUDIO_RATE
 * and streams it into a fresh analyser. Returns the seconds of audio, or -1. */
static double analyse_file(const char *path, double min_seconds, audio_result *r)
{
    SF_INFO info = {0};
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    if (!sf) {
        fprintf(stderr, "%s: %s\n", path, sf_strerror(NULL));
        return -1;
    }
    double seconds = -1;
    soxr_error_t err = NULL;
    soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    soxr_quality_spec_t q = soxr_quality_spec(SOXR_HQ, 0);
    soxr_t rs = soxr_create(info.samplerate, AUDIO_RATE, 1, &err, &io, &q, NULL);
    audio_mir *m = audio_mir_new();
    float *in = malloc(sizeof(float) * BLOCK * (size_t)info.channels), *mono = malloc(sizeof(float) * BLOCK);
    size_t ocap = (size_t)(BLOCK * (double)AUDIO_RATE / info.samplerate) + 64;
    float *o = malloc(sizeof(float) * ocap);
    int64_t frames = 0;
    if (err || !m || !in || !mono || !o)
        goto out;
    for (;;) {
        sf_count_t got = sf_readf_float(sf, in, BLOCK);
        if (got <= 0) {
            if (min_seconds > 0 && frames > 0 && (double)frames / info.samplerate < min_seconds) {
                sf_seek(sf, 0, SEEK_SET);
                continue;
            }
            break;
        }
        for (sf_count_t i = 0; i < got; i++) {
            float s = 0;
            for (int c = 0; c < info.channels; c++)
                s += in[i * info.channels + c];
            mono[i] = s / (float)info.channels;
        }
        frames += got;
        size_t done = 0;
        soxr_process(rs, mono, (size_t)got, NULL, o, ocap, &done);
        if (audio_mir_push(m, o, done))
            goto out;
    }
    size_t done;
    do { /* drain the resampler */
        done = 0;
        soxr_process(rs, NULL, 0, NULL, o, ocap, &done);
        if (done && audio_mir_push(m, o, done))
            goto out;
    } while (done);
    if (audio_mir_finish(m, r) == 0)
        seconds = (double)frames / info.samplerate;
out:
    free(in);
    free(mono);
    free(o);
    audio_mir_free(m);
    soxr_delete(rs);
    sf_close(sf);
    return seconds;
}

static int tempo_ok(double est, double ref, int octaves)
{
    static const double f[] = {1, 2, 3, 0.5, 1.0 / 3};
    for (int i = 0; i < (octaves ? 5 : 1); i++)
        if (fabs(est - f[i] * ref) <= 0.04 * f[i] * ref)
            return 1;
    return 0;
}

/* MIREX key score as mir_eval computes it (the fifth counts upwards only). */
static double mirex(int rk, int rm, int ek, int em)
{
    if (ek < 0 || em < 0)
        return 0;
    if (ek == rk && em == rm)
        return 1;
    if (em == rm && (ek - rk + 12) % 12 == 7)
        return 0.5;
    if (rm == 1 && em == 0 && (ek - rk + 12) % 12 == 9)
        return 0.3;
    if (rm == 0 && em == 1 && (ek - rk + 12) % 12 == 3)
        return 0.3;
    if (em != rm && ek == rk)
        return 0.2;
    return 0;
}

static int load_truth(const char *dir, truth **out)
{
    char path[4096], line[1024];
    snprintf(path, sizeof path, "%s/truth.tsv", dir);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    int n = 0, cap = 0;
    truth *t = NULL;
    while (fgets(line, sizeof line, fp)) {
        truth x;
        if (sscanf(line, "%255[^\t]\t%lf\t%d\t%d\t%d", x.file, &x.tempo, &x.key, &x.mode, &x.ts) != 5)
            continue; /* the header */
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            truth *nt = realloc(t, (size_t)cap * sizeof *t);
            if (!nt)
                break;
            t = nt;
        }
        t[n++] = x;
    }
    fclose(fp);
    *out = t;
    return n;
}

/* Runs a shell command that prints a tempo; returns the last number it printed, or 0. */
static double run_ref(const char *cmd, double *wall)
{
    double t0 = wall_now(), bpm = 0;
    FILE *p = popen(cmd, "r");
    char line[256];
    while (p && fgets(line, sizeof line, p)) {
        double v;
        if (sscanf(line, "%lf", &v) == 1)
            bpm = v;
    }
    if (p)
        pclose(p);
    *wall += wall_now() - t0;
    return bpm;
}

static void ref_tempi(const char *path, double *aubio, double *bpm, double *aubio_s, double *bpm_s)
{
    char cmd[8192];
    if (strchr(path, '\'')) {
        *aubio = *bpm = 0;
        return;
    }
    snprintf(cmd, sizeof cmd, "aubio tempo '%s' 2>/dev/null", path);
    *aubio = run_ref(cmd, aubio_s);
    snprintf(cmd, sizeof cmd, "sox '%s' -t raw -r 44100 -e float -c 1 - 2>/dev/null | bpm 2>/dev/null", path);
    *bpm = run_ref(cmd, bpm_s);
}

static void print_tally(const char *name, const tally *t)
{
    printf("%-8s tempo Acc1 %5.1f%%  Acc2 %5.1f%%", name, 100.0 * t->acc1 / (t->n ? t->n : 1),
           100.0 * t->acc2 / (t->n ? t->n : 1));
    if (t->cpu_s > 0)
        printf("  speed %.0fx realtime", t->audio_s / t->cpu_s);
    printf("\n");
}

static int long_run(const char *path, double seconds)
{
    audio_result r = {0};
    double c0 = cpu_now();
    double s = analyse_file(path, seconds, &r);
    double c = cpu_now() - c0;
    if (s < 0)
        return 1;
    printf("long: %.0f s of audio, tempo %.2f, %zu beats, %zu segments, %zu sections, %.0fx realtime, "
           "peak RSS %.1f MB\n",
           s, r.tempo, r.n_beats, r.n_segments, r.n_sections, s / c, peak_rss_kb() / 1024.0);
    result_drop(&r);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "--long") == 0)
        return long_run(argv[2], atof(argv[3]));
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR [--ref|--features] | --long FILE SECONDS\n", argv[0]);
        return 2;
    }
    int ref = argc > 2 && strcmp(argv[2], "--ref") == 0, feat = argc > 2 && strcmp(argv[2], "--features") == 0;
    truth *tr = NULL;
    int n = load_truth(argv[1], &tr);
    if (n <= 0) {
        fprintf(stderr, "%s/truth.tsv: missing or empty\n", argv[1]);
        return 2;
    }
    tally me = {0}, au = {0}, bp = {0};
    printf("%-36s %7s %7s %3s %3s  %-7s %-7s %4s  %2s %2s %6s", "file", "tempo", "est", "a1", "a2", "key", "est",
           "mirx", "ts", "es", "xRT");
    if (ref)
        printf("  %7s %7s", "aubio", "bpm");
    printf("\n");
    for (int i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], tr[i].file);
        audio_result r = {0};
        double c0 = cpu_now(), s = analyse_file(path, 0, &r), c = cpu_now() - c0;
        if (s < 0) {
            printf("%-36s failed\n", tr[i].file);
            continue;
        }
        int a1 = tempo_ok(r.tempo, tr[i].tempo, 0), a2 = tempo_ok(r.tempo, tr[i].tempo, 1);
        me.n++;
        me.acc1 += a1;
        me.acc2 += a2;
        me.audio_s += s;
        me.cpu_s += c;
        double mx = -1;
        if (tr[i].key >= 0) {
            mx = mirex(tr[i].key, tr[i].mode, r.key, r.mode);
            me.mirex += mx;
            me.nkey++;
        }
        int ts = tr[i].ts >= 0 && tr[i].ts < 8 ? tr[i].ts : 0;
        me.ts_n[ts]++;
        me.ts_ok[ts] += r.time_signature == tr[i].ts;
        printf("%-36s %7.2f %7.2f %3s %3s  %2d/%-4d %2d/%-4d %4.1f  %2d %2d %6.0f", tr[i].file, tr[i].tempo, r.tempo,
               a1 ? "ok" : "-", a2 ? "ok" : "-", tr[i].key, tr[i].mode, r.key, r.mode, mx, tr[i].ts, r.time_signature,
               s / c);
        if (ref) {
            double ta, tb;
            ref_tempi(path, &ta, &tb, &au.cpu_s, &bp.cpu_s);
            au.n++;
            bp.n++;
            au.audio_s += s;
            bp.audio_s += s;
            au.acc1 += tempo_ok(ta, tr[i].tempo, 0);
            au.acc2 += tempo_ok(ta, tr[i].tempo, 1);
            bp.acc1 += tempo_ok(tb, tr[i].tempo, 0);
            bp.acc2 += tempo_ok(tb, tr[i].tempo, 1);
            printf("  %7.2f %7.2f", ta, tb);
        }
        printf("\n");
        if (feat)
            printf("    energy %.2f dance %.2f acoustic %.2f instrumental %.2f speech %.2f live %.2f valence %.2f "
                   "fade %.1f/%.1f, %zu segments, %zu sections\n",
                   r.energy, r.danceability, r.acousticness, r.instrumentalness, r.speechiness, r.liveness, r.valence,
                   r.end_of_fade_in, r.start_of_fade_out, r.n_segments, r.n_sections);
        result_drop(&r);
    }
    printf("\n%d files, %.0f s of audio\n", me.n, me.audio_s);
    print_tally("roadie", &me);
    if (ref) {
        print_tally("aubio", &au); /* wall time of the whole process: decode included */
        print_tally("bpm", &bp);   /* wall time of sox + bpm */
        if (au.cpu_s > 0 && bp.cpu_s > 0)
            printf("speed ratio roadie/aubio %.1f, roadie/bpm %.1f\n",
                   (me.audio_s / me.cpu_s) / (au.audio_s / au.cpu_s),
                   (me.audio_s / me.cpu_s) / (bp.audio_s / bp.cpu_s));
    }
    printf("key MIREX weighted score %.3f over %d files with a key\n", me.nkey ? me.mirex / me.nkey : 0, me.nkey);
    for (int k = 0; k < 8; k++)
        if (me.ts_n[k])
            printf("time signature %d/4: %d/%d right (%.0f%%)\n", k, me.ts_ok[k], me.ts_n[k],
                   100.0 * me.ts_ok[k] / me.ts_n[k]);
    printf("peak RSS %.1f MB\n", peak_rss_kb() / 1024.0);
    free(tr);
    return 0;
}
