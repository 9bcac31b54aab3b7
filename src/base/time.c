/* Clocks, RFC 3339, random bytes and ids. */
#include "base/base.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

int64_t base_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t base_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void base_rfc3339(int64_t ms, char out[BASE_RFC3339_LEN])
{
    int64_t sec = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    time_t t = (time_t)sec;
    struct tm tm;
    gmtime_r(&t, &tm);
    if (tm.tm_year < -1900 || tm.tm_year > 9999 - 1900) /* outside what the format can say */
        tm = (struct tm){.tm_year = 70, .tm_mday = 1};
    strftime(out, BASE_RFC3339_LEN, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + 19, BASE_RFC3339_LEN - 19, ".%03uZ", (unsigned)(ms - sec * 1000) % 1000u);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int digits(const char **s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++, (*s)++) {
        if (**s < '0' || **s > '9')
            return -1;
        v = v * 10 + (**s - '0');
    }
    *out = v;
    return 0;
}

int base_rfc3339_parse(const char *s, int64_t *ms)
{
    int y, mo, d, h, mi, sec, frac = 0, oh = 0, om = 0, sign = 0;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (digits(&s, 4, &y) || *s++ != '-' || digits(&s, 2, &mo) || *s++ != '-' || digits(&s, 2, &d))
        return -1;
    if ((*s != 'T' && *s != 't') || !s++ || digits(&s, 2, &h) || *s++ != ':' || digits(&s, 2, &mi) || *s++ != ':' ||
        digits(&s, 2, &sec))
        return -1;
    if (*s == '.') {
        int n = 0;
        for (s++; *s >= '0' && *s <= '9'; s++, n++)
            if (n < 3)
                frac = frac * 10 + (*s - '0');
        if (n == 0)
            return -1;
        for (; n < 3; n++)
            frac *= 10;
    }
    if (*s == 'Z' || *s == 'z')
        s++;
    else if (*s == '+' || *s == '-') {
        sign = *s++ == '-' ? -1 : 1;
        if (digits(&s, 2, &oh) || *s++ != ':' || digits(&s, 2, &om) || oh > 23 || om > 59)
            return -1;
    } else
        return -1;
    if (*s || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || sec > 60)
        return -1;
    if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return -1;
    int64_t t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + (sec == 60 ? 59 : sec);
    t -= sign * (oh * 3600 + om * 60);
    *ms = t * 1000 + frac;
    return 0;
}

void base_random(void *p, size_t n)
{
    unsigned char *c = p;
    while (n > 0) {
        ssize_t got = getrandom(c, n, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            log_error("getrandom failed: %s", strerror(errno));
            abort();
        }
        c += got;
        n -= (size_t)got;
    }
}

void base_base62(const unsigned char *p, size_t n, char *out, size_t outlen)
{
    static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    unsigned char num[64];
    if (n > sizeof(num))
        n = sizeof(num);
    memcpy(num, p, n);
    for (size_t i = outlen; i-- > 0;) { /* repeated division of the big-endian number by 62 */
        unsigned rem = 0;
        for (size_t j = 0; j < n; j++) {
            unsigned cur = (rem << 8) | num[j];
            num[j] = (unsigned char)(cur / 62);
            rem = cur % 62;
        }
        out[i] = alphabet[rem];
    }
    out[outlen] = '\0';
}

void base_id_new(char out[BASE_ID_LEN])
{
    unsigned char r[17];
    base_random(r, sizeof(r));
    base_base62(r, sizeof(r), out, BASE_ID_LEN - 1);
}
