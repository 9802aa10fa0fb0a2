/* Unit tests: escaping for every output medium, exact outputs for hostile inputs, and properties that must hold for
 * every hostile string (no raw control byte, valid UTF-8, no line break where the medium forbids one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka needs the headers above first */

#include <cmocka.h>

#include <string.h>

#include "../tools/fixture_diags.h"
#include "il/escape.h"

/* Escape @p s for @p medium into a static-lifetime buffer owned by the test (released by the caller). */
static const char *s_esc(struct il_buf *b, enum il_medium medium, const char *s) {
    il_buf_reset(b);
    assert_int_equal(il_escape(medium, b, s), IL_OK);
    return il_buf_cstr(b);
}

static int s_valid_utf8(const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = il_utf8_next(p + i, len - i, &cp);
        if (cp == 0xFFFFFFFFu) {
            return 0;
        }
        i += n;
    }
    return 1;
}

static int s_has_control(const char *s, int allow_newlines) {
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = il_utf8_next(p + i, len - i, &cp);
        int nl = cp == '\n' || cp == '\r' || cp == '\t';
        if ((cp < 0x20 && !(allow_newlines && nl)) || (cp >= 0x7F && cp <= 0x9F)) {
            return 1;
        }
        i += n;
    }
    return 0;
}

static void test_utf8_decoder(void **state) {
    (void)state;
    uint32_t cp;
    assert_int_equal(il_utf8_next((const unsigned char *)"\xc3\xa9", 2, &cp), 2);
    assert_int_equal(cp, 0xE9);
    assert_int_equal(il_utf8_next((const unsigned char *)"\xf0\x9f\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1F600);
    /* overlong '/', surrogate, beyond U+10FFFF, truncated, lone continuation: one invalid byte each */
    const char *bad[] = {"\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82", "\x80", "\xff"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(il_utf8_next((const unsigned char *)bad[i], strlen(bad[i]), &cp), 1);
        assert_int_equal(cp, 0xFFFFFFFFu);
    }
}

static void test_terminal(void **state) {
    (void)state;
    struct il_buf b;
    il_buf_init(&b, 0);
    assert_string_equal(s_esc(&b, IL_MEDIUM_TERMINAL, "a\nb\r\tc\\d"), "a\\nb\\r\\tc\\\\d");
    assert_string_equal(s_esc(&b, IL_MEDIUM_TERMINAL, "\x1b[31mred\x1b]0;t\x07"), "\\e[31mred\\e]0;t\\x07");
    /* C1 CSI as a raw byte (invalid UTF-8) and encoded (U+009B) */
    assert_string_equal(s_esc(&b, IL_MEDIUM_TERMINAL,
                              "\x9b"
                              "2J \xc2\x9b"
                              "2J"),
                        "\\x9B2J \\u009B2J");
    assert_string_equal(s_esc(&b, IL_MEDIUM_TERMINAL,
                              "\xe2\x80\xae"
                              "x\x7f"),
                        "\\u202Ex\\x7F");
    assert_string_equal(s_esc(&b, IL_MEDIUM_TERMINAL, "caf\xc3\xa9 \xff"), "caf\xc3\xa9 \\xFF");
    assert_string_equal(s_esc(&b, IL_MEDIUM_TERMINAL, NULL), "");
    /* NUL inside a length-delimited string is shown, not a terminator */
    il_buf_reset(&b);
    assert_int_equal(il_escape_terminal_n(&b, "a\0b", 3), IL_OK);
    assert_string_equal(il_buf_cstr(&b), "a\\x00b");
    il_buf_release(&b);
}

static void test_github(void **state) {
    (void)state;
    struct il_buf b;
    il_buf_init(&b, 0);
    assert_string_equal(s_esc(&b, IL_MEDIUM_GITHUB_DATA, "x%0A::error::injected\n::warning::y\r"),
                        "x%250A::error::injected%0A::warning::y%0D");
    assert_string_equal(s_esc(&b, IL_MEDIUM_GITHUB_PROPERTY, "a.yaml,line=1::error::x%\n"),
                        "a.yaml%2Cline=1%3A%3Aerror%3A%3Ax%25%0A");
    /* controls and invalid UTF-8 become U+FFFD; ESC cannot reach the log viewer */
    assert_string_equal(s_esc(&b, IL_MEDIUM_GITHUB_DATA, "\x1b[31m\xff"), "\xef\xbf\xbd[31m\xef\xbf\xbd");
    il_buf_release(&b);
}

static void test_markdown(void **state) {
    (void)state;
    struct il_buf b;
    il_buf_init(&b, 0);
    assert_string_equal(s_esc(&b, IL_MEDIUM_MARKDOWN, "a | b\nc `d` *e*"), "a \\| b c \\`d\\` \\*e\\*");
    assert_string_equal(s_esc(&b, IL_MEDIUM_MARKDOWN, "<script>&amp;</script>"),
                        "&lt;script&gt;&amp;amp;&lt;/script&gt;");
    assert_string_equal(s_esc(&b, IL_MEDIUM_MARKDOWN, "[x](javascript:y) ![i](z) # @team $m$ _u_ ~s~"),
                        "\\[x\\]\\(javascript:y\\) \\!\\[i\\]\\(z\\) # \\@team \\$m\\$ \\_u\\_ \\~s\\~");
    /* block syntax only matters where the text starts a line */
    assert_string_equal(s_esc(&b, IL_MEDIUM_MARKDOWN, "# h1 - x"), "\\# h1 - x");
    assert_string_equal(s_esc(&b, IL_MEDIUM_MARKDOWN, "- item"), "\\- item");
    assert_string_equal(s_esc(&b, IL_MEDIUM_MARKDOWN, "12. item 3. x"), "12\\. item 3. x");
    assert_string_equal(s_esc(&b, IL_MEDIUM_MARKDOWN, "1) item"), "1\\) item");
    assert_string_equal(s_esc(&b, IL_MEDIUM_MARKDOWN, "==="), "\\===");
    assert_string_equal(s_esc(&b, IL_MEDIUM_MARKDOWN, "\xc4\xab"), "\xc4\xab"); /* U+012B is not '+' */
    assert_string_equal(s_esc(&b, IL_MEDIUM_MARKDOWN, "back\\slash"), "back\\\\slash");
    /* bare URLs would be auto-linked by GitHub: the scheme's ':' and the dot after www become references */
    assert_string_equal(s_esc(&b, IL_MEDIUM_MARKDOWN, "see https://evil.example/x or WWW.evil.example"),
                        "see https&#58;//evil.example/x or WWW&#46;evil.example");
    assert_string_equal(s_esc(&b, IL_MEDIUM_MARKDOWN, "ftp://a"), "ftp&#58;//a");
    /* an ARN's colons and ordinary dots are left alone */
    assert_string_equal(s_esc(&b, IL_MEDIUM_MARKDOWN, "arn:aws:lambda:x 1.2 ww.x :/"), "arn:aws:lambda:x 1.2 ww.x :/");
    assert_string_equal(s_esc(&b, IL_MEDIUM_MARKDOWN, "x:/"), "x:/");
    il_buf_release(&b);
}

static void test_xml(void **state) {
    (void)state;
    struct il_buf b;
    il_buf_init(&b, 0);
    assert_string_equal(s_esc(&b, IL_MEDIUM_XML_TEXT, "</script>&\"'"), "&lt;/script&gt;&amp;&quot;&#39;");
    assert_string_equal(s_esc(&b, IL_MEDIUM_XML_TEXT, "]]>"), "]]&gt;");
    /* XML 1.0 forbids most C0 controls even as character references: they become U+FFFD */
    assert_string_equal(s_esc(&b, IL_MEDIUM_XML_TEXT,
                              "a\x01\x0b"
                              "b\tc\nd"),
                        "a\xef\xbf\xbd\xef\xbf\xbd"
                        "b\tc\nd");
    assert_string_equal(s_esc(&b, IL_MEDIUM_XML_ATTR, "a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
    /* U+FFFE is one replacement; an encoded surrogate is three invalid bytes, three replacements */
    assert_string_equal(s_esc(&b, IL_MEDIUM_XML_TEXT, "\xef\xbf\xbe\xed\xa0\x80"),
                        "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    il_buf_release(&b);
}

static void test_csv(void **state) {
    (void)state;
    struct il_buf b;
    il_buf_init(&b, 0);
    assert_string_equal(s_esc(&b, IL_MEDIUM_CSV, "=HYPERLINK(\"https://evil\",\"x\")"),
                        "\"'=HYPERLINK(\"\"https://evil\"\",\"\"x\"\")\"");
    assert_string_equal(s_esc(&b, IL_MEDIUM_CSV, "+1"), "\"'+1\"");
    assert_string_equal(s_esc(&b, IL_MEDIUM_CSV, "-1"), "\"'-1\"");
    assert_string_equal(s_esc(&b, IL_MEDIUM_CSV, "@SUM(A1)"), "\"'@SUM(A1)\"");
    assert_string_equal(s_esc(&b, IL_MEDIUM_CSV, "\tx"), "\"'\tx\"");
    assert_string_equal(s_esc(&b, IL_MEDIUM_CSV, "\rx"), "\"'\rx\"");
    assert_string_equal(s_esc(&b, IL_MEDIUM_CSV, "a,b\nc"), "\"a,b\nc\"");
    assert_string_equal(s_esc(&b, IL_MEDIUM_CSV, "plain"), "\"plain\"");
    assert_string_equal(s_esc(&b, IL_MEDIUM_CSV, ""), "\"\"");
    il_buf_release(&b);
}

/* Issue 13: a leading line feed (or any control) and blanks before a formula character are neutralised too. */
static void test_csv_leading_blanks_and_controls(void **state) {
    (void)state;
    struct il_buf b;
    il_buf_init(&b, 0);
    assert_string_equal(s_esc(&b, IL_MEDIUM_CSV, "\n=1+1"), "\"'\n=1+1\"");
    assert_string_equal(s_esc(&b, IL_MEDIUM_CSV, "\nplain"), "\"'\nplain\"");
    assert_string_equal(s_esc(&b, IL_MEDIUM_CSV, "   =HYPERLINK(1)"), "\"'   =HYPERLINK(1)\"");
    assert_string_equal(s_esc(&b, IL_MEDIUM_CSV, " +1"), "\"' +1\"");
    assert_string_equal(s_esc(&b, IL_MEDIUM_CSV, " \t -1"), "\"' \t -1\"");
    assert_string_equal(s_esc(&b, IL_MEDIUM_CSV, "  @SUM(A1)"), "\"'  @SUM(A1)\"");
    assert_string_equal(s_esc(&b, IL_MEDIUM_CSV, "\x01x"), "\"'\xef\xbf\xbdx\""); /* a control: U+FFFD, still marked */
    /* spaces before ordinary text, or a formula character later on, are left alone */
    assert_string_equal(s_esc(&b, IL_MEDIUM_CSV, "  plain"), "\"  plain\"");
    assert_string_equal(s_esc(&b, IL_MEDIUM_CSV, "a=1"), "\"a=1\"");
    assert_string_equal(s_esc(&b, IL_MEDIUM_CSV, "   "), "\"   \"");
    il_buf_release(&b);
}

static void test_json(void **state) {
    (void)state;
    struct il_buf b;
    il_buf_init(&b, 0);
    assert_string_equal(s_esc(&b, IL_MEDIUM_JSON, "a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
    assert_string_equal(s_esc(&b, IL_MEDIUM_JSON, "</script>&"), "\"\\u003C/script\\u003E\\u0026\"");
    assert_string_equal(s_esc(&b, IL_MEDIUM_JSON, "\xff\xe2\x80\xa8\xc3\xa9"), "\"\\uFFFD\\u2028\xc3\xa9\"");
    assert_string_equal(s_esc(&b, IL_MEDIUM_JSON, NULL), "\"\"");
    il_buf_release(&b);
}

static void test_uri_path(void **state) {
    (void)state;
    struct il_buf b;
    il_buf_init(&b, 0);
    assert_string_equal(s_esc(&b, IL_MEDIUM_URI_PATH, "security/my ledger#1.yaml"), "security/my%20ledger%231.yaml");
    assert_string_equal(s_esc(&b, IL_MEDIUM_URI_PATH, "caf\xc3\xa9\xff"), "caf%C3%A9%EF%BF%BD");
    il_buf_release(&b);
}

/* Properties that must hold for every hostile string in every medium. */
static void test_hostile_properties(void **state) {
    (void)state;
    struct il_buf b;
    il_buf_init(&b, 0);
    for (size_t i = 0; i < FX_HOSTILE_COUNT; i++) {
        const char *s = fx_hostile_strings[i];
        for (int m = IL_MEDIUM_TERMINAL; m <= IL_MEDIUM_URI_PATH; m++) {
            const char *e = s_esc(&b, (enum il_medium)m, s);
            assert_true(s_valid_utf8(e));
            int newlines_ok = m == IL_MEDIUM_XML_TEXT || m == IL_MEDIUM_CSV;
            assert_false(s_has_control(e, newlines_ok));
            assert_null(strstr(e, "\xe2\x80\xae")); /* no bidi override survives except in XML/CSV/JSON text */
        }
        assert_null(strchr(s_esc(&b, IL_MEDIUM_GITHUB_DATA, s), '\n'));
        assert_null(strstr(s_esc(&b, IL_MEDIUM_GITHUB_PROPERTY, s), "::"));
        assert_null(strchr(s_esc(&b, IL_MEDIUM_GITHUB_PROPERTY, s), ','));
        const char *md = s_esc(&b, IL_MEDIUM_MARKDOWN, s);
        for (const char *p = md; *p; p++) {
            /* every pipe, backtick and angle bracket is neutralised */
            assert_false(*p == '<' || *p == '>' || *p == '\n');
            if (*p == '|' || *p == '`') {
                assert_true(p > md && p[-1] == '\\');
            }
        }
        const char *xml = s_esc(&b, IL_MEDIUM_XML_ATTR, s);
        assert_null(strpbrk(xml, "<>\"'\n"));
        const char *csv = s_esc(&b, IL_MEDIUM_CSV, s);
        assert_true(csv[0] == '"' && strchr("=+-@\t\r", csv[1]) == NULL);
    }
    il_buf_release(&b);
}

static void test_limit_is_reported(void **state) {
    (void)state;
    struct il_buf b;
    il_buf_init(&b, 8);
    assert_int_equal(il_escape_json(&b, "0123456789"), IL_ERR_LIMIT);
    assert_int_equal(il_escape_markdown(&b, "x"), IL_ERR_LIMIT);
    il_buf_release(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_decoder),
        cmocka_unit_test(test_terminal),
        cmocka_unit_test(test_github),
        cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_xml),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_csv_leading_blanks_and_controls),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_uri_path),
        cmocka_unit_test(test_hostile_properties),
        cmocka_unit_test(test_limit_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
