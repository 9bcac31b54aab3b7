/* lyrics/data: the mapped data files. */
#include "lyrics/lyrics_int.h"

#include <stdio.h>
#include <stdlib.h>

lyrics_data *lyrics_data_open(const char *dir, char *err, size_t errlen)
{
    static const char *const names[] = {"cmudict.txt", "syllrules.txt", "sentiment.txt", "profanity.txt"};
    lyrics_data *d = calloc(1, sizeof(*d));
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    base_table **slots[] = {&d->dict, &d->rules, &d->sentiment, &d->profanity};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        if (!(*slots[i] = base_table_open(path, err, errlen))) {
            lyrics_data_free(d);
            return NULL;
        }
    }
    return d;
}

void lyrics_data_free(lyrics_data *d)
{
    if (!d)
        return;
    base_table_free(d->dict);
    base_table_free(d->rules);
    base_table_free(d->sentiment);
    base_table_free(d->profanity);
    free(d);
}

size_t lyrics_data_size(const lyrics_data *d)
{
    return base_table_size(d->dict) + base_table_size(d->rules) + base_table_size(d->sentiment) +
           base_table_size(d->profanity);
}
