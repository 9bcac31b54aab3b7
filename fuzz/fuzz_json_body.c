/* libFuzzer target: arbitrary bytes as a request body, through the capped parser, the
 * schema validator (nested objects, arrays, choices, ranges) and the typed getters. */
#include "json/json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const roles[] = {"owner", "editor", "viewer", NULL};
static const json_field tag = JSON_FIELD(NULL, JSON_KIND_STRING, .min_len = 1, .max_len = 16);
static const json_field point = JSON_FIELD(NULL, JSON_KIND_NUMBER, .ranged = true, .min = -1e6, .max = 1e6);
static const json_field address[] = {
    JSON_FIELD("city", JSON_KIND_STRING, .required = true, .max_len = 40),
    JSON_FIELD("zip", JSON_KIND_INT, .ranged = true, .min = 0, .max = 99999),
    JSON_FIELD("geo", JSON_KIND_ARRAY, .min_len = 2, .max_len = 2, .items = &point),
    JSON_FIELDS_END,
};
static const json_field person = JSON_FIELD(NULL, JSON_KIND_OBJECT, .fields = address);
static const json_field schema[] = {
    JSON_FIELD("name", JSON_KIND_STRING, .required = true, .min_len = 1, .max_len = 64),
    JSON_FIELD("count", JSON_KIND_INT, .ranged = true, .min = 0, .max = 100),
    JSON_FIELD("score", JSON_KIND_NUMBER),
    JSON_FIELD("admin", JSON_KIND_BOOL),
    JSON_FIELD("role", JSON_KIND_STRING, .choices = roles),
    JSON_FIELD("note", JSON_KIND_STRING, .nullable = true),
    JSON_FIELD("tags", JSON_KIND_ARRAY, .max_len = 8, .items = &tag),
    JSON_FIELD("address", JSON_KIND_OBJECT, .fields = address),
    JSON_FIELD("people", JSON_KIND_ARRAY, .items = &person),
    JSON_FIELD("meta", JSON_KIND_OBJECT, .max_len = 4),
    JSON_FIELDS_END,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_parse_error perr;
    json_t *body = json_body_parse((const char *)data, size, 64 * 1024, &perr);
    if (!body) {
        if (perr.code != JSON_ETOOBIG && perr.code != JSON_ESYNTAX && perr.code != JSON_ENOMEM)
            abort();
        return 0;
    }
    json_issues issues = {0};
    bool ok = json_schema_check(body, schema, &issues);
    if (ok != (issues.n == 0 && !issues.truncated) || issues.n > JSON_ISSUES_MAX)
        abort();
    for (size_t i = 0; i < issues.n; i++)
        if (!memchr(issues.items[i].field, '\0', sizeof(issues.items[i].field)) || !issues.items[i].message[0])
            abort();
    const char *s;
    int64_t n;
    int i32;
    double d;
    bool b;
    const json_t *sub;
    json_get_str(body, "name", &s);
    json_get_int(body, "count", &n);
    json_get_int32(body, "count", &i32);
    json_get_num(body, "score", &d);
    json_get_bool(body, "admin", &b);
    if (json_get_obj(body, "address", &sub) == JSON_OK)
        json_str_or(sub, "city", "");
    json_get_arr(body, "tags", &sub);
    json_decref(body);
    return 0;
}
