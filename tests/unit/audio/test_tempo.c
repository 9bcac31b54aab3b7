/* Unit tests for tempo, beats, bars and meter (src/audio/tempo.c, src/audio/meter.c) on
 * click tracks at known tempi and meters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "audio/synth.h"

/* One row per click track: tempo, meter; each must come back within 2% and exactly. */
static void test_click_tracks(void **state)
{
    (void)state;
    static const struct {
        double bpm;
        int meter;
    } cases[] = {{120, 4}, {92, 4}, {145, 4}, {100, 3}, {160, 3}, {76, 3}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        size_t n;
        float *x = synth_new(24, &n);
        assert_non_null(x);
        synth_clicks(x, n, cases[c].bpm, cases[c].meter, 0.5);
        audio_result r;
        assert_int_equal(synth_analyse(x, n, 4096, &r), 0);
        print_message("click %.0f BPM %d/4: tempo %.2f (conf %.2f), meter %d (conf %.2f), %zu beats, %zu bars\n",
                      cases[c].bpm, cases[c].meter, r.tempo, r.tempo_confidence, r.time_signature,
                      r.time_signature_confidence, r.n_beats, r.n_bars);
        assert_true(fabs(r.tempo - cases[c].bpm) <= 0.02 * cases[c].bpm);
        assert_int_equal(r.time_signature, cases[c].meter);
        /* every beat sits on a click (within 25 ms), and nearly every click has a beat */
        double period = 60.0 / cases[c].bpm;
        size_t clicks = (size_t)((24 - 0.5) / period) + 1;
        assert_true(r.n_beats + 3 >= clicks && r.n_beats <= clicks);
        for (size_t i = 0; i < r.n_beats; i++) {
            double k = round((r.beats[i].start - 0.5) / period);
            assert_true(fabs(r.beats[i].start - (0.5 + k * period)) < 0.025);
            assert_true(r.beats[i].confidence >= 0 && r.beats[i].confidence <= 1);
        }
        /* bars start on the loud low clicks */
        assert_true(r.n_bars >= r.n_beats / (size_t)cases[c].meter - 1);
        for (size_t i = 0; i < r.n_bars; i++) {
            long k = lround((r.bars[i].start - 0.5) / period);
            assert_int_equal(k % cases[c].meter, 0);
        }
        assert_true(r.n_tatums >= 2 * r.n_beats);
        synth_drop(&r);
        free(x);
    }
}

/* Tempo changes halfway: the sections carry their own tempo. */
static void test_section_tempo(void **state)
{
    (void)state;
    size_t n;
    float *x = synth_new(40, &n);
    assert_non_null(x);
    size_t half = n / 2;
    synth_clicks(x, half, 100, 4, 0.2);
    int notes[] = {60, 64, 67};
    synth_chord(x, half, 0, 20, notes, 3);
    synth_clicks(x + half, n - half, 150, 4, 0.2);
    synth_noise(x + half, n - half, 0.05, 7);
    audio_result r;
    assert_int_equal(synth_analyse(x, n, 1000, &r), 0);
    assert_true(r.n_sections >= 2);
    int slow = 0, fast = 0;
    for (size_t i = 0; i < r.n_sections; i++) {
        const audio_section *s = &r.sections[i];
        print_message("section %.1f+%.1f tempo %.1f key %d\n", s->start, s->duration, s->tempo, s->key);
        if (s->start + s->duration <= 21 && fabs(s->tempo - 100) < 3)
            slow = 1;
        if (s->start >= 19 && fabs(s->tempo - 150) < 4)
            fast = 1;
    }
    assert_true(slow && fast);
    synth_drop(&r);
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_click_tracks),
        cmocka_unit_test(test_section_tempo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
