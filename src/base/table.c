/* base/table: a sorted "key<TAB>value" (or "key") line file, mapped and searched in place. */
#include "base/base.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct base_table {
    const char *map; /* the whole file, read-only */
    size_t len;
};

base_table *base_table_open(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0) {
        snprintf(err, errlen, "%s: %s", path, fd < 0 ? strerror(errno) : "empty");
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    base_table *t = calloc(1, sizeof(*t));
    void *m = t ? mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    close(fd);
    if (m == MAP_FAILED) {
        snprintf(err, errlen, "%s: cannot map", path);
        free(t);
        return NULL;
    }
    t->map = m;
    t->len = (size_t)st.st_size;
    return t;
}

void base_table_free(base_table *t)
{
    if (!t)
        return;
    munmap((void *)t->map, t->len);
    free(t);
}

size_t base_table_size(const base_table *t)
{
    return t ? t->len : 0;
}

/* Compares the key of the line at p (up to a tab or newline) with key[0..n), like memcmp. */
static int cmp_key(const char *p, const char *end, const char *key, size_t n)
{
    for (size_t i = 0;; i++, p++) {
        int a = p < end && *p != '\t' && *p != '\n' ? (unsigned char)*p : -1;
        int b = i < n ? (unsigned char)key[i] : -1;
        if (a != b || a < 0)
            return a - b;
    }
}

const char *base_table_get(const base_table *t, const char *key, size_t n, size_t *vlen)
{
    const char *base = t->map, *end = t->map + t->len;
    size_t lo = 0, hi = t->len;
    while (lo < hi) { /* binary search over byte offsets, snapped back to line starts */
        size_t mid = lo + (hi - lo) / 2, start = mid;
        while (start > lo && base[start - 1] != '\n')
            start--;
        int c = cmp_key(base + start, end, key, n);
        const char *nl = memchr(base + start, '\n', t->len - start);
        size_t next = nl ? (size_t)(nl - base) + 1 : t->len;
        if (c == 0) {
            const char *v = base + start + n;
            v += v < end && *v == '\t';
            if (vlen)
                *vlen = (size_t)((nl ? nl : end) - v);
            return v;
        }
        if (c < 0)
            lo = next;
        else
            hi = start;
    }
    return NULL;
}

bool base_table_next(const base_table *t, size_t *pos, const char **key, size_t *klen, const char **val,
                     size_t *vlen)
{
    if (*pos >= t->len)
        return false;
    const char *line = t->map + *pos, *nl = memchr(line, '\n', t->len - *pos);
    const char *end = nl ? nl : t->map + t->len, *tab = memchr(line, '\t', (size_t)(end - line));
    *key = line;
    *klen = (size_t)((tab ? tab : end) - line);
    *val = tab ? tab + 1 : end;
    *vlen = (size_t)(end - *val);
    *pos = (size_t)(end - t->map) + 1;
    return true;
}
