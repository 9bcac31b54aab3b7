/*
 * tempo.c: tempo, beats and meter from the onset envelope.
 *
 * 1. Envelope: spectral flux of the log-mel spectrum, minus its 0.5 s moving average,
 *    half-wave rectified and scaled to unit deviation.
 * 2. Period family: the autocorrelation A of the envelope is scored at every candidate
 *    tempo (40-250 BPM, 1/96-octave grid) as A(L)+A(2L)+A(3L)+A(4L), which singles out the
 *    true period over its halves but not over its doubles.
 * 3. Octave: of the family's candidate, its half and its double, the one whose own
 *    autocorrelation A(L) weighs most under a log-normal perceived-tempo prior (120 BPM,
 *    half an octave wide) is the beat. Beats are then tracked at that period with Ellis'
 *    dynamic programming.
 * 4. Meter: beat-synchronous bass onsets, onsets and harmonic change are autocorrelated
 *    over beats; the bar length m in 3..7 whose multiples correlate best wins.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audio/mir_int.h"

#define MIN_BPM 40.0
#define MAX_BPM 250.0
#define GRID_PER_OCTAVE 96
#define MIN_TRACK_FRAMES ((size_t)(3 * MIR_FPS)) /* shorter: no tempo */

void mir_beats_release(mir_beats *b)
{
    free(b->t);
    free(b->conf);
    memset(b, 0, sizeof *b);
}

/* Onset envelope of frames [a, b): flux minus local mean, rectified, unit deviation. */
static float *envelope(const mir_track *t, size_t a, size_t b, int lo)
{
    size_t n = b - a;
    float *e = malloc(n * sizeof *e);
    double *cs = malloc((n + 1) * sizeof *cs);
    if (!e || !cs) {
        free(e);
        free(cs);
        return NULL;
    }
    cs[0] = 0;
    for (size_t i = 0; i < n; i++)
        cs[i + 1] = cs[i] + (lo ? t->f[a + i].onset_lo : t->f[a + i].onset);
    size_t h = (size_t)(0.25 * MIR_FPS);
    double ss = 0;
    for (size_t i = 0; i < n; i++) {
        size_t l = i > h ? i - h : 0, r = i + h + 1 < n ? i + h + 1 : n;
        double v = (lo ? t->f[a + i].onset_lo : t->f[a + i].onset) - (cs[r] - cs[l]) / (double)(r - l);
        e[i] = v > 0 ? (float)v : 0;
        ss += (double)e[i] * e[i];
    }
    free(cs);
    double sd = sqrt(ss / (double)n);
    for (size_t i = 0; i < n; i++)
        e[i] = sd > 1e-9 ? (float)(e[i] / sd) : 0;
    return e;
}

/* Normalised autocorrelation of the mean-removed envelope, lags 0..maxlag. */
static void autocorr(const float *e, size_t n, double *A, size_t maxlag)
{
    double mean = 0;
    for (size_t i = 0; i < n; i++)
        mean += e[i];
    mean /= (double)n;
    for (size_t L = 0; L <= maxlag; L++) {
        double s = 0;
        for (size_t i = L; i < n; i++)
            s += (e[i] - mean) * (e[i - L] - mean);
        A[L] = s / (double)(n - L);
    }
    double a0 = A[0] > 1e-12 ? A[0] : 1;
    for (size_t L = 0; L <= maxlag; L++)
        A[L] /= a0;
}

/* A at a fractional lag (linear interpolation); 0 beyond maxlag. */
static double acf_at(const double *A, size_t maxlag, double L)
{
    if (L < 0 || L >= (double)maxlag)
        return 0;
    size_t i = (size_t)L;
    double f = L - (double)i;
    return A[i] * (1 - f) + A[i + 1] * f;
}

static double lag_of(double bpm)
{
    return 60.0 * MIR_FPS / bpm;
}

static double family_score(const double *A, size_t maxlag, double bpm)
{
    double L = lag_of(bpm), s = 0;
    for (int h = 1; h <= 4; h++)
        s += acf_at(A, maxlag, h * L);
    return s;
}

/* Refines bpm to the autocorrelation peak near k*lag (largest k that fits), parabolic. */
static double refine(const double *A, size_t maxlag, double bpm, double *peak)
{
    double L = lag_of(bpm);
    int k = 4;
    while (k > 1 && k * L * 1.05 + 2 >= (double)maxlag)
        k--;
    double c = k * L;
    size_t lo = (size_t)floor(c * 0.96), hi = (size_t)ceil(c * 1.04);
    if (lo < 1)
        lo = 1;
    if (hi + 1 > maxlag)
        hi = maxlag - 1;
    size_t best = lo;
    for (size_t i = lo; i <= hi; i++)
        if (A[i] > A[best])
            best = i;
    double d = 0;
    if (best > lo && best < hi) {
        double den = A[best - 1] - 2 * A[best] + A[best + 1];
        d = den < 0 ? 0.5 * (A[best - 1] - A[best + 1]) / den : 0;
    }
    *peak = A[best];
    return 60.0 * MIR_FPS * k / ((double)best + d);
}

/* Best tempo of the period family, over a broad log-normal prior centred on 110 BPM. */
static double best_family(const double *A, size_t maxlag)
{
    double best = 0, best_bpm = 0;
    int steps = (int)(GRID_PER_OCTAVE * log2(MAX_BPM / MIN_BPM));
    for (int i = 0; i <= steps; i++) {
        double bpm = MIN_BPM * pow(2.0, (double)i / GRID_PER_OCTAVE);
        double z = log2(bpm / 110.0) / 1.5;
        double s = family_score(A, maxlag, bpm) * exp(-0.5 * z * z);
        if (s > best) {
            best = s;
            best_bpm = bpm;
        }
    }
    return best_bpm;
}

/* Ellis' dynamic programming beat tracker at period P frames. Returns the beat count. */
static size_t track_beats(const float *e, size_t n, double P, size_t *beats, size_t cap)
{
    double *C = malloc(n * sizeof *C);
    long *back = malloc(n * sizeof *back);
    size_t nb = 0;
    if (!C || !back)
        goto out;
    const double alpha = 100.0;
    for (size_t i = 0; i < n; i++) {
        long lo = (long)i - (long)round(2 * P), hi = (long)i - (long)round(P / 2);
        double best = -1e30;
        long arg = -1;
        for (long j = lo < 0 ? 0 : lo; j <= hi; j++) {
            double lg = log((double)((long)i - j) / P);
            double v = C[j] - alpha * lg * lg;
            if (v > best) {
                best = v;
                arg = j;
            }
        }
        C[i] = e[i] + (arg >= 0 && best > 0 ? best : 0);
        back[i] = arg >= 0 && best > 0 ? arg : -1;
    }
    /* end on the best score within the last period */
    size_t end = n - 1, from = n > (size_t)P ? n - (size_t)P : 0;
    for (size_t i = from; i < n; i++)
        if (C[i] > C[end])
            end = i;
    size_t tmp_n = 0;
    for (long i = (long)end; i >= 0 && tmp_n < cap; i = back[i])
        beats[tmp_n++] = (size_t)i;
    for (size_t i = 0; i < tmp_n / 2; i++) { /* reverse into time order */
        size_t s = beats[i];
        beats[i] = beats[tmp_n - 1 - i];
        beats[tmp_n - 1 - i] = s;
    }
    nb = tmp_n;
out:
    free(C);
    free(back);
    return nb;
}

static double env_near(const float *e, size_t n, double pos)
{
    if (pos < 0)
        return 0;
    size_t c = (size_t)(pos + 0.5), lo = c >= 2 ? c - 2 : 0, hi = c + 2 < n ? c + 2 : n - 1;
    double m = 0;
    for (size_t i = lo; i <= hi && i < n; i++)
        m = e[i] > m ? e[i] : m;
    return m;
}

/* Perceived-tempo prior: log-normal around 120 BPM, half an octave wide. */
#define PRIOR_BPM 120.0
#define PRIOR_OCTAVES 0.5

/* Among the family candidate, its half and its double, the one whose own autocorrelation
 * (the pulse at that level, not the family sum) weighs most under the tempo prior. */
static double choose_octave(const double *A, size_t maxlag, double fam)
{
    double best = fam, best_s = -1;
    for (double f = 0.5; f <= 2.01; f *= 2) {
        double bpm = fam * f, z = log2(bpm / PRIOR_BPM) / PRIOR_OCTAVES;
        if (bpm < MIN_BPM / 1.01 || bpm > MAX_BPM * 1.01)
            continue;
        double s = fmax(acf_at(A, maxlag, lag_of(bpm)), 0) * exp(-0.5 * z * z);
        if (s > best_s) {
            best_s = s;
            best = bpm;
        }
    }
    return best;
}

/* Drops weak beats at both ends (count-in silence, fade tails), fills confidences. */
static int finish_beats(const float *e, size_t n, const size_t *bt, size_t nb, mir_beats *b)
{
    double *v = malloc((nb + 1) * sizeof *v);
    if (!v)
        return AUDIO_ENOMEM;
    double ss = 0;
    for (size_t i = 0; i < nb; i++) {
        v[i] = env_near(e, n, (double)bt[i]);
        ss += v[i] * v[i];
    }
    double rms = nb ? sqrt(ss / (double)nb) : 0;
    size_t a = 0, z = nb;
    while (a < z && v[a] < 0.5 * rms)
        a++;
    while (z > a && v[z - 1] < 0.5 * rms)
        z--;
    b->n = z - a;
    b->t = malloc((b->n + 1) * sizeof *b->t);
    b->conf = malloc((b->n + 1) * sizeof *b->conf);
    if (!b->t || !b->conf) {
        free(v);
        return AUDIO_ENOMEM;
    }
    for (size_t i = a; i < z; i++) {
        b->t[i - a] = mir_frame_time(bt[i]) + MIR_ONSET_DELAY;
        b->conf[i - a] = mir_clamp(v[i] / (2 * rms + 1e-9), 0, 1);
    }
    free(v);
    return 0;
}

static void regularity(mir_beats *b)
{
    if (b->n < 4)
        return;
    double s = 0, ss = 0;
    for (size_t i = 1; i < b->n; i++) {
        double d = b->t[i] - b->t[i - 1];
        s += d;
        ss += d * d;
    }
    double m = s / (double)(b->n - 1), sd = sqrt(fmax(0, ss / (double)(b->n - 1) - m * m));
    b->regularity = mir_clamp(1 - 4 * sd / m, 0, 1);
}

int mir_tempo(const mir_track *t, mir_beats *b)
{
    memset(b, 0, sizeof *b);
    b->meter = 4;
    b->tatums_per_beat = 2;
    if (t->n < MIN_TRACK_FRAMES)
        return 0;
    size_t n = t->n, maxlag = (size_t)(4 * lag_of(MIN_BPM)) + 2;
    if (maxlag >= n)
        maxlag = n - 1;
    int rc = AUDIO_ENOMEM;
    float *e = envelope(t, 0, n, 0);
    double *A = malloc((maxlag + 1) * sizeof *A);
    size_t *bt = malloc(n * sizeof *bt);
    if (!e || !A || !bt)
        goto out;
    autocorr(e, n, A, maxlag);
    double fam = best_family(A, maxlag), peak = 0;
    if (fam <= 0) {
        rc = 0;
        goto out;
    }
    double bpm = choose_octave(A, maxlag, fam);
    b->tempo = refine(A, maxlag, bpm, &peak);
    b->pulse_clarity = mir_clamp(peak, 0, 1);
    b->tempo_confidence = b->pulse_clarity;
    size_t nb = track_beats(e, n, lag_of(b->tempo), bt, n);
    if ((rc = finish_beats(e, n, bt, nb, b)) != 0)
        goto out;
    regularity(b);
    rc = mir_meter(t, e, n, b);
out:
    free(e);
    free(A);
    free(bt);
    return rc;
}

double mir_tempo_range(const mir_track *t, size_t a, size_t b, double hint, double *confidence)
{
    *confidence = 0;
    if (b > t->n)
        b = t->n;
    if (b <= a || b - a < MIN_TRACK_FRAMES)
        return 0;
    size_t n = b - a, maxlag = (size_t)(4 * lag_of(MIN_BPM)) + 2;
    if (maxlag >= n)
        maxlag = n - 1;
    float *e = envelope(t, a, b, 0);
    double *A = malloc((maxlag + 1) * sizeof *A);
    double bpm = 0, peak = 0;
    if (e && A) {
        autocorr(e, n, A, maxlag);
        bpm = best_family(A, maxlag);
        if (bpm > 0)
            bpm = choose_octave(A, maxlag, bpm);
        /* the same pulse as the whole track, an octave apart: report the track's octave */
        for (double f = 0.5; bpm > 0 && hint > 0 && f <= 2.01; f *= 4)
            if (fabs(bpm * f - hint) <= 0.04 * hint)
                bpm = hint;
        if (bpm > 0)
            bpm = refine(A, maxlag, bpm, &peak);
        *confidence = mir_clamp(peak, 0, 1);
    }
    free(e);
    free(A);
    return bpm;
}
