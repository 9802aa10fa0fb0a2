/* Unit tests: AWS error shapes (JSON headers/bodies, STS XML), bounded XML scanning, IAM action naming, redaction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "aws/aws_xml.h"
#include "il/aws/error.h"
#include "il/aws/http.h"

static void s_resp(struct il_http_response *r, int status, const char *headers, const char *body) {
    il_http_response_init(r, 1 << 20);
    r->status = status;
    if (headers) {
        assert_int_equal(il_buf_puts(&r->headers, headers), IL_OK);
    }
    if (body) {
        assert_int_equal(il_buf_puts(&r->body, body), IL_OK);
    }
}

static void s_parse_json(struct il_aws_error *e, int status, const char *headers, const char *body) {
    struct il_http_response r;
    s_resp(&r, status, headers, body);
    il_aws_error_release(e);
    e->service = "lambda";
    e->operation = "ListTags";
    assert_int_equal(il_aws_error_parse_json(e, &r), IL_OK);
    il_http_response_release(&r);
}

static void test_json_shapes(void **state) {
    (void)state;
    struct il_aws_error e;
    il_aws_error_init(&e);
    /* header wins; anything after ':' dropped */
    s_parse_json(&e, 404,
                 "X-Amzn-ErrorType: ResourceNotFoundException:http://internal.amazon.com/\n"
                 "x-amzn-RequestId: abc-1\n",
                 "{\"Type\":\"User\",\"message\":\"Function not found\"}");
    assert_int_equal(e.status, IL_ERR_AWS);
    assert_int_equal(e.http_status, 404);
    assert_string_equal(e.code, "ResourceNotFoundException");
    assert_string_equal(e.message, "Function not found");
    assert_string_equal(e.request_id, "abc-1");
    assert_null(e.missing_action);
    /* __type with a namespace */
    s_parse_json(&e, 400, NULL, "{\"__type\":\"com.amazonaws.tagging#InvalidParameterException\",\"Message\":\"m\"}");
    assert_string_equal(e.code, "InvalidParameterException");
    assert_string_equal(e.message, "m");
    /* code / Code */
    s_parse_json(&e, 400, NULL, "{\"code\":\"ValidationException\",\"message\":\"v\"}");
    assert_string_equal(e.code, "ValidationException");
    s_parse_json(&e, 400, NULL, "{\"Code\":\"Other\"}");
    assert_string_equal(e.code, "Other");
    assert_null(e.message);
    /* not JSON: the status decides, nothing crashes */
    s_parse_json(&e, 502, "x-amz-request-id: q\n", "<html>Bad Gateway</html>");
    assert_null(e.code);
    assert_int_equal(e.http_status, 502);
    assert_string_equal(e.request_id, "q");
    s_parse_json(&e, 500, NULL, "{\"message\": \"trunc");
    assert_null(e.code);
    s_parse_json(&e, 500, NULL, "");
    assert_null(e.message);
    /* control characters in AWS text are neutralised */
    s_parse_json(&e, 400, NULL, "{\"code\":\"X\",\"message\":\"a\\nb\\u001b[31m\"}");
    assert_string_equal(e.message, "a b [31m");
    il_aws_error_release(&e);
}

static void test_access_denied_action(void **state) {
    (void)state;
    struct il_aws_error e;
    il_aws_error_init(&e);
    s_parse_json(&e, 403, "x-amzn-ErrorType: AccessDeniedException\n",
                 "{\"Message\":\"User: arn:aws:sts::1:assumed-role/ci/x is not authorized to perform: "
                 "lambda:ListTags on resource: arn:aws:lambda:us-east-1:1:function:f because no identity-based "
                 "policy allows the lambda:ListTags action\"}");
    assert_string_equal(e.missing_action, "lambda:ListTags");
    /* no action in the message: from the operation */
    s_parse_json(&e, 403, "x-amzn-ErrorType: AccessDeniedException\n", "{\"Message\":\"denied\"}");
    assert_string_equal(e.missing_action, "lambda:ListTags");
    struct il_buf d;
    il_buf_init(&d, 0);
    e.region = il_strdup("eu-west-1");
    assert_int_equal(il_aws_error_describe(&e, &d), IL_OK);
    assert_string_equal(il_buf_cstr(&d), "lambda ListTags in eu-west-1: AccessDeniedException (HTTP 403): denied; "
                                         "the credentials lack the IAM permission lambda:ListTags");
    il_buf_release(&d);
    assert_string_equal(il_aws_iam_action("tagging", "GetResources"), "tag:GetResources");
    assert_string_equal(il_aws_iam_action("inspector2", "ListCoverage"), "inspector2:ListCoverage");
    assert_null(il_aws_iam_action("lambda", "Invoke"));
    assert_true(il_aws_is_bad_credentials("UnrecognizedClientException"));
    assert_true(il_aws_is_bad_credentials("SignatureDoesNotMatch"));
    assert_false(il_aws_is_bad_credentials("AccessDenied"));
    /* an AssumeRole refusal may be the caller's policy or the role's trust policy: the hint names both */
    free(e.missing_action);
    e.missing_action = il_strdup("sts:AssumeRole");
    assert_non_null(e.missing_action);
    il_buf_init(&d, 0);
    assert_int_equal(il_aws_error_describe(&e, &d), IL_OK);
    assert_non_null(strstr(il_buf_cstr(&d), "either the credentials lack the IAM permission sts:AssumeRole on the "
                                            "role, or the role's trust policy does not trust them"));
    il_buf_release(&d);
    il_aws_error_release(&e);
}

static void test_xml_errors(void **state) {
    (void)state;
    struct il_aws_error e;
    il_aws_error_init(&e);
    e.service = "sts";
    e.operation = "GetCallerIdentity";
    struct il_http_response r;
    s_resp(&r, 403, NULL,
           "<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
           "  <Error>\n    <Type>Sender</Type>\n    <Code>InvalidClientTokenId</Code>\n"
           "    <Message>The security token included in the request is invalid &amp; &lt;bad&gt;.</Message>\n"
           "  </Error>\n  <RequestId>4a1-x</RequestId>\n</ErrorResponse>\n");
    assert_int_equal(il_aws_error_parse_xml(&e, &r), IL_OK);
    assert_string_equal(e.code, "InvalidClientTokenId");
    assert_string_equal(e.message, "The security token included in the request is invalid & <bad>.");
    assert_string_equal(e.request_id, "4a1-x");
    il_http_response_release(&r);
    /* truncated: no code, no crash */
    s_resp(&r, 500, NULL, "<ErrorResponse><Error><Code>Internal");
    assert_int_equal(il_aws_error_parse_xml(&e, &r), IL_OK);
    assert_null(e.code);
    assert_int_equal(e.http_status, 500);
    il_http_response_release(&r);
    /* a DTD is refused outright */
    s_resp(&r, 400, NULL, "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><Error><Code>&a;</Code></Error>");
    assert_int_equal(il_aws_error_parse_xml(&e, &r), IL_OK);
    assert_null(e.code);
    il_http_response_release(&r);
    il_aws_error_release(&e);
}

static void test_xml_scanner(void **state) {
    (void)state;
    const char *doc = "<A><B attr=\"1\">x&#65;&#x42;y</B><C/><D>a<b</D><E>&bogus;</E><F>&#0;</F></A>";
    struct il_buf b;
    il_buf_init(&b, 16);
    assert_int_equal(il_xml_text(doc, strlen(doc), "B", &b), IL_OK);
    assert_string_equal(il_buf_cstr(&b), "xABy");
    il_buf_reset(&b);
    assert_int_equal(il_xml_text(doc, strlen(doc), "C", &b), IL_OK);
    assert_string_equal(il_buf_cstr(&b), "");
    assert_int_equal(il_xml_text(doc, strlen(doc), "D", &b), IL_ERR_PARSE);
    assert_int_equal(il_xml_text(doc, strlen(doc), "E", &b), IL_ERR_PARSE);
    assert_int_equal(il_xml_text(doc, strlen(doc), "F", &b), IL_ERR_PARSE);
    assert_int_equal(il_xml_text(doc, strlen(doc), "Z", &b), IL_ERR_NOTFOUND);
    /* <Bee> is not <B> */
    const char *d2 = "<Bee>no</Bee><B>yes</B>";
    il_buf_reset(&b);
    assert_int_equal(il_xml_text(d2, strlen(d2), "B", &b), IL_OK);
    assert_string_equal(il_buf_cstr(&b), "yes");
    /* bounded output */
    const char *d3 = "<B>0123456789abcdefXYZ</B>";
    il_buf_reset(&b);
    assert_int_equal(il_xml_text(d3, strlen(d3), "B", &b), IL_ERR_LIMIT);
    /* length-bounded input: the element past len is not seen */
    assert_int_equal(il_xml_text(d2, 13, "B", &b), IL_ERR_NOTFOUND);
    il_buf_release(&b);
}

static void test_redaction(void **state) {
    (void)state;
    assert_true(il_http_header_is_secret("Authorization"));
    assert_true(il_http_header_is_secret("X-Amz-Security-Token"));
    assert_true(il_http_header_is_secret("x-aws-ec2-metadata-token"));
    assert_true(il_http_header_is_secret("Cookie"));
    assert_true(il_http_header_is_secret("Set-Cookie"));
    assert_false(il_http_header_is_secret("Host"));
    assert_false(il_http_header_is_secret("X-Amz-Date"));
    assert_false(il_http_header_is_secret("Content-Type"));
    struct il_buf b;
    il_buf_init(&b, 0);
    assert_int_equal(il_http_redact_url("https://h/p?X-Amz-Signature=abc&a=1&X-Amz-Security-Token=tok&"
                                        "X-Amz-Credential=AKID%2F&Marker=m",
                                        &b),
                     IL_OK);
    assert_string_equal(il_buf_cstr(&b), "https://h/p?X-Amz-Signature=REDACTED&a=1&X-Amz-Security-Token=REDACTED&"
                                         "X-Amz-Credential=REDACTED&Marker=m");
    il_buf_reset(&b);
    assert_int_equal(il_http_redact_url("https://h/p", &b), IL_OK);
    assert_string_equal(il_buf_cstr(&b), "https://h/p");
    il_buf_release(&b);
    struct il_http_response r;
    s_resp(&r, 200, "Content-Type: a\nX-Amzn-RequestId:   rid  \n", NULL);
    char v[64];
    assert_true(il_http_response_header(&r, "x-amzn-requestid", v, sizeof(v)));
    assert_string_equal(v, "rid");
    assert_false(il_http_response_header(&r, "Content", v, sizeof(v)));
    il_http_response_release(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_shapes), cmocka_unit_test(test_access_denied_action),
        cmocka_unit_test(test_xml_errors),  cmocka_unit_test(test_xml_scanner),
        cmocka_unit_test(test_redaction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
