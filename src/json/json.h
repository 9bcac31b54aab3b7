/*
 * json: thin helpers over jansson for request bodies. A body is parsed with a size cap
 * (json_body_parse), checked against a small declarative schema (json_schema_check: types,
 * required fields, lengths, ranges, unknown fields rejected) that collects every problem as
 * a {field, message} pair for a 422, and then read with typed getters that report errors
 * instead of crashing on a wrong type. Values are jansson's json_t; ownership follows
 * jansson (json_decref what a _parse or _new returned). Everything here is thread-safe and
 * allocation-free except parsing.
 */
#ifndef ROADIE_JSON_H
#define ROADIE_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Results of the functions below. */
typedef enum json_rc {
    JSON_OK = 0,
    JSON_EMISSING = -1, /* the key is absent (or null) */
    JSON_ETYPE = -2,    /* present with another type */
    JSON_ERANGE = -3,   /* a number that does not fit the requested C type */
    JSON_ETOOBIG = -4,  /* body longer than the cap */
    JSON_ESYNTAX = -5,  /* not well-formed JSON, or not an object/array at the top */
    JSON_ENOMEM = -6,
} json_rc;

/* ---- parsing ---------------------------------------------------------------------- */

typedef struct json_parse_error {
    json_rc code;    /* JSON_ETOOBIG, JSON_ESYNTAX or JSON_ENOMEM */
    size_t position; /* byte offset of the problem (syntax errors) */
    char text[160];  /* for humans: "unexpected token near '}'" */
} json_parse_error;

/* Parses len bytes of data (need not be NUL-terminated) as one JSON object or array.
 * Rejects bodies over max bytes without looking at them, invalid UTF-8, \u0000, duplicate
 * keys and trailing garbage. Returns a new reference, or NULL with *err filled in. */
json_t *json_body_parse(const char *data, size_t len, size_t max, json_parse_error *err);

/* ---- typed getters ---------------------------------------------------------------- */

/* Each reads member key of obj into *out and returns JSON_OK, or JSON_EMISSING (absent or
 * null; *out untouched), JSON_ETYPE (obj is not an object or the member has another type)
 * or JSON_ERANGE. Strings are borrowed from obj. Integers accept only JSON integers;
 * json_get_num accepts integers and reals. */
json_rc json_get_str(const json_t *obj, const char *key, const char **out);
json_rc json_get_int(const json_t *obj, const char *key, int64_t *out);
json_rc json_get_int32(const json_t *obj, const char *key, int *out);
json_rc json_get_num(const json_t *obj, const char *key, double *out);
json_rc json_get_bool(const json_t *obj, const char *key, bool *out);
/* Borrowed member that is an object (json_get_obj) or an array (json_get_arr). */
json_rc json_get_obj(const json_t *obj, const char *key, const json_t **out);
json_rc json_get_arr(const json_t *obj, const char *key, const json_t **out);

/* The same, giving def when the member is missing or of the wrong type: for bodies already
 * checked by json_schema_check, where only optional members can be absent. */
const char *json_str_or(const json_t *obj, const char *key, const char *def);
int64_t json_int_or(const json_t *obj, const char *key, int64_t def);
double json_num_or(const json_t *obj, const char *key, double def);
bool json_bool_or(const json_t *obj, const char *key, bool def);

/* ---- schemas ---------------------------------------------------------------------- */

typedef enum json_kind {
    JSON_KIND_STRING,
    JSON_KIND_INT,    /* a JSON integer */
    JSON_KIND_NUMBER, /* integer or real */
    JSON_KIND_BOOL,
    JSON_KIND_OBJECT,
    JSON_KIND_ARRAY,
} json_kind;

/* One member of a body. A schema is an array of these ended by an entry whose name is
 * NULL; it describes an object whose members are exactly the listed ones. */
typedef struct json_field {
    const char *name;
    json_kind kind;
    bool required;
    bool nullable;                   /* null is accepted (and counts as present) */
    size_t min_len, max_len;         /* characters of a string, items of an array, members of an
                                        object; max_len 0: no upper bound */
    bool ranged;                     /* INT and NUMBER: check min <= value <= max */
    double min, max;                 /* inclusive range when ranged */
    const char *const *choices;      /* STRING: allowed values, NULL-terminated; NULL: any */
    const struct json_field *fields; /* OBJECT: its schema; NULL: any members */
    const struct json_field *items;  /* ARRAY: one entry (name ignored) every item must match;
                                        NULL: any items */
} json_field;

/* Table rows: JSON_FIELD("name", JSON_KIND_STRING, .required = true, .max_len = 64) and a
 * closing JSON_FIELDS_END (designated initializers keep -Wextra quiet). */
#define JSON_FIELD(n, k, ...)                                                                                          \
    {                                                                                                                  \
        .name = (n), .kind = (k), __VA_ARGS__                                                                          \
    }
#define JSON_FIELDS_END                                                                                                \
    {                                                                                                                  \
        .name = NULL                                                                                                   \
    }

/* One problem found by json_schema_check. field is a path: "name", "address.city",
 * "tags[2]"; "" for the body itself. */
typedef struct json_issue {
    char field[96];
    char message[128];
} json_issue;

#define JSON_ISSUES_MAX 16
typedef struct json_issues {
    json_issue items[JSON_ISSUES_MAX];
    size_t n;       /* items used */
    bool truncated; /* more problems were found than fit */
} json_issues;

/* Checks body against schema and appends every problem to *out (which the caller zeroes
 * first). Returns true when body conforms. Never allocates; nesting is bounded by the
 * schema, not by the body. */
bool json_schema_check(const json_t *body, const json_field *schema, json_issues *out);
/* Appends one issue (field and message truncated to fit); used by handlers for checks a
 * schema cannot express, so they reach the client in the same 422 list. */
void json_issues_add(json_issues *out, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The name of a kind as the schema errors and the OpenAPI document spell it. */
const char *json_kind_name(json_kind k);

#endif
