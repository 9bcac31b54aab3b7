/* lyrics internals shared by the engine's files. */
#ifndef ROADIE_LYRICS_INT_H
#define ROADIE_LYRICS_INT_H

#include "lyrics/lyrics.h"

#include "base/base.h"

#define LYRICS_PHONES_MAX 48
#define LYRICS_RULE_ALPHA 2.0 /* back-off weight; scripts/lyrics-data.mjs trains with the same */

struct lyrics_data {
    base_table *dict;      /* word -> ARPAbet phones */
    base_table *rules;     /* vowel-group context -> counts of 0..3 syllables */
    base_table *sentiment; /* word -> valence -4..4 */
    base_table *profanity; /* word -> grade 1 (mild) or 2 (surely profane) */
};

/* A word's sounds: phones without stress digits, and per phone its stress ('0'-'2' for
 * vowels, '-' for consonants). known: from the dictionary (else spelled is all we have). */
typedef struct lyrics_pron {
    char phone[LYRICS_PHONES_MAX][3];
    char stress[LYRICS_PHONES_MAX];
    int n;
    bool known;
    char spelled[LYRICS_WORD_MAX]; /* the word, lower case */
    const char *raw;               /* every pronunciation, "|"-separated (into the map) */
    size_t raw_len;
} lyrics_pron;

#define LYRICS_VARIANTS_MAX 4
/* Fills out with p's variant k (0 is p itself). False when there is no such variant. */
bool lyrics_pron_variant(const lyrics_pron *p, int k, lyrics_pron *out);

/* Looks word up (lower-cases it; tries without outer apostrophes too). Fills p and returns
 * true when the dictionary has it; otherwise p->known is false and only spelled is set. */
bool lyrics_pron_get(const lyrics_data *d, const char *word, lyrics_pron *p);
/* Syllables and stress of p (dictionary) or of its spelling (rules). */
int lyrics_pron_syllables(const lyrics_data *d, const lyrics_pron *p, char *stress);
/* How two pronunciations rhyme. */
lyrics_rhyme lyrics_rhyme_prons(const lyrics_pron *a, const lyrics_pron *b);
/* The end-rhyme key of p ("AY T", or "~ight" from spelling) into out. */
void lyrics_rhyme_key(const lyrics_pron *p, char *out, size_t n);

/* A word of a text: [start, start+len) with at most LYRICS_WORD_MAX-1 letters/apostrophes. */
typedef struct lyrics_token {
    size_t start, len;
} lyrics_token;
/* Splits s[0..n) into words (ASCII letters, apostrophes inside, non-ASCII letters as bytes
 * >= 0x80, digits and the obfuscation marks * @ $ when inside a word). Returns the count
 * written (at most max). */
size_t lyrics_tokens(const char *s, size_t n, lyrics_token *out, size_t max);

/* A word's part in a sentence's sentiment (VADER): its valence (-4..4; 0 for boosters and
 * unknown words) and what it does to the opinion words after it. */
enum { LYRICS_MOD_UP = 1, LYRICS_MOD_DOWN = 2, LYRICS_MOD_NOT = 4, LYRICS_MOD_BUT = 8 };
typedef struct lyrics_opinion {
    double valence;
    int mod; /* LYRICS_MOD_* bits */
} lyrics_opinion;
lyrics_opinion lyrics_opinion_of(const lyrics_data *d, const char *w, size_t n);
/* Sentiment of text from its tokens and their opinions (lyrics_sentiment without lookups). */
double lyrics_sentiment_tokens(const char *text, size_t len, const lyrics_token *tok, size_t n,
                               const lyrics_opinion *op);

/* Profanity found in a line: each match appended to out as a JSON object; *explicit set
 * when a surely profane word appears. Returns 0 or -1 (out full). */
int lyrics_profanity_line(const lyrics_data *d, const char *s, size_t n, int line, buf *out, bool *first,
                          bool *explicit_);

#endif
