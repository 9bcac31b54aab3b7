/* base/table: a "key<TAB>value" (or "key") line file, mapped, with a hash index of its keys. */
#include "base/base.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct base_table {
    const char *map; /* the whole file, read-only */
    size_t len;
    uint32_t *line; /* offset of each line's start */
    size_t n;
    uint32_t *slot; /* open-addressing hash of the keys: line index + 1, 0 = empty */
    size_t mask;    /* slots - 1 (a power of two, at least twice the lines) */
};

static uint64_t key_hash(const char *k, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)k[i]) * 1099511628211ULL;
    return h ^ (h >> 29);
}

static size_t key_len(const base_table *t, const char *line)
{
    const char *end = t->map + t->len, *p = line;
    while (p < end && *p != '\t' && *p != '\n')
        p++;
    return (size_t)(p - line);
}

/* Hashes every key (the first of equal keys wins, as the sorted search would find one). */
static int index_keys(base_table *t)
{
    size_t slots = 16;
    while (slots < 2 * t->n)
        slots *= 2;
    if (!(t->slot = calloc(slots, sizeof(uint32_t))))
        return -1;
    t->mask = slots - 1;
    for (size_t i = 0; i < t->n; i++) {
        const char *k = t->map + t->line[i];
        size_t n = key_len(t, k);
        for (size_t s = key_hash(k, n) & t->mask;; s = (s + 1) & t->mask) {
            if (!t->slot[s]) {
                t->slot[s] = (uint32_t)i + 1;
                break;
            }
            const char *o = t->map + t->line[t->slot[s] - 1];
            if (key_len(t, o) == n && memcmp(o, k, n) == 0)
                break;
        }
    }
    return 0;
}

/* Indexes the line starts (one pass over the file at open). */
static int index_lines(base_table *t)
{
    size_t n = 0;
    for (const char *p = t->map, *end = t->map + t->len; p < end; n++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    if (t->len > UINT32_MAX || !(t->line = malloc((n ? n : 1) * sizeof(uint32_t))))
        return -1;
    size_t i = 0;
    for (const char *p = t->map, *end = t->map + t->len; p < end; i++) {
        t->line[i] = (uint32_t)(p - t->map);
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    t->n = n;
    return 0;
}

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
    if (index_lines(t) < 0 || index_keys(t) < 0) {
        snprintf(err, errlen, "%s: out of memory", path);
        base_table_free(t);
        return NULL;
    }
    return t;
}

void base_table_free(base_table *t)
{
    if (!t)
        return;
    munmap((void *)t->map, t->len);
    free(t->line);
    free(t->slot);
    free(t);
}

size_t base_table_size(const base_table *t)
{
    return t ? t->len + (t->n + t->mask + 1) * sizeof(uint32_t) : 0;
}

const char *base_table_get(const base_table *t, const char *key, size_t n, size_t *vlen)
{
    const char *end = t->map + t->len;
    for (size_t s = key_hash(key, n) & t->mask; t->slot[s]; s = (s + 1) & t->mask) {
        const char *line = t->map + t->line[t->slot[s] - 1];
        if ((size_t)(end - line) < n || memcmp(line, key, n) != 0 ||
            (line + n < end && line[n] != '\t' && line[n] != '\n'))
            continue;
        const char *v = line + n, *nl = memchr(line, '\n', (size_t)(end - line));
        v += v < end && *v == '\t';
        if (vlen)
            *vlen = (size_t)((nl ? nl : end) - v);
        return v;
    }
    return NULL;
}

bool base_table_next(const base_table *t, size_t *pos, const char **key, size_t *klen, const char **val, size_t *vlen)
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
