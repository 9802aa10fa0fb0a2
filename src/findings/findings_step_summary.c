/* The GitHub step summary ($GITHUB_STEP_SUMMARY): the Markdown findings appended to a file, within GitHub's 1 MiB cap
 * for one step (include/il/findings.h). Apart from the Markdown writer because it opens and writes a file. */
#include <stdio.h>
#include <sys/stat.h>

#include "findings/findings_internal.h"

il_findings_writer_fn il_findings_markdown; /* findings_markdown.c */

static const char s_truncated_note[] =
    "\n> **Truncated:** the rest of this summary was cut to stay within GitHub's 1 MiB step-summary limit. "
    "Run with `--format text` or `--format json` for every finding.\n";

enum il_status il_findings_write_step_summary(const struct il_diags *diags, const struct il_findings_opts *opts,
                                              const char *path) {
    enum il_status st = IL_OK;
    struct il_buf md;
    il_buf_init(&md, 0);
    FILE *fp = NULL;
    if (path == NULL || path[0] == '\0') {
        st = IL_ERR_INVALID;
        goto cleanup;
    }
    st = il_findings_markdown(diags, opts, &md);
    if (st != IL_OK) {
        goto cleanup;
    }
    fp = fopen(path, "ab");
    struct stat sb;
    if (fp == NULL || fstat(fileno(fp), &sb) != 0) {
        st = IL_ERR_IO;
        goto cleanup;
    }
    /* other steps' summaries are separate files, but earlier writes in this step share the cap */
    size_t existing = sb.st_size > 0 ? (size_t)sb.st_size : 0;
    size_t avail = existing < IL_FINDINGS_STEP_SUMMARY_LIMIT ? IL_FINDINGS_STEP_SUMMARY_LIMIT - existing : 0;
    size_t keep = md.len;
    int truncated = 0;
    if (md.len > avail) {
        size_t note = sizeof(s_truncated_note) - 1;
        if (avail < note) {
            st = IL_ERR_LIMIT;
            goto cleanup;
        }
        keep = avail - note;
        while (keep > 0 && md.data[keep - 1] != '\n') {
            keep--; /* whole lines only: a cut row would break the table, a cut code point the UTF-8 */
        }
        truncated = 1;
    }
    if (fwrite(md.data, 1, keep, fp) != keep ||
        (truncated && fwrite(s_truncated_note, 1, sizeof(s_truncated_note) - 1, fp) != sizeof(s_truncated_note) - 1)) {
        st = IL_ERR_IO;
    }
cleanup:
    if (fp != NULL && fclose(fp) != 0 && st == IL_OK) {
        st = IL_ERR_IO;
    }
    il_buf_release(&md);
    return st;
}
