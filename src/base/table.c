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
    uint32_t *slot; /* open-addressing hash of the keys: the line's offset + 1, 0 = empty */
    uint16_t *tag;  /* per slot, the key hash's top bits: most misses never touch the map */
    size_t mask;    /* slots - 1 (a power of two, at least twice the lines) */
};

static uint64_t key_hash(const char *k, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)k[i]) * 1099511628211ULL;
    return h ^ (h >> 29);
}

static uint16_t key_tag(uint64_t h)
{
    return (uint16_t)(h >> 48);
}

static size_t key_len(const base_table *t, const char *line)
{
    const char *end = t->map + t->len, *p = line;
    while (p < end && *p != '\t' && *p != '\n')
        p++;
    return (size_t)(p - line);
}

/* The start of the line after the one at p (the map's end after the last). */
static const char *next_line(const base_table *t, const char *p)
{
    const char *end = t->map + t->len, *nl = memchr(p, '\n', (size_t)(end - p));
    return nl ? nl + 1 : end;
}

/* Counts the lines, then hashes every key (the first of equal keys wins, as the sorted
 * search would find one). */
static int index_keys(base_table *t)
{
    const char *end = t->map + t->len;
    size_t lines = 0;
    for (const char *p = t->map; p < end; p = next_line(t, p))
        lines++;
    size_t slots = 16;
    while (slots < 2 * lines)
        slots *= 2;
    if (t->len >= UINT32_MAX || !(t->slot = calloc(slots, sizeof(uint32_t))) ||
        !(t->tag = calloc(slots, sizeof(uint16_t))))
        return -1;
    t->mask = slots - 1;
    for (const char *k = t->map; k < end; k = next_line(t, k)) {
        size_t n = key_len(t, k);
        uint64_t h = key_hash(k, n);
        for (size_t s = h & t->mask;; s = (s + 1) & t->mask) {
            if (!t->slot[s]) {
                t->slot[s] = (uint32_t)(k - t->map) + 1;
                t->tag[s] = key_tag(h);
                break;
            }
            const char *o = t->map + t->slot[s] - 1;
            if (t->tag[s] == key_tag(h) && key_len(t, o) == n && memcmp(o, k, n) == 0)
                break;
        }
    }
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
    if (index_keys(t) < 0) {
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
    free(t->slot);
    free(t->tag);
    free(t);
}

size_t base_table_size(const base_table *t)
{
    return t ? t->len + (t->mask + 1) * (sizeof(uint32_t) + sizeof(uint16_t)) : 0;
}

const char *base_table_get(const base_table *t, const char *key, size_t n, size_t *vlen)
{
    const char *end = t->map + t->len;
    uint64_t h = key_hash(key, n);
    for (size_t s = h & t->mask; t->slot[s]; s = (s + 1) & t->mask) {
        const char *line = t->map + t->slot[s] - 1;
        if (t->tag[s] != key_tag(h) || (size_t)(end - line) < n || memcmp(line, key, n) != 0 ||
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
