/* Synthetic test signals for the analyser tests (clicks, harmonic tones, noise) and a
 * helper that streams them through audio_mir_* in blocks of a chosen size. */
#ifndef ROADIE_TEST_AUDIO_SYNTH_H
#define ROADIE_TEST_AUDIO_SYNTH_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audio/audio.h"

static float *synth_new(double seconds, size_t *n)
{
    *n = (size_t)(seconds * AUDIO_RATE);
    return calloc(*n + 1, sizeof(float));
}

/* A 40 ms percussive burst: a decaying sine at hz plus a little decaying noise. */
static inline void synth_click(float *x, size_t n, double t, double amp, double hz)
{
    uint32_t s = (uint32_t)(t * 1000) * 2654435761u + 1;
    size_t a = (size_t)(t * AUDIO_RATE), len = (size_t)(0.04 * AUDIO_RATE);
    for (size_t i = 0; i < len && a + i < n; i++) {
        double env = exp(-(double)i / (0.008 * AUDIO_RATE));
        s = s * 1664525u + 1013904223u;
        double noise = ((double)(s >> 8) / (1 << 24) - 0.5) * 0.3;
        x[a + i] += (float)(amp * env * (sin(2 * M_PI * hz * (double)i / AUDIO_RATE) + noise));
    }
}

/* A click track: the first beat of each bar is a low, loud click, the others high and softer. */
static inline void synth_clicks(float *x, size_t n, double bpm, int meter, double start)
{
    double sec = (double)n / AUDIO_RATE;
    for (int i = 0; start + i * 60.0 / bpm < sec; i++) {
        int down = i % meter == 0;
        synth_click(x, n, start + i * 60.0 / bpm, down ? 0.8 : 0.4, down ? 110 : 1500);
    }
}

/* A harmonic tone (5 partials, 1/k amplitudes) from t0 to t1 with 10 ms ramps. */
static inline void synth_tone(float *x, size_t n, double t0, double t1, double hz, double amp)
{
    size_t a = (size_t)(t0 * AUDIO_RATE), b = (size_t)(t1 * AUDIO_RATE), ramp = AUDIO_RATE / 100;
    for (size_t i = a; i < b && i < n; i++) {
        double g = 1, ti = (double)(i - a) / AUDIO_RATE;
        if (i - a < ramp)
            g = (double)(i - a) / ramp;
        if (b - i < ramp)
            g = (double)(b - i) / ramp;
        double v = 0;
        for (int k = 1; k <= 5; k++)
            v += sin(2 * M_PI * hz * k * ti) / k;
        x[i] += (float)(amp * g * v);
    }
}

static inline double synth_midi_hz(int midi)
{
    return 440.0 * pow(2.0, (midi - 69) / 12.0);
}

/* A chord of MIDI notes from t0 to t1. */
static inline void synth_chord(float *x, size_t n, double t0, double t1, const int *notes, int k)
{
    for (int i = 0; i < k; i++)
        synth_tone(x, n, t0, t1, synth_midi_hz(notes[i]), 0.12);
}

/* Uniform white noise of the given peak amplitude, deterministic for a seed. */
static inline void synth_noise(float *x, size_t n, double amp, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        x[i] += (float)(amp * ((double)(seed >> 8) / (1 << 24) * 2 - 1));
    }
}

/* Frees what audio_mir_finish allocated (audio_result_release lives in the decoder half). */
static inline void synth_drop(audio_result *r)
{
    free(r->bars);
    free(r->beats);
    free(r->tatums);
    free(r->sections);
    free(r->segments);
    memset(r, 0, sizeof *r);
}

/* Streams x through a new analyser in blocks of block samples. Returns finish's status. */
static inline int synth_analyse(const float *x, size_t n, size_t block, audio_result *r)
{
    memset(r, 0, sizeof *r);
    audio_mir *m = audio_mir_new();
    if (!m)
        return AUDIO_ENOMEM;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i += block)
        rc = audio_mir_push(m, x + i, i + block < n ? block : n - i);
    if (rc == 0)
        rc = audio_mir_finish(m, r);
    audio_mir_free(m);
    return rc;
}

#endif
