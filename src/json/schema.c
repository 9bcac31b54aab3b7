/* Declarative body schemas: every problem becomes a {field, message} issue for a 422. */
#include "json/json.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const kind_names[] = {"string", "integer", "number", "boolean", "object", "array"};

const char *json_kind_name(json_kind k)
{
    return (unsigned)k < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[k] : "unknown";
}

void json_issues_add(json_issues *out, const char *field, const char *fmt, ...)
{
    if (out->n == JSON_ISSUES_MAX) {
        out->truncated = true;
        return;
    }
    json_issue *it = &out->items[out->n++];
    snprintf(it->field, sizeof(it->field), "%s", field);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->message, sizeof(it->message), fmt, ap);
    va_end(ap);
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
        return "integer";
    case JSON_REAL:
        return "number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "boolean";
    default:
        return "null";
    }
}

static bool kind_matches(const json_t *v, json_kind k)
{
    switch (k) {
    case JSON_KIND_STRING:
        return json_is_string(v);
    case JSON_KIND_INT:
        return json_is_integer(v);
    case JSON_KIND_NUMBER:
        return json_is_number(v);
    case JSON_KIND_BOOL:
        return json_is_boolean(v);
    case JSON_KIND_OBJECT:
        return json_is_object(v);
    case JSON_KIND_ARRAY:
        return json_is_array(v);
    }
    return false;
}

/* Characters, not bytes: jansson has already rejected invalid UTF-8. */
static size_t utf8_chars(const char *s, size_t n)
{
    size_t chars = 0;
    for (size_t i = 0; i < n; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    return chars;
}

static void check_size(size_t n, const json_field *f, const char *unit, const char *path, json_issues *out)
{
    if (n < f->min_len)
        json_issues_add(out, path, "must have at least %zu %s", f->min_len, unit);
    else if (f->max_len && n > f->max_len)
        json_issues_add(out, path, "must have at most %zu %s", f->max_len, unit);
}

static void check_string(const json_t *v, const json_field *f, const char *path, json_issues *out)
{
    check_size(utf8_chars(json_string_value(v), json_string_length(v)), f, "characters", path, out);
    if (!f->choices)
        return;
    for (const char *const *c = f->choices; *c; c++)
        if (strcmp(*c, json_string_value(v)) == 0)
            return;
    char list[96] = "";
    for (const char *const *c = f->choices; *c; c++) {
        size_t used = strlen(list);
        snprintf(list + used, sizeof(list) - used, "%s%s", c == f->choices ? "" : ", ", *c);
    }
    json_issues_add(out, path, "must be one of: %s", list);
}

static void check_range(double d, const json_field *f, const char *path, json_issues *out)
{
    if (f->ranged && (d < f->min || d > f->max))
        json_issues_add(out, path, "must be between %.15g and %.15g", f->min, f->max);
}

static void check_object(const json_t *obj, const json_field *schema, const char *path, json_issues *out);

static const char *article(json_kind k)
{
    return strchr("aeiou", json_kind_name(k)[0]) ? "an" : "a";
}

static void check_value(const json_t *v, const json_field *f, const char *path, json_issues *out)
{
    if (json_is_null(v)) {
        if (!f->nullable)
            json_issues_add(out, path, "must be %s %s, not null", article(f->kind), json_kind_name(f->kind));
        return;
    }
    if (!kind_matches(v, f->kind)) {
        json_issues_add(out, path, "must be %s %s, not %s", article(f->kind), json_kind_name(f->kind), type_name(v));
        return;
    }
    switch (f->kind) {
    case JSON_KIND_STRING:
        check_string(v, f, path, out);
        break;
    case JSON_KIND_INT:
        check_range((double)json_integer_value(v), f, path, out);
        break;
    case JSON_KIND_NUMBER:
        check_range(json_number_value(v), f, path, out);
        break;
    case JSON_KIND_BOOL:
        break;
    case JSON_KIND_OBJECT:
        check_size(json_object_size(v), f, "members", path, out);
        if (f->fields)
            check_object(v, f->fields, path, out);
        break;
    case JSON_KIND_ARRAY:
        check_size(json_array_size(v), f, "items", path, out);
        for (size_t i = 0; f->items && i < json_array_size(v) && !out->truncated; i++) {
            char sub[sizeof(out->items[0].field)];
            snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
            check_value(json_array_get(v, i), f->items, sub, out);
        }
        break;
    }
}

static void join(char *dst, size_t n, const char *path, const char *name)
{
    snprintf(dst, n, "%s%s%s", path, *path ? "." : "", name);
}

static const json_field *find_field(const json_field *schema, const char *name)
{
    for (const json_field *f = schema; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

static void check_object(const json_t *obj, const json_field *schema, const char *path, json_issues *out)
{
    char sub[sizeof(out->items[0].field)];
    for (const json_field *f = schema; f->name && !out->truncated; f++) {
        const json_t *v = json_object_get(obj, f->name);
        join(sub, sizeof(sub), path, f->name);
        if (!v) {
            if (f->required)
                json_issues_add(out, sub, "is required");
        } else
            check_value(v, f, sub, out);
    }
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        if (out->truncated)
            break;
        if (!find_field(schema, key)) {
            join(sub, sizeof(sub), path, key);
            json_issues_add(out, sub, "is not a known field");
        }
    }
}

bool json_schema_check(const json_t *body, const json_field *schema, json_issues *out)
{
    size_t before = out->n;
    if (!json_is_object(body))
        json_issues_add(out, "", "the body must be a JSON object, not %s", body ? type_name(body) : "empty");
    else
        check_object(body, schema, "", out);
    return out->n == before && !out->truncated;
}
