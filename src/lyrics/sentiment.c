/* lyrics/sentiment: VADER-style scoring (Hutto & Gilbert 2014) over the VADER lexicon, with
 * AFINN-165 for the words it lacks: negation, boosters, capitals, "but" and exclamation
 * marks adjust each word; the sum is squashed into -1..1. */
#include "lyrics/lyrics_int.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BOOST 0.293      /* VADER's booster increment */
#define CAPS_BOOST 0.733 /* a word in capitals among lower-case ones */
#define NEGATE -0.74     /* a negated word flips and weakens */
#define SQUASH 15.0      /* compound = s / sqrt(s^2 + 15) */
#define NEUTRAL 0.0001
#define MAX_TOKENS 4096

static bool in_list(const char *w, size_t n, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strlen(list[i]) == n && strncasecmp(list[i], w, n) == 0)
            return true;
    return false;
}

static bool negation(const char *w, size_t n)
{
    static const char *const neg[] = {"not",     "no",      "never",   "none",     "nobody", "nothing", "nowhere",
                                      "neither", "nor",     "cannot",  "without",  "hardly", "barely",  "ain't",
                                      "aint",    "dont",    "doesnt",  "didnt",    "isnt",   "wasnt",   "cant",
                                      "wont",    "couldnt", "wouldnt", "shouldnt", NULL};
    return in_list(w, n, neg) || (n > 3 && strncasecmp(w + n - 3, "n't", 3) == 0);
}

/* +1 for a booster, -1 for a dampener, 0 otherwise. */
static int booster(const char *w, size_t n)
{
    static const char *const up[] = {"very",       "really",  "so",         "extremely",  "totally", "absolutely",
                                     "incredibly", "super",   "truly",      "completely", "most",    "highly",
                                     "especially", "utterly", "awfully",    "too",        "deeply",  "hella",
                                     "entirely",   "fully",   "remarkably", "such",       NULL};
    static const char *const down[] = {"slightly", "somewhat", "barely", "hardly", "marginally", "kinda",
                                       "sorta",    "partly",   "less",   "little", NULL};
    return in_list(w, n, up) ? 1 : in_list(w, n, down) ? -1 : 0;
}

/* The word's valence; the lexicon holds inflected forms too (scripts/lyrics-data.mjs). */
static double valence(const lyrics_data *d, const char *w, size_t n)
{
    char low[LYRICS_WORD_MAX];
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)w[i]);
    size_t vlen;
    const char *v = base_table_get(d->sentiment, low, n, &vlen);
    return v ? strtod(v, NULL) : 0;
}

static bool all_caps(const char *w, size_t n)
{
    size_t letters = 0;
    for (size_t i = 0; i < n; i++) {
        if (islower((unsigned char)w[i]))
            return false;
        letters += isupper((unsigned char)w[i]) != 0;
    }
    return letters > 1;
}

lyrics_opinion lyrics_opinion_of(const lyrics_data *d, const char *w, size_t n)
{
    int b = booster(w, n);
    lyrics_opinion o = {b ? 0 : valence(d, w, n), 0}; /* boosters only modify (VADER) */
    o.mod = b > 0 ? LYRICS_MOD_UP : b < 0 ? LYRICS_MOD_DOWN : 0;
    o.mod |= negation(w, n) ? LYRICS_MOD_NOT : 0;
    o.mod |= n == 3 && strncasecmp(w, "but", 3) == 0 ? LYRICS_MOD_BUT : 0;
    return o;
}

double lyrics_sentiment_tokens(const char *text, size_t len, const lyrics_token *tok, size_t n,
                               const lyrics_opinion *op)
{
    size_t caps = 0;
    for (size_t i = 0; i < n; i++)
        caps += all_caps(text + tok[i].start, tok[i].len);
    bool shouting_all = caps == n;
    double sum = 0, before_but = 0;
    bool saw_but = false;
    for (size_t i = 0; i < n; i++) {
        if (op[i].mod & LYRICS_MOD_BUT) {
            before_but += sum; /* what came before "but" counts half, what follows 1.5 times */
            sum = 0;
            saw_but = true;
            continue;
        }
        double v = op[i].valence;
        if (v == 0)
            continue;
        double sign = v > 0 ? 1 : -1;
        if (!shouting_all && all_caps(text + tok[i].start, tok[i].len))
            v += sign * CAPS_BOOST;
        for (size_t back = 1; back <= 3 && back <= i; back++) {
            int mod = op[i - back].mod;
            double scale = back == 1 ? 1 : back == 2 ? 0.95 : 0.9;
            v += sign * BOOST * ((mod & LYRICS_MOD_UP) ? 1 : (mod & LYRICS_MOD_DOWN) ? -1 : 0) * scale;
            if (mod & LYRICS_MOD_NOT) {
                v *= NEGATE;
                break;
            }
        }
        sum += v;
    }
    if (saw_but)
        sum = before_but * 0.5 + sum * 1.5;
    int bangs = 0;
    for (size_t i = 0; i < len && bangs < 4; i++)
        bangs += text[i] == '!';
    if (sum != 0)
        sum += (sum > 0 ? 1 : -1) * 0.292 * bangs;
    return sum / sqrt(sum * sum + SQUASH);
}

double lyrics_sentiment(const lyrics_data *d, const char *text, size_t len)
{
    lyrics_token tok[MAX_TOKENS];
    lyrics_opinion op[MAX_TOKENS];
    size_t n = lyrics_tokens(text, len, tok, MAX_TOKENS);
    for (size_t i = 0; i < n; i++)
        op[i] = lyrics_opinion_of(d, text + tok[i].start, tok[i].len);
    return lyrics_sentiment_tokens(text, len, tok, n, op);
}

const char *lyrics_sentiment_label(double score)
{
    return score >= NEUTRAL ? "positive" : score <= -NEUTRAL ? "negative" : "neutral";
}
