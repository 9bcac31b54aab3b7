/* Unit tests for src/audio/decode.c: formats, rates, channels, loudness, errors. Test files
 * are written with libsndfile into memory/temp files here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audio/audio.h"

/* A click track: 10 ms decaying 1 kHz bursts every 60/bpm seconds, accented on each bar's
 * first beat, plus a quiet A-major triad, in every channel. */
static float *clicks(int rate, int ch, double seconds, double bpm, size_t *frames)
{
    size_t n = (size_t)(rate * seconds);
    float *x = calloc(n * (size_t)ch, sizeof(float));
    double period = 60.0 / bpm;
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / rate, ph = fmod(t, period);
        int beat = (int)(t / period);
        double v = ph < 0.01 ? (beat % 4 == 0 ? 0.8 : 0.5) * sin(2 * M_PI * 1000 * ph) * (1 - ph / 0.01) : 0;
        v += 0.05 * (sin(2 * M_PI * 440 * t) + sin(2 * M_PI * 554.37 * t) + sin(2 * M_PI * 659.25 * t));
        for (int c = 0; c < ch; c++)
            x[i * (size_t)ch + (size_t)c] = (float)v;
    }
    *frames = n;
    return x;
}

/* Writes frames to a temp file in the given format; returns its path (static buffer). */
static const char *write_file(int format, int rate, int ch, const float *x, size_t frames)
{
    static char path[64];
    snprintf(path, sizeof(path), "/tmp/roadie-audio-XXXXXX");
    int fd = mkstemp(path);
    close(fd);
    SF_INFO info = {.samplerate = rate, .channels = ch, .format = format};
    SNDFILE *f = sf_open(path, SFM_WRITE, &info);
    if (!f)
        fail_msg("sf_open write %x: %s", format, sf_strerror(NULL));
    sf_writef_float(f, x, (sf_count_t)frames);
    sf_close(f);
    return path;
}

static void test_formats(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int format, rate, ch;
    } cases[] = {
        {"wav 8 kHz mono", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1},
        {"wav 96 kHz stereo", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 96000, 2},
        {"wav float 44.1 kHz", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 44100, 2},
        {"flac 44.1 kHz stereo", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 2},
        {"ogg vorbis 44.1 kHz", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 44100, 2},
        {"opus 48 kHz", SF_FORMAT_OGG | SF_FORMAT_OPUS, 48000, 2},
        {"mp3 44.1 kHz", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 44100, 2},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t frames;
        float *x = clicks(cases[i].rate, cases[i].ch, 12, 120, &frames);
        const char *path = write_file(cases[i].format, cases[i].rate, cases[i].ch, x, frames);
        audio_result r;
        int rc = audio_analyze_file(path, &r);
        if (rc != AUDIO_OK)
            fail_msg("%s: %s", cases[i].name, audio_strerror(rc));
        if (fabs(r.duration - 12) > 0.1 || fabs(r.tempo - 120) > 2 || r.channels != cases[i].ch ||
            r.sample_rate != cases[i].rate || strlen(r.id) != 22)
            fail_msg("%s: duration %.2f tempo %.1f channels %d rate %d", cases[i].name, r.duration, r.tempo, r.channels,
                     r.sample_rate);
        audio_result_release(&r);
        unlink(path);
        free(x);
    }
}

/* Memory and file input agree; the id is a function of the audio. */
static void test_memory_and_id(void **state)
{
    (void)state;
    size_t frames;
    float *x = clicks(22050, 1, 5, 100, &frames);
    const char *path = write_file(SF_FORMAT_WAV | SF_FORMAT_PCM_16, 22050, 1, x, frames);
    FILE *f = fopen(path, "rb");
    static unsigned char data[1 << 20];
    size_t len = fread(data, 1, sizeof(data), f);
    fclose(f);
    audio_result a, b;
    assert_int_equal(audio_analyze_file(path, &a), AUDIO_OK);
    assert_int_equal(audio_analyze_memory(data, len, &b), AUDIO_OK);
    assert_string_equal(a.id, b.id);
    assert_true(a.tempo == b.tempo && a.n_segments == b.n_segments);
    audio_result_release(&a);
    audio_result_release(&b);
    data[len / 2] ^= 0x40; /* one sample changed: another id */
    assert_int_equal(audio_analyze_memory(data, len, &b), AUDIO_OK);
    assert_string_not_equal(a.id, b.id);
    audio_result_release(&b);
    unlink(path);
    free(x);
}

/* Loudness is measured on the original channels: the same tone in two channels is 3 dB
 * louder than in one, although the mono downmix is identical. */
static void test_loudness_channels(void **state)
{
    (void)state;
    size_t n = 22050 * 5;
    float *mono = malloc(sizeof(float) * n), *st = malloc(sizeof(float) * n * 2);
    for (size_t i = 0; i < n; i++)
        mono[i] = st[2 * i] = st[2 * i + 1] = (float)(0.1 * sin(2 * M_PI * 997 * (double)i / 22050));
    audio_result a, b;
    const char *p1 = write_file(SF_FORMAT_WAV | SF_FORMAT_FLOAT, 22050, 1, mono, n);
    assert_int_equal(audio_analyze_file(p1, &a), AUDIO_OK);
    unlink(p1);
    const char *p2 = write_file(SF_FORMAT_WAV | SF_FORMAT_FLOAT, 22050, 2, st, n);
    assert_int_equal(audio_analyze_file(p2, &b), AUDIO_OK);
    unlink(p2);
    /* a 0.1-amplitude (-20 dBFS) 997 Hz sine in one channel reads -23.0 LUFS (EBU Tech 3341) */
    assert_true(fabs(a.loudness - -23.0) < 0.2);
    assert_true(fabs(b.loudness - a.loudness - 3.01) < 0.1);
    audio_result_release(&a);
    audio_result_release(&b);
    free(mono);
    free(st);
}

static void test_errors(void **state)
{
    (void)state;
    size_t frames;
    float *x = clicks(44100, 2, 3, 120, &frames);
    const char *path = write_file(SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2, x, frames);
    FILE *f = fopen(path, "rb");
    static unsigned char wav[1 << 20];
    size_t len = fread(wav, 1, sizeof(wav), f);
    fclose(f);
    unlink(path);
    static const unsigned char garbage[] = "this is not audio at all, just some text pretending to be a file";
    static const unsigned char header_only[44] = "RIFF\x24\x00\x00\x00WAVEfmt ";
    audio_result r;
    static const struct {
        const char *name;
        const void *data;
        size_t len;
        int want;
    } cases[] = {
        {"empty", "", 0, AUDIO_EFORMAT},         {"garbage", garbage, sizeof(garbage), AUDIO_EFORMAT},
        {"truncated", wav, 0, AUDIO_ECORRUPT}, /* len filled below */
        {"cut header", wav, 20, AUDIO_ECORRUPT}, {"header only", header_only, sizeof(header_only), AUDIO_ECORRUPT},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = strcmp(cases[i].name, "truncated") == 0 ? len / 2 : cases[i].len;
        int rc = audio_analyze_memory(cases[i].data, n, &r);
        if (rc == AUDIO_OK || (rc != cases[i].want && rc != AUDIO_EFORMAT && rc != AUDIO_ECORRUPT))
            fail_msg("%s: got %d (%s)", cases[i].name, rc, audio_strerror(rc));
        if (rc != cases[i].want)
            fail_msg("%s: got %s, want %s", cases[i].name, audio_strerror(rc), audio_strerror(cases[i].want));
        assert_null(r.segments); /* zeroed on failure */
    }
    assert_int_equal(audio_analyze_file("/nonexistent/file.wav", &r), AUDIO_EIO);
    assert_int_equal(audio_analyze_file(NULL, &r), AUDIO_EINVAL);
    /* a 0.5 s file is analysed */
    const char *p = write_file(SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2, x, 22050);
    assert_int_equal(audio_analyze_file(p, &r), AUDIO_OK);
    assert_true(fabs(r.duration - 0.5) < 0.01);
    audio_result_release(&r);
    unlink(p);
    /* a file with no samples is refused */
    p = write_file(SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2, x, 0);
    assert_int_equal(audio_analyze_file(p, &r), AUDIO_ETOOSHORT);
    unlink(p);
    assert_string_equal(audio_strerror(AUDIO_ETOOLONG), "the audio is longer than 20 minutes");
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_memory_and_id),
        cmocka_unit_test(test_loudness_channels),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
