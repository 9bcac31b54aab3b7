/* crypto/pwlist: the common-password list, a sorted file searched in place. */
#include "crypto/crypto.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct crypto_pwlist {
    char *map; /* the whole file, read-only */
    size_t len;
};

crypto_pwlist *crypto_pwlist_open(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0) {
        snprintf(err, errlen, "%s: %s", path, fd < 0 ? strerror(errno) : "empty");
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    crypto_pwlist *l = calloc(1, sizeof(*l));
    void *m = l ? mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    close(fd);
    if (m == MAP_FAILED) {
        snprintf(err, errlen, "%s: cannot map", path);
        free(l);
        return NULL;
    }
    l->map = m;
    l->len = (size_t)st.st_size;
    return l;
}

void crypto_pwlist_free(crypto_pwlist *l)
{
    if (!l)
        return;
    munmap(l->map, l->len);
    free(l);
}

/* Compares the line starting at p with key (lower-cased), like strcmp. */
static int cmp_line(const char *p, const char *end, const char *key)
{
    for (;; p++, key++) {
        int a = p < end && *p != '\n' ? (unsigned char)*p : 0;
        int b = tolower((unsigned char)*key);
        if (a != b || !a)
            return a - b;
    }
}

bool crypto_pwlist_has(const crypto_pwlist *l, const char *pw)
{
    const char *base = l->map, *end = l->map + l->len;
    size_t lo = 0, hi = l->len;
    while (lo < hi) { /* binary search over byte offsets, snapped back to line starts */
        size_t mid = lo + (hi - lo) / 2, start = mid;
        while (start > lo && base[start - 1] != '\n')
            start--;
        int c = cmp_line(base + start, end, pw);
        if (c == 0)
            return true;
        if (c < 0) {
            const char *nl = memchr(base + start, '\n', l->len - start);
            lo = nl ? (size_t)(nl - base) + 1 : l->len;
        } else {
            hi = start;
        }
    }
    return false;
}
