/*
 * key.c: key and mode from chroma and key profiles.
 *
 * The chroma of tonal frames (spectral flatness below 0.3) within 30 dB of the loudest are normalised to unit
 * sum and added up (so quiet and loud passages count alike), with the bass chroma (peaks
 * below 260 Hz, where roots and tonics sit) added at half weight. The sum is correlated
 * (Pearson) with Temperley's major and minor profiles rotated to all 12 tonics; the best
 * of the 24 is the key. A nearly flat chroma (noise, drums, silence) gives key -1, mode -1.
 */
#include <math.h>

#include "audio/mir_int.h"

/* Temperley (2001), Kostka-Payne corpus profiles, tonic first. */
static const double prof_major[12] = {0.748, 0.060, 0.488, 0.082, 0.670, 0.460,
                                      0.096, 0.715, 0.104, 0.366, 0.057, 0.400};
static const double prof_minor[12] = {0.712, 0.084, 0.474, 0.618, 0.049, 0.460,
                                      0.105, 0.747, 0.404, 0.067, 0.133, 0.330};

#define BASS_W 0.5
#define MAX_FLATNESS 0.3  /* frames flatter than this are noise, not notes (white noise: ~0.56) */
#define MIN_CONTRAST 0.08 /* coefficient of variation of the chroma sum below which: no key */

static double pearson(const double *x, const double *prof, int rot)
{
    double mx = 0, mp = 0;
    for (int i = 0; i < 12; i++) {
        mx += x[i];
        mp += prof[i];
    }
    mx /= 12;
    mp /= 12;
    double sxy = 0, sxx = 0, spp = 0;
    for (int i = 0; i < 12; i++) {
        double a = x[(i + rot) % 12] - mx, b = prof[i] - mp;
        sxy += a * b;
        sxx += a * a;
        spp += b * b;
    }
    return sxx > 0 && spp > 0 ? sxy / sqrt(sxx * spp) : 0;
}

/* Summed, per-frame normalised chroma of frames [a, b). Returns the frames used. */
static size_t chroma_sum(const mir_track *t, size_t a, size_t b, double *sum)
{
    float top = MIR_FLOOR_DB;
    for (size_t i = a; i < b; i++)
        top = t->f[i].db > top ? t->f[i].db : top;
    size_t used = 0;
    for (size_t i = a; i < b; i++) {
        const mir_frame *f = &t->f[i];
        double s = 0, sb = 0;
        for (int p = 0; p < 12; p++) {
            s += f->chroma[p];
            sb += f->bass[p];
        }
        if (f->db < top - 30 || f->db <= MIR_FLOOR_DB + 10 || s <= 0 || f->flatness > MAX_FLATNESS)
            continue;
        for (int p = 0; p < 12; p++)
            sum[p] += f->chroma[p] / s + (sb > 0 ? BASS_W * f->bass[p] / sb : 0);
        used++;
    }
    return used;
}

void mir_key_range(const mir_track *t, size_t a, size_t b, int *key, double *key_conf, int *mode, double *mode_conf)
{
    *key = -1;
    *mode = -1;
    *key_conf = *mode_conf = 0;
    if (b > t->n)
        b = t->n;
    double sum[12] = {0}, mean = 0, var = 0;
    if (a >= b || chroma_sum(t, a, b, sum) == 0)
        return;
    for (int p = 0; p < 12; p++)
        mean += sum[p] / 12;
    for (int p = 0; p < 12; p++)
        var += (sum[p] - mean) * (sum[p] - mean) / 12;
    if (mean <= 0 || sqrt(var) / mean < MIN_CONTRAST)
        return;
    double r[2][12], best = -2, second = -2;
    for (int k = 0; k < 12; k++) {
        r[1][k] = pearson(sum, prof_major, k);
        r[0][k] = pearson(sum, prof_minor, k);
    }
    for (int md = 0; md < 2; md++)
        for (int k = 0; k < 12; k++)
            if (r[md][k] > best) {
                best = r[md][k];
                *key = k;
                *mode = md;
            }
    for (int md = 0; md < 2; md++)
        for (int k = 0; k < 12; k++)
            if (k != *key && r[md][k] > second)
                second = r[md][k];
    *key_conf = mir_clamp(0.5 * best + 2.5 * (best - second), 0, 1);
    *mode_conf = mir_clamp(0.5 + 2.5 * (best - r[1 - *mode][*key]), 0, 1);
}
