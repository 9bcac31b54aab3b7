/* Unit tests for key and mode (src/audio/key.c) on chord progressions in known keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "audio/synth.h"

/* Cadences that name their tonic: I-IV-V7-I in major, i-iv-V7-i (harmonic minor) in minor,
 * each chord 0.75 s with its root an octave below, three times over. */
static float *cadence(int tonic, int major, size_t *n)
{
    float *x = synth_new(9.5, n);
    if (!x)
        return NULL;
    const int third = major ? 4 : 3;
    const int chords[4][4] = {{0, third, 7, -1}, {5, 5 + third, 12, -1}, {7, 11, 14, 17}, {0, third, 7, -1}};
    for (int rep = 0; rep < 3; rep++)
        for (int c = 0; c < 4; c++) {
            double t0 = 0.2 + (rep * 4 + c) * 0.75;
            int notes[5], k = 0;
            int root = 48 + tonic + chords[c][0];
            notes[k++] = root - 12 + (root - 12 < 40 ? 12 : 0);
            for (int j = 0; j < 4; j++)
                if (chords[c][j] >= 0)
                    notes[k++] = 60 + tonic + chords[c][j] - (tonic > 6 ? 12 : 0);
            synth_chord(x, *n, t0, t0 + 0.72, notes, k);
        }
    return x;
}

static void test_cadences(void **state)
{
    (void)state;
    static const struct {
        int key, mode;
    } cases[] = {{0, 1}, {9, 0}, {7, 1}, {6, 0}, {3, 1}, {10, 0}, {4, 1}, {2, 0}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        size_t n;
        float *x = cadence(cases[c].key, cases[c].mode, &n);
        assert_non_null(x);
        audio_result r;
        assert_int_equal(synth_analyse(x, n, 2048, &r), 0);
        print_message("key %d mode %d: got %d (%.2f) mode %d (%.2f)\n", cases[c].key, cases[c].mode, r.key,
                      r.key_confidence, r.mode, r.mode_confidence);
        assert_int_equal(r.key, cases[c].key);
        assert_int_equal(r.mode, cases[c].mode);
        assert_true(r.key_confidence > 0 && r.key_confidence <= 1);
        assert_true(r.mode_confidence >= 0 && r.mode_confidence <= 1);
        /* segments carry the chord's notes: the tonic chord's pitches peak on a chord tone */
        assert_true(r.n_segments >= 4);
        const audio_segment *s = &r.segments[r.n_segments / 2];
        int top = 0;
        for (int p = 0; p < 12; p++) {
            assert_true(s->pitches[p] >= 0 && s->pitches[p] <= 1);
            top = s->pitches[p] > s->pitches[top] ? p : top;
        }
        assert_true(s->pitches[top] == 1.0);
        synth_drop(&r);
        free(x);
    }
}

/* Untuned material has no key: noise and drums alone give key -1, mode -1. */
static void test_no_key(void **state)
{
    (void)state;
    size_t n;
    float *x = synth_new(8, &n);
    assert_non_null(x);
    synth_noise(x, n, 0.3, 42);
    audio_result r;
    assert_int_equal(synth_analyse(x, n, 4096, &r), 0);
    assert_int_equal(r.key, -1);
    assert_int_equal(r.mode, -1);
    synth_drop(&r);
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cadences),
        cmocka_unit_test(test_no_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
