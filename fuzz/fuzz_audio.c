/* libFuzzer target: arbitrary bytes through the audio decoder and the whole analysis. */
#include "audio/audio.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    audio_result r;
    if (audio_analyze_memory(data, size, &r) == AUDIO_OK) {
        free(audio_json_features(&r, "http://x/v1"));
        free(audio_json_analysis(&r));
        audio_result_release(&r);
    }
    return 0;
}
