/*
 * resample: why the decoder uses libsoxr. Resamples 60 s of 44.1 kHz audio to the analyser's
 * 22.05 kHz with libsoxr (SOXR_HQ, the decoder's setting) and libsamplerate (SINC_FASTEST and
 * SINC_MEDIUM_QUALITY), and prints speed (x realtime, one core) and two quality figures:
 * the level of a 15 kHz tone that must vanish (alias rejection) and the error on a 1 kHz tone
 * that must pass unchanged. Build and run (from the repo root):
 *   cc -O2 -o build/resample bench/resample.c $(pkg-config --cflags --libs soxr samplerate) -lm
 *   build/resample
 */
#include <math.h>
#include <samplerate.h>
#include <soxr.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define IN_RATE 44100
#define OUT_RATE 22050
#define SECONDS 60

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void tone(float *x, size_t n, double hz)
{
    for (size_t i = 0; i < n; i++)
        x[i] = (float)(0.5 * sin(2 * M_PI * hz * (double)i / IN_RATE));
}

/* RMS of y against 0.5*sin at hz (ref = NULL: RMS of y itself), skipping the edges. */
static double rms_err(const float *y, size_t n, double hz, int ref)
{
    double s = 0;
    size_t from = n / 10, to = n - n / 10;
    double best = 1e9;
    for (int lag = 0; ref && lag < 200; lag++) { /* align for the filter's delay */
        s = 0;
        for (size_t i = from; i < to; i++) {
            double want = 0.5 * sin(2 * M_PI * hz * (double)(i + (size_t)lag) / OUT_RATE);
            s += (y[i + (size_t)lag] - want) * (y[i + (size_t)lag] - want);
        }
        best = fmin(best, s);
    }
    if (!ref)
        for (size_t i = from; i < to; i++)
            best = (i == from ? 0 : best) + (double)y[i] * y[i];
    return sqrt(best / (double)(to - from));
}

typedef size_t (*resampler)(const float *in, size_t n, float *out, size_t cap, int arg);

static size_t with_soxr(const float *in, size_t n, float *out, size_t cap, int arg)
{
    (void)arg;
    size_t done = 0;
    soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    soxr_quality_spec_t q = soxr_quality_spec(SOXR_HQ, 0);
    soxr_oneshot(IN_RATE, OUT_RATE, 1, in, n, NULL, out, cap, &done, &io, &q, NULL);
    return done;
}

static size_t with_src(const float *in, size_t n, float *out, size_t cap, int arg)
{
    SRC_DATA d = {.data_in = in,
                  .input_frames = (long)n,
                  .data_out = out,
                  .output_frames = (long)cap,
                  .src_ratio = (double)OUT_RATE / IN_RATE};
    return src_simple(&d, arg, 1) ? 0 : (size_t)d.output_frames_gen;
}

int main(void)
{
    size_t n = (size_t)IN_RATE * SECONDS, cap = n;
    float *in = malloc(sizeof(float) * n), *out = malloc(sizeof(float) * cap);
    static const struct {
        const char *name;
        resampler fn;
        int arg;
    } cands[] = {
        {"libsoxr HQ", with_soxr, 0},
        {"libsamplerate SINC_FASTEST", with_src, SRC_SINC_FASTEST},
        {"libsamplerate SINC_MEDIUM", with_src, SRC_SINC_MEDIUM_QUALITY},
    };
    printf("%-28s %12s %16s %16s\n", "resampler", "x realtime", "15k alias dBFS", "1k error dBFS");
    for (size_t c = 0; c < sizeof(cands) / sizeof(cands[0]); c++) {
        tone(in, n, 1000);
        double t0 = now();
        size_t m = cands[c].fn(in, n, out, cap, cands[c].arg);
        double secs = now() - t0;
        double err1k = rms_err(out, m, 1000, 1);
        tone(in, n, 15000);
        m = cands[c].fn(in, n, out, cap, cands[c].arg);
        double alias = rms_err(out, m, 0, 0);
        printf("%-28s %12.0f %16.1f %16.1f\n", cands[c].name, SECONDS / secs, 20 * log10(alias + 1e-12),
               20 * log10(err1k + 1e-12));
    }
    free(in);
    free(out);
    return 0;
}
