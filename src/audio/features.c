/*
 * features.c: fades and the high-level 0..1 features (energy, danceability, acousticness,
 * instrumentalness, speechiness, liveness, valence). Each is a fixed, documented formula
 * over track statistics of the per-frame records and the beat grid; docs/audio-features.md
 * gives every formula, its inputs and its known limits. None is learned from data.
 */
#include <math.h>
#include <string.h>

#include "audio/mir_int.h"

#define HIST_BINS 321 /* 0.25 dB bins over -80..0 dBFS */
#define MOD_WIN 256   /* frames (3 s) per modulation-spectrum window */

/* The level (dB) below which a share q of the frames lie. */
static double db_percentile(const mir_track *t, double q)
{
    size_t h[HIST_BINS] = {0};
    for (size_t i = 0; i < t->n; i++)
        h[(size_t)mir_clamp((t->f[i].db - MIR_FLOOR_DB) * 4, 0, HIST_BINS - 1)]++;
    size_t want = (size_t)(q * (double)t->n), acc = 0;
    for (int b = 0; b < HIST_BINS; b++) {
        acc += h[b];
        if (acc > want)
            return MIR_FLOOR_DB + b / 4.0;
    }
    return 0;
}

void mir_fades(const mir_track *t, audio_result *r)
{
    double thr = db_percentile(t, 0.95) - 12, sum = 0;
    size_t h = (size_t)(0.5 * MIR_FPS), first = t->n, last = 0;
    /* sliding mean power over +-0.5 s: add the frame entering, drop the one leaving */
    for (size_t i = 0; i < h && i < t->n; i++)
        sum += pow(10.0, t->f[i].db / 10.0);
    for (size_t i = 0; i < t->n; i++) {
        if (i + h < t->n)
            sum += pow(10.0, t->f[i + h].db / 10.0);
        if (i > h)
            sum -= pow(10.0, t->f[i - h - 1].db / 10.0);
        size_t lo = i > h ? i - h : 0, hi = i + h + 1 < t->n ? i + h + 1 : t->n;
        double e = 10.0 * log10(fmax(sum, 0) / (double)(hi - lo) + 1e-12);
        if (e >= thr) {
            first = i < first ? i : first;
            last = i;
        }
    }
    if (first == t->n) {
        r->end_of_fade_in = 0;
        r->start_of_fade_out = t->seconds;
        return;
    }
    r->end_of_fade_in = mir_frame_time(first);
    r->start_of_fade_out = fmin(t->seconds, mir_frame_time(last));
}

/* Track statistics the formulas use; the *_n members are already mapped to 0..1. */
typedef struct stats {
    double loud_n, bright_n, flat, high, voice, dyn_n, rate_n;
    double modulation;  /* share of level modulation at 2-8 Hz (syllable rate), 0..1 */
    double chroma_flux; /* mean frame-to-frame chroma change, 0..1 */
    double quiet_flat;  /* flatness of the quietest active frames (crowd noise), 0..1 */
    double noisy_loud;  /* share of loud frames that are noise-like (applause), 0..1 */
} stats;

/* Ratio of 2-8 Hz to 0.5-20 Hz modulation energy of the frame level, window by window. */
static double modulation(const mir_track *t)
{
    double num = 0, den = 0;
    for (size_t a = 0; a + MOD_WIN <= t->n; a += MOD_WIN / 2) {
        double mean = 0;
        for (size_t i = a; i < a + MOD_WIN; i++)
            mean += t->f[i].db / (double)MOD_WIN;
        for (int k = 1; k <= (int)(20.0 * MOD_WIN / MIR_FPS); k++) {
            /* one DFT bin; the phasor turns by a fixed step, so no trigonometry per sample */
            double hz = k * MIR_FPS / MOD_WIN, re = 0, im = 0, c = 1, sn = 0;
            double dc = cos(2 * M_PI * k / MOD_WIN), ds = sin(2 * M_PI * k / MOD_WIN);
            for (size_t i = a; i < a + MOD_WIN; i++) {
                double v = t->f[i].db - mean, c2 = c * dc - sn * ds;
                re += v * c;
                im += v * sn;
                sn = sn * dc + c * ds;
                c = c2;
            }
            double p = re * re + im * im;
            den += hz >= 0.5 ? p : 0;
            num += (hz >= 2 && hz <= 8) ? p : 0;
        }
    }
    return den > 0 ? num / den : 0;
}

static void gather(const mir_track *t, const audio_result *r, stats *s)
{
    double floor_db = db_percentile(t, 0.10), top = db_percentile(t, 0.95);
    double cen = 0, flux = 0, qf = 0;
    size_t act = 0, nq = 0, noisy = 0, loud = 0;
    for (size_t i = 0; i < t->n; i++) {
        const mir_frame *f = &t->f[i];
        if (f->db <= MIR_FLOOR_DB + 20)
            continue;
        act++;
        cen += f->centroid;
        s->flat += f->flatness;
        s->high += f->high;
        s->voice += f->voice;
        if (i > 0) {
            double a = 0, b = 0, d = 0;
            for (int p = 0; p < 12; p++) {
                a += f->chroma[p];
                b += t->f[i - 1].chroma[p];
            }
            for (int p = 0; p < 12 && a > 0 && b > 0; p++)
                d += fabs(f->chroma[p] / a - t->f[i - 1].chroma[p] / b);
            flux += d / 2;
        }
        if (f->db <= floor_db + 3) {
            qf += f->flatness;
            nq++;
        }
        if (f->db >= top - 10) {
            loud++;
            noisy += f->flatness > 0.3;
        }
    }
    double na = act ? (double)act : 1;
    s->loud_n = mir_clamp((mir_mean_db(t, 0, t->n) + 35) / 30, 0, 1);
    s->bright_n = mir_clamp((cen / na - 500) / 2500, 0, 1);
    s->flat /= na;
    s->high /= na;
    s->voice /= na;
    s->dyn_n = mir_clamp((top - floor_db) / 30, 0, 1);
    s->rate_n = mir_clamp((double)r->n_segments / fmax(t->seconds, 1) / 8, 0, 1);
    s->modulation = modulation(t);
    s->chroma_flux = flux / na;
    s->quiet_flat = nq ? qf / (double)nq : 0;
    s->noisy_loud = loud ? (double)noisy / (double)loud : 0;
}

void mir_features(const mir_track *t, const mir_beats *b, audio_result *r)
{
    stats s;
    memset(&s, 0, sizeof s);
    gather(t, r, &s);
    double pulse_n = mir_clamp(b->pulse_clarity / 0.5, 0, 1);
    double tz = b->tempo > 0 ? log2(b->tempo / 118.0) / 0.4 : 10;
    double tempo_pref = exp(-0.5 * tz * tz);
    double beat_str = 0;
    for (size_t i = 0; i < b->n; i++)
        beat_str += b->conf[i] / (double)b->n;
    double flat_n = mir_clamp(s.flat * 4, 0, 1), high_n = mir_clamp(s.high * 8, 0, 1);
    r->energy = mir_clamp(0.45 * s.loud_n + 0.2 * s.rate_n + 0.2 * s.bright_n + 0.15 * flat_n, 0, 1);
    r->danceability = mir_clamp(pulse_n * (0.45 + 0.2 * b->regularity + 0.2 * tempo_pref) + 0.15 * beat_str, 0, 1);
    r->acousticness = mir_clamp(1 - (0.35 * s.bright_n + 0.25 * high_n + 0.2 * s.loud_n + 0.2 * (1 - s.dyn_n)), 0, 1);
    double mod_n = mir_clamp((s.modulation - 0.2) / 0.5, 0, 1);
    r->speechiness = mir_clamp(mod_n * (1 - 0.8 * pulse_n) * (0.5 + s.voice), 0, 1);
    double vocal = mir_clamp(s.voice * 1.2, 0, 1) * mir_clamp(s.chroma_flux * 3, 0, 1) * (0.5 + 0.5 * mod_n);
    r->instrumentalness = mir_clamp(1 - 1.5 * vocal, 0, 1);
    r->liveness =
        mir_clamp(0.05 + 0.6 * mir_clamp(s.quiet_flat * 3, 0, 1) + 0.35 * mir_clamp(s.noisy_loud * 5, 0, 1), 0, 1);
    double mode_s = r->mode == 1 ? 0.5 + 0.5 * r->mode_confidence : r->mode == 0 ? 0.5 - 0.5 * r->mode_confidence : 0.5;
    double tempo_n = b->tempo > 0 ? mir_clamp((b->tempo - 60) / 120, 0, 1) : 0;
    r->valence = mir_clamp(0.3 * mode_s + 0.2 * tempo_n + 0.2 * s.bright_n + 0.3 * r->energy, 0, 1);
}
