/*
 * audio: Spotify-compatible audio-features and audio-analysis computed from an audio file.
 * A pure library: no HTTP, no database, and files only where the caller names them.
 *
 * Pipeline: decode (libsndfile, from a path or from memory) -> loudness on the original
 * channels (libebur128) -> downmix -> resample to AUDIO_RATE (libsoxr) -> streamed, block by
 * block, into the analyser (audio_mir_*), which keeps only per-frame features (never the
 * whole PCM) -> the analyser's post-processing fills an audio_result -> audio_json_* renders
 * Spotify's AudioFeaturesObject and AudioAnalysisObject.
 *
 * Thread-safety: every function may be called from any thread; FFTW planning is guarded
 * inside the module. One audio_mir state belongs to one thread at a time.
 */
#ifndef ROADIE_AUDIO_H
#define ROADIE_AUDIO_H

#include <stddef.h>
#include <stdint.h>

/* The sample rate the analyser works at (mono float). */
#define AUDIO_RATE 22050

typedef enum audio_err {
    AUDIO_OK = 0,
    AUDIO_ENOMEM = -1,    /* out of memory */
    AUDIO_EIO = -2,       /* the file could not be opened or read */
    AUDIO_EFORMAT = -3,   /* not a supported audio format */
    AUDIO_ECORRUPT = -4,  /* recognised but truncated or corrupt */
    AUDIO_ETOOLONG = -5,  /* longer than AUDIO_MAX_SECONDS */
    AUDIO_ETOOSHORT = -6, /* no audio samples at all */
    AUDIO_EINVAL = -7,    /* a bad argument from the caller */
} audio_err;

#define AUDIO_MAX_SECONDS (20 * 60)

/* A stable message for an error code ("unsupported audio format", ...). */
const char *audio_strerror(int err);

/* {start, duration, confidence}: beats, bars, tatums. Times in seconds. */
typedef struct audio_span {
    double start, duration, confidence;
} audio_span;

typedef struct audio_section {
    double start, duration, confidence;
    double loudness; /* dB */
    double tempo, tempo_confidence;
    int key; /* 0-11, -1 when none */
    double key_confidence;
    int mode; /* 1 major, 0 minor, -1 when none */
    double mode_confidence;
    int time_signature; /* 3-7 */
    double time_signature_confidence;
} audio_section;

typedef struct audio_segment {
    double start, duration, confidence;
    double loudness_start, loudness_max, loudness_max_time, loudness_end; /* dB; max_time is an offset */
    double pitches[12];                                                   /* chroma, max-normalised to 1 */
    double timbre[12];                                                    /* MFCC-like, Spotify's unbounded scale */
} audio_segment;

/* Everything one analysis yields. Arrays are owned by the result: audio_result_release(). */
typedef struct audio_result {
    /* track-level */
    char id[23];         /* 22 base-62 characters derived from the audio content hash */
    double duration;     /* seconds */
    int sample_rate;     /* of the original file */
    int channels;        /* of the original file */
    int64_t num_samples; /* of the original file (frames, per channel) */
    double loudness;     /* EBU R128 integrated, LUFS, on the original channels */
    double tempo, tempo_confidence;
    int time_signature; /* 3-7 */
    double time_signature_confidence;
    int key; /* 0-11, -1 when none */
    double key_confidence;
    int mode; /* 1 / 0, -1 when none */
    double mode_confidence;
    double end_of_fade_in, start_of_fade_out;
    /* high-level features, each in 0..1 (docs/audio-features.md) */
    double energy, danceability, acousticness, instrumentalness, speechiness, liveness, valence;
    /* analysis arrays */
    audio_span *bars, *beats, *tatums;
    size_t n_bars, n_beats, n_tatums;
    audio_section *sections;
    size_t n_sections;
    audio_segment *segments;
    size_t n_segments;
    double analysis_seconds; /* wall time the analysis took (meta.analysis_time) */
} audio_result;

/* Frees the arrays of r and zeroes it. Safe on a zeroed result. */
void audio_result_release(audio_result *r);

/* Decodes and analyses a file at path / a buffer in memory. Returns AUDIO_OK and fills
 * *out (caller releases it), or a negative audio_err with *out zeroed. */
int audio_analyze_file(const char *path, audio_result *out);
int audio_analyze_memory(const void *data, size_t len, audio_result *out);

/* ---- the analyser: streamed mono float at AUDIO_RATE ---------------------------------- */

typedef struct audio_mir audio_mir;

/* A new analyser, or NULL when memory ran out. */
audio_mir *audio_mir_new(void);
/* Feeds n mono samples at AUDIO_RATE; keeps only per-frame features. Returns 0 or AUDIO_ENOMEM. */
int audio_mir_push(audio_mir *m, const float *samples, size_t n);
/* Computes tempo, beats, bars, tatums, meter, key, mode, segments, sections, fades and the
 * high-level features into r (the decoder fills id, duration, sample_rate, channels,
 * num_samples and loudness itself). Returns 0 or a negative audio_err. */
int audio_mir_finish(audio_mir *m, audio_result *r);
void audio_mir_free(audio_mir *m);

/* ---- JSON in Spotify's schemas -------------------------------------------------------- */

/* Renders the AudioFeaturesObject / AudioAnalysisObject as a NUL-terminated JSON string the
 * caller frees, or NULL when memory ran out. api_base is the URL prefix for track_href and
 * analysis_url (e.g. "http://127.0.0.1:8080/v1"). */
char *audio_json_features(const audio_result *r, const char *api_base);
char *audio_json_analysis(const audio_result *r);

#endif
