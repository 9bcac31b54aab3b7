/* Request body parsing: jansson with a size cap and the strictest flags. */
#include "json/json.h"

#include <stdio.h>
#include <string.h>

json_t *json_body_parse(const char *data, size_t len, size_t max, json_parse_error *err)
{
    memset(err, 0, sizeof(*err));
    if (len > max) {
        err->code = JSON_ETOOBIG;
        snprintf(err->text, sizeof(err->text), "body is %zu bytes, more than the %zu allowed", len, max);
        return NULL;
    }
    if (len == 0) {
        err->code = JSON_ESYNTAX;
        snprintf(err->text, sizeof(err->text), "empty body, expected a JSON object");
        return NULL;
    }
    json_error_t je;
    json_t *v = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    if (v)
        return v;
    err->code = json_error_code(&je) == json_error_out_of_memory ? JSON_ENOMEM : JSON_ESYNTAX;
    err->position = je.position > 0 ? (size_t)je.position : 0;
    snprintf(err->text, sizeof(err->text), "%.120s at byte %zu", je.text, err->position);
    return NULL;
}
