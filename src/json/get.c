/* Typed getters over jansson objects: errors as codes, never a crash on a wrong type. */
#include "json/json.h"

#include <limits.h>

/* The member, or NULL with *rc set when obj is no object or the member is absent/null. */
static const json_t *member(const json_t *obj, const char *key, json_rc *rc)
{
    if (!json_is_object(obj)) {
        *rc = JSON_ETYPE;
        return NULL;
    }
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        *rc = JSON_EMISSING;
        return NULL;
    }
    *rc = JSON_OK;
    return v;
}

json_rc json_get_str(const json_t *obj, const char *key, const char **out)
{
    json_rc rc;
    const json_t *v = member(obj, key, &rc);
    if (!v)
        return rc;
    if (!json_is_string(v))
        return JSON_ETYPE;
    *out = json_string_value(v);
    return JSON_OK;
}

json_rc json_get_int(const json_t *obj, const char *key, int64_t *out)
{
    json_rc rc;
    const json_t *v = member(obj, key, &rc);
    if (!v)
        return rc;
    if (!json_is_integer(v))
        return JSON_ETYPE;
    *out = (int64_t)json_integer_value(v);
    return JSON_OK;
}

json_rc json_get_int32(const json_t *obj, const char *key, int *out)
{
    int64_t n;
    json_rc rc = json_get_int(obj, key, &n);
    if (rc != JSON_OK)
        return rc;
    if (n < INT_MIN || n > INT_MAX)
        return JSON_ERANGE;
    *out = (int)n;
    return JSON_OK;
}

json_rc json_get_num(const json_t *obj, const char *key, double *out)
{
    json_rc rc;
    const json_t *v = member(obj, key, &rc);
    if (!v)
        return rc;
    if (!json_is_number(v))
        return JSON_ETYPE;
    *out = json_number_value(v);
    return JSON_OK;
}

json_rc json_get_bool(const json_t *obj, const char *key, bool *out)
{
    json_rc rc;
    const json_t *v = member(obj, key, &rc);
    if (!v)
        return rc;
    if (!json_is_boolean(v))
        return JSON_ETYPE;
    *out = json_is_true(v);
    return JSON_OK;
}

static json_rc get_typed(const json_t *obj, const char *key, json_type t, const json_t **out)
{
    json_rc rc;
    const json_t *v = member(obj, key, &rc);
    if (!v)
        return rc;
    if (json_typeof(v) != t)
        return JSON_ETYPE;
    *out = v;
    return JSON_OK;
}

json_rc json_get_obj(const json_t *obj, const char *key, const json_t **out)
{
    return get_typed(obj, key, JSON_OBJECT, out);
}

json_rc json_get_arr(const json_t *obj, const char *key, const json_t **out)
{
    return get_typed(obj, key, JSON_ARRAY, out);
}

const char *json_str_or(const json_t *obj, const char *key, const char *def)
{
    const char *s;
    return json_get_str(obj, key, &s) == JSON_OK ? s : def;
}

int64_t json_int_or(const json_t *obj, const char *key, int64_t def)
{
    int64_t n;
    return json_get_int(obj, key, &n) == JSON_OK ? n : def;
}

double json_num_or(const json_t *obj, const char *key, double def)
{
    double d;
    return json_get_num(obj, key, &d) == JSON_OK ? d : def;
}

bool json_bool_or(const json_t *obj, const char *key, bool def)
{
    bool b;
    return json_get_bool(obj, key, &b) == JSON_OK ? b : def;
}
