/*
 * mir.c: the streaming half of the analyser. PCM arrives in blocks of any size; every
 * MIR_HOP samples one Hann-windowed STFT frame of MIR_FRAME samples is taken (fftw3f) and
 * reduced to a mir_frame (onset flux, level, chroma, MFCC, spectral shape). Only those
 * records are kept, so memory grows by ~12 KB per second of audio whatever the block size.
 * audio_mir_finish() hands the records to tempo.c, key.c, segment.c and features.c.
 */
#include <fftw3.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audio/mir_int.h"

struct audio_mir {
    float *in;                        /* FFT input (fftwf_malloc) */
    fftwf_complex *out;               /* FFT output (fftwf_malloc) */
    fftwf_plan plan;                  /* r2c plan for in -> out */
    float buf[MIR_FRAME];             /* the window being filled, zero-padded at the start */
    size_t have;                      /* samples in buf */
    size_t total;                     /* real samples pushed */
    float win[MIR_FRAME];             /* Hann window */
    float prev[2][MIR_NMEL];          /* log-mel spectra of the two previous frames */
    unsigned char mel_band[MIR_BINS]; /* lower mel band a bin feeds (255: none) */
    float mel_w[MIR_BINS];            /* its weight there; 1 - w goes to the band above */
    float mel_hz[MIR_NMEL];           /* band centre frequencies */
    float dct[MIR_NMFCC][MIR_NMEL];   /* DCT-II basis for the MFCC */
    float pnorm;                      /* power normalisation: full-scale sine peak = 1 */
    mir_frame *frames;
    size_t n, cap;
    double cpu; /* seconds spent in push and finish (meta.analysis_time) */
};

static pthread_mutex_t fftw_mu = PTHREAD_MUTEX_INITIALIZER;

void mir_fftw_lock(void)
{
    pthread_mutex_lock(&fftw_mu);
}

void mir_fftw_unlock(void)
{
    pthread_mutex_unlock(&fftw_mu);
}

double mir_frame_time(size_t i)
{
    return (double)i * MIR_HOP / AUDIO_RATE;
}

double mir_clamp(double x, double lo, double hi)
{
    if (!(x >= lo)) /* also catches NaN */
        return lo;
    return x > hi ? hi : x;
}

double mir_mean_db(const mir_track *t, size_t a, size_t b)
{
    if (b > t->n)
        b = t->n;
    if (a >= b)
        return MIR_FLOOR_DB;
    double p = 0;
    for (size_t i = a; i < b; i++)
        p += pow(10.0, t->f[i].db / 10.0);
    return mir_clamp(10.0 * log10(p / (double)(b - a) + 1e-12), MIR_FLOOR_DB, 0);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double hz_to_mel(double hz)
{
    return 2595.0 * log10(1.0 + hz / 700.0);
}

static double mel_to_hz(double mel)
{
    return 700.0 * (pow(10.0, mel / 2595.0) - 1.0);
}

/* Triangular mel filters between 40 Hz and 10 kHz: each bin feeds at most two bands. */
static void init_tables(audio_mir *m)
{
    double lo = hz_to_mel(40.0), hi = hz_to_mel(10000.0);
    double edge[MIR_NMEL + 2];
    for (int b = 0; b < MIR_NMEL + 2; b++)
        edge[b] = mel_to_hz(lo + (hi - lo) * b / (MIR_NMEL + 1));
    for (int b = 0; b < MIR_NMEL; b++)
        m->mel_hz[b] = (float)edge[b + 1];
    for (int k = 0; k < MIR_BINS; k++) {
        double hz = (double)k * AUDIO_RATE / MIR_FRAME;
        m->mel_band[k] = 255;
        m->mel_w[k] = 0;
        for (int b = 0; b < MIR_NMEL + 1; b++) {
            if (hz >= edge[b] && hz < edge[b + 1]) {
                /* between centre of band b-1 (edge[b]) and centre of band b (edge[b+1]) */
                m->mel_band[k] = (unsigned char)(b == 0 ? 254 : b - 1);
                m->mel_w[k] = (float)((edge[b + 1] - hz) / (edge[b + 1] - edge[b]));
                break;
            }
        }
    }
    for (int c = 0; c < MIR_NMFCC; c++)
        for (int b = 0; b < MIR_NMEL; b++)
            m->dct[c][b] = (float)(sqrt(2.0 / MIR_NMEL) * cos(M_PI * c * (b + 0.5) / MIR_NMEL));
    double wsum = 0;
    for (int i = 0; i < MIR_FRAME; i++) {
        m->win[i] = (float)(0.5 - 0.5 * cos(2 * M_PI * i / MIR_FRAME));
        wsum += m->win[i];
    }
    m->pnorm = (float)(4.0 / (wsum * wsum));
}

audio_mir *audio_mir_new(void)
{
    audio_mir *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->in = fftwf_malloc(sizeof(float) * MIR_FRAME);
    m->out = fftwf_malloc(sizeof(fftwf_complex) * MIR_BINS);
    if (!m->in || !m->out)
        goto fail;
    mir_fftw_lock();
    m->plan = fftwf_plan_dft_r2c_1d(MIR_FRAME, m->in, m->out, FFTW_ESTIMATE);
    mir_fftw_unlock();
    if (!m->plan)
        goto fail;
    init_tables(m);
    m->have = MIR_FRAME / 2; /* frame i is centred on sample i * MIR_HOP */
    for (int b = 0; b < MIR_NMEL; b++)
        m->prev[0][b] = m->prev[1][b] = (float)MIR_FLOOR_DB;
    return m;
fail:
    audio_mir_free(m);
    return NULL;
}

void audio_mir_free(audio_mir *m)
{
    if (!m)
        return;
    if (m->plan) {
        mir_fftw_lock();
        fftwf_destroy_plan(m->plan);
        mir_fftw_unlock();
    }
    fftwf_free(m->in);
    fftwf_free(m->out);
    free(m->frames);
    free(m);
}

/* Level and zero-crossing rate of the central half of the window. */
static void time_domain(const float *x, mir_frame *f)
{
    double e = 0;
    int zc = 0;
    for (int i = MIR_FRAME / 4; i < 3 * MIR_FRAME / 4; i++) {
        e += (double)x[i] * x[i];
        zc += (x[i] >= 0) != (x[i - 1] >= 0);
    }
    e /= MIR_FRAME / 2;
    f->db = (float)mir_clamp(10.0 * log10(e + 1e-12), MIR_FLOOR_DB, 0);
    f->zcr = (float)zc / (MIR_FRAME / 2);
}

/* Adds a spectral peak at bin k (parabolic interpolation) to the chroma vectors. */
static void chroma_peak(const float *p, int k, mir_frame *f)
{
    double a = logf(p[k - 1] + 1e-20f), b = logf(p[k] + 1e-20f), c = logf(p[k + 1] + 1e-20f);
    double den = a - 2 * b + c;
    double d = den < 0 ? 0.5 * (a - c) / den : 0;
    double hz = (k + d) * AUDIO_RATE / MIR_FRAME;
    double midi = 69.0 + 12.0 * log2f((float)(hz / 440.0));
    double near = floor(midi + 0.5), off = midi - near;
    double w = cosf((float)(M_PI * off / 2));
    int pc = ((int)near % 12 + 12) % 12;
    float e = (float)(w * w * sqrt(p[k]));
    f->chroma[pc] += e;
    if (hz < 260)
        f->bass[pc] += e;
}

/* Mel bands, onset flux, MFCC. */
static void mel_features(audio_mir *m, const float *p, mir_frame *f)
{
    float mel[MIR_NMEL] = {0};
    for (int k = 1; k < MIR_BINS; k++) {
        int b = m->mel_band[k];
        if (b == 255)
            continue;
        if (b != 254)
            mel[b] += m->mel_w[k] * p[k];
        if (b + 1 < MIR_NMEL || b == 254)
            mel[b == 254 ? 0 : b + 1] += (1 - m->mel_w[k]) * p[k];
    }
    float ld[MIR_NMEL];
    double flux = 0, flux_lo = 0, mean = 0;
    for (int b = 0; b < MIR_NMEL; b++) {
        ld[b] = (float)mir_clamp(10.0f * log10f(mel[b] + 1e-12f), MIR_FLOOR_DB, 20);
        double d = ld[b] - m->prev[1][b];
        if (d > 0) {
            flux += d;
            if (m->mel_hz[b] < 250)
                flux_lo += d;
        }
        mean += ld[b];
    }
    f->onset = (float)(flux / MIR_NMEL);
    f->onset_lo = (float)flux_lo;
    memcpy(m->prev[1], m->prev[0], sizeof m->prev[0]);
    memcpy(m->prev[0], ld, sizeof ld);
    for (int c = 0; c < MIR_NMFCC; c++) {
        double s = 0;
        for (int b = 0; b < MIR_NMEL; b++)
            s += m->dct[c][b] * (ld[b] - MIR_FLOOR_DB);
        f->mfcc[c] = (float)s;
    }
    f->mfcc[0] = (float)(mean / MIR_NMEL - MIR_FLOOR_DB); /* 0 for silence, ~60 when loud */
}

/* Spectral shape: centroid, flatness, band shares; chroma from the peaks. */
static float range_sum(const float *p, int a, int b)
{
    float s = 0;
    for (int k = a; k < b; k++)
        s += p[k];
    return s;
}

static int bin_of(double hz)
{
    return (int)(hz * MIR_FRAME / AUDIO_RATE + 0.5);
}

static void spectral_features(const float *p, mir_frame *f)
{
    const float bin_hz = (float)AUDIO_RATE / MIR_FRAME;
    float tot = 0, cen = 0, logsum = 0, pmax = 0;
    for (int k = 1; k < MIR_BINS; k++) { /* the hot loop: single precision, no branches */
        tot += p[k];
        cen += (float)k * p[k];
        logsum += logf(p[k] + 1e-12f);
        pmax = p[k] > pmax ? p[k] : pmax;
    }
    if (tot < 1e-10f)
        return; /* silence: shape features stay 0 */
    f->centroid = cen * bin_hz / tot;
    f->flatness = (float)mir_clamp(exp(logsum / (MIR_BINS - 1)) / (tot / (MIR_BINS - 1)), 0, 1);
    f->voice = range_sum(p, bin_of(300), bin_of(3400) + 1) / tot;
    f->high = range_sum(p, bin_of(4000) + 1, MIR_BINS) / tot;
    f->low = range_sum(p, 1, bin_of(150)) / tot;
    int k0 = bin_of(60), k1 = bin_of(5000);
    for (int k = k0; k < k1; k++)
        if (p[k] > p[k - 1] && p[k] >= p[k + 1] && p[k] > pmax * 1e-5f)
            chroma_peak(p, k, f);
}

static int grow(audio_mir *m)
{
    if (m->n < m->cap)
        return 0;
    if (m->cap >= MIR_MAX_FRAMES)
        return AUDIO_ETOOLONG;
    size_t cap = m->cap ? m->cap * 2 : 4096;
    if (cap > MIR_MAX_FRAMES)
        cap = MIR_MAX_FRAMES;
    mir_frame *f = realloc(m->frames, cap * sizeof *f);
    if (!f)
        return AUDIO_ENOMEM;
    m->frames = f;
    m->cap = cap;
    return 0;
}

/* buf is full: analyse it as one frame, then slide by one hop. */
static int process_frame(audio_mir *m)
{
    int rc = grow(m);
    if (rc)
        return rc;
    mir_frame *f = &m->frames[m->n++];
    memset(f, 0, sizeof *f);
    time_domain(m->buf, f);
    for (int i = 0; i < MIR_FRAME; i++)
        m->in[i] = m->buf[i] * m->win[i];
    fftwf_execute(m->plan);
    float p[MIR_BINS];
    for (int k = 0; k < MIR_BINS; k++)
        p[k] = (m->out[k][0] * m->out[k][0] + m->out[k][1] * m->out[k][1]) * m->pnorm;
    mel_features(m, p, f);
    spectral_features(p, f);
    memmove(m->buf, m->buf + MIR_HOP, (MIR_FRAME - MIR_HOP) * sizeof(float));
    m->have -= MIR_HOP;
    return 0;
}

int audio_mir_push(audio_mir *m, const float *samples, size_t n)
{
    if (!m || (!samples && n))
        return AUDIO_EINVAL;
    double t0 = now_s();
    int rc = 0;
    while (n > 0) {
        size_t take = MIR_FRAME - m->have;
        take = take < n ? take : n;
        for (size_t i = 0; i < take; i++) /* out-of-range samples are clipped, NaN is silence */
            m->buf[m->have + i] = isnan(samples[i]) ? 0.0f : (float)mir_clamp(samples[i], -1.0, 1.0);
        m->have += take;
        m->total += take;
        samples += take;
        n -= take;
        if (m->have == MIR_FRAME && (rc = process_frame(m)) != 0)
            break;
    }
    m->cpu += now_s() - t0;
    return rc;
}

/* Zero-pads until every real sample has had a frame centred on or after it. */
static int flush(audio_mir *m)
{
    size_t want = (m->total + MIR_HOP - 1) / MIR_HOP;
    while (m->n < want) {
        memset(m->buf + m->have, 0, (MIR_FRAME - m->have) * sizeof(float));
        m->have = MIR_FRAME;
        int rc = process_frame(m);
        if (rc)
            return rc;
    }
    return 0;
}

static void forget_arrays(audio_result *r)
{
    r->bars = r->beats = r->tatums = NULL;
    r->sections = NULL;
    r->segments = NULL;
    r->n_bars = r->n_beats = r->n_tatums = r->n_sections = r->n_segments = 0;
}

/* Frees the arrays this analysis allocated (after forget_arrays, nothing else). */
static void drop_arrays(audio_result *r)
{
    free(r->bars);
    free(r->beats);
    free(r->tatums);
    free(r->sections);
    free(r->segments);
    forget_arrays(r);
}

int audio_mir_finish(audio_mir *m, audio_result *r)
{
    if (!m || !r)
        return AUDIO_EINVAL;
    double t0 = now_s();
    mir_beats b = {0};
    int rc = flush(m);
    if (rc)
        return rc;
    if (m->total == 0)
        return AUDIO_ETOOSHORT;
    mir_track t = {.f = m->frames, .n = m->n, .seconds = (double)m->total / AUDIO_RATE};
    forget_arrays(r); /* r's array fields are outputs: never freed here, whatever they held */
    if ((rc = mir_tempo(&t, &b)) != 0 || (rc = mir_grid_spans(&t, &b, r)) != 0)
        goto out;
    r->tempo = b.tempo;
    r->tempo_confidence = b.tempo_confidence;
    r->time_signature = b.meter;
    r->time_signature_confidence = b.meter_confidence;
    mir_key_range(&t, 0, t.n, &r->key, &r->key_confidence, &r->mode, &r->mode_confidence);
    if ((rc = mir_segments(&t, r)) != 0 || (rc = mir_sections(&t, &b, r)) != 0)
        goto out;
    mir_fades(&t, r);
    mir_features(&t, &b, r);
out:
    mir_beats_release(&b);
    if (rc)
        drop_arrays(r);
    m->cpu += now_s() - t0;
    r->analysis_seconds = m->cpu;
    return rc;
}
