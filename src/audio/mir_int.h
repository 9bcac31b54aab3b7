/*
 * mir_int.h: private declarations shared by the analyser's files (mir.c, tempo.c, key.c,
 * segment.c, features.c). The analyser turns streamed mono PCM at AUDIO_RATE into one small
 * record per STFT frame (mir_frame) and never keeps the PCM; everything in audio_result is
 * derived from those records when the stream ends.
 */
#ifndef ROADIE_AUDIO_MIR_INT_H
#define ROADIE_AUDIO_MIR_INT_H

#include <stddef.h>

#include "audio/audio.h"

#define MIR_FRAME 2048                         /* STFT window (93 ms at 22050 Hz) */
#define MIR_HOP 256                            /* 11.6 ms: 86.13 frames per second */
#define MIR_BINS (MIR_FRAME / 2 + 1)           /* real FFT bins */
#define MIR_FPS ((double)AUDIO_RATE / MIR_HOP) /* frame rate */
#define MIR_NMEL 40                            /* mel bands (onsets, MFCC) */
#define MIR_NMFCC 12                           /* cepstral coefficients kept (timbre) */
#define MIR_FLOOR_DB (-80.0)                   /* level of silence, dBFS */
/* The flux of a 93 ms window peaks about two frames before the frame centred on the
 * attack: onset times are reported this much after their flux peak. */
#define MIR_ONSET_DELAY (2.0 * MIR_HOP / AUDIO_RATE)
/* The most frames the analyser keeps: AUDIO_MAX_SECONDS plus a little slack. */
#define MIR_MAX_FRAMES ((size_t)((AUDIO_MAX_SECONDS + 2) * MIR_FPS))

/* One STFT frame, centred at index * MIR_HOP samples. 140 bytes. */
typedef struct mir_frame {
    float onset;           /* spectral flux of the log-mel spectrum, all bands */
    float onset_lo;        /* the same, bands below 250 Hz (bass, kick) */
    float db;              /* frame level, dBFS, floored at MIR_FLOOR_DB */
    float chroma[12];      /* pitch-class energy from spectral peaks, C = 0 */
    float bass[12];        /* the same, peaks below 260 Hz only */
    float mfcc[MIR_NMFCC]; /* DCT-II of the log-mel spectrum; [0] tracks level */
    float centroid;        /* spectral centroid, Hz */
    float flatness;        /* spectral flatness 0..1 (1 = white noise) */
    float voice;           /* share of energy in 300-3400 Hz, 0..1 */
    float high;            /* share of energy above 4 kHz, 0..1 */
    float low;             /* share of energy below 150 Hz, 0..1 */
    float zcr;             /* zero crossings per sample */
} mir_frame;

/* The per-track view the post-processing steps share. */
typedef struct mir_track {
    const mir_frame *f; /* frames */
    size_t n;           /* frame count */
    double seconds;     /* duration of the pushed audio */
} mir_track;

/* Beat grid produced by tempo.c and used by the others. */
typedef struct mir_beats {
    double tempo, tempo_confidence;
    int meter; /* beats per bar, 3..7 */
    double meter_confidence;
    int tatums_per_beat; /* 2 or 3 */
    double *t;           /* beat times, seconds (owned) */
    double *conf;        /* per-beat confidence 0..1 (owned) */
    size_t n;
    size_t downbeat;      /* index of the first beat that starts a bar */
    double pulse_clarity; /* 0..1: how periodic the onsets are (danceability) */
    double regularity;    /* 0..1: 1 - spread of beat intervals (danceability) */
} mir_beats;

/* fftw3f planning is not thread-safe: every plan is made and destroyed under this lock. */
void mir_fftw_lock(void);
void mir_fftw_unlock(void);

/* tempo.c: onset envelope -> tempo, beats, meter. Returns 0 or AUDIO_ENOMEM. */
int mir_tempo(const mir_track *t, mir_beats *b);
void mir_beats_release(mir_beats *b);
/* Tempo (BPM) of frames [a, b) by the same estimator as the track, 0 if under 3 s; when it
 * lands an octave from hint (the track tempo), hint's octave is kept. */
double mir_tempo_range(const mir_track *t, size_t a, size_t b, double hint, double *confidence);
/* meter.c: bar length, downbeat and tatum division of the tracked beats b (env is the
 * onset envelope tempo.c tracked them on, n frames). Returns 0 or AUDIO_ENOMEM. */
int mir_meter(const mir_track *t, const float *env, size_t n, mir_beats *b);
/* Fills r->beats, r->bars, r->tatums from b. Returns 0 or AUDIO_ENOMEM. */
int mir_grid_spans(const mir_track *t, const mir_beats *b, audio_result *r);

/* key.c: key and mode of frames [a, b). key -1 / mode -1 when there is no tonal content. */
void mir_key_range(const mir_track *t, size_t a, size_t b, int *key, double *key_conf, int *mode, double *mode_conf);

/* segment.c: segments (onset-based) and sections (novelty-based). 0 or AUDIO_ENOMEM. */
int mir_segments(const mir_track *t, audio_result *r);
int mir_sections(const mir_track *t, const mir_beats *b, audio_result *r);

/* features.c: fades and the high-level 0..1 features. */
void mir_fades(const mir_track *t, audio_result *r);
void mir_features(const mir_track *t, const mir_beats *b, audio_result *r);

/* Helpers. */
double mir_frame_time(size_t i);
double mir_clamp(double x, double lo, double hi);
/* Mean level (dB) of frames [a, b), computed on power rather than on dB values. */
double mir_mean_db(const mir_track *t, size_t a, size_t b);

#endif
