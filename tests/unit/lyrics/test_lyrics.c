/* Unit tests for src/lyrics, table-driven, on the data the build puts in build/share/lyrics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lyrics/lyrics.h"

static lyrics_data *d;

static void test_syllables(void **state)
{
    (void)state;
    static const struct {
        const char *word;
        int syllables;
        const char *stress; /* NULL: not checked */
    } cases[] = {
        {"hello", 2, "01"},      {"Beautiful", 3, "100"},   {"fire", 2, NULL},  {"the", 1, NULL},
        {"gonna", 2, NULL},      {"ya'll", 1, NULL},        {"lov'd", 1, NULL}, {"'cause", 1, NULL},
        {"Zzyzxqueen", 2, NULL}, {"snapchatting", 3, NULL}, {"b", 1, NULL},     {"everybody", 4, "1020"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char stress[LYRICS_WORD_MAX];
        int n = lyrics_syllables(d, cases[i].word, stress);
        if (n != cases[i].syllables || (cases[i].stress && strcmp(stress, cases[i].stress) != 0))
            fail_msg("%s: %d syllables, stress %s", cases[i].word, n, stress);
        assert_int_equal((int)strlen(stress), n);
    }
    /* the rule path alone, on words the dictionary also has */
    assert_int_equal(lyrics_syllables_rules(d, "banana"), 3);
    assert_int_equal(lyrics_syllables_rules(d, "make"), 1);
}

static void test_rhymes(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        lyrics_rhyme_kind kind;
        int syllables; /* 0: not checked */
    } cases[] = {
        {"light", "night", LYRICS_RHYME_PERFECT, 1},
        {"nation", "station", LYRICS_RHYME_PERFECT, 2},
        {"there", "their", LYRICS_RHYME_IDENTICAL, 0},
        {"love", "love", LYRICS_RHYME_IDENTICAL, 0},
        {"home", "stone", LYRICS_RHYME_SLANT, 0},
        {"time", "rhymes", LYRICS_RHYME_SLANT, 0},
        {"love", "prove", LYRICS_RHYME_EYE, 0},
        {"fire", "time", LYRICS_RHYME_ASSONANCE, 0},
        {"cat", "dog", LYRICS_RHYME_NONE, 0},
        {"give", "live", LYRICS_RHYME_PERFECT, 0},
        {"blorptight", "flurptight", LYRICS_RHYME_SLANT, 0}, /* neither in the dictionary: spelling */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lyrics_rhyme r = lyrics_rhyme_words(d, cases[i].a, cases[i].b);
        if (r.kind != cases[i].kind || (cases[i].syllables && r.syllables != cases[i].syllables))
            fail_msg("%s/%s: %s (%.2f, %d syllables)", cases[i].a, cases[i].b, lyrics_rhyme_kind_name(r.kind),
                     r.strength, r.syllables);
    }
    assert_true(lyrics_rhyme_words(d, "light", "night").strength >= LYRICS_RHYME_THRESHOLD);
    assert_true(lyrics_rhyme_words(d, "fire", "time").strength < LYRICS_RHYME_THRESHOLD);
}

static void test_sentiment(void **state)
{
    (void)state;
    static const struct {
        const char *text, *label;
    } cases[] = {
        {"I love this song", "positive"},
        {"I do not love this song", "negative"},
        {"This is a terrible, awful day", "negative"},
        {"The verse is bad but the chorus is great", "positive"},
        {"The verse is great but the chorus is bad", "negative"},
        {"We walked to the station at seven", "neutral"},
        {"The jacket was overpriced and flimsy", "negative"}, /* only in Hu and Liu's list */
        {"It is not overpriced", "positive"},
        {"Hardly a masterpiece", "negative"},
        {"", "neutral"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double s = lyrics_sentiment(d, cases[i].text, strlen(cases[i].text));
        if (strcmp(lyrics_sentiment_label(s), cases[i].label) != 0)
            fail_msg("'%s': %.3f %s", cases[i].text, s, lyrics_sentiment_label(s));
        assert_true(s >= -1 && s <= 1);
    }
    double good = lyrics_sentiment(d, "good", 4), very = lyrics_sentiment(d, "very good", 9),
           caps = lyrics_sentiment(d, "it is GOOD", 10), bang = lyrics_sentiment(d, "good!!", 6);
    assert_true(very > good && caps > good && bang > good);
}

/* Explicitness: one row per line; want is the expected "explicit" and a piece of the report. */
static void test_explicit(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool explicit_;
        const char *has; /* NULL: no profanity entries at all */
    } cases[] = {
        {"Scunthorpe is a town in Lincolnshire", false, NULL}, {"a classic assessment of the passage", false, NULL},
        {"cocktails in Essex and Middlesex", false, NULL},     {"shut the f*ck up", true, "\"word\":\"f*ck\""},
        {"this is sh1t", true, "\"word\":\"sh1t\""},           {"what the fuck", true, "\"grade\":\"strong\""},
        {"he was an addict", false, "\"grade\":\"mild\""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *json = lyrics_analyze_json(d, cases[i].text, strlen(cases[i].text));
        assert_non_null(json);
        bool exp = strstr(json, "\"explicit\":true") != NULL;
        bool ok = exp == cases[i].explicit_ &&
                  (cases[i].has ? strstr(json, cases[i].has) != NULL : strstr(json, "\"profanity\":[]") != NULL);
        if (!ok)
            fail_msg("'%s': %.300s", cases[i].text, json);
        free(json);
    }
}

static void test_report(void **state)
{
    (void)state;
    static const char text[] = "The night is bright\nI hold you tight\nThe stars are far\nJust as we are\n\n"
                               "Na na na hey\nNa na na hey\n\nThe night is bright\nI hold you tight\n"
                               "The stars are far\nJust as we are\n";
    char *json = lyrics_analyze_json(d, text, strlen(text));
    assert_non_null(json);
    static const char *const want[] = {
        "\"scheme\":\"AABB\"",
        "\"scheme\":\"AA\"",
        "\"chorus\":{\"stanza\":1,\"count\":2}",
        "\"hook\":{\"text\":\"The night is bright\",\"count\":2}",
        "\"stanza_count\":3",
        "\"lines\":10",
        "\"text\":\"The night is bright\",\"syllables\":4,\"stress\":\"0111\",\"rhyme\":\"AY T\"",
        "\"explicit\":false",
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        if (!strstr(json, want[i]))
            fail_msg("missing %s in %s", want[i], json);
    free(json);
    /* internal rhymes, empty and invalid input */
    json = lyrics_analyze_json(d, "the light of night", 18);
    assert_non_null(strstr(json, "[\"light\",\"night\"]"));
    free(json);
    json = lyrics_analyze_json(d, "", 0);
    assert_non_null(strstr(json, "\"stanzas\":[]"));
    free(json);
    json = lyrics_analyze_json(d, "caf\xc3\xa9 \xff\xfe\n\x80 ok", 12);
    assert_non_null(json);
    assert_non_null(strstr(json, "\xef\xbf\xbd")); /* invalid UTF-8 replaced by U+FFFD */
    free(json);
}

int main(void)
{
    char err[256];
    if (!(d = lyrics_data_open("build/share/lyrics", err, sizeof(err)))) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syllables), cmocka_unit_test(test_rhymes), cmocka_unit_test(test_sentiment),
        cmocka_unit_test(test_explicit),  cmocka_unit_test(test_report),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    lyrics_data_free(d);
    return rc;
}
