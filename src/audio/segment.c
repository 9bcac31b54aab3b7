/*
 * segment.c: segments (short sound events between onsets) and sections (long stretches
 * of similar harmony and timbre).
 *
 * Segments: a frame is an onset when its spectral flux is the largest within +-35 ms and
 * exceeds the mean of the surrounding 0.25 s by a margin scaled to the track; onsets closer
 * than MIN_SEG apart are merged. Each segment then gets its level curve (dBFS) and the mean
 * of its chroma (max-normalised) and MFCC.
 * Sections: 0.5 s blocks described by chroma, MFCC and level; Foote's checkerboard novelty
 * over their cosine self-similarity (8 s either side); peaks at least MIN_SECTION apart
 * start new sections, each with its own level, tempo and key.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audio/mir_int.h"

#define MIN_SEG 0.08   /* seconds */
#define BLOCK 43       /* frames per section block (0.5 s) */
#define KERNEL 16      /* blocks either side of a section boundary */
#define MIN_SECTION 16 /* blocks (8 s) */
#define NFEAT (12 + MIR_NMFCC)

static double onset_threshold(const mir_track *t)
{
    double s = 0, ss = 0;
    for (size_t i = 0; i < t->n; i++) {
        s += t->f[i].onset;
        ss += (double)t->f[i].onset * t->f[i].onset;
    }
    double m = s / (double)t->n;
    return 0.3 * sqrt(fmax(0, ss / (double)t->n - m * m));
}

/* Onset frames into on[] (first is always 0). Returns the count. */
static size_t find_onsets(const mir_track *t, size_t *on, double *strength)
{
    const size_t w = 3, avg = (size_t)(0.125 * MIR_FPS), gap = (size_t)(MIN_SEG * MIR_FPS);
    double thr = onset_threshold(t), top = 1e-9;
    size_t k = 0;
    on[k] = 0;
    strength[k++] = 1;
    for (size_t i = 1; i + 1 < t->n; i++) {
        float v = t->f[i].onset;
        int peak = 1;
        for (size_t j = i > w ? i - w : 0; j <= i + w && j < t->n && peak; j++)
            peak = j == i || t->f[j].onset < v || (t->f[j].onset == v && j > i);
        if (!peak || i - on[k - 1] < gap)
            continue;
        double m = 0;
        size_t lo = i > avg ? i - avg : 0, hi = i + avg < t->n ? i + avg : t->n - 1;
        for (size_t j = lo; j <= hi; j++)
            m += t->f[j].onset;
        m /= (double)(hi - lo + 1);
        if (v - m < thr || v <= 0)
            continue;
        on[k] = i;
        strength[k++] = v - m;
        top = fmax(top, v - m);
    }
    for (size_t i = 1; i < k; i++)
        strength[i] = mir_clamp(strength[i] / top, 0, 1);
    return k;
}

static void fill_segment(const mir_track *t, size_t a, size_t b, double conf, audio_segment *s)
{
    memset(s, 0, sizeof *s);
    s->start = a ? mir_frame_time(a) + MIR_ONSET_DELAY : 0;
    s->duration = fmax(0, fmin(b < t->n ? mir_frame_time(b) + MIR_ONSET_DELAY : t->seconds, t->seconds) - s->start);
    s->confidence = conf;
    s->loudness_start = t->f[a].db;
    s->loudness_end = t->f[b - 1].db;
    size_t mx = a;
    for (size_t i = a; i < b; i++) {
        if (t->f[i].db > t->f[mx].db)
            mx = i;
        for (int p = 0; p < 12; p++) {
            s->pitches[p] += t->f[i].chroma[p];
            s->timbre[p] += t->f[i].mfcc[p] / (double)(b - a);
        }
    }
    s->loudness_max = t->f[mx].db;
    s->loudness_max_time = mir_clamp(mir_frame_time(mx) - s->start, 0, s->duration);
    double top = 0;
    for (int p = 0; p < 12; p++)
        top = fmax(top, s->pitches[p]);
    for (int p = 0; p < 12; p++)
        s->pitches[p] = top > 0 ? s->pitches[p] / top : 0;
}

int mir_segments(const mir_track *t, audio_result *r)
{
    size_t *on = malloc((t->n + 1) * sizeof *on);
    double *st = malloc((t->n + 1) * sizeof *st);
    int rc = AUDIO_ENOMEM;
    if (!on || !st)
        goto out;
    size_t k = find_onsets(t, on, st);
    r->segments = calloc(k, sizeof *r->segments);
    if (!r->segments)
        goto out;
    for (size_t i = 0; i < k; i++)
        fill_segment(t, on[i], i + 1 < k ? on[i + 1] : t->n, st[i], &r->segments[i]);
    r->n_segments = k;
    rc = 0;
out:
    free(on);
    free(st);
    return rc;
}

/* Per-block features, each dimension scaled to unit deviation across blocks. */
static float *block_features(const mir_track *t, size_t nb)
{
    float *x = calloc(nb * NFEAT, sizeof *x);
    if (!x)
        return NULL;
    for (size_t i = 0; i < t->n; i++) {
        float *v = x + (i / BLOCK) * NFEAT;
        double s = 0;
        for (int p = 0; p < 12; p++)
            s += t->f[i].chroma[p];
        for (int p = 0; p < 12; p++)
            v[p] += s > 0 ? (float)(t->f[i].chroma[p] / s) : 0;
        for (int c = 0; c < MIR_NMFCC; c++)
            v[12 + c] += t->f[i].mfcc[c];
    }
    for (int d = 0; d < NFEAT; d++) {
        double m = 0, ss = 0;
        for (size_t i = 0; i < nb; i++)
            m += x[i * NFEAT + d] / (double)nb;
        for (size_t i = 0; i < nb; i++)
            ss += (x[i * NFEAT + d] - m) * (x[i * NFEAT + d] - m) / (double)nb;
        double sd = sqrt(ss);
        for (size_t i = 0; i < nb; i++)
            x[i * NFEAT + d] = sd > 1e-9 ? (float)((x[i * NFEAT + d] - m) / sd) : 0;
    }
    return x;
}

static double cosine(const float *a, const float *b)
{
    double ab = 0, aa = 0, bb = 0;
    for (int d = 0; d < NFEAT; d++) {
        ab += a[d] * b[d];
        aa += a[d] * a[d];
        bb += b[d] * b[d];
    }
    return aa > 0 && bb > 0 ? ab / sqrt(aa * bb) : 1;
}

/* Foote novelty: similarity within the past and within the future minus across, with a
 * Gaussian taper. sim holds cosine(block i, block i + d) for d < 2 * KERNEL. */
static void novelty(const float *x, size_t nb, double *nov, float *sim)
{
    static const size_t W = 2 * KERNEL;
    for (size_t i = 0; i < nb; i++)
        for (size_t d = 1; d < W; d++)
            sim[i * W + d] = i + d < nb ? (float)cosine(x + i * NFEAT, x + (i + d) * NFEAT) : 0;
    double g[2 * KERNEL];
    for (int a = -KERNEL; a < KERNEL; a++)
        g[a + KERNEL] = exp(-0.5 * (a + 0.5) * (a + 0.5) / (KERNEL * KERNEL / 4.0));
    for (size_t i = 0; i < nb; i++) {
        double s = 0;
        for (int a = -KERNEL; a < KERNEL; a++)
            for (int b = a + 1; b < KERNEL; b++) {
                long ia = (long)i + a, ib = (long)i + b;
                if (ia < 0 || ib >= (long)nb)
                    continue;
                double w = g[a + KERNEL] * g[b + KERNEL];
                s += ((a < 0) == (b < 0) ? w : -w) * sim[(size_t)ia * W + (size_t)(b - a)];
            }
        nov[i] = s;
    }
}

static void fill_section(const mir_track *t, const mir_beats *b, size_t a, size_t z, double conf, audio_section *s)
{
    memset(s, 0, sizeof *s);
    s->start = mir_frame_time(a);
    s->duration = fmin(mir_frame_time(z), t->seconds) - s->start;
    s->confidence = conf;
    s->loudness = mir_mean_db(t, a, z);
    s->tempo = mir_tempo_range(t, a, z, b->tempo, &s->tempo_confidence);
    mir_key_range(t, a, z, &s->key, &s->key_confidence, &s->mode, &s->mode_confidence);
    s->time_signature = b->meter;
    s->time_signature_confidence = b->meter_confidence;
}

/* Section starts (in blocks) into st[], first is 0; returns the count. */
static size_t section_starts(const double *nov, size_t nb, size_t *st, double *conf)
{
    double m = 0, ss = 0, top = 1e-9;
    for (size_t i = 0; i < nb; i++) {
        m += nov[i] / (double)nb;
        top = fmax(top, nov[i]);
    }
    for (size_t i = 0; i < nb; i++)
        ss += (nov[i] - m) * (nov[i] - m) / (double)nb;
    double thr = m + 0.5 * sqrt(ss);
    size_t k = 0;
    st[k] = 0;
    conf[k++] = 1;
    for (size_t i = MIN_SECTION; i + MIN_SECTION / 2 < nb; i++) {
        int peak = nov[i] > thr;
        for (size_t j = i - MIN_SECTION / 2; j <= i + MIN_SECTION / 2 && peak; j++)
            peak = j == i || nov[j] < nov[i];
        if (peak && i - st[k - 1] >= MIN_SECTION) {
            st[k] = i;
            conf[k++] = mir_clamp(nov[i] / top, 0, 1);
        }
    }
    return k;
}

int mir_sections(const mir_track *t, const mir_beats *b, audio_result *r)
{
    size_t nb = (t->n + BLOCK - 1) / BLOCK, k = 1;
    float *x = block_features(t, nb);
    double *nov = calloc(nb + 1, sizeof *nov), *conf = calloc(nb + 1, sizeof *conf);
    size_t *st = calloc(nb + 1, sizeof *st);
    float *sim = malloc((nb + 1) * 2 * KERNEL * sizeof *sim);
    int rc = AUDIO_ENOMEM;
    if (!x || !nov || !conf || !st || !sim)
        goto out;
    conf[0] = 1;
    if (nb >= 2 * MIN_SECTION) {
        novelty(x, nb, nov, sim);
        k = section_starts(nov, nb, st, conf);
    }
    r->sections = calloc(k, sizeof *r->sections);
    if (!r->sections)
        goto out;
    for (size_t i = 0; i < k; i++) {
        size_t z = i + 1 < k ? st[i + 1] * BLOCK : t->n;
        fill_section(t, b, st[i] * BLOCK, z, conf[i], &r->sections[i]);
    }
    r->n_sections = k;
    rc = 0;
out:
    free(x);
    free(nov);
    free(conf);
    free(st);
    free(sim);
    return rc;
}
