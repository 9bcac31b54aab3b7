/* lyrics/profanity: graded profanity on word boundaries (so "Scunthorpe" and "classic" are
 * clean), with the common obfuscations undone: digits and symbols for letters (sh1t, @ss,
 * $hit) and starred-out letters (f*ck, s**t) matched against the list by shape. */
#include "lyrics/lyrics_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 1024

/* Lower-cases w and undoes letter substitutions; '*' stays (a wildcard). */
static void normalise(const char *w, size_t n, char *out)
{
    static const char from[] = "013457@$!", to[] = "oieastasi";
    for (size_t i = 0; i < n; i++) {
        char c = (char)tolower((unsigned char)w[i]);
        const char *sub = c ? strchr(from, c) : NULL;
        out[i] = sub ? to[sub - from] : c;
    }
    out[n] = '\0';
}

/* A starred word (f*ck): the highest grade among list words of the same length whose letters
 * agree wherever it shows one; its first letter must show. */
static int starred_grade(const lyrics_data *d, const char *w, size_t n)
{
    if (n < 3 || w[0] == '*' || !memchr(w, '*', n))
        return 0;
    size_t pos = 0, klen, vlen;
    const char *key, *val;
    int best = 0;
    while (base_table_next(d->profanity, &pos, &key, &klen, &val, &vlen)) {
        if (klen != n || key[0] != w[0])
            continue;
        size_t i = 1;
        while (i < n && (w[i] == '*' || w[i] == key[i]))
            i++;
        if (i == n && atoi(val) > best)
            best = atoi(val);
    }
    return best;
}

static int grade(const lyrics_data *d, const char *w, size_t n)
{
    size_t vlen;
    const char *v = base_table_get(d->profanity, w, n, &vlen);
    return v ? atoi(v) : starred_grade(d, w, n);
}

static int report(buf *out, bool *first, const char *word, size_t n, int line, size_t col, int g)
{
    int e = buf_puts(out, *first ? "{\"word\":" : ",{\"word\":");
    char tmp[LYRICS_WORD_MAX * 2 + 2];
    snprintf(tmp, sizeof(tmp), "%.*s", (int)n, word);
    e |= buf_json_str(out, tmp);
    e |= buf_printf(out, ",\"line\":%d,\"column\":%zu,\"grade\":\"%s\"}", line, col + 1, g >= 2 ? "strong" : "mild");
    *first = false;
    return e;
}

int lyrics_profanity_line(const lyrics_data *d, const char *s, size_t n, int line, buf *out, bool *first,
                          bool *explicit_)
{
    lyrics_token tok[MAX_TOKENS];
    size_t k = lyrics_tokens(s, n, tok, MAX_TOKENS);
    char words[2][LYRICS_WORD_MAX];
    int e = 0;
    for (size_t i = 0; i < k; i++) {
        normalise(s + tok[i].start, tok[i].len, words[i % 2]);
        int g = grade(d, words[i % 2], tok[i].len);
        size_t from = tok[i].start, len = tok[i].len;
        if (!g && i > 0) { /* two-word entries of the lists ("blow job") */
            char pair[LYRICS_WORD_MAX * 2 + 1];
            size_t l1 = tok[i - 1].len, l2 = tok[i].len;
            memcpy(pair, words[(i - 1) % 2], l1);
            pair[l1] = ' ';
            memcpy(pair + l1 + 1, words[i % 2], l2);
            if ((g = grade(d, pair, l1 + 1 + l2)) != 0) {
                from = tok[i - 1].start;
                len = tok[i].start + tok[i].len - from;
            }
        }
        if (!g)
            continue;
        *explicit_ |= g >= 2;
        e |= report(out, first, s + from, len, line, from, g);
    }
    return e ? -1 : 0;
}
