/* Unit tests for src/json: body parsing, typed getters, schema checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "json/json.h"

static const char *const roles[] = {"owner", "editor", "viewer", NULL};
static const json_field tag_item = JSON_FIELD(NULL, JSON_KIND_STRING, .min_len = 1, .max_len = 8);
static const json_field address[] = {
    JSON_FIELD("city", JSON_KIND_STRING, .required = true, .max_len = 10),
    JSON_FIELD("zip", JSON_KIND_INT, .ranged = true, .min = 1, .max = 99999),
    JSON_FIELDS_END,
};
static const json_field schema[] = {
    JSON_FIELD("name", JSON_KIND_STRING, .required = true, .min_len = 2, .max_len = 5),
    JSON_FIELD("age", JSON_KIND_INT, .ranged = true, .min = 0, .max = 150),
    JSON_FIELD("score", JSON_KIND_NUMBER, .ranged = true, .min = -1, .max = 1),
    JSON_FIELD("admin", JSON_KIND_BOOL),
    JSON_FIELD("role", JSON_KIND_STRING, .choices = roles),
    JSON_FIELD("note", JSON_KIND_STRING, .nullable = true),
    JSON_FIELD("tags", JSON_KIND_ARRAY, .max_len = 3, .items = &tag_item),
    JSON_FIELD("address", JSON_KIND_OBJECT, .fields = address),
    JSON_FIELD("meta", JSON_KIND_OBJECT, .max_len = 2),
    JSON_FIELDS_END,
};

static void test_schema_table(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        const char *field, *message; /* first issue; NULL field: valid */
        size_t n;                    /* number of issues */
    } cases[] = {
        {"{\"name\":\"ab\"}", NULL, NULL, 0},
        {"{\"name\":\"h\xC3\xA9llo\"}", NULL, NULL, 0}, /* 5 characters, 6 bytes */
        {"{\"name\":\"abcdef\"}", "name", "must have at most 5 characters", 1},
        {"{\"name\":\"a\"}", "name", "must have at least 2 characters", 1},
        {"{}", "name", "is required", 1},
        {"{\"name\":null}", "name", "must be a string, not null", 1},
        {"{\"name\":5}", "name", "must be a string, not integer", 1},
        {"{\"name\":\"ab\",\"age\":1.5}", "age", "must be an integer, not number", 1},
        {"{\"name\":\"ab\",\"age\":151}", "age", "must be between 0 and 150", 1},
        {"{\"name\":\"ab\",\"age\":150,\"score\":1}", NULL, NULL, 0},
        {"{\"name\":\"ab\",\"score\":1.01}", "score", "must be between -1 and 1", 1},
        {"{\"name\":\"ab\",\"admin\":\"yes\"}", "admin", "must be a boolean, not string", 1},
        {"{\"name\":\"ab\",\"role\":\"boss\"}", "role", "must be one of: owner, editor, viewer", 1},
        {"{\"name\":\"ab\",\"role\":\"viewer\",\"note\":null}", NULL, NULL, 0},
        {"{\"name\":\"ab\",\"extra\":1}", "extra", "is not a known field", 1},
        {"{\"name\":\"ab\",\"tags\":[\"a\",\"\",3]}", "tags[1]", "must have at least 1 characters", 2},
        {"{\"name\":\"ab\",\"tags\":[\"a\",\"b\",\"c\",\"d\"]}", "tags", "must have at most 3 items", 1},
        {"{\"name\":\"ab\",\"address\":{\"zip\":0,\"x\":1}}", "address.city", "is required", 3},
        {"{\"name\":\"ab\",\"address\":[]}", "address", "must be an object, not array", 1},
        {"{\"name\":\"ab\",\"meta\":{\"a\":1,\"b\":[],\"c\":{}}}", "meta", "must have at most 2 members", 1},
        {"[]", "", "the body must be a JSON object, not array", 1},
        {"{\"age\":-1,\"x\":1}", "name", "is required", 3},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_parse_error perr;
        json_t *body = json_body_parse(cases[i].body, strlen(cases[i].body), 1024, &perr);
        assert_non_null(body);
        json_issues issues = {0};
        bool ok = json_schema_check(body, schema, &issues);
        if (!cases[i].field) {
            assert_true(ok);
            assert_int_equal(issues.n, 0);
        } else {
            assert_false(ok);
            assert_int_equal(issues.n, cases[i].n);
            assert_string_equal(issues.items[0].field, cases[i].field);
            assert_string_equal(issues.items[0].message, cases[i].message);
        }
        json_decref(body);
    }
}

static void test_issues_truncate(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 4096);
    buf_puts(&b, "{");
    for (int i = 0; i < 40; i++)
        buf_printf(&b, "%s\"k%d\":%d", i ? "," : "", i, i);
    buf_puts(&b, "}");
    json_parse_error perr;
    json_t *body = json_body_parse(b.data, b.len, b.len, &perr);
    assert_non_null(body);
    json_issues issues = {0};
    assert_false(json_schema_check(body, schema, &issues));
    assert_int_equal(issues.n, JSON_ISSUES_MAX);
    assert_true(issues.truncated);
    json_decref(body);
    buf_release(&b);
}

static void test_parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        size_t max;
        json_rc code;
    } cases[] = {
        {"{\"a\":1}", 7, JSON_OK},
        {"{\"a\":1}", 6, JSON_ETOOBIG},
        {"", 10, JSON_ESYNTAX},
        {"{", 10, JSON_ESYNTAX},
        {"{\"a\":1}x", 10, JSON_ESYNTAX},
        {"{\"a\":1,\"a\":2}", 100, JSON_ESYNTAX}, /* duplicate key */
        {"\"str\"", 10, JSON_ESYNTAX},            /* not an object or array */
        {"{\"a\":\"\\u0000\"}", 100, JSON_ESYNTAX},
        {"{\"a\":\"\xFF\"}", 100, JSON_ESYNTAX},
        {"[1,2]", 10, JSON_OK},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_parse_error perr;
        json_t *v = json_body_parse(cases[i].body, strlen(cases[i].body), cases[i].max, &perr);
        if (cases[i].code == JSON_OK) {
            assert_non_null(v);
        } else {
            assert_null(v);
            assert_int_equal(perr.code, cases[i].code);
            assert_true(perr.text[0] != '\0');
        }
        json_decref(v);
    }
}

static void test_parse_deep(void **state)
{
    (void)state;
    size_t n = 100000;
    char *deep = malloc(n);
    assert_non_null(deep);
    memset(deep, '[', n);
    json_parse_error perr;
    assert_null(json_body_parse(deep, n, n, &perr)); /* jansson's depth limit, not a stack overflow */
    assert_int_equal(perr.code, JSON_ESYNTAX);
    free(deep);
}

static void test_getters(void **state)
{
    (void)state;
    const char *text = "{\"s\":\"x\",\"i\":42,\"big\":4294967296,\"r\":2.5,\"b\":true,\"n\":null,\"o\":{},\"a\":[]}";
    json_parse_error perr;
    json_t *o = json_body_parse(text, strlen(text), 1024, &perr);
    assert_non_null(o);
    const char *s = NULL;
    int64_t i = 0;
    int i32 = 0;
    double d = 0;
    bool b = false;
    const json_t *sub = NULL;
    assert_int_equal(json_get_str(o, "s", &s), JSON_OK);
    assert_string_equal(s, "x");
    assert_int_equal(json_get_str(o, "i", &s), JSON_ETYPE);
    assert_int_equal(json_get_str(o, "missing", &s), JSON_EMISSING);
    assert_int_equal(json_get_str(o, "n", &s), JSON_EMISSING);
    assert_int_equal(json_get_int(o, "i", &i), JSON_OK);
    assert_int_equal(i, 42);
    assert_int_equal(json_get_int(o, "r", &i), JSON_ETYPE);
    assert_int_equal(json_get_int32(o, "big", &i32), JSON_ERANGE);
    assert_int_equal(json_get_int32(o, "i", &i32), JSON_OK);
    assert_int_equal(i32, 42);
    assert_int_equal(json_get_num(o, "i", &d), JSON_OK);
    assert_true(d == 42.0);
    assert_int_equal(json_get_num(o, "r", &d), JSON_OK);
    assert_true(d == 2.5);
    assert_int_equal(json_get_bool(o, "b", &b), JSON_OK);
    assert_true(b);
    assert_int_equal(json_get_bool(o, "i", &b), JSON_ETYPE);
    assert_int_equal(json_get_obj(o, "o", &sub), JSON_OK);
    assert_int_equal(json_get_obj(o, "a", &sub), JSON_ETYPE);
    assert_int_equal(json_get_arr(o, "a", &sub), JSON_OK);
    assert_int_equal(json_get_str(sub, "x", &s), JSON_ETYPE); /* an array is no object */
    assert_string_equal(json_str_or(o, "i", "def"), "def");
    assert_int_equal(json_int_or(o, "missing", 7), 7);
    assert_true(json_num_or(o, "r", 0) == 2.5);
    assert_false(json_bool_or(o, "s", false));
    json_decref(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_table), cmocka_unit_test(test_issues_truncate),
        cmocka_unit_test(test_parse_errors), cmocka_unit_test(test_parse_deep),
        cmocka_unit_test(test_getters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
