/* audio/decode: libsndfile in (path or memory), loudness on the original channels, downmix,
 * resample with libsoxr, streamed block by block into the analyser. */
#include "audio/audio.h"

#include "base/base.h"

#include <ebur128.h>
#include <math.h>
#include <stdbool.h>
#include <sndfile.h>
#include <sodium.h>
#include <soxr.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 4096 /* frames read per step */
#define MAX_CHANNELS 16
#define LOUDNESS_FLOOR -60 /* dB: what silence reports (Spotify's range is about -60..0) */

/* Memory input for libsndfile's virtual I/O. */
typedef struct memfile {
    const unsigned char *data;
    sf_count_t len, pos;
} memfile;

static sf_count_t mem_len(void *u)
{
    return ((memfile *)u)->len;
}

static sf_count_t mem_seek(sf_count_t off, int whence, void *u)
{
    memfile *m = u;
    sf_count_t to = whence == SEEK_SET ? off : whence == SEEK_CUR ? m->pos + off : m->len + off;
    if (to < 0 || to > m->len)
        return -1;
    return m->pos = to;
}

static sf_count_t mem_read(void *p, sf_count_t n, void *u)
{
    memfile *m = u;
    if (n > m->len - m->pos)
        n = m->len - m->pos;
    if (n > 0)
        memcpy(p, m->data + m->pos, (size_t)n);
    m->pos += n > 0 ? n : 0;
    return n > 0 ? n : 0;
}

static sf_count_t mem_write(const void *p, sf_count_t n, void *u)
{
    (void)p, (void)n, (void)u;
    return 0;
}

static sf_count_t mem_tell(void *u)
{
    return ((memfile *)u)->pos;
}

static int open_error(SNDFILE *f)
{
    switch (sf_error(f)) {
    case SF_ERR_UNRECOGNISED_FORMAT:
    case SF_ERR_UNSUPPORTED_ENCODING:
        return AUDIO_EFORMAT;
    case SF_ERR_SYSTEM:
        return AUDIO_EIO;
    default:
        return AUDIO_ECORRUPT;
    }
}

/* Everything one decode holds; released in one place. */
typedef struct decoder {
    SNDFILE *f;
    SF_INFO info;
    ebur128_state *loud;
    soxr_t rs;
    audio_mir *mir;
    float *in, *mono, *out;
    size_t out_cap;
    crypto_generichash_state hash;
} decoder;

static void decoder_release(decoder *d)
{
    if (d->f)
        sf_close(d->f);
    if (d->loud)
        ebur128_destroy(&d->loud);
    soxr_delete(d->rs);
    audio_mir_free(d->mir);
    free(d->in);
    free(d->mono);
    free(d->out);
}

static int decoder_init(decoder *d)
{
    int ch = d->info.channels;
    if (ch < 1 || ch > MAX_CHANNELS || d->info.samplerate < 1000 || d->info.samplerate > 384000)
        return AUDIO_EFORMAT;
    if (d->info.frames > (sf_count_t)AUDIO_MAX_SECONDS * d->info.samplerate * 11 / 10 &&
        (d->info.format & SF_FORMAT_TYPEMASK) != SF_FORMAT_MPEG)
        return AUDIO_ETOOLONG;
    soxr_error_t err = NULL;
    soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    soxr_quality_spec_t q = soxr_quality_spec(SOXR_HQ, 0);
    d->out_cap = (size_t)ceil(BLOCK * (double)AUDIO_RATE / d->info.samplerate) + 64;
    d->loud = ebur128_init((unsigned)ch, (unsigned long)d->info.samplerate, EBUR128_MODE_I);
    d->rs = soxr_create(d->info.samplerate, AUDIO_RATE, 1, &err, &io, &q, NULL);
    d->mir = audio_mir_new();
    d->in = malloc(sizeof(float) * BLOCK * (size_t)ch);
    d->mono = malloc(sizeof(float) * BLOCK);
    d->out = malloc(sizeof(float) * d->out_cap);
    if (!d->loud || err || !d->mir || !d->in || !d->mono || !d->out)
        return AUDIO_ENOMEM;
    crypto_generichash_init(&d->hash, NULL, 0, 16);
    return AUDIO_OK;
}

/* Resamples n mono frames (NULL: flush) and pushes the result into the analyser. */
static int resample_push(decoder *d, const float *mono, size_t n)
{
    for (;;) {
        size_t idone = 0, odone = 0;
        if (soxr_process(d->rs, mono, n, &idone, d->out, d->out_cap, &odone))
            return AUDIO_ENOMEM;
        if (odone) {
            int rc = audio_mir_push(d->mir, d->out, odone);
            if (rc != AUDIO_OK)
                return rc;
        }
        if (mono)
            mono += idone;
        n -= idone;
        if ((mono && n == 0) || (!mono && odone < d->out_cap))
            return AUDIO_OK;
    }
}

/* True when a WAV-like header declared more audio data than the file holds: libsndfile then
 * quietly reads what is there, noting "data : N (should be M)" in its log. */
static bool data_chunk_cut(SNDFILE *f)
{
    char log[4096];
    sf_command(f, SFC_GET_LOG_INFO, log, sizeof(log));
    for (const char *p = log; (p = strstr(p, "data ")) != NULL; p++)
        if ((p == log || p[-1] == '\n') && strstr(p, "(should be") && strstr(p, "(should be") < strchr(p, '\n'))
            return true;
    return false;
}

static int run(decoder *d, audio_result *out)
{
    int rc = decoder_init(d), ch = d->info.channels;
    sf_count_t total = 0, n;
    if (rc != AUDIO_OK)
        return rc;
    if (data_chunk_cut(d->f))
        return AUDIO_ECORRUPT;
    while ((n = sf_readf_float(d->f, d->in, BLOCK)) > 0) {
        total += n;
        if (total > (sf_count_t)AUDIO_MAX_SECONDS * d->info.samplerate)
            return AUDIO_ETOOLONG;
        crypto_generichash_update(&d->hash, (const unsigned char *)d->in, sizeof(float) * (size_t)(n * ch));
        if (ebur128_add_frames_float(d->loud, d->in, (size_t)n) != EBUR128_SUCCESS)
            return AUDIO_ENOMEM;
        for (sf_count_t i = 0; i < n; i++) {
            float s = 0;
            for (int c = 0; c < ch; c++)
                s += d->in[i * ch + c];
            d->mono[i] = s / (float)ch;
        }
        if ((rc = resample_push(d, d->mono, (size_t)n)) != AUDIO_OK)
            return rc;
    }
    if (sf_error(d->f) != SF_ERR_NO_ERROR)
        return AUDIO_ECORRUPT;
    /* A file that promised more frames than it held was cut short (MP3 only estimates). */
    if ((d->info.format & SF_FORMAT_TYPEMASK) != SF_FORMAT_MPEG && total < d->info.frames)
        return AUDIO_ECORRUPT;
    if (total == 0)
        return AUDIO_ETOOSHORT;
    if ((rc = resample_push(d, NULL, 0)) != AUDIO_OK || (rc = audio_mir_finish(d->mir, out)) != AUDIO_OK)
        return rc;
    double lufs = -HUGE_VAL;
    ebur128_loudness_global(d->loud, &lufs);
    out->loudness = isfinite(lufs) && lufs > LOUDNESS_FLOOR ? lufs : LOUDNESS_FLOOR;
    out->duration = (double)total / d->info.samplerate;
    out->sample_rate = d->info.samplerate;
    out->channels = ch;
    out->num_samples = total;
    unsigned char h[16];
    crypto_generichash_final(&d->hash, h, sizeof(h));
    base_base62(h, sizeof(h), out->id, sizeof(out->id) - 1);
    return AUDIO_OK;
}

static int analyze(decoder *d, audio_result *out)
{
    memset(out, 0, sizeof(*out));
    int rc = run(d, out);
    decoder_release(d);
    if (rc != AUDIO_OK)
        audio_result_release(out);
    return rc;
}

int audio_analyze_file(const char *path, audio_result *out)
{
    if (!path || !out)
        return AUDIO_EINVAL;
    decoder d = {0};
    d.f = sf_open(path, SFM_READ, &d.info);
    if (!d.f) {
        memset(out, 0, sizeof(*out));
        return open_error(NULL);
    }
    return analyze(&d, out);
}

int audio_analyze_memory(const void *data, size_t len, audio_result *out)
{
    if (!data || !out)
        return AUDIO_EINVAL;
    SF_VIRTUAL_IO io = {mem_len, mem_seek, mem_read, mem_write, mem_tell};
    memfile m = {data, (sf_count_t)len, 0};
    decoder d = {0};
    d.f = sf_open_virtual(&io, SFM_READ, &d.info, &m);
    if (!d.f) {
        memset(out, 0, sizeof(*out));
        return open_error(NULL);
    }
    return analyze(&d, out);
}

void audio_result_release(audio_result *r)
{
    if (!r)
        return;
    free(r->bars);
    free(r->beats);
    free(r->tatums);
    free(r->sections);
    free(r->segments);
    memset(r, 0, sizeof(*r));
}

const char *audio_strerror(int err)
{
    switch (err) {
    case AUDIO_OK:
        return "ok";
    case AUDIO_ENOMEM:
        return "out of memory";
    case AUDIO_EIO:
        return "the file could not be opened or read";
    case AUDIO_EFORMAT:
        return "not a supported audio format (WAV, FLAC, Ogg Vorbis, Opus, MP3)";
    case AUDIO_ECORRUPT:
        return "the audio is truncated or corrupt";
    case AUDIO_ETOOLONG:
        return "the audio is longer than 20 minutes";
    case AUDIO_ETOOSHORT:
        return "the file holds no audio samples";
    case AUDIO_EINVAL:
        return "invalid argument";
    default:
        return "unknown error";
    }
}
