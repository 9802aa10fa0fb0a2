/* Test tool: print docs/rules.md from the rule catalogue. tests/cli/test_rules_doc.sh diffs its output with the
 * checked-in file, so the documentation cannot drift from the code; regenerate with
 *   build/tools/il_rules_doc > docs/rules.md
 * With --ids it prints only the rule ids, one a line in catalogue order, so tests read the list instead of holding
 * a copy of it. */
#include <stdio.h>
#include <string.h>

#include "il/escape.h"
#include "il/rules.h"

static int s_ids(const struct il_rule_info *rules, size_t count) {
    for (size_t i = 0; i < count; i++) {
        if (printf("%s\n", rules[i].id) < 0) {
            return 1;
        }
    }
    return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
    size_t count = 0;
    const struct il_rule_info *rules = il_rules_all(&count);
    if (argc == 2 && strcmp(argv[1], "--ids") == 0) {
        return s_ids(rules, count);
    }
    if (argc != 1) {
        fprintf(stderr, "usage: il_rules_doc [--ids]\n");
        return 2;
    }
    struct il_buf out;
    il_buf_init(&out, 0);
    enum il_status st = il_buf_puts(
        &out,
        "# Rule catalogue\n\n"
        "<!-- Generated from src/common/common_rules.c by tests/tools/il_rules_doc.c; do not edit by hand.\n"
        "     Regenerate with: build/tools/il_rules_doc > docs/rules.md -->\n\n"
        "Every finding carries one of these stable rule ids. The severity is the default; `--fail-on` decides which\n"
        "severities fail the run. Categories: `ledger` (validate), `policy` (validate, opt-in flags and the policy\n"
        "file), `gate` (validate/check --base REF), `drift` (check), `inventory` (check --full), `scope` (check: what\n"
        "was and was not verified), `inspector` (check --coverage, --tags-source inspector: Inspector's own coverage\n"
        "and account status). The policy's `severity` key overrides a rule's default severity.\n\n"
        "| Rule | Severity | Category | What it means | What to do |\n"
        "| --- | --- | --- | --- | --- |\n");
    for (size_t i = 0; i < count && st == IL_OK; i++) {
        const struct il_rule_info *r = &rules[i];
        st = il_buf_puts(&out, "| `");
        st = il_buf_puts(&out, r->id); /* ids are [a-z-]: safe inside a code span (test_rules checks) */
        st = il_buf_printf(&out, "` | %s | %s | **", il_severity_str(r->severity), r->category);
        st = il_escape_markdown(&out, r->short_desc);
        st = il_buf_puts(&out, ".** ");
        st = il_escape_markdown(&out, r->full_desc);
        st = il_buf_puts(&out, " | ");
        st = il_escape_markdown(&out, r->help);
        st = il_buf_puts(&out, " |\n");
    }
    int rc = st == IL_OK && fwrite(out.data, 1, out.len, stdout) == out.len ? 0 : 1;
    il_buf_release(&out);
    return rc;
}
