/* Unit tests for the streaming analyser (src/audio/mir.c) and what it derives on edge cases:
 * bad arguments, silence, noise, a 0.5 s input, block-size independence, fades, feature
 * ranges, segment and section invariants, and two analyses running in two threads at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>

#include "audio/synth.h"

static void check_invariants(const audio_result *r, double seconds)
{
    const double f[] = {r->energy,
                        r->danceability,
                        r->acousticness,
                        r->instrumentalness,
                        r->speechiness,
                        r->liveness,
                        r->valence,
                        r->tempo_confidence,
                        r->key_confidence,
                        r->mode_confidence,
                        r->time_signature_confidence};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++)
        assert_true(f[i] >= 0 && f[i] <= 1);
    assert_true(r->time_signature >= 3 && r->time_signature <= 7);
    assert_true(r->key >= -1 && r->key <= 11);
    assert_true(r->mode >= -1 && r->mode <= 1);
    assert_true((r->key == -1) == (r->mode == -1));
    assert_true(r->end_of_fade_in >= 0 && r->end_of_fade_in <= r->start_of_fade_out + 1e-9);
    assert_true(r->start_of_fade_out <= seconds + 1e-9);
    assert_true(r->n_segments >= 1 && r->n_sections >= 1);
    double prev = -1, total = 0;
    for (size_t i = 0; i < r->n_segments; i++) {
        const audio_segment *s = &r->segments[i];
        assert_true(s->start > prev && s->duration >= 0);
        assert_true(s->loudness_max >= s->loudness_start - 1e-9 && s->loudness_max >= s->loudness_end - 1e-9);
        assert_true(s->loudness_max <= 0 && s->loudness_start >= -80);
        assert_true(s->loudness_max_time >= 0 && s->loudness_max_time <= s->duration + 1e-9);
        assert_true(s->confidence >= 0 && s->confidence <= 1);
        prev = s->start;
        total += s->duration;
    }
    assert_true(fabs(total - seconds) < 0.05);
    assert_true(r->sections[0].start == 0);
    for (size_t i = 0; i < r->n_sections; i++)
        assert_true(r->sections[i].time_signature >= 3 && r->sections[i].time_signature <= 7);
}

static void test_bad_args(void **state)
{
    (void)state;
    audio_mir *m = audio_mir_new();
    assert_non_null(m);
    float x[4] = {0};
    assert_int_equal(audio_mir_push(NULL, x, 4), AUDIO_EINVAL);
    assert_int_equal(audio_mir_push(m, NULL, 4), AUDIO_EINVAL);
    assert_int_equal(audio_mir_push(m, NULL, 0), 0);
    audio_result r = {0};
    assert_int_equal(audio_mir_finish(m, &r), AUDIO_ETOOSHORT);
    assert_int_equal(audio_mir_finish(NULL, &r), AUDIO_EINVAL);
    assert_int_equal(audio_mir_finish(m, NULL), AUDIO_EINVAL);
    audio_mir_free(m);
    audio_mir_free(NULL);
}

static void test_silence(void **state)
{
    (void)state;
    size_t n;
    float *x = synth_new(10, &n);
    assert_non_null(x);
    audio_result r;
    assert_int_equal(synth_analyse(x, n, 4096, &r), 0);
    check_invariants(&r, 10);
    assert_true(r.tempo == 0 && r.n_beats == 0 && r.n_bars == 0);
    assert_int_equal(r.key, -1);
    assert_int_equal(r.n_segments, 1);
    assert_true(r.segments[0].loudness_max == -80);
    assert_true(r.energy < 0.05);
    synth_drop(&r);
    free(x);
}

/* Loud noise against a quiet tone: more energy, less acousticness, no key. NaN and
 * out-of-range samples are clipped, not propagated. */
static void test_noise_vs_tone(void **state)
{
    (void)state;
    size_t n;
    float *noise = synth_new(12, &n), *tone = synth_new(12, &n);
    assert_true(noise && tone);
    synth_noise(noise, n, 0.9, 3);
    noise[1000] = NAN;
    noise[2000] = 50;
    synth_tone(tone, n, 0, 12, 220, 0.03);
    audio_result a, b;
    assert_int_equal(synth_analyse(noise, n, 4096, &a), 0);
    assert_int_equal(synth_analyse(tone, n, 4096, &b), 0);
    check_invariants(&a, 12);
    check_invariants(&b, 12);
    print_message("noise energy %.2f acoustic %.2f | tone energy %.2f acoustic %.2f\n", a.energy, a.acousticness,
                  b.energy, b.acousticness);
    assert_int_equal(a.key, -1);
    assert_true(a.energy > b.energy + 0.3);
    assert_true(b.acousticness > a.acousticness + 0.3);
    synth_drop(&a);
    synth_drop(&b);
    free(noise);
    free(tone);
}

static void test_short_input(void **state)
{
    (void)state;
    size_t n;
    float *x = synth_new(0.5, &n);
    assert_non_null(x);
    synth_tone(x, n, 0.05, 0.45, 440, 0.2);
    audio_result r;
    assert_int_equal(synth_analyse(x, n, 100, &r), 0);
    check_invariants(&r, 0.5);
    assert_true(r.tempo == 0 && r.n_beats == 0); /* too short for a tempo */
    assert_int_equal(r.n_sections, 1);
    assert_true(fabs(r.sections[0].duration - 0.5) < 0.02);
    synth_drop(&r);
    free(x);
}

/* The result depends on the samples only, never on how they were split into blocks. */
static void test_block_sizes(void **state)
{
    (void)state;
    size_t n;
    float *x = synth_new(9, &n);
    assert_non_null(x);
    synth_clicks(x, n, 128, 4, 0.3);
    int notes[] = {57, 60, 64};
    synth_chord(x, n, 0.3, 8.5, notes, 3);
    audio_result ref, r;
    assert_int_equal(synth_analyse(x, n, n, &ref), 0);
    const size_t blocks[] = {1, 255, 256, 257, 65536};
    for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++) {
        assert_int_equal(synth_analyse(x, n, blocks[i], &r), 0);
        assert_true(r.tempo == ref.tempo && r.key == ref.key && r.energy == ref.energy);
        assert_int_equal(r.n_segments, ref.n_segments);
        assert_int_equal(r.n_beats, ref.n_beats);
        assert_memory_equal(r.segments, ref.segments, r.n_segments * sizeof *r.segments);
        synth_drop(&r);
    }
    synth_drop(&ref);
    free(x);
}

static void test_fades(void **state)
{
    (void)state;
    size_t n;
    float *x = synth_new(20, &n);
    assert_non_null(x);
    synth_clicks(x, n, 110, 4, 0.1);
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / AUDIO_RATE, g = 1;
        if (t < 4)
            g = t / 4;
        else if (t > 15)
            g = (20 - t) / 5;
        x[i] = (float)(x[i] * g * g);
    }
    audio_result r;
    assert_int_equal(synth_analyse(x, n, 4096, &r), 0);
    check_invariants(&r, 20);
    print_message("fade in ends %.2f, fade out starts %.2f\n", r.end_of_fade_in, r.start_of_fade_out);
    assert_true(r.end_of_fade_in > 1.0 && r.end_of_fade_in < 4.5);
    assert_true(r.start_of_fade_out > 14.5 && r.start_of_fade_out < 18.5);
    synth_drop(&r);
    /* no fades: a steady click track starts and ends at full level */
    memset(x, 0, n * sizeof *x);
    synth_clicks(x, n, 110, 4, 0.0);
    assert_int_equal(synth_analyse(x, n, 4096, &r), 0);
    assert_true(r.end_of_fade_in < 0.5 && r.start_of_fade_out > 19);
    synth_drop(&r);
    free(x);
}

/* A steady beat is more danceable than noise. */
static void test_danceability(void **state)
{
    (void)state;
    size_t n;
    float *beat = synth_new(15, &n), *noise = synth_new(15, &n);
    assert_true(beat && noise);
    synth_clicks(beat, n, 120, 4, 0.2);
    synth_noise(noise, n, 0.3, 9);
    audio_result a, b;
    assert_int_equal(synth_analyse(beat, n, 4096, &a), 0);
    assert_int_equal(synth_analyse(noise, n, 4096, &b), 0);
    print_message("danceability beat %.2f noise %.2f\n", a.danceability, b.danceability);
    assert_true(a.danceability > b.danceability + 0.3);
    synth_drop(&a);
    synth_drop(&b);
    free(beat);
    free(noise);
}

typedef struct job {
    const float *x;
    size_t n;
    audio_result r;
    int rc;
} job;

static void *run_job(void *arg)
{
    job *j = arg;
    for (int i = 0; i < 3 && j->rc == 0; i++) { /* plans made and destroyed while the other thread does too */
        synth_drop(&j->r);
        j->rc = synth_analyse(j->x, j->n, 3000, &j->r);
    }
    return NULL;
}

static void test_two_threads(void **state)
{
    (void)state;
    size_t n;
    float *a = synth_new(10, &n), *b = synth_new(10, &n);
    assert_true(a && b);
    synth_clicks(a, n, 132, 3, 0.1);
    int notes[] = {62, 66, 69};
    synth_chord(b, n, 0, 10, notes, 3);
    synth_clicks(b, n, 96, 4, 0.3);
    audio_result ra, rb;
    assert_int_equal(synth_analyse(a, n, n, &ra), 0);
    assert_int_equal(synth_analyse(b, n, n, &rb), 0);
    job ja = {.x = a, .n = n}, jb = {.x = b, .n = n};
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, run_job, &ja), 0);
    assert_int_equal(pthread_create(&tb, NULL, run_job, &jb), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    assert_int_equal(ja.rc, 0);
    assert_int_equal(jb.rc, 0);
    assert_true(ja.r.tempo == ra.tempo && jb.r.tempo == rb.tempo && jb.r.key == rb.key);
    assert_int_equal(ja.r.n_segments, ra.n_segments);
    assert_memory_equal(jb.r.segments, rb.segments, rb.n_segments * sizeof *rb.segments);
    assert_true(fabs(ra.tempo - 132) < 2.7 && fabs(rb.tempo - 96) < 2);
    synth_drop(&ja.r);
    synth_drop(&jb.r);
    synth_drop(&ra);
    synth_drop(&rb);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_args),     cmocka_unit_test(test_silence),     cmocka_unit_test(test_noise_vs_tone),
        cmocka_unit_test(test_short_input),  cmocka_unit_test(test_block_sizes), cmocka_unit_test(test_fades),
        cmocka_unit_test(test_danceability), cmocka_unit_test(test_two_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
