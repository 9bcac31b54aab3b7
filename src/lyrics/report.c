/* lyrics/report: the whole analysis of a text, rendered as JSON (docs/lyrics.md). */
#include "lyrics/lyrics_int.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_TOKENS 256
#define STRESS_MAX 512

typedef struct line {
    const char *s;
    size_t n;
    int stanza;    /* -1 for a blank line */
    uint64_t hash; /* of the normalised text (lower case, letters and digits only) */
} line;

typedef struct doc {
    line *lines;
    size_t n, n_stanzas;
} doc;

static uint64_t norm_hash(const char *s, size_t n, bool *empty)
{
    uint64_t h = 1469598103934665603ULL;
    bool any = false, gap = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)tolower((unsigned char)s[i]);
        if (!isalnum(c) && c < 0x80) {
            gap = any;
            continue;
        }
        if (gap) /* runs of punctuation and space count as one space */
            h = (h ^ ' ') * 1099511628211ULL;
        h = (h ^ c) * 1099511628211ULL;
        any = true;
        gap = false;
    }
    *empty = !any;
    return h;
}

/* Splits text into lines and stanzas. */
static int split(const char *text, size_t len, doc *d)
{
    size_t cap = 64;
    d->lines = malloc(cap * sizeof(line));
    d->n = d->n_stanzas = 0;
    if (!d->lines)
        return -1;
    bool in_stanza = false;
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t n = (nl ? (size_t)(nl - text) : len) - at;
        if (d->n == cap) {
            line *nlines = realloc(d->lines, (cap *= 2) * sizeof(line));
            if (!nlines)
                return -1;
            d->lines = nlines;
        }
        line *l = &d->lines[d->n++];
        memset(l, 0, sizeof(*l));
        l->s = text + at;
        l->n = n && text[at + n - 1] == '\r' ? n - 1 : n;
        bool empty;
        l->hash = norm_hash(l->s, l->n, &empty);
        if (empty) {
            l->stanza = -1;
            in_stanza = false;
        } else {
            if (!in_stanza)
                d->n_stanzas++;
            in_stanza = true;
            l->stanza = (int)d->n_stanzas - 1;
        }
        at += n + 1;
        if (!nl)
            break;
    }
    return 0;
}

/* What the report needs of one word, cached per analysis (lyrics repeat their words). */
typedef struct word_info {
    lyrics_pron pron;
    int syllables;
    lyrics_opinion opinion; /* as the word is written (capitals matter only through all_caps) */
    uint64_t hash;          /* of the lower-cased word */
    char stress[LYRICS_WORD_MAX];
    char key[64]; /* rhyme key; "" when the word is not in the dictionary */
} word_info;

#define CACHE_SLOTS 32768             /* hash slots: a power of two */
#define CACHE_WORDS (CACHE_SLOTS / 2) /* when full, the cache starts over */

typedef struct word_cache {
    uint32_t *slot;  /* index + 1 into info; 0 = empty */
    word_info *info; /* CACHE_WORDS of them, touched as they fill */
    size_t n;
} word_cache;

static const word_info *word_get(const lyrics_data *dat, word_cache *c, const char *s, size_t n)
{
    char w[LYRICS_WORD_MAX];
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        w[i] = (char)tolower((unsigned char)s[i]);
        h = (h ^ (unsigned char)w[i]) * 1099511628211ULL;
    }
    w[n] = '\0';
    size_t home = (h ^ (h >> 32)) & (CACHE_SLOTS - 1), at = home;
    for (; c->slot[at]; at = (at + 1) & (CACHE_SLOTS - 1)) {
        word_info *wi = &c->info[c->slot[at] - 1];
        if (wi->hash == h && strcmp(wi->pron.spelled, w) == 0)
            return wi;
    }
    if (c->n == CACHE_WORDS) {
        memset(c->slot, 0, CACHE_SLOTS * sizeof(*c->slot));
        c->n = 0;
        at = home;
    }
    c->slot[at] = (uint32_t)++c->n;
    word_info *wi = &c->info[c->n - 1];
    wi->hash = h;
    bool known = lyrics_pron_get(dat, w, &wi->pron);
    wi->opinion = lyrics_opinion_of(dat, w, n);
    wi->syllables = lyrics_pron_syllables(dat, &wi->pron, wi->stress);
    wi->key[0] = '\0';
    if (known)
        lyrics_rhyme_key(&wi->pron, wi->key, sizeof(wi->key));
    return wi;
}

#define LINE_WORDS 24 /* words of a line searched for internal rhymes */

typedef struct line_words {
    char key[LINE_WORDS][64], word[LINE_WORDS][LYRICS_WORD_MAX];
    size_t n;
} line_words;

/* Syllables and stress of a line; fills *end with its last word (NULL when it has none), lw
 * with the words that can rhyme inside it and *sentiment with the line's score. */
static int line_meter(const lyrics_data *dat, word_cache *c, const line *l, char *stress, line_words *lw,
                      const lyrics_pron **end, double *sentiment)
{
    lyrics_token tok[LINE_TOKENS];
    lyrics_opinion op[LINE_TOKENS];
    size_t ntok = lyrics_tokens(l->s, l->n, tok, LINE_TOKENS), k = 0;
    int total = 0;
    lw->n = 0;
    *end = NULL;
    for (size_t i = 0; i < ntok; i++) {
        const word_info *wi = word_get(dat, c, l->s + tok[i].start, tok[i].len);
        op[i] = wi->opinion;
        total += wi->syllables;
        size_t sl = strlen(wi->stress);
        if (k + sl < STRESS_MAX) {
            memcpy(stress + k, wi->stress, sl);
            k += sl;
        }
        if (wi->key[0] && tok[i].len >= 3 && lw->n < LINE_WORDS) {
            memcpy(lw->key[lw->n], wi->key, sizeof(wi->key));
            memcpy(lw->word[lw->n++], wi->pron.spelled, sizeof(wi->pron.spelled));
        }
        if (i + 1 == ntok)
            *end = &wi->pron;
    }
    stress[k] = '\0';
    *sentiment = lyrics_sentiment_tokens(l->s, l->n, tok, ntok, op);
    return total;
}

/* Words inside the line that rhyme perfectly (same sounds from the stressed vowel on,
 * different words of 3+ letters), found by comparing rhyme keys. */
static int internal_rhymes(const line_words *lw, buf *b)
{
    int e = buf_puts(b, ",\"internal_rhymes\":[");
    bool first = true;
    for (size_t i = 0; i < lw->n; i++)
        for (size_t j = i + 1; j < lw->n; j++) {
            if (strcmp(lw->key[i], lw->key[j]) != 0 || strcmp(lw->word[i], lw->word[j]) == 0)
                continue;
            e |= buf_puts(b, first ? "[" : ",[");
            e |= buf_json_str(b, lw->word[i]);
            e |= buf_puts(b, ",");
            e |= buf_json_str(b, lw->word[j]);
            e |= buf_puts(b, "]");
            first = false;
        }
    return e | buf_puts(b, "]");
}

#define SCHEME_WINDOW 8 /* earlier lines a line-end is compared with */

/* The line-ends of a stanza's last SCHEME_WINDOW lines: line k at [k % SCHEME_WINDOW]. */
typedef struct ends {
    lyrics_pron pron[SCHEME_WINDOW];
    bool has[SCHEME_WINDOW];
} ends;

/* The scheme letter of a stanza's line k, ending with end (NULL: no word): the letter of the
 * earlier line (within SCHEME_WINDOW) it rhymes with best (strength >=
 * LYRICS_RHYME_THRESHOLD), else the next free one. Then remembers end among w. */
static char scheme_letter(ends *w, size_t k, const lyrics_pron *end, const char *letters, char *next)
{
    double best = 0;
    char take = 0;
    for (size_t j = k > SCHEME_WINDOW ? k - SCHEME_WINDOW : 0; end && j < k; j++) {
        if (!w->has[j % SCHEME_WINDOW])
            continue;
        lyrics_rhyme r = lyrics_rhyme_prons(&w->pron[j % SCHEME_WINDOW], end);
        if (r.strength >= LYRICS_RHYME_THRESHOLD && r.strength > best) {
            best = r.strength;
            take = letters[j];
        }
    }
    w->has[k % SCHEME_WINDOW] = end != NULL;
    if (end)
        w->pron[k % SCHEME_WINDOW] = *end;
    if (take)
        return take;
    return *next <= 'Z' ? (*next)++ : 'Z';
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Occurrences of h among the sorted hashes. */
static size_t count_of(const uint64_t *sorted, size_t n, uint64_t h)
{
    const uint64_t *p = bsearch(&h, sorted, n, sizeof(*sorted), cmp_u64);
    if (!p)
        return 0;
    const uint64_t *lo = p, *hi = p;
    while (lo > sorted && lo[-1] == h)
        lo--;
    while (hi + 1 < sorted + n && hi[1] == h)
        hi++;
    return (size_t)(hi - lo) + 1;
}

/* Repetition ratio, the hook (most repeated line) and the chorus (most repeated stanza). */
static int structure(const doc *d, buf *b)
{
    size_t n = 0, ns = d->n_stanzas;
    uint64_t *lh = malloc((d->n + 1) * sizeof(uint64_t)), *sh = calloc(ns + 1, sizeof(uint64_t));
    int e = 0;
    if (!lh || !sh) {
        free(lh);
        free(sh);
        return -1;
    }
    for (size_t i = 0; i < d->n; i++)
        if (d->lines[i].stanza >= 0) {
            lh[n++] = d->lines[i].hash;
            uint64_t *s = &sh[d->lines[i].stanza];
            *s = (*s ^ d->lines[i].hash) * 1099511628211ULL + 0x9e3779b97f4a7c15ULL;
        }
    uint64_t *sorted_s = malloc((ns + 1) * sizeof(uint64_t));
    memcpy(sorted_s, sh, ns * sizeof(uint64_t));
    qsort(lh, n, sizeof(uint64_t), cmp_u64);
    qsort(sorted_s, ns, sizeof(uint64_t), cmp_u64);
    size_t repeated = 0, hook = SIZE_MAX, hook_n = 1;
    for (size_t i = 0; i < d->n; i++) {
        if (d->lines[i].stanza < 0)
            continue;
        size_t c = count_of(lh, n, d->lines[i].hash);
        repeated += c > 1;
        if (c > hook_n)
            hook = i, hook_n = c;
    }
    size_t chorus = SIZE_MAX, chorus_n = 1;
    for (size_t s = 0; s < ns; s++) {
        size_t c = count_of(sorted_s, ns, sh[s]);
        if (c > chorus_n)
            chorus = s, chorus_n = c;
    }
    e |= buf_printf(b, ",\"repetition\":%.3f,\"hook\":", n ? (double)repeated / (double)n : 0.0);
    if (hook == SIZE_MAX) {
        e |= buf_puts(b, "null");
    } else {
        char tmp[1024];
        snprintf(tmp, sizeof(tmp), "%.*s", (int)(d->lines[hook].n < 1000 ? d->lines[hook].n : 1000), d->lines[hook].s);
        e |= buf_puts(b, "{\"text\":");
        e |= buf_json_str(b, tmp);
        e |= buf_printf(b, ",\"count\":%zu}", hook_n);
    }
    e |= buf_puts(b, ",\"chorus\":");
    if (chorus == SIZE_MAX)
        e |= buf_puts(b, "null");
    else
        e |= buf_printf(b, "{\"stanza\":%zu,\"count\":%zu}", chorus + 1, chorus_n);
    free(lh);
    free(sh);
    free(sorted_s);
    return e;
}

static int render_line(const line *l, int syl, const char *stress, const lyrics_pron *end, char letter,
                       const line_words *lw, double score, buf *b)
{
    char tmp[4096], key[128] = "";
    size_t tn = l->n < sizeof(tmp) - 1 ? l->n : sizeof(tmp) - 1;
    memcpy(tmp, l->s, tn);
    tmp[tn] = '\0';
    if (end)
        lyrics_rhyme_key(end, key, sizeof(key));
    int e = buf_puts(b, "{\"text\":");
    e |= buf_json_str(b, tmp);
    e |= buf_printf(b, ",\"syllables\":%d,\"stress\":\"%s\",\"rhyme\":", syl, stress);
    e |= buf_json_str(b, key);
    e |= buf_printf(b, ",\"scheme\":\"%c\",\"sentiment\":%.3f", letter ? letter : '-', score);
    e |= internal_rhymes(lw, b);
    return e | buf_puts(b, "}");
}

#define SCHEME_MAX 64 /* lines of a stanza that get scheme letters */

/* The stanzas array; also sums the line sentiment for the overall score. */
static int stanzas(const lyrics_data *dat, doc *d, buf *b, double *sent_sum, int *sent_n)
{
    char stress[STRESS_MAX], letters[SCHEME_MAX + 1];
    word_cache cache = {calloc(CACHE_SLOTS, sizeof(*cache.slot)), malloc(CACHE_WORDS * sizeof(*cache.info)), 0};
    line_words *lw = malloc(sizeof(*lw));
    ends *win = malloc(sizeof(*win));
    int e = 0;
    if (!cache.slot || !cache.info || !lw || !win)
        e = -1;
    buf lines;
    buf_init(&lines, SIZE_MAX);
    e |= buf_puts(b, ",\"stanzas\":[");
    for (size_t i = 0; !e && i < d->n;) {
        if (d->lines[i].stanza < 0) {
            i++;
            continue;
        }
        size_t end = i, k = 0;
        char next = 'A';
        buf_reset(&lines);
        for (; end < d->n && d->lines[end].stanza == d->lines[i].stanza; end++) {
            const line *l = &d->lines[end];
            const lyrics_pron *last;
            double score;
            int syl = line_meter(dat, &cache, l, stress, lw, &last, &score);
            char letter = 0;
            if (k < SCHEME_MAX) {
                letter = letters[k] = scheme_letter(win, k, last, letters, &next);
                k++;
            }
            if (score != 0) {
                *sent_sum += score;
                (*sent_n)++;
            }
            e |= buf_puts(&lines, end > i ? "," : "");
            e |= render_line(l, syl, stress, last, letter, lw, score, &lines);
        }
        letters[k] = '\0';
        e |= buf_printf(b, "%s{\"scheme\":\"%s\",\"lines\":[", d->lines[i].stanza ? "," : "", letters);
        e |= lines.data ? buf_append(b, lines.data, lines.len) : 0;
        e |= buf_puts(b, "]}");
        i = end;
    }
    buf_release(&lines);
    free(cache.slot);
    free(cache.info);
    free(lw);
    free(win);
    return e | buf_puts(b, "]");
}

char *lyrics_analyze_json(const lyrics_data *dat, const char *text, size_t len)
{
    doc d = {0};
    buf b, prof;
    buf_init(&b, SIZE_MAX);
    buf_init(&prof, SIZE_MAX);
    bool explicit_ = false, first = true;
    double sent_sum = 0;
    int sent_n = 0, e = split(text, len, &d);
    for (size_t i = 0; !e && i < d.n; i++)
        e |= lyrics_profanity_line(dat, d.lines[i].s, d.lines[i].n, (int)i + 1, &prof, &first, &explicit_);
    buf body;
    buf_init(&body, SIZE_MAX);
    if (!e) {
        e |= stanzas(dat, &d, &body, &sent_sum, &sent_n);
        e |= structure(&d, &body);
    }
    double overall = sent_n ? sent_sum / sent_n : 0;
    size_t nlines = 0;
    for (size_t i = 0; i < d.n; i++)
        nlines += d.lines[i].stanza >= 0;
    e |= buf_printf(&b, "{\"explicit\":%s,\"profanity\":[", explicit_ ? "true" : "false");
    e |= buf_append(&b, prof.data, prof.len);
    e |= buf_printf(&b, "],\"sentiment\":{\"score\":%.3f,\"label\":\"%s\"},", overall, lyrics_sentiment_label(overall));
    e |= buf_printf(&b, "\"lines\":%zu,\"stanza_count\":%zu", nlines, d.n_stanzas);
    e |= buf_append(&b, body.data, body.len);
    e |= buf_puts(&b, "}");
    free(d.lines);
    buf_release(&prof);
    buf_release(&body);
    if (e) {
        buf_release(&b);
        return NULL;
    }
    return buf_take(&b);
}
