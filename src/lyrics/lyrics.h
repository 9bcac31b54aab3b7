/*
 * lyrics: the lyric and text engine that checks an artist's lyrics and judges generated
 * ones. A pure library: it reads only the data directory its caller names (share_dir/lyrics,
 * built from npm packages by scripts/lyrics-data.sh) and never touches HTTP or a database.
 *
 *   pronunciation  CMUdict 0.7b lookup; words outside it get a syllable count from a table
 *                  learned from the dictionary (vowel groups in context) and a stress guess
 *   per line       syllables, stress pattern, end-rhyme key, internal rhymes
 *   rhyme          perfect, slant, eye, assonance, identical, with a strength and the number
 *                  of matching syllables; stanza schemes (ABAB, AABB, ...)
 *   structure      stanzas, repeated lines, chorus and hook, repetition ratio
 *   sentiment      VADER lexicon (AFINN-165 for words it lacks) with negation, intensifiers
 *                  and "but"; a score in -1..1 and a label
 *   explicitness   graded profanity (cuss, LDNOOBW) on word boundaries, obfuscations too
 *
 * Thread-safety: a lyrics_data is read-only once opened and may be shared by threads.
 */
#ifndef ROADIE_LYRICS_H
#define ROADIE_LYRICS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct lyrics_data lyrics_data;

/* Maps the data files in dir (cmudict.txt, syllrules.txt, sentiment.txt, profanity.txt).
 * NULL with a message in err. */
lyrics_data *lyrics_data_open(const char *dir, char *err, size_t errlen);
void lyrics_data_free(lyrics_data *d);
/* Bytes of data mapped. */
size_t lyrics_data_size(const lyrics_data *d);

#define LYRICS_WORD_MAX 64 /* longer tokens are not words (counted by the rules only) */

/* Syllables of one word (any case; letters and apostrophes). stress, when not NULL, gets
 * one digit per syllable (1 primary, 2 secondary, 0 none) and a NUL; it must hold
 * LYRICS_WORD_MAX bytes. Dictionary first, then the rules. Returns >= 1 for a word. */
int lyrics_syllables(const lyrics_data *d, const char *word, char *stress);
/* The rule path alone (for words outside the dictionary, and for the benchmark). */
int lyrics_syllables_rules(const lyrics_data *d, const char *word);

typedef enum lyrics_rhyme_kind {
    LYRICS_RHYME_NONE = 0,
    LYRICS_RHYME_ASSONANCE, /* same stressed vowel, different endings: fire / time */
    LYRICS_RHYME_EYE,       /* spelled alike, said differently: love / prove */
    LYRICS_RHYME_SLANT,     /* same vowel, similar ending: home / stone */
    LYRICS_RHYME_PERFECT,   /* same from the stressed vowel on: light / night */
    LYRICS_RHYME_IDENTICAL, /* the same word or sound: there / their */
} lyrics_rhyme_kind;

/* Strength at or above which two line endings count as rhyming (scheme letters). */
#define LYRICS_RHYME_THRESHOLD 0.6

typedef struct lyrics_rhyme {
    lyrics_rhyme_kind kind;
    double strength; /* 0..1 */
    int syllables;   /* syllables that rhyme from the end (2 for nation / station) */
} lyrics_rhyme;

/* How words a and b rhyme. */
lyrics_rhyme lyrics_rhyme_words(const lyrics_data *d, const char *a, const char *b);
const char *lyrics_rhyme_kind_name(lyrics_rhyme_kind k);

/* Sentiment of a text in -1..1 (0: neutral or no opinion words). */
double lyrics_sentiment(const lyrics_data *d, const char *text, size_t len);
/* "positive", "negative" or "neutral" for a score. */
const char *lyrics_sentiment_label(double score);

/* The full report as JSON (see docs/lyrics.md): overall explicit, sentiment, repetition,
 * chorus; stanzas with their scheme; per line text, syllables, stress, rhyme, sentiment.
 * Any bytes are accepted (invalid UTF-8 is replaced). Returns a malloc'd string, or NULL
 * when memory ran out. */
char *lyrics_analyze_json(const lyrics_data *d, const char *text, size_t len);

#endif
