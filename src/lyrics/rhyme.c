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

/* How alike codas a[ai..] and b[bi..] sound: 2 when of one length with each pair in one
 * class (home / stone), 1 when one is the other plus a final S or Z (time / rhymes), 0
 * otherwise (a final T or D, as in day / date, is too weak for a line-end rhyme). */
static int codas_similar(const lyrics_pron *a, int ai, const lyrics_pron *b, int bi)
{
    int na = a->n - ai, nb = b->n - bi;
    if (na == nb) {
        for (int i = 0; i < na; i++)
            if (strcmp(a->phone[ai + i], b->phone[bi + i]) != 0 &&
                (!consonant_class(a->phone[ai + i]) ||
                 consonant_class(a->phone[ai + i]) != consonant_class(b->phone[bi + i])))
                return 0;
        return 2;
    }
    const lyrics_pron *l = na > nb ? a : b, *s = na > nb ? b : a;
    int li = na > nb ? ai : bi, si = na > nb ? bi : ai, ln = na > nb ? na : nb, sn = na > nb ? nb : na;
    const char *extra = l->phone[l->n - 1];
    if (ln != sn + 1 || !strchr("SZ", extra[0]) || extra[1])
        return 0;
    for (int i = 0; i < sn; i++)
        if (strcmp(l->phone[li + i], s->phone[si + i]) != 0)
            return 0;
    return 1;
}

/* Syllables that match from the end: vowels in the longest common phone suffix. */
static int matching_syllables(const lyrics_pron *a, const lyrics_pron *b)
{
    int n = 0;
    for (int i = a->n - 1, j = b->n - 1; i >= 0 && j >= 0 && strcmp(a->phone[i], b->phone[j]) == 0; i--, j--)
        n += a->stress[i] != '-';
    return n;
}

static bool vowel_letter(char c)
{
    return c && strchr("aeiouy", c);
}

/* The spelled ending: the last vowel group and what follows it (ight, ove, ate: a final
 * silent e after a consonant belongs to the group before it). */
static const char *spelled_tail(const char *w)
{
    size_t n = strlen(w), i = n;
    if (n > 2 && w[n - 1] == 'e' && !vowel_letter(w[n - 2]))
        i--;
    while (i > 0 && !vowel_letter(w[i - 1]))
        i--;
    while (i > 1 && vowel_letter(w[i - 2]))
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

/* The last vowel and what follows it, whatever its stress. */
static int last_vowel(const lyrics_pron *p)
{
    for (int i = p->n - 1; i >= 0; i--)
        if (p->stress[i] != '-')
            return i;
    return -1;
}

static bool same_phones(const lyrics_pron *a, int ai, const lyrics_pron *b, int bi)
{
    if (a->n - ai != b->n - bi)
        return false;
    for (int i = 0; i < a->n - ai; i++)
        if (strcmp(a->phone[ai + i], b->phone[bi + i]) != 0)
            return false;
    return true;
}

/* Weaker endings that poets (and Shakespeare) rhyme: an unstressed last syllable that
 * matches (memory / posterity, free / legacy), a final unstressed -y against a long I
 * (die / memory), or one coda after vowels of one family or spelled alike (love / prove,
 * come / tomb, are / prepare). */
static bool weak_rhyme(const lyrics_pron *a, const lyrics_pron *b, int ra, int rb)
{
    int la = last_vowel(a), lb = last_vowel(b);
    bool unstressed = a->stress[la] == '0' || b->stress[lb] == '0';
    if (unstressed && same_phones(a, la, b, lb))
        return true;
    bool ya = la == a->n - 1 && a->stress[la] == '0' && strcmp(a->phone[la], "IY") == 0;
    bool yb = lb == b->n - 1 && b->stress[lb] == '0' && strcmp(b->phone[lb], "IY") == 0;
    if ((ya && lb == b->n - 1 && strcmp(b->phone[lb], "AY") == 0) ||
        (yb && la == a->n - 1 && strcmp(a->phone[la], "AY") == 0))
        return true;
    if (a->n - ra < 2 || !same_phones(a, ra + 1, b, rb + 1))
        return false;
    return vowel_family(a->phone[ra]) == vowel_family(b->phone[rb]) ||
           strcmp(spelled_tail(a->spelled), spelled_tail(b->spelled)) == 0;
}

static lyrics_rhyme rhyme_one(const lyrics_pron *a, const lyrics_pron *b)
{
    int ra = rhyme_start(a), rb = rhyme_start(b);
    if (ra < 0 || rb < 0)
        return (lyrics_rhyme){LYRICS_RHYME_NONE, 0, 0};
    if (same_phones(a, ra, b, rb)) {
        bool whole = ra == rb && same_phones(a, 0, b, 0);
        if (whole || strcmp(a->spelled, b->spelled) == 0)
            return (lyrics_rhyme){LYRICS_RHYME_IDENTICAL, 0.8, matching_syllables(a, b)};
        return (lyrics_rhyme){LYRICS_RHYME_PERFECT, 1.0, matching_syllables(a, b)};
    }
    bool same_vowel = strcmp(a->phone[ra], b->phone[rb]) == 0;
    int coda = same_vowel ? codas_similar(a, ra + 1, b, rb + 1) : 0;
    if (coda)
        return (lyrics_rhyme){LYRICS_RHYME_SLANT, coda == 2 ? 0.75 : 0.65, 1};
    if (weak_rhyme(a, b, ra, rb))
        return (lyrics_rhyme){LYRICS_RHYME_EYE, 0.6, 1};
    if (same_vowel)
        return (lyrics_rhyme){LYRICS_RHYME_ASSONANCE, 0.5, 1};
    return (lyrics_rhyme){LYRICS_RHYME_NONE, 0, 0};
}

lyrics_rhyme lyrics_rhyme_prons(const lyrics_pron *a, const lyrics_pron *b)
{
    if (!a->known || !b->known)
        return spelled_only(a, b);
    lyrics_rhyme best = rhyme_one(a, b); /* variant 0 is the pronunciation itself */
    if (best.kind >= LYRICS_RHYME_PERFECT || (!memchr(a->raw, '|', a->raw_len) && !memchr(b->raw, '|', b->raw_len)))
        return best;
    lyrics_pron va, vb;
    for (int i = 0; i < LYRICS_VARIANTS_MAX && lyrics_pron_variant(a, i, &va); i++)
        for (int j = 0; j < LYRICS_VARIANTS_MAX && lyrics_pron_variant(b, j, &vb); j++) {
            lyrics_rhyme r = rhyme_one(&va, &vb);
            if (r.strength > best.strength)
                best = r;
        }
    return best;
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
