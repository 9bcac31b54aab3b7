/* api/lyrics: the lyric report for any signed-in user. */
#include "api/api_int.h"

#include <stdlib.h>
#include <string.h>

static void analyze(http_req *req)
{
    const json_t *b = http_req_body(req);
    const char *lang = json_str_or(b, "language", "en");
    if (strcmp(lang, "en") != 0) {
        api_invalid(req, "language", "only English (en) lyrics can be analysed so far");
        return;
    }
    const char *text = json_str_or(b, "text", "");
    char *report = lyrics_analyze_json(api.lyrics, text, strlen(text));
    if (!report) {
        http_reply_problem(req, HTTP_PROBLEM_INTERNAL, "out of memory");
        return;
    }
    http_reply_bytes(req, 200, "application/json", report, strlen(report));
    free(report);
}

static const json_field analyze_body[] = {
    JSON_FIELD("text", JSON_KIND_STRING, .required = true, .max_len = 256 * 1024),
    JSON_FIELD("language", JSON_KIND_STRING, .min_len = 2, .max_len = 16),
    JSON_FIELDS_END,
};

const http_route api_lyrics_routes[] = {
    {HTTP_POST, "/v1/lyrics/analyze", analyze, HTTP_PERM_USER, analyze_body, 256 * 1024, false, HTTP_SCOPE_NONE},
    {0},
};
