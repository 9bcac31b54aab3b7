/* Growable byte buffers with a hard cap. */
#include "base/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(buf *b, size_t max)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->max = max;
}

void buf_release(buf *b)
{
    free(b->data);
    buf_init(b, b->max);
}

void buf_reset(buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static int buf_reserve(buf *b, size_t extra)
{
    if (extra > b->max - b->len)
        return -1;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

int buf_append(buf *b, const void *p, size_t n)
{
    if (buf_reserve(b, n) < 0)
        return -1;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int buf_puts(buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

int buf_vprintf(buf *b, const char *fmt, va_list ap)
{
    if (buf_reserve(b, 0) < 0) /* data is allocated from here on */
        return -1;
    va_list cp;
    va_copy(cp, ap);
    size_t room = b->cap - b->len; /* formatted once when it fits, in memory and under max */
    if (room > b->max - b->len)
        room = b->max - b->len + 1;
    int n = vsnprintf(b->data + b->len, room, fmt, cp);
    va_end(cp);
    if (n >= 0 && (size_t)n >= room && buf_reserve(b, (size_t)n) == 0)
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    else if (n < 0 || (size_t)n >= room) {
        b->data[b->len] = '\0'; /* unchanged */
        return -1;
    }
    b->len += (size_t)n;
    return 0;
}

int buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if the bytes there are not one. */
static size_t utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n = (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || (n == 2 && s[0] < 0xC2) || (n == 4 && s[0] > 0xF4))
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (n == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0)))
        return 0; /* overlong or surrogate */
    if (n == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90)))
        return 0;
    return n;
}

int buf_json_str(buf *b, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t start = b->len;
    if (buf_append(b, "\"", 1) < 0)
        goto fail;
    while (*s) {
        int rc;
        size_t n = utf8_len(s);
        if (*s == '"' || *s == '\\')
            rc = buf_printf(b, "\\%c", *s);
        else if (*s == '\n')
            rc = buf_append(b, "\\n", 2);
        else if (*s == '\t')
            rc = buf_append(b, "\\t", 2);
        else if (*s < 0x20 || *s == 0x7F)
            rc = buf_printf(b, "\\u%04x", *s);
        else if (n == 0)
            rc = buf_append(b, "\xEF\xBF\xBD", 3), n = 1;
        else
            rc = buf_append(b, s, n);
        if (rc < 0)
            goto fail;
        s += n ? n : 1;
    }
    if (buf_append(b, "\"", 1) == 0)
        return 0;
fail:
    b->len = start;
    if (b->data)
        b->data[start] = '\0';
    return -1;
}

char *buf_take(buf *b)
{
    char *p = b->data ? b->data : strdup("");
    buf_init(b, b->max);
    return p;
}
