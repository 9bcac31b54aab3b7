/*
 * audio_eval: scores the audio module on a development set built by
 * ../shared/data/make-dev-audio.sh and prints, per file and in total, tempo Accuracy1 and
 * Accuracy2, the MIREX weighted key score, time-signature accuracy per class, speed (x
 * realtime on one core: decode, loudness, resampling and the whole analysis) and peak memory.
 * With --ref it runs `aubio tempo` and `bpm` (bpm-tools) on the same files in the same run and
 * scores them too, with their speed. With --long FILE it analyses one file and prints its
 * peak memory (the 10-minute check). bench/audio.sh builds and runs it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "audio/audio.h"

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

/* Decodes and analyses path with the audio module (as `roadie analyze` does). Returns the
 * seconds of audio, or -1. */
static double analyse_file(const char *path, audio_result *r)
{
    int rc = audio_analyze_file(path, r);
    if (rc != AUDIO_OK) {
        fprintf(stderr, "%s: %s\n", path, audio_strerror(rc));
        return -1;
    }
    return r->duration;
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

static int load_truth(const char *path, truth **out)
{
    char line[1024];
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

static int long_run(const char *path)
{
    audio_result r = {0};
    double c0 = cpu_now();
    double s = analyse_file(path, &r);
    double c = cpu_now() - c0;
    if (s < 0)
        return 1;
    printf("long: %.0f s of audio, tempo %.2f, %zu beats, %zu segments, %zu sections, %.0fx realtime, "
           "peak RSS %.1f MB\n",
           s, r.tempo, r.n_beats, r.n_segments, r.n_sections, s / c, peak_rss_kb() / 1024.0);
    audio_result_release(&r);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "--long") == 0)
        return long_run(argv[2]);
    if (argc < 3) {
        fprintf(stderr, "usage: %s DIR TRUTH.tsv [--ref|--features] | --long FILE\n", argv[0]);
        return 2;
    }
    int ref = argc > 3 && strcmp(argv[3], "--ref") == 0, feat = argc > 3 && strcmp(argv[3], "--features") == 0;
    truth *tr = NULL;
    int n = load_truth(argv[2], &tr);
    if (n <= 0) {
        fprintf(stderr, "%s: missing or empty\n", argv[2]);
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
        double c0 = cpu_now(), s = analyse_file(path, &r), c = cpu_now() - c0;
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
        audio_result_release(&r);
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
