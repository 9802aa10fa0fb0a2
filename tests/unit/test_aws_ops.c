/* Unit tests: the one operations table (il/aws/ops.h) — order, IAM action names, the access-denied fallback that
 * names a row's action, and the policy built from it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "aws/aws_call.h"
#include "il/aws/error.h"
#include "il/aws/ops.h"

static void test_table(void **state) {
    (void)state;
    static const char *const prefixes[] = {"lambda", "tag", "sts", "inspector2",
                                           "organizations"}; /* enum il_aws_service order */
    for (int i = 0; i < IL_AWS_OP_COUNT; i++) {
        const struct il_aws_op_info *op = il_aws_op((enum il_aws_op)i);
        assert_non_null(op);
        assert_int_equal(op->op, i); /* il_aws_op() indexes the table */
        char want[128];
        size_t n = strlen(prefixes[op->service]);
        assert_true(n + 1 + strlen(op->operation) < sizeof(want));
        memcpy(want, prefixes[op->service], n);
        want[n] = ':';
        memcpy(want + n + 1, op->operation, strlen(op->operation) + 1);
        assert_string_equal(op->iam_action, want); /* AWS's naming: service prefix + operation */
        assert_ptr_equal(il_aws_op_find(il_aws_service_name(op->service), op->operation), op);
        assert_string_equal(il_aws_iam_action(il_aws_service_name(op->service), op->operation), op->iam_action);
        assert_true(op->tag_keys == 0 || op->resource == IL_IAM_RESOURCE_FUNCTION);
    }
    assert_null(il_aws_op(IL_AWS_OP_COUNT));
    assert_null(il_aws_op_find("lambda", "Invoke"));
    assert_null(il_aws_op_find(NULL, "ListTags"));
    assert_int_equal(il_aws_op(IL_AWS_OP_STS_GET_CALLER_IDENTITY)->uses, 0);
    assert_int_equal(il_aws_op(IL_AWS_OP_LAMBDA_TAG_RESOURCE)->uses, IL_IAM_USE_APPLY);
}

/* A denial whose message names no action: the action comes from the row the request was set up from. */
static void test_denied_names_row(void **state) {
    (void)state;
    struct il_aws_error e;
    il_aws_error_init(&e);
    e.service = "lambda";
    e.operation = il_aws_op(IL_AWS_OP_LAMBDA_UNTAG_RESOURCE)->operation;
    struct il_http_response r;
    il_http_response_init(&r, 1 << 16);
    r.status = 403;
    assert_int_equal(il_buf_puts(&r.headers, "x-amzn-ErrorType: AccessDeniedException\n"), IL_OK);
    assert_int_equal(il_buf_puts(&r.body, "{\"Message\":\"denied\"}"), IL_OK);
    assert_int_equal(il_aws_error_parse_json(&e, &r), IL_OK);
    assert_string_equal(e.missing_action, "lambda:UntagResource");
    il_http_response_release(&r);
    il_aws_error_release(&e);
}

static void test_policy(void **state) {
    (void)state;
    struct il_buf out, why;
    il_buf_init(&out, 0);
    il_buf_init(&why, 0);
    const char *keys[] = {"InspectorExclusion"};
    struct il_iam_policy_opts o = {.uses = IL_IAM_USE_APPLY, .tag_keys = keys, .tag_key_count = 1};
    assert_int_equal(il_iam_policy_json(&o, &out, &why), IL_OK);
    /* every row of the read and apply uses once, and nothing else */
    for (int i = 0; i < IL_AWS_OP_COUNT; i++) {
        const struct il_aws_op_info *op = il_aws_op((enum il_aws_op)i);
        char quoted[128];
        quoted[0] = '"';
        memcpy(quoted + 1, op->iam_action, strlen(op->iam_action));
        memcpy(quoted + 1 + strlen(op->iam_action), "\"", 2);
        const char *at = strstr(il_buf_cstr(&out), quoted);
        if (op->uses & (IL_IAM_USE_READ | IL_IAM_USE_APPLY)) {
            assert_non_null(at);
            assert_null(strstr(at + 1, quoted));
        } else {
            assert_null(at);
        }
    }
    assert_non_null(strstr(il_buf_cstr(&out), "\"aws:TagKeys\": [\"InspectorExclusion\"]"));
    il_buf_reset(&out);
    o = (struct il_iam_policy_opts){.uses = IL_IAM_USE_ASSUME_ROLE};
    assert_int_equal(il_iam_policy_json(&o, &out, &why), IL_ERR_INVALID);
    assert_non_null(strstr(il_buf_cstr(&why), "--role-name"));
    il_buf_reset(&why);
    o.role_arn_template = "arn:aws:iam::111111111111:role/x";
    assert_int_equal(il_iam_policy_json(&o, &out, &why), IL_ERR_INVALID);
    il_buf_reset(&why);
    o = (struct il_iam_policy_opts){.role_name = "a\"b", .uses = IL_IAM_USE_ASSUME_ROLE};
    assert_int_equal(il_iam_policy_json(&o, &out, &why), IL_ERR_INVALID);
    il_buf_reset(&why);
    o = (struct il_iam_policy_opts){.partition = "aws:x"};
    assert_int_equal(il_iam_policy_json(&o, &out, &why), IL_ERR_INVALID);
    il_buf_release(&out);
    il_buf_release(&why);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_denied_names_row),
        cmocka_unit_test(test_policy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
