/* lyrics/rhyme: how two words rhyme, from their pronunciations (or spellings). */
#include "lyrics/lyrics_int.h"

#include <stdio.h>
#include <string.h>

/* The index of the last stressed vowel (primary or secondary), else the last vowel, else -1. */
static int rhyme_start(const lyrics_pron *p)
{
    int last = -1;
    for (int i = p->n - 1; i >= 0; i--) {
        if (p->stress[i] == '1' || p->stress[i] == '2')
            return i;
        if (p->stress[i] == '0' && last < 0)
            last = i;
    }
    return last;
}

/* Consonants that sound alike at the end of a word: nasals, voiced/voiceless pairs. */
static int consonant_class(const char *ph)
{
    static const char *const classes[] = {"M N NG", "P B", "T D", "K G", "F V", "S Z", "TH DH", "SH ZH", "CH JH"};
    for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
        const char *c = strstr(classes[i], ph);
        if (c && (c == classes[i] || c[-1] == ' ') && (c[strlen(ph)] == ' ' || c[strlen(ph)] == '\0'))
            return (int)i + 1;
    }
    return 0;
}

/* Vowels close enough that a shared ending still sounds like a rhyme (love / prove). */
static int vowel_family(const char *v)
{
    static const char *const fam[] = {"AA AO AH UH UW OW ER", "IY IH EY EH AE", "AY OY AW"};
    for (size_t i = 0; i < sizeof(fam) / sizeof(fam[0]); i++)
        if (strstr(fam[i], v))
            return (int)i + 1;
    return 0;
}

/* True when codas a[ai..] and b[bi..] sound alike: same length and each pair in one class,
 * or one is the other plus a final S/Z/T/D (time / rhymes). */
static bool codas_similar(const lyrics_pron *a, int ai, const lyrics_pron *b, int bi)
{
    int na = a->n - ai, nb = b->n - bi;
    if (na == nb) {
        for (int i = 0; i < na; i++)
            if (strcmp(a->phone[ai + i], b->phone[bi + i]) != 0 &&
                (!consonant_class(a->phone[ai + i]) ||
                 consonant_class(a->phone[ai + i]) != consonant_class(b->phone[bi + i])))
                return false;
        return true;
    }
    const lyrics_pron *l = na > nb ? a : b, *s = na > nb ? b : a;
    int li = na > nb ? ai : bi, si = na > nb ? bi : ai, ln = na > nb ? na : nb, sn = na > nb ? nb : na;
    const char *extra = l->phone[l->n - 1];
    if (ln != sn + 1 || !strchr("SZTD", extra[0]) || extra[1])
        return false;
    for (int i = 0; i < sn; i++)
        if (strcmp(l->phone[li + i], s->phone[si + i]) != 0)
            return false;
    return true;
}

/* Syllables that match from the end: vowels in the longest common phone suffix. */
static int matching_syllables(const lyrics_pron *a, const lyrics_pron *b)
{
    int n = 0;
    for (int i = a->n - 1, j = b->n - 1; i >= 0 && j >= 0 && strcmp(a->phone[i], b->phone[j]) == 0; i--, j--)
        n += a->stress[i] != '-';
    return n;
}

/* The spelled ending: the last vowel group and what follows it (ight, ove). */
static const char *spelled_tail(const char *w)
{
    size_t n = strlen(w);
    size_t i = n;
    while (i > 0 && !strchr("aeiouy", w[i - 1]))
        i--;
    while (i > 1 && strchr("aeiouy", w[i - 2]))
        i--;
    if (i > 0 && i == n && n > 1) /* word ends in a vowel: take the whole vowel group */
        while (i > 1 && strchr("aeiouy", w[i - 2]))
            i--;
    return w + (i > 0 ? i - 1 : 0);
}

static lyrics_rhyme spelled_only(const lyrics_pron *a, const lyrics_pron *b)
{
    const char *ta = spelled_tail(a->spelled), *tb = spelled_tail(b->spelled);
    if (strcmp(a->spelled, b->spelled) == 0)
        return (lyrics_rhyme){LYRICS_RHYME_IDENTICAL, 0.8, 1};
    if (strlen(ta) >= 2 && strcmp(ta, tb) == 0)
        return (lyrics_rhyme){LYRICS_RHYME_SLANT, 0.7, 1};
    return (lyrics_rhyme){LYRICS_RHYME_NONE, 0, 0};
}

lyrics_rhyme lyrics_rhyme_prons(const lyrics_pron *a, const lyrics_pron *b)
{
    if (!a->known || !b->known)
        return spelled_only(a, b);
    int ra = rhyme_start(a), rb = rhyme_start(b);
    if (ra < 0 || rb < 0)
        return (lyrics_rhyme){LYRICS_RHYME_NONE, 0, 0};
    bool same_tail = a->n - ra == b->n - rb;
    for (int i = 0; same_tail && i < a->n - ra; i++)
        same_tail = strcmp(a->phone[ra + i], b->phone[rb + i]) == 0;
    if (same_tail) {
        bool whole = a->n == b->n && ra == rb;
        for (int i = 0; whole && i < ra; i++)
            whole = strcmp(a->phone[i], b->phone[i]) == 0;
        if (whole || strcmp(a->spelled, b->spelled) == 0)
            return (lyrics_rhyme){LYRICS_RHYME_IDENTICAL, 0.8, matching_syllables(a, b)};
        return (lyrics_rhyme){LYRICS_RHYME_PERFECT, 1.0, matching_syllables(a, b)};
    }
    bool same_vowel = strcmp(a->phone[ra], b->phone[rb]) == 0;
    if (same_vowel && codas_similar(a, ra + 1, b, rb + 1))
        return (lyrics_rhyme){LYRICS_RHYME_SLANT, 0.75, 1};
    const char *ta = spelled_tail(a->spelled), *tb = spelled_tail(b->spelled);
    bool same_coda = a->n - ra == b->n - rb && a->n - ra > 1;
    for (int i = 1; same_coda && i < a->n - ra; i++)
        same_coda = strcmp(a->phone[ra + i], b->phone[rb + i]) == 0;
    if (same_coda && vowel_family(a->phone[ra]) == vowel_family(b->phone[rb]) &&
        (strcmp(ta, tb) == 0 || strlen(ta) >= 3))
        return (lyrics_rhyme){LYRICS_RHYME_EYE, 0.65, 1};
    if (same_vowel)
        return (lyrics_rhyme){LYRICS_RHYME_ASSONANCE, 0.5, 1};
    return (lyrics_rhyme){LYRICS_RHYME_NONE, 0, 0};
}

lyrics_rhyme lyrics_rhyme_words(const lyrics_data *d, const char *a, const char *b)
{
    lyrics_pron pa, pb;
    lyrics_pron_get(d, a, &pa);
    lyrics_pron_get(d, b, &pb);
    return lyrics_rhyme_prons(&pa, &pb);
}

void lyrics_rhyme_key(const lyrics_pron *p, char *out, size_t n)
{
    int r = p->known ? rhyme_start(p) : -1;
    if (r < 0) {
        snprintf(out, n, "~%s", spelled_tail(p->spelled));
        return;
    }
    size_t k = 0;
    out[0] = '\0';
    for (int i = r; i < p->n && k + 4 < n; i++)
        k += (size_t)snprintf(out + k, n - k, "%s%s", i > r ? " " : "", p->phone[i]);
}

const char *lyrics_rhyme_kind_name(lyrics_rhyme_kind k)
{
    static const char *const names[] = {"none", "assonance", "eye", "slant", "perfect", "identical"};
    return k >= 0 && (size_t)k < sizeof(names) / sizeof(names[0]) ? names[k] : "none";
}
