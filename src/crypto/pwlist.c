/* crypto/pwlist: the common-password list, a sorted file searched in place (base_table). */
#include "crypto/crypto.h"

#include "base/base.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct crypto_pwlist {
    base_table *t;
};

crypto_pwlist *crypto_pwlist_open(const char *path, char *err, size_t errlen)
{
    base_table *t = base_table_open(path, err, errlen);
    crypto_pwlist *l = t ? calloc(1, sizeof(*l)) : NULL;
    if (!l) {
        base_table_free(t);
        return NULL;
    }
    l->t = t;
    return l;
}

void crypto_pwlist_free(crypto_pwlist *l)
{
    if (!l)
        return;
    base_table_free(l->t);
    free(l);
}

bool crypto_pwlist_has(const crypto_pwlist *l, const char *pw)
{
    char low[CRYPTO_PW_MAX * 4 + 1];
    size_t n = strlen(pw);
    if (n >= sizeof(low))
        return false; /* longer than any password the policy allows */
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)pw[i]);
    return base_table_get(l->t, low, n, NULL) != NULL;
}
