/* SARIF 2.1.0 for GitHub code scanning.
 *
 * Only findings become results (accepted, active exclusions are not findings, so they never open alerts; GitHub
 * ignores SARIF suppressions). Every result has a location: a finding without a line of its own is placed on the
 * ledger's first line. partialFingerprints are keyed on the rule and the function ARN — not the line — so editing the
 * ledger above an entry does not close one alert and open another. What could not be verified is reported as tool
 * execution notifications with executionSuccessful false. */
#include <string.h>

#include "findings/findings_internal.h"
#include "il/crypto.h"
#include "il/escape.h"
#include "il/rules.h"

#ifndef IL_HOMEPAGE_URL /* set by CMake (-DIL_HOMEPAGE_URL=...), checked there to need no JSON escaping */
#define IL_HOMEPAGE_URL "https://github.com/inspector-ledger/inspector-ledger"
#endif
#define S_INFO_URI IL_HOMEPAGE_URL
#define S_SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

static const char *s_level(enum il_severity sev) {
    switch (sev) {
    case IL_SEV_ERROR: return "error";
    case IL_SEV_WARNING: return "warning";
    case IL_SEV_NOTICE: return "note";
    }
    return "error";
}

/* "expiring-soon" → "ExpiringSoon": SARIF's rule name is an identifier-like label. */
static enum il_status s_rule_name(struct il_buf *out, const char *id) {
    int upper = 1;
    for (const char *p = id; *p; p++) {
        if (*p == '-') {
            upper = 1;
            continue;
        }
        char c = *p;
        if (upper && c >= 'a' && c <= 'z') {
            c = (char)(c - 'a' + 'A');
        }
        upper = 0;
        IL_TRY(il_buf_putc(out, c));
    }
    return IL_OK;
}

static enum il_status s_text_prop(struct il_buf *out, const char *key, const char *text) {
    IL_TRY(il_buf_printf(out, "\"%s\": {\"text\": ", key));
    IL_TRY(il_escape_json(out, text));
    return il_buf_putc(out, '}');
}

/* @p prefix, then @p value as a JSON string. */
static enum il_status s_json_after(struct il_buf *out, const char *prefix, const char *value) {
    IL_TRY(il_buf_puts(out, prefix));
    return il_escape_json(out, value);
}

/* help.markdown: the catalogue's own prose, escaped for Markdown. */
static enum il_status s_help_markdown(struct il_buf *md, const struct il_rule_info *r) {
    IL_TRY(il_buf_puts(md, "**"));
    IL_TRY(il_escape_markdown(md, r->short_desc));
    IL_TRY(il_buf_puts(md, "**\n\n"));
    IL_TRY(il_escape_markdown(md, r->full_desc));
    IL_TRY(il_buf_puts(md, "\n\n**What to do:** "));
    return il_escape_markdown(md, r->help);
}

static enum il_status s_rule(struct il_buf *out, const struct il_rule_info *r) {
    IL_TRY(il_buf_puts(out, "{\"id\": "));
    IL_TRY(il_escape_json(out, r->id));
    IL_TRY(il_buf_puts(out, ", \"name\": \""));
    IL_TRY(s_rule_name(out, r->id));
    IL_TRY(il_buf_puts(out, "\", "));
    IL_TRY(s_text_prop(out, "shortDescription", r->short_desc));
    IL_TRY(il_buf_puts(out, ", "));
    IL_TRY(s_text_prop(out, "fullDescription", r->full_desc));
    IL_TRY(il_buf_puts(out, ", \"helpUri\": \"" S_INFO_URI "/blob/main/docs/rules.md\", \"help\": {\"text\": "));
    IL_TRY(il_escape_json(out, r->help));
    struct il_buf md;
    il_buf_init(&md, 0);
    enum il_status st = s_help_markdown(&md, r);
    if (st == IL_OK) {
        st = s_json_after(out, ", \"markdown\": ", il_buf_cstr(&md));
    }
    il_buf_release(&md);
    IL_TRY(st);
    IL_TRY(il_buf_printf(out, "}, \"defaultConfiguration\": {\"level\": \"%s\"}, ", s_level(r->severity)));
    IL_TRY(il_buf_printf(out, "\"properties\": {\"tags\": [\"security\", \"inspector-ledger\", "));
    IL_TRY(il_escape_json(out, r->category ? r->category : "ledger"));
    IL_TRY(il_buf_printf(out, "], \"precision\": \"very-high\", \"problem.severity\": \"%s\"}}",
                         r->severity == IL_SEV_NOTICE ? "recommendation" : s_level(r->severity)));
    return IL_OK;
}

/* The JSON pointer without its "/exclusions/<index>" prefix: the rest names the field and survives reordering. */
static const char *s_pointer_tail(const char *pointer) {
    static const char prefix[] = "/exclusions/";
    if (pointer == NULL) {
        return "";
    }
    if (strncmp(pointer, prefix, sizeof(prefix) - 1) != 0) {
        return pointer;
    }
    const char *p = pointer + sizeof(prefix) - 1;
    while (*p >= '0' && *p <= '9') {
        p++;
    }
    return p;
}

/* sha256 hex of rule "\n" function ARN "\n" field (the pointer without the entry index), or — for a finding with no
 * ARN — rule "\n" file "\n" pointer "\n" message. Never the line or column, so moving an entry keeps its alerts; the
 * message only where there is no ARN, because drift messages may carry dates that change from run to run. */
static enum il_status s_fingerprint(struct il_buf *out, const struct il_diag *d, const struct il_findings_opts *opts) {
    struct il_buf key;
    il_buf_init(&key, 0);
    const char *rule = d->rule ? d->rule : "";
    enum il_status st =
        d->function_arn ? il_buf_printf(&key, "%s\n%s\n%s", rule, d->function_arn, s_pointer_tail(d->pointer))
                        : il_buf_printf(&key, "%s\n%s\n%s\n%s", rule, d->file ? d->file : il_findings_ledger_name(opts),
                                        d->pointer ? d->pointer : "", d->message ? d->message : "");
    char hex[IL_SHA256_HEX_LEN + 1];
    if (st == IL_OK) {
        st = il_crypto_sha256_hex(key.data, key.len, hex);
    }
    il_buf_release(&key);
    IL_TRY(st);
    IL_TRY(il_buf_puts(out, "\"partialFingerprints\": {\"inspectorLedger/v1\": \""));
    IL_TRY(il_buf_puts(out, hex));
    return il_buf_puts(out, "\"}");
}

static enum il_status s_location(struct il_buf *out, const struct il_diag *d, const struct il_findings_opts *opts) {
    const char *file = d->file ? d->file : il_findings_ledger_name(opts);
    unsigned line = d->file && d->line ? d->line : 1;
    IL_TRY(il_buf_puts(out, "\"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \""));
    if (file[0] == '/') {
        /* an absolute path cannot be resolved against the checkout: give it as a file URI */
        IL_TRY(il_buf_puts(out, "file://"));
        IL_TRY(il_escape_uri_path(out, file));
        IL_TRY(il_buf_puts(out, "\""));
    } else {
        while (file[0] == '.' && file[1] == '/') {
            file += 2;
        }
        IL_TRY(il_escape_uri_path(out, file));
        IL_TRY(il_buf_puts(out, "\", \"uriBaseId\": \"%SRCROOT%\""));
    }
    IL_TRY(il_buf_printf(out, "}, \"region\": {\"startLine\": %u", line));
    if (d->file && d->line && d->column) {
        IL_TRY(il_buf_printf(out, ", \"startColumn\": %u", d->column));
    }
    return il_buf_puts(out, "}}}]");
}

static enum il_status s_message(struct il_buf *out, const struct il_diag *d) {
    struct il_buf text;
    il_buf_init(&text, 0);
    const char *message = d->message ? d->message : "";
    enum il_status st = d->function_arn ? il_buf_printf(&text, "%s\nfunction: %s", message, d->function_arn)
                                        : il_buf_puts(&text, message);
    if (st == IL_OK) {
        st = s_json_after(out, "\"message\": {\"text\": ", il_buf_cstr(&text));
    }
    il_buf_release(&text);
    IL_TRY(st);
    return il_buf_putc(out, '}');
}

/* properties: the finding's context; with @p with_aws also the AWS request (never headers or bodies). */
static enum il_status s_properties(struct il_buf *out, const struct il_diag *d, int with_aws) {
    IL_TRY(il_buf_puts(out, ", \"properties\": {\"severity\": "));
    IL_TRY(il_escape_json(out, il_severity_str(d->severity)));
    const char *keys[] = {"functionArn", "account", "region", "pointer"};
    const char *values[] = {d->function_arn, d->account, d->region, d->pointer};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (values[i] != NULL) {
            IL_TRY(il_buf_printf(out, ", \"%s\": ", keys[i]));
            IL_TRY(il_escape_json(out, values[i]));
        }
    }
    if (with_aws && d->aws.operation != NULL) {
        IL_TRY(il_buf_puts(out, ", \"aws\": {\"operation\": "));
        IL_TRY(il_escape_json(out, d->aws.operation));
        const char *akeys[] = {"service", "region", "account", "errorCode", "requestId"};
        const char *avalues[] = {d->aws.service, d->aws.region, d->aws.account, d->aws.error_code, d->aws.request_id};
        for (size_t i = 0; i < sizeof(akeys) / sizeof(akeys[0]); i++) {
            if (avalues[i] != NULL) {
                IL_TRY(il_buf_printf(out, ", \"%s\": ", akeys[i]));
                IL_TRY(il_escape_json(out, avalues[i]));
            }
        }
        if (d->aws.http_status > 0) {
            IL_TRY(il_buf_printf(out, ", \"httpStatus\": %d", d->aws.http_status));
        }
        IL_TRY(il_buf_putc(out, '}'));
    }
    return il_buf_putc(out, '}');
}

static enum il_status s_result(struct il_buf *out, const struct il_diag *d, const struct il_findings_opts *opts) {
    const char *rule = d->rule ? d->rule : "?";
    IL_TRY(il_buf_puts(out, "{\"ruleId\": "));
    IL_TRY(il_escape_json(out, rule));
    size_t count = 0;
    const struct il_rule_info *all = il_rules_all(&count);
    const struct il_rule_info *info = il_rule_find(rule);
    if (info != NULL) {
        IL_TRY(il_buf_printf(out, ", \"ruleIndex\": %zu", (size_t)(info - all)));
    }
    IL_TRY(il_buf_printf(out, ", \"level\": \"%s\", ", s_level(d->severity)));
    IL_TRY(s_message(out, d));
    IL_TRY(il_buf_puts(out, ", "));
    IL_TRY(s_location(out, d, opts));
    IL_TRY(il_buf_puts(out, ", "));
    IL_TRY(s_fingerprint(out, d, opts));
    IL_TRY(s_properties(out, d, 0));
    return il_buf_putc(out, '}');
}

static enum il_status s_notification(struct il_buf *out, const struct il_diag *d) {
    IL_TRY(il_buf_puts(out, "{\"level\": \"error\", "));
    IL_TRY(s_message(out, d));
    IL_TRY(il_buf_puts(out, ", \"descriptor\": {\"id\": "));
    IL_TRY(il_escape_json(out, d->rule ? d->rule : "not-verified"));
    IL_TRY(il_buf_putc(out, '}'));
    IL_TRY(s_properties(out, d, 1));
    return il_buf_putc(out, '}');
}

il_findings_writer_fn il_findings_sarif; /* its row: findings_format.c */

enum il_status il_findings_sarif(const struct il_diags *diags, const struct il_findings_opts *opts,
                                 struct il_buf *out) {
    size_t nrules = 0;
    const struct il_rule_info *rules = il_rules_all(&nrules);
    const char *command = opts->command ? opts->command : "validate";
    IL_TRY(il_buf_puts(out, "{\n  \"$schema\": \"" S_SARIF_SCHEMA "\",\n  \"version\": \"2.1.0\",\n  \"runs\": [{\n"));
    IL_TRY(il_buf_puts(out, "    \"tool\": {\"driver\": {\"name\": \"inspector-ledger\", \"version\": "));
    IL_TRY(il_escape_json(out, IL_VERSION));
    IL_TRY(il_buf_puts(out, ", \"semanticVersion\": "));
    IL_TRY(il_escape_json(out, IL_VERSION));
    IL_TRY(il_buf_puts(out, ", \"informationUri\": \"" S_INFO_URI "\", \"rules\": [\n"));
    for (size_t i = 0; i < nrules; i++) {
        IL_TRY(il_buf_puts(out, "      "));
        IL_TRY(s_rule(out, &rules[i]));
        IL_TRY(il_buf_puts(out, i + 1 < nrules ? ",\n" : "\n"));
    }
    /* one category per command, so a validate upload and a check upload do not close each other's alerts */
    IL_TRY(il_buf_puts(out, "    ]}},\n    \"automationDetails\": {\"id\": "));
    struct il_buf id;
    il_buf_init(&id, 0);
    enum il_status st = il_buf_printf(&id, "inspector-ledger/%s/", command);
    if (st == IL_OK) {
        st = il_escape_json(out, il_buf_cstr(&id));
    }
    il_buf_release(&id);
    IL_TRY(st);
    size_t unverified = il_diags_count(opts->unverified);
    IL_TRY(il_buf_printf(out,
                         "},\n    \"invocations\": [{\"executionSuccessful\": %s, \"toolExecutionNotifications\": [",
                         unverified ? "false" : "true"));
    for (size_t i = 0; i < unverified; i++) {
        IL_TRY(il_buf_puts(out, i ? ",\n      " : "\n      "));
        IL_TRY(s_notification(out, il_diags_get(opts->unverified, i)));
    }
    IL_TRY(il_buf_puts(out, "]"));
    const struct il_findings_coverage *cov = opts->coverage;
    if (cov != NULL) {
        IL_TRY(il_buf_printf(out,
                             ", \"properties\": {\"coverage\": {\"entries\": %zu, \"compared\": %zu, "
                             "\"outside_declared_scope\": %zu, \"declared\": %s, \"summary\": ",
                             cov->entries, cov->compared, cov->outside, cov->declared ? "true" : "false"));
        IL_TRY(il_escape_json(out, cov->summary ? cov->summary : ""));
        IL_TRY(il_buf_puts(out, "}}"));
    }
    IL_TRY(il_buf_puts(out, "}],\n    \"columnKind\": \"unicodeCodePoints\",\n    \"results\": ["));
    size_t n = il_diags_count(diags);
    for (size_t i = 0; i < n; i++) {
        IL_TRY(il_buf_puts(out, i ? ",\n      " : "\n      "));
        IL_TRY(s_result(out, il_diags_get(diags, i), opts));
    }
    return il_buf_puts(out, n ? "\n    ]\n  }]\n}\n" : "]\n  }]\n}\n");
}
