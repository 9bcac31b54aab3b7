/* audio/json: Spotify's AudioFeaturesObject and AudioAnalysisObject, field for field. */
#include "audio/audio.h"

#include "base/base.h"

#include <math.h>
#include <stdio.h>
#include <time.h>

#define JSON_MAX (256u << 20) /* far above any 20-minute analysis */
#define ROADIE_AUDIO_VERSION "1.0"

/* A finite number rounded to `places` decimals (Spotify prints 3 to 5). */
static int num(buf *b, const char *key, double v, int places)
{
    if (!isfinite(v))
        v = 0;
    return buf_printf(b, "\"%s\":%.*f", key, places, v);
}

static int mode_of(int m)
{
    return m == 1 ? 1 : 0; /* Spotify's mode is always 1 or 0; confidence 0 says "unknown" */
}

char *audio_json_features(const audio_result *r, const char *api_base)
{
    buf b;
    int e = 0;
    buf_init(&b, JSON_MAX);
    e |= buf_puts(&b, "{");
    e |= num(&b, "acousticness", r->acousticness, 5);
    e |= buf_printf(&b, ",\"analysis_url\":");
    char url[512];
    snprintf(url, sizeof(url), "%s/audio-analysis/%s", api_base, r->id);
    e |= buf_json_str(&b, url);
    e |= buf_puts(&b, ",");
    e |= num(&b, "danceability", r->danceability, 3);
    e |= buf_printf(&b, ",\"duration_ms\":%lld,", (long long)llround(r->duration * 1000));
    e |= num(&b, "energy", r->energy, 3);
    e |= buf_printf(&b, ",\"id\":\"%s\",", r->id);
    e |= num(&b, "instrumentalness", r->instrumentalness, 5);
    e |= buf_printf(&b, ",\"key\":%d,", r->key);
    e |= num(&b, "liveness", r->liveness, 4);
    e |= buf_puts(&b, ",");
    e |= num(&b, "loudness", r->loudness, 3);
    e |= buf_printf(&b, ",\"mode\":%d,", mode_of(r->mode));
    e |= num(&b, "speechiness", r->speechiness, 4);
    e |= buf_puts(&b, ",");
    e |= num(&b, "tempo", r->tempo, 3);
    e |= buf_printf(&b, ",\"time_signature\":%d,\"track_href\":", r->time_signature);
    snprintf(url, sizeof(url), "%s/tracks/%s", api_base, r->id);
    e |= buf_json_str(&b, url);
    e |= buf_printf(&b, ",\"type\":\"audio_features\",\"uri\":\"roadie:track:%s\",", r->id);
    e |= num(&b, "valence", r->valence, 3);
    e |= buf_puts(&b, "}");
    if (e) {
        buf_release(&b);
        return NULL;
    }
    return buf_take(&b);
}

/* "start":..,"duration":..,"confidence":.. : the three fields every timed object opens with. */
static int timing(buf *b, double start, double duration, double confidence)
{
    int e = num(b, "start", start, 5);
    e |= buf_puts(b, ",");
    e |= num(b, "duration", duration, 5);
    e |= buf_puts(b, ",");
    return e | num(b, "confidence", confidence, 3);
}

static int spans(buf *b, const char *name, const audio_span *s, size_t n)
{
    int e = buf_printf(b, ",\"%s\":[", name);
    for (size_t i = 0; i < n && !e; i++) {
        e |= buf_puts(b, i ? ",{" : "{");
        e |= timing(b, s[i].start, s[i].duration, s[i].confidence);
        e |= buf_puts(b, "}");
    }
    return e | buf_puts(b, "]");
}

static int sections(buf *b, const audio_section *s, size_t n)
{
    int e = buf_puts(b, ",\"sections\":[");
    for (size_t i = 0; i < n && !e; i++) {
        e |= buf_puts(b, i ? ",{" : "{");
        e |= timing(b, s[i].start, s[i].duration, s[i].confidence);
        e |= buf_puts(b, ",");
        e |= num(b, "loudness", s[i].loudness, 3);
        e |= buf_puts(b, ",");
        e |= num(b, "tempo", s[i].tempo, 3);
        e |= buf_puts(b, ",");
        e |= num(b, "tempo_confidence", s[i].tempo_confidence, 3);
        e |= buf_printf(b, ",\"key\":%d,", s[i].key);
        e |= num(b, "key_confidence", s[i].key_confidence, 3);
        e |= buf_printf(b, ",\"mode\":%d,", mode_of(s[i].mode));
        e |= num(b, "mode_confidence", s[i].mode_confidence, 3);
        e |= buf_printf(b, ",\"time_signature\":%d,", s[i].time_signature);
        e |= num(b, "time_signature_confidence", s[i].time_signature_confidence, 3);
        e |= buf_puts(b, "}");
    }
    return e | buf_puts(b, "]");
}

static int vector(buf *b, const char *name, const double v[12], int places)
{
    int e = buf_printf(b, ",\"%s\":[", name);
    for (int i = 0; i < 12; i++)
        e |= buf_printf(b, "%s%.*f", i ? "," : "", places, isfinite(v[i]) ? v[i] : 0.0);
    return e | buf_puts(b, "]");
}

static int segments(buf *b, const audio_segment *s, size_t n)
{
    int e = buf_puts(b, ",\"segments\":[");
    for (size_t i = 0; i < n && !e; i++) {
        e |= buf_puts(b, i ? ",{" : "{");
        e |= timing(b, s[i].start, s[i].duration, s[i].confidence);
        e |= buf_puts(b, ",");
        e |= num(b, "loudness_start", s[i].loudness_start, 3);
        e |= buf_puts(b, ",");
        e |= num(b, "loudness_max", s[i].loudness_max, 3);
        e |= buf_puts(b, ",");
        e |= num(b, "loudness_max_time", s[i].loudness_max_time, 5);
        e |= buf_puts(b, ",");
        e |= num(b, "loudness_end", s[i].loudness_end, 3);
        e |= vector(b, "pitches", s[i].pitches, 3);
        e |= vector(b, "timbre", s[i].timbre, 3);
        e |= buf_puts(b, "}");
    }
    return e | buf_puts(b, "]");
}

static int track(buf *b, const audio_result *r)
{
    int e = buf_printf(b, ",\"track\":{\"num_samples\":%lld,", (long long)llround(r->duration * AUDIO_RATE));
    e |= num(b, "duration", r->duration, 5);
    e |= buf_puts(b, ",\"sample_md5\":\"\",\"offset_seconds\":0,\"window_seconds\":0,");
    e |= buf_printf(b, "\"analysis_sample_rate\":%d,\"analysis_channels\":1,", AUDIO_RATE);
    e |= num(b, "end_of_fade_in", r->end_of_fade_in, 5);
    e |= buf_puts(b, ",");
    e |= num(b, "start_of_fade_out", r->start_of_fade_out, 5);
    e |= buf_puts(b, ",");
    e |= num(b, "loudness", r->loudness, 3);
    e |= buf_puts(b, ",");
    e |= num(b, "tempo", r->tempo, 3);
    e |= buf_puts(b, ",");
    e |= num(b, "tempo_confidence", r->tempo_confidence, 3);
    e |= buf_printf(b, ",\"time_signature\":%d,", r->time_signature);
    e |= num(b, "time_signature_confidence", r->time_signature_confidence, 3);
    e |= buf_printf(b, ",\"key\":%d,", r->key);
    e |= num(b, "key_confidence", r->key_confidence, 3);
    e |= buf_printf(b, ",\"mode\":%d,", mode_of(r->mode));
    e |= num(b, "mode_confidence", r->mode_confidence, 3);
    e |= buf_puts(b, ",\"codestring\":\"\",\"code_version\":0,\"echoprintstring\":\"\",\"echoprint_version\":0,"
                     "\"synchstring\":\"\",\"synch_version\":0,\"rhythmstring\":\"\",\"rhythm_version\":0}");
    return e;
}

char *audio_json_analysis(const audio_result *r)
{
    buf b;
    buf_init(&b, JSON_MAX);
    int e = buf_printf(&b,
                       "{\"meta\":{\"analyzer_version\":\"roadie-" ROADIE_AUDIO_VERSION "\",\"platform\":\"Linux\","
                       "\"detailed_status\":\"OK\",\"status_code\":0,\"timestamp\":%lld,",
                       (long long)time(NULL));
    e |= num(&b, "analysis_time", r->analysis_seconds, 5);
    e |= buf_printf(&b, ",\"input_process\":\"libsndfile %d ch %d Hz -> mono %d Hz\"}", r->channels, r->sample_rate,
                    AUDIO_RATE);
    e |= track(&b, r);
    e |= spans(&b, "bars", r->bars, r->n_bars);
    e |= spans(&b, "beats", r->beats, r->n_beats);
    e |= sections(&b, r->sections, r->n_sections);
    e |= segments(&b, r->segments, r->n_segments);
    e |= spans(&b, "tatums", r->tatums, r->n_tatums);
    e |= buf_puts(&b, "}");
    if (e) {
        buf_release(&b);
        return NULL;
    }
    return buf_take(&b);
}
