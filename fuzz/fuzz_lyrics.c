/* libFuzzer target: arbitrary bytes (valid and invalid UTF-8) through the lyric report. */
#include "lyrics/lyrics.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lyrics_data *d;
    char err[256];
    if (!d && !(d = lyrics_data_open("build/share/lyrics", err, sizeof(err)))) {
        fprintf(stderr, "fuzz_lyrics: %s (run from the repo root after make)\n", err);
        abort();
    }
    free(lyrics_analyze_json(d, (const char *)data, size));
    return 0;
}
