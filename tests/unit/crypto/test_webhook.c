/* Unit tests for src/crypto/webhook.c: the Standard Webhooks vector, tolerance, tampering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "crypto/crypto.h"

/* The example of the Standard Webhooks reference libraries (their sign() test). */
#define SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define ID "msg_p5jXN8AQM9LWM0D4loKWxJek"
#define TS 1614265330
#define BODY "{\"test\": 2432232314}"
#define SIG "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

static void test_known_answer(void **state)
{
    (void)state;
    char sig[CRYPTO_WEBHOOK_SIG_MAX];
    assert_int_equal(crypto_webhook_sign(SECRET, ID, TS, BODY, strlen(BODY), sig), CRYPTO_OK);
    assert_string_equal(sig, SIG);
    /* the reference libraries also take the secret without its prefix */
    assert_int_equal(crypto_webhook_sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", ID, TS, BODY, strlen(BODY), sig),
                     CRYPTO_OK);
    assert_string_equal(sig, SIG);
    assert_int_equal(crypto_webhook_verify(SECRET, ID, "1614265330", SIG, BODY, strlen(BODY), TS, 300), CRYPTO_OK);
}

static void test_verify_cases(void **state)
{
    (void)state;
    static const struct {
        const char *name, *secret, *id, *ts, *header, *body;
        int64_t now;
        int want;
    } cases[] = {
        {"good", SECRET, ID, "1614265330", SIG, BODY, TS, CRYPTO_OK},
        {"edge of tolerance, old", SECRET, ID, "1614265330", SIG, BODY, TS + 300, CRYPTO_OK},
        {"edge of tolerance, new", SECRET, ID, "1614265330", SIG, BODY, TS - 300, CRYPTO_OK},
        {"too old", SECRET, ID, "1614265330", SIG, BODY, TS + 301, CRYPTO_EEXPIRED},
        {"from the future", SECRET, ID, "1614265330", SIG, BODY, TS - 301, CRYPTO_ENBF},
        {"several signatures, one good", SECRET, ID, "1614265330", "v1,bm9wZQ== v1a,xyz " SIG, BODY, TS, CRYPTO_OK},
        {"body changed", SECRET, ID, "1614265330", SIG, "{\"test\": 2432232315}", TS, CRYPTO_ESIG},
        {"id changed", SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJeK", "1614265330", SIG, BODY, TS, CRYPTO_ESIG},
        {"timestamp changed", SECRET, ID, "1614265331", SIG, BODY, TS, CRYPTO_ESIG},
        {"other secret", "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", ID, "1614265330", SIG, BODY, TS, CRYPTO_ESIG},
        {"v2 only", SECRET, ID, "1614265330", "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", BODY, TS, CRYPTO_ESIG},
        {"empty header", SECRET, ID, "1614265330", "", BODY, TS, CRYPTO_ESIG},
        {"short signature", SECRET, ID, "1614265330", "v1,g0hM9SsE+OTPJTGt", BODY, TS, CRYPTO_EFORMAT},
        {"bad base64", SECRET, ID, "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE*", BODY, TS,
         CRYPTO_EFORMAT},
        {"url alphabet", SECRET, ID, "1614265330", "v1,g0hM9SsE-OTPJTGt_tmIKtSyZlE3uFJELVlNIOLJ1OE=", BODY, TS,
         CRYPTO_EFORMAT},
        {"timestamp signed", SECRET, ID, "+1614265330", SIG, BODY, TS, CRYPTO_EFORMAT},
        {"timestamp in ms", SECRET, ID, "1614265330000", SIG, BODY, TS, CRYPTO_EFORMAT},
        {"timestamp empty", SECRET, ID, "", SIG, BODY, TS, CRYPTO_EFORMAT},
        {"timestamp junk", SECRET, ID, "16142653x0", SIG, BODY, TS, CRYPTO_EFORMAT},
        {"id empty", SECRET, "", "1614265330", SIG, BODY, TS, CRYPTO_EFORMAT},
        {"id with space", SECRET, "msg 1", "1614265330", SIG, BODY, TS, CRYPTO_EFORMAT},
        {"secret short", "whsec_AAAAAAAAAAAA", ID, "1614265330", SIG, BODY, TS, CRYPTO_EFORMAT},
        {"secret not base64", "whsec_!!!!", ID, "1614265330", SIG, BODY, TS, CRYPTO_EFORMAT},
        {"header missing", SECRET, ID, "1614265330", NULL, BODY, TS, CRYPTO_EFORMAT},
        {"timestamp missing", SECRET, ID, NULL, SIG, BODY, TS, CRYPTO_EFORMAT},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = crypto_webhook_verify(cases[i].secret, cases[i].id, cases[i].ts, cases[i].header, cases[i].body,
                                       strlen(cases[i].body), cases[i].now, 300);
        if (rc != cases[i].want)
            fail_msg("%s: got %d (%s), want %d", cases[i].name, rc, crypto_strerror(rc), cases[i].want);
    }
}

static void test_new_secret_and_limits(void **state)
{
    (void)state;
    char a[CRYPTO_WEBHOOK_SECRET_MAX], b[CRYPTO_WEBHOOK_SECRET_MAX], sig[CRYPTO_WEBHOOK_SIG_MAX], ts[32];
    crypto_webhook_secret_new(a);
    crypto_webhook_secret_new(b);
    assert_memory_equal(a, "whsec_", 6);
    assert_int_equal(strlen(a), 6 + 44);
    assert_string_not_equal(a, b);
    assert_true(crypto_webhook_secret_valid(a));
    assert_false(crypto_webhook_secret_valid("whsec_"));
    /* a round trip with a fresh secret, and a binary body with NUL bytes */
    static const unsigned char body[] = {0, 1, 2, 0, 255};
    assert_int_equal(crypto_webhook_sign(a, "evt_1", 1800000000, body, sizeof(body), sig), CRYPTO_OK);
    snprintf(ts, sizeof(ts), "%d", 1800000000);
    assert_int_equal(crypto_webhook_verify(a, "evt_1", ts, sig, body, sizeof(body), 1800000000, 300), CRYPTO_OK);
    assert_int_equal(crypto_webhook_verify(b, "evt_1", ts, sig, body, sizeof(body), 1800000000, 300), CRYPTO_ESIG);
    assert_int_equal(crypto_webhook_verify(a, "evt_1", ts, sig, body, sizeof(body) - 1, 1800000000, 300), CRYPTO_ESIG);
    assert_int_equal(crypto_webhook_sign(a, "evt_1", -1, body, sizeof(body), sig), CRYPTO_EFORMAT);
    /* a header past the cap is refused unread, even with a good signature in it */
    static char big[CRYPTO_WEBHOOK_HEADER_MAX + 64];
    memset(big, ' ', sizeof(big) - 1);
    memcpy(big + sizeof(big) - 1 - strlen(SIG), SIG, strlen(SIG));
    assert_int_equal(crypto_webhook_verify(SECRET, ID, "1614265330", big, BODY, strlen(BODY), TS, 300), CRYPTO_EFORMAT);
    char id[CRYPTO_WEBHOOK_ID_MAX + 2];
    memset(id, 'x', sizeof(id) - 1);
    id[sizeof(id) - 1] = '\0';
    assert_int_equal(crypto_webhook_sign(SECRET, id, TS, BODY, strlen(BODY), sig), CRYPTO_EFORMAT);
    id[CRYPTO_WEBHOOK_ID_MAX] = '\0';
    assert_int_equal(crypto_webhook_sign(SECRET, id, TS, BODY, strlen(BODY), sig), CRYPTO_OK);
}

int main(void)
{
    if (crypto_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answer),
        cmocka_unit_test(test_verify_cases),
        cmocka_unit_test(test_new_secret_and_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
