/* Test tool: render a fixed diagnostics set in one output format, so script tests can validate every writer's output
 * with independent parsers (jsonschema, xml.etree).
 *
 *   il_render FORMAT [--set plain|hostile|clean] [--extra N] [--command NAME] [--fail-on LEVEL] [--color]
 *             [--verbose] [--no-unverified] [--step-summary FILE]
 *
 * With --step-summary the Markdown summary is appended to FILE (as under GitHub Actions) instead of printing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_diags.h"
#include "il/findings.h"

static int s_usage(void) {
    fprintf(stderr, "usage: il_render FORMAT [--set plain|hostile|clean] [--extra N] [--command NAME] "
                    "[--fail-on LEVEL] [--color] [--verbose] [--no-unverified] [--step-summary FILE]\n");
    return 2;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        return s_usage();
    }
    enum il_findings_format format;
    if (il_findings_format_parse(argv[1], IL_FINDINGS_FOR_ANY, &format) != IL_OK) {
        return s_usage();
    }
    const char *set = "plain", *summary_path = NULL;
    size_t extra = 0;
    int no_unverified = 0;
    struct il_findings_opts opts = {.command = "validate", .as_of = "2026-02-01", .ledger_file = FX_LEDGER};
    for (int i = 2; i < argc; i++) {
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--set") == 0 && next) {
            set = argv[++i];
        } else if (strcmp(argv[i], "--extra") == 0 && next) {
            char *end = NULL;
            unsigned long long v = strtoull(next, &end, 10);
            if (end == next || *end != '\0' || v > 100000) {
                return s_usage();
            }
            extra = (size_t)v;
            i++;
        } else if (strcmp(argv[i], "--command") == 0 && next) {
            opts.command = argv[++i];
        } else if (strcmp(argv[i], "--fail-on") == 0 && next) {
            if (il_findings_fail_on_parse(argv[++i], &opts.fail_on) != IL_OK) {
                return s_usage();
            }
        } else if (strcmp(argv[i], "--step-summary") == 0 && next) {
            summary_path = argv[++i];
        } else if (strcmp(argv[i], "--color") == 0) {
            opts.color = 1;
        } else if (strcmp(argv[i], "--verbose") == 0) {
            opts.verbose = 1;
        } else if (strcmp(argv[i], "--no-unverified") == 0) {
            no_unverified = 1;
        } else {
            return s_usage();
        }
    }
    struct il_diags *unverified = NULL, *diags = NULL;
    if (strcmp(set, "plain") == 0) {
        diags = fx_plain(&unverified);
    } else if (strcmp(set, "hostile") == 0) {
        diags = fx_hostile(extra, &unverified);
    } else if (strcmp(set, "clean") == 0) {
        diags = il_diags_new();
        unverified = il_diags_new();
    } else {
        return s_usage();
    }
    int rc = 1;
    struct il_buf out;
    il_buf_init(&out, 0);
    if (diags == NULL || unverified == NULL) {
        fprintf(stderr, "il_render: out of memory\n");
        goto cleanup;
    }
    opts.unverified = no_unverified ? NULL : unverified;
    if (summary_path != NULL) {
        enum il_status st = il_findings_write_step_summary(diags, &opts, summary_path);
        if (st != IL_OK) {
            fprintf(stderr, "il_render: step summary: %s\n", il_status_str(st));
            goto cleanup;
        }
        rc = 0;
        goto cleanup;
    }
    enum il_status st = il_findings_write(format, diags, &opts, &out);
    if (st != IL_OK) {
        fprintf(stderr, "il_render: %s\n", il_status_str(st));
        goto cleanup;
    }
    rc = fwrite(out.data, 1, out.len, stdout) == out.len ? 0 : 1;
cleanup:
    il_buf_release(&out);
    il_diags_free(diags);
    il_diags_free(unverified);
    return rc;
}
