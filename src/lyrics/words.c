/* lyrics/words: tokens, dictionary pronunciations, the learned syllable rules, stress. */
#include "lyrics/lyrics_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool word_byte(unsigned char c)
{
    return isalpha(c) || c >= 0x80;
}

/* Inside a word (between word bytes): apostrophes, digits and * @ $ (f*ck, sh1t, @ss). */
static bool inner_byte(unsigned char c)
{
    return c == '\'' || isdigit(c) || c == '*' || c == '@' || c == '$';
}

size_t lyrics_tokens(const char *s, size_t n, lyrics_token *out, size_t max)
{
    size_t k = 0, i = 0;
    while (i < n && k < max) {
        if (!word_byte((unsigned char)s[i]) &&
            !((s[i] == '@' || s[i] == '$') && i + 1 < n && word_byte((unsigned char)s[i + 1]))) {
            i++;
            continue;
        }
        size_t start = i++;
        while (i < n && (word_byte((unsigned char)s[i]) ||
                         (inner_byte((unsigned char)s[i]) && i + 1 < n &&
                          (word_byte((unsigned char)s[i + 1]) || inner_byte((unsigned char)s[i + 1])))))
            i++;
        if (i - start < LYRICS_WORD_MAX)
            out[k++] = (lyrics_token){start, i - start};
    }
    return k;
}

static void lower(const char *w, char *out, size_t n)
{
    size_t i = 0;
    for (; w[i] && i + 1 < n; i++)
        out[i] = (char)tolower((unsigned char)w[i]);
    out[i] = '\0';
}

/* Parses "HH AH0 L OW1" (up to a '|' or len) into p. */
static void parse_phones(const char *v, size_t len, lyrics_pron *p)
{
    const char *bar = memchr(v, '|', len);
    if (bar)
        len = (size_t)(bar - v);
    p->n = 0;
    for (size_t i = 0; i < len && p->n < LYRICS_PHONES_MAX;) {
        while (i < len && v[i] == ' ')
            i++;
        size_t j = i;
        while (j < len && v[j] != ' ')
            j++;
        if (j == i)
            break;
        size_t plen = j - i;
        char st = '-';
        if (isdigit((unsigned char)v[j - 1])) {
            st = v[j - 1];
            plen--;
        }
        plen = plen > 2 ? 2 : plen;
        memcpy(p->phone[p->n], v + i, plen);
        p->phone[p->n][plen] = '\0';
        p->stress[p->n++] = st;
        i = j;
    }
}

bool lyrics_pron_variant(const lyrics_pron *p, int k, lyrics_pron *out)
{
    if (!p->known)
        return k == 0 && (*out = *p, true);
    const char *v = p->raw, *end = p->raw + p->raw_len;
    for (int i = 0; i < k; i++) {
        v = memchr(v, '|', (size_t)(end - v));
        if (!v)
            return false;
        v++;
    }
    *out = *p;
    parse_phones(v, (size_t)(end - v), out);
    return true;
}

/* Old spellings the dictionary lacks: express'd -> expressed, tir'd -> tired. */
static const char *modernise(const lyrics_data *d, const char *w, size_t n, size_t *vlen)
{
    char alt[LYRICS_WORD_MAX + 4];
    if (n < 3 || n + 2 >= sizeof(alt) || w[n - 2] != '\'' || w[n - 1] != 'd')
        return NULL;
    int k = snprintf(alt, sizeof(alt), "%.*sed", (int)(n - 2), w);
    return base_table_get(d->dict, alt, (size_t)k, vlen);
}

bool lyrics_pron_get(const lyrics_data *d, const char *word, lyrics_pron *p)
{
    memset(p, 0, sizeof(*p));
    lower(word, p->spelled, sizeof(p->spelled));
    const char *w = p->spelled;
    size_t n = strlen(w), vlen;
    const char *v = base_table_get(d->dict, w, n, &vlen);
    if (!v)
        v = modernise(d, w, n, &vlen);
    while (!v && n > 1 && (w[0] == '\'' || w[n - 1] == '\'')) { /* 'cause, singin' */
        if (w[0] == '\'')
            w++, n--;
        else
            n--;
        v = base_table_get(d->dict, w, n, &vlen);
    }
    if (!v)
        return false;
    parse_phones(v, vlen, p);
    p->raw = v;
    p->raw_len = vlen;
    p->known = true;
    return true;
}

/* ---- the rule path: vowel groups in context (scripts/lyrics-data.mjs learns the table) -- */

static bool vowel(char c)
{
    return strchr("aeiouy", c) && c;
}

/* Adds the counts stored for key (if any) to the running back-off distribution p. */
static void back_off(const lyrics_data *d, const char *key, double p[4])
{
    size_t vlen;
    const char *v = base_table_get(d->rules, key, strlen(key), &vlen);
    if (!v)
        return;
    double n[4] = {0}, tot = 0;
    char tmp[64];
    snprintf(tmp, sizeof(tmp), "%.*s", (int)(vlen < sizeof(tmp) ? vlen : sizeof(tmp) - 1), v);
    if (sscanf(tmp, "%lf %lf %lf %lf", &n[0], &n[1], &n[2], &n[3]) != 4)
        return;
    tot = n[0] + n[1] + n[2] + n[3];
    for (int c = 0; c < 4; c++)
        p[c] = (n[c] + LYRICS_RULE_ALPHA * p[c]) / (tot + LYRICS_RULE_ALPHA);
}

/* Syllables one vowel group w[at..end) adds, by its context. */
static int group_count(const lyrics_data *d, const char *w, size_t at, size_t end)
{
    size_t n = strlen(w);
    bool fin = true;
    for (size_t i = end; i < n; i++)
        fin &= !vowel(w[i]);
    char g[LYRICS_WORD_MAX], key[4][LYRICS_WORD_MAX + 16], r[4] = "$$$";
    snprintf(g, sizeof(g), "%.*s", (int)(end - at), w + at);
    for (size_t i = 0; i < 3 && end + i < n; i++)
        r[i] = w[end + i];
    char l1 = at > 0 ? w[at - 1] : '^', l2 = at > 1 ? w[at - 2] : '^';
    const char *f = fin ? "$" : "";
    snprintf(key[0], sizeof(key[0]), "1[%s]%s", g, f);
    snprintf(key[1], sizeof(key[1]), "2[%s]%c%s", g, r[0], f);
    snprintf(key[2], sizeof(key[2]), "3%c[%s]%.2s%s", l1, g, r, f);
    snprintf(key[3], sizeof(key[3]), "4%c%c[%s]%.3s%s", l2, l1, g, r, f);
    double p[4] = {0.25, 0.25, 0.25, 0.25};
    for (int lvl = 0; lvl < 4; lvl++)
        back_off(d, key[lvl], p);
    int best = 0;
    for (int c = 1; c < 4; c++)
        if (p[c] > p[best])
            best = c;
    return best;
}

int lyrics_syllables_rules(const lyrics_data *d, const char *word)
{
    char w[LYRICS_WORD_MAX];
    lower(word, w, sizeof(w));
    size_t n = strlen(w);
    int total = 0;
    for (size_t i = 0; i < n;) {
        if (!vowel(w[i])) {
            i++;
            continue;
        }
        size_t at = i;
        while (i < n && vowel(w[i]))
            i++;
        if (at == 0 && w[0] == 'y' && i - at > 1)
            at = 1; /* "yo", "yea": the y is a consonant */
        total += group_count(d, w, at, i);
    }
    return total > 0 ? total : 1;
}

/* Stress for a word known only by its spelling: the first syllable, or the second after
 * a prefix that is rarely stressed (be-, re-, de-, ...). */
static void guess_stress(const char *w, int n, char *stress)
{
    static const char *const prefixes[] = {"a",  "be",  "de",  "re",  "un",  "in", "con", "com",
                                           "ex", "pre", "pro", "dis", "mis", "em", "en",  NULL};
    int at = 0;
    for (int i = 0; n > 1 && prefixes[i]; i++)
        if (strncmp(w, prefixes[i], strlen(prefixes[i])) == 0 && strlen(w) > strlen(prefixes[i]) + 2)
            at = 1;
    for (int i = 0; i < n && i < LYRICS_WORD_MAX - 1; i++)
        stress[i] = i == at ? '1' : '0';
    stress[n < LYRICS_WORD_MAX - 1 ? n : LYRICS_WORD_MAX - 1] = '\0';
}

int lyrics_pron_syllables(const lyrics_data *d, const lyrics_pron *p, char *stress)
{
    if (!p->known) {
        int n = lyrics_syllables_rules(d, p->spelled);
        if (stress)
            guess_stress(p->spelled, n, stress);
        return n;
    }
    int n = 0;
    for (int i = 0; i < p->n; i++)
        if (p->stress[i] != '-') {
            if (stress && n < LYRICS_WORD_MAX - 1)
                stress[n] = p->stress[i];
            n++;
        }
    if (stress)
        stress[n < LYRICS_WORD_MAX - 1 ? n : LYRICS_WORD_MAX - 1] = '\0';
    return n;
}

int lyrics_syllables(const lyrics_data *d, const char *word, char *stress)
{
    lyrics_pron p;
    lyrics_pron_get(d, word, &p);
    return lyrics_pron_syllables(d, &p, stress);
}
