/*
 * meter.c: bars and tatums on top of the beat grid.
 *
 * Three beat-synchronous sequences are z-scored: bass onsets (bass notes and kick drums
 * fall on strong beats), all onsets, and harmonic change (1 - cosine between the chroma of
 * consecutive beats; chords change on bar lines). For each bar length m in 3, 4, 5, 7 the
 * autocorrelations at lags m and 2m are summed (for harmonic change the larger of the two,
 * as chords often last two bars); the best m wins, 4 by a small prior margin. The downbeat
 * is the phase whose beats carry the most bass onsets and harmonic change.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audio/mir_int.h"

#define N_SEQ 3
static const int meters[] = {3, 4, 5, 7};
static const double seq_w[N_SEQ] = {1.0, 0.5, 1.0}; /* bass onsets, onsets, harmonic change */

/* The frame whose flux marks an onset at sec. */
static size_t frame_of(double sec, size_t n)
{
    double f = (sec - MIR_ONSET_DELAY) * MIR_FPS + 0.5;
    if (f < 0)
        return 0;
    return f >= (double)n ? n - 1 : (size_t)f;
}

static void zscore(double *x, size_t n)
{
    double s = 0, ss = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    double m = s / (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - m) * (x[i] - m);
    double sd = sqrt(ss / (double)n);
    for (size_t i = 0; i < n; i++)
        x[i] = sd > 1e-9 ? (x[i] - m) / sd : 0;
}

static double lag_corr(const double *x, size_t n, size_t k)
{
    if (k >= n)
        return 0;
    double s = 0;
    for (size_t i = k; i < n; i++)
        s += x[i] * x[i - k];
    return s / (double)(n - k);
}

/* seq[0]: bass onsets, seq[1]: onsets, seq[2]: harmonic change, one value per beat. */
static void beat_sequences(const mir_track *t, const float *env, size_t n, const mir_beats *b, double *seq[N_SEQ])
{
    double prev[12] = {0};
    for (size_t i = 0; i < b->n; i++) {
        size_t c = frame_of(b->t[i], n), z = i + 1 < b->n ? frame_of(b->t[i + 1], n) : c + 1;
        double lo = 0, on = 0, ch[12] = {0}, norm = 0, dot = 0, pn = 0;
        for (size_t j = c >= 2 ? c - 2 : 0; j <= c + 2 && j < n; j++) {
            lo = fmax(lo, t->f[j].onset_lo);
            on = fmax(on, env[j]);
        }
        for (size_t j = c; j < z && j < n; j++)
            for (int p = 0; p < 12; p++)
                ch[p] += t->f[j].chroma[p];
        for (int p = 0; p < 12; p++) {
            norm += ch[p] * ch[p];
            pn += prev[p] * prev[p];
            dot += ch[p] * prev[p];
        }
        seq[0][i] = lo;
        seq[1][i] = on;
        seq[2][i] = (i > 0 && norm > 0 && pn > 0) ? 1 - dot / sqrt(norm * pn) : 0;
        memcpy(prev, ch, sizeof ch);
    }
    for (int s = 0; s < N_SEQ; s++)
        zscore(seq[s], b->n);
}

static double meter_score(double *seq[N_SEQ], size_t nb, int m)
{
    double s = 0;
    for (int q = 0; q < N_SEQ; q++) {
        double a = lag_corr(seq[q], nb, (size_t)m), a2 = lag_corr(seq[q], nb, (size_t)(2 * m));
        s += seq_w[q] * (q == 2 ? fmax(a, a2) : 0.5 * (a + a2));
    }
    return s + (m == 4 ? 0.05 : 0);
}

static size_t downbeat_phase(double *seq[N_SEQ], size_t nb, int m)
{
    size_t best = 0;
    double best_s = -1e30;
    for (int ph = 0; ph < m; ph++) {
        double s = 0;
        size_t c = 0;
        for (size_t i = (size_t)ph; i < nb; i += (size_t)m, c++)
            s += seq[0][i] + seq[2][i] + 0.5 * seq[1][i];
        if (c && s / (double)c > best_s) {
            best_s = s / (double)c;
            best = (size_t)ph;
        }
    }
    return best;
}

/* 3 tatums per beat when the third-points carry clearly more onsets than the midpoints. */
static int tatum_division(const float *env, size_t n, const mir_beats *b)
{
    double half = 0, third = 0;
    for (size_t i = 0; i + 1 < b->n; i++) {
        double a = b->t[i], d = b->t[i + 1] - a;
        half += env[frame_of(a + d / 2, n)];
        third += 0.5 * (env[frame_of(a + d / 3, n)] + env[frame_of(a + 2 * d / 3, n)]);
    }
    return third > 1.3 * half + 1e-9 ? 3 : 2;
}

int mir_meter(const mir_track *t, const float *env, size_t n, mir_beats *b)
{
    b->meter = 4;
    b->meter_confidence = 0;
    if (b->n < 8)
        return 0;
    double *mem = malloc(N_SEQ * b->n * sizeof *mem), *seq[N_SEQ];
    if (!mem)
        return AUDIO_ENOMEM;
    for (int s = 0; s < N_SEQ; s++)
        seq[s] = mem + (size_t)s * b->n;
    beat_sequences(t, env, n, b, seq);
    double best = -1e30, second = -1e30;
    for (size_t i = 0; i < sizeof meters / sizeof *meters; i++) {
        double s = meter_score(seq, b->n, meters[i]);
        if (s > best) {
            second = best;
            best = s;
            b->meter = meters[i];
        } else if (s > second) {
            second = s;
        }
    }
    b->meter_confidence = mir_clamp(2 * (best - second), 0, 1);
    b->downbeat = downbeat_phase(seq, b->n, b->meter);
    b->tatums_per_beat = tatum_division(env, n, b);
    free(mem);
    return 0;
}

static double beat_len(const mir_beats *b, size_t i)
{
    if (i + 1 < b->n)
        return b->t[i + 1] - b->t[i];
    return b->tempo > 0 ? 60.0 / b->tempo : 0.5;
}

/* Confidence of a tatum: its onset against the track's mean onset. */
static double onset_conf(const mir_track *t, double sec, double mean)
{
    size_t c = frame_of(sec, t->n);
    double v = 0;
    for (size_t j = c >= 2 ? c - 2 : 0; j <= c + 2 && j < t->n; j++)
        v = fmax(v, t->f[j].onset);
    return mir_clamp(v / (4 * mean + 1e-9), 0, 1);
}

int mir_grid_spans(const mir_track *t, const mir_beats *b, audio_result *r)
{
    size_t m = (size_t)b->meter, k = (size_t)b->tatums_per_beat;
    size_t nbars = b->n > b->downbeat ? (b->n - b->downbeat + m - 1) / m : 0;
    r->beats = calloc(b->n + 1, sizeof *r->beats);
    r->bars = calloc(nbars + 1, sizeof *r->bars);
    r->tatums = calloc(b->n * k + 1, sizeof *r->tatums);
    if (!r->beats || !r->bars || !r->tatums)
        return AUDIO_ENOMEM;
    double mean = 0;
    for (size_t i = 0; i < t->n; i++)
        mean += t->f[i].onset;
    mean /= t->n ? (double)t->n : 1;
    for (size_t i = 0; i < b->n; i++) {
        double d = fmin(beat_len(b, i), fmax(0, t->seconds - b->t[i]));
        r->beats[i] = (audio_span){b->t[i], d, b->conf[i]};
        for (size_t j = 0; j < k; j++) {
            double s = b->t[i] + d * (double)j / (double)k;
            r->tatums[r->n_tatums++] = (audio_span){s, d / (double)k, onset_conf(t, s, mean)};
        }
    }
    r->n_beats = b->n;
    for (size_t i = b->downbeat; i < b->n; i += m) {
        double d = 0, c = 0;
        size_t j;
        for (j = i; j < i + m && j < b->n; j++) {
            d += r->beats[j].duration;
            c += b->conf[j];
        }
        r->bars[r->n_bars++] = (audio_span){b->t[i], d, c / (double)(j - i)};
    }
    return 0;
}
