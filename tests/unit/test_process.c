/* Unit tests: the one process runner (il/process.h) — output, exit code, signal, the output bound at and one past
 * it, the deadline, the environment, quiet stderr, secret mode, an exec failure — and the crypto file's digests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "il/crypto.h"
#include "il/process.h"

static enum il_status s_sh(const char *script, const struct il_process_opts *opts, struct il_buf *out,
                           struct il_process_exit *end) {
    const char *const argv[] = {"sh", "-c", script, NULL};
    return il_process_run(argv, opts, out, end);
}

static void test_output_and_exit_code(void **state) {
    (void)state;
    struct il_buf out;
    il_buf_init(&out, 0);
    struct il_process_exit end;
    assert_int_equal(s_sh("printf 'a b\\n'; exit 3", NULL, &out, &end), IL_OK);
    assert_string_equal(il_buf_cstr(&out), "a b\n");
    assert_null(end.failed);
    assert_int_equal(end.code, 3);
    assert_int_equal(end.signal, 0);
    il_buf_release(&out);
}

static void test_signal(void **state) {
    (void)state;
    struct il_buf out;
    il_buf_init(&out, 0);
    struct il_process_exit end;
    assert_int_equal(s_sh("kill -TERM $$", NULL, &out, &end), IL_OK);
    assert_int_equal(end.code, -1);
    assert_int_equal(end.signal, 15);
    il_buf_release(&out);
}

static void test_bound(void **state) {
    (void)state;
    struct il_buf out;
    il_buf_init(&out, 0);
    struct il_process_exit end;
    const struct il_process_opts exact = {.max_output = 5};
    assert_int_equal(s_sh("printf 12345", &exact, &out, &end), IL_OK);
    assert_string_equal(il_buf_cstr(&out), "12345");
    il_buf_reset(&out);
    assert_int_equal(s_sh("printf 123456", &exact, &out, &end), IL_ERR_LIMIT);
    il_buf_release(&out);
    /* the buffer's own limit is the bound when max_output is 0; a child writing forever is killed */
    il_buf_init(&out, 1000);
    assert_int_equal(s_sh("yes", NULL, &out, &end), IL_ERR_LIMIT);
    assert_true(out.len <= 1000);
    assert_int_equal(end.signal, 9);
    il_buf_release(&out);
}

static void test_deadline(void **state) {
    (void)state;
    struct il_buf out;
    il_buf_init(&out, 0);
    struct il_process_exit end;
    const struct il_process_opts opts = {.timeout_ms = 200};
    assert_int_equal(s_sh("exec sleep 30", &opts, &out, &end), IL_ERR_NETWORK);
    assert_int_equal(end.signal, 9);
    /* a child that closes stdout but keeps running is killed at the deadline too */
    assert_int_equal(s_sh("exec >/dev/null 2>&1; exec sleep 30", &opts, &out, &end), IL_OK);
    assert_int_equal(end.signal, 9);
    il_buf_release(&out);
}

static void test_env_quiet_path_secret(void **state) {
    (void)state;
    struct il_buf out;
    il_buf_init(&out, 0);
    struct il_process_exit end;
    static const char *const env[] = {"IL_PROCESS_A", "one", "IL_PROCESS_B", "two", NULL};
    const struct il_process_opts opts = {.env = env, .quiet = 1, .path = "/bin/sh", .secret = 1, .max_output = 64};
    assert_int_equal(
        s_sh("echo oops >&2; read x; printf '%s-%s-%s' \"$IL_PROCESS_A\" \"$IL_PROCESS_B\" \"$x\"", &opts, &out, &end),
        IL_OK);
    assert_string_equal(il_buf_cstr(&out), "one-two-");
    assert_int_equal(end.code, 0);
    il_buf_release(&out);
}

static void test_exec_failure(void **state) {
    (void)state;
    struct il_buf out;
    il_buf_init(&out, 0);
    struct il_process_exit end;
    const char *const argv[] = {"il-no-such-program-here", NULL};
    assert_int_equal(il_process_run(argv, NULL, &out, &end), IL_OK);
    assert_int_equal(end.code, 127);
    il_buf_release(&out);
}

static void test_crypto_digests(void **state) {
    (void)state;
    uint8_t sha1[IL_SHA1_LEN];
    char hex[IL_SHA256_HEX_LEN + 1];
    assert_int_equal(il_crypto_sha1("abc", 3, sha1), IL_OK);
    il_crypto_hex(sha1, sizeof(sha1), hex);
    assert_string_equal(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
    assert_int_equal(il_crypto_sha256_hex("abc", 3, hex), IL_OK);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(il_crypto_sha256_hex(NULL, 0, hex), IL_OK);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_output_and_exit_code),
        cmocka_unit_test(test_signal),
        cmocka_unit_test(test_bound),
        cmocka_unit_test(test_deadline),
        cmocka_unit_test(test_env_quiet_path_secret),
        cmocka_unit_test(test_exec_failure),
        cmocka_unit_test(test_crypto_digests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
