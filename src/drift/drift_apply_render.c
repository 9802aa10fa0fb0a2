/*
 * Rendering an apply plan and its results: text for people (terminal-escaped), JSON for machines
 * (schema/apply-plan.schema.json), Markdown for a pull-request comment. Untrusted text (ARNs, AWS messages, ledger
 * paths) is escaped for each medium here, never when stored.
 */
#include <string.h>

#include "aws/aws_sticky.h"
#include "il/drift/apply.h"
#include "il/escape.h"

enum il_status il_apply_format_parse(const char *name, enum il_apply_format *out) {
    static const char *const names[] = {"text", "json", "markdown"};
    for (size_t i = 0; name != NULL && i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (enum il_apply_format)i;
            return IL_OK;
        }
    }
    return IL_ERR_INVALID;
}

static enum il_apply_state s_state(const struct il_apply_view *v, size_t i) {
    return v->results ? v->results[i].state : IL_APPLY_PLANNED;
}

struct s_counts {
    size_t add, remove, done, failed, not_attempted;
};

static struct s_counts s_count(const struct il_apply_view *v) {
    struct s_counts c = {0};
    for (size_t i = 0; i < v->count; i++) {
        c.add += v->actions[i].kind == IL_APPLY_TAG;
        c.remove += v->actions[i].kind == IL_APPLY_UNTAG;
        enum il_apply_state s = s_state(v, i);
        c.done += s == IL_APPLY_DONE;
        c.failed += s == IL_APPLY_FAILED;
        c.not_attempted += s == IL_APPLY_NOT_ATTEMPTED;
    }
    return c;
}

/* ---- text ---- */

enum il_status il_apply_render_line(const struct il_apply_view *v, size_t i, struct il_buf *out) {
    const struct il_apply_action *a = &v->actions[i];
    enum il_apply_state s = s_state(v, i);
    IL_STICKY(il_buf_printf(out, "%-8s %s %s=%s on ", a->kind == IL_APPLY_TAG ? "tag" : "untag",
                            a->kind == IL_APPLY_TAG ? "add" : "remove", a->key, a->value));
    IL_STICKY(il_escape_terminal(out, a->arn));
    IL_STICKY(il_buf_printf(out, " (%s", a->why));
    if (a->entry != NULL) {
        IL_STICKY(il_buf_puts(out, "; "));
        IL_STICKY(il_escape_terminal(out, v->ledger_file ? v->ledger_file : "ledger"));
        IL_STICKY(il_buf_printf(out, ":%u", a->entry->line));
        if (a->entry->expires_at.valid) {
            IL_STICKY(il_buf_printf(out, ", expires %s", a->entry->expires_at.text.value));
        }
    }
    IL_STICKY(il_buf_putc(out, ')'));
    if (s == IL_APPLY_DONE) {
        IL_STICKY(il_buf_puts(out, ": done"));
    } else if (s == IL_APPLY_FAILED) {
        IL_STICKY(il_buf_puts(out, ": FAILED"));
    } else if (s == IL_APPLY_NOT_ATTEMPTED) {
        IL_STICKY(il_buf_puts(out, ": not attempted"));
    }
    return il_buf_putc(out, '\n');
}

enum il_status il_apply_render_summary(const struct il_apply_view *v, struct il_buf *out) {
    struct s_counts c = s_count(v);
    if (v->scope) {
        IL_STICKY(il_buf_puts(out, "scope: "));
        IL_STICKY(il_escape_terminal(out, v->scope));
        IL_STICKY(il_buf_putc(out, '\n'));
    }
    if (v->coverage) {
        IL_STICKY(il_buf_puts(out, "entries: "));
        IL_STICKY(il_escape_terminal(out, v->coverage));
        IL_STICKY(il_buf_putc(out, '\n'));
    }
    if (v->unverified_count) {
        /* the items themselves go to standard error, where a CI log shows why the run failed */
        IL_STICKY(il_buf_printf(out, "not verified: %zu item%s (named on standard error): nothing planned there\n",
                                v->unverified_count, v->unverified_count == 1 ? "" : "s"));
    }
    if (strcmp(v->mode, "apply") == 0) {
        /* done and failed counted apart: "0 changes applied, 3 FAILED" when every change failed */
        IL_STICKY(il_buf_printf(out, "%zu change%s applied", c.done, c.done == 1 ? "" : "s"));
        if (c.failed) {
            IL_STICKY(il_buf_printf(out, ", %zu FAILED", c.failed));
        }
        if (c.not_attempted) {
            IL_STICKY(il_buf_printf(out, ", %zu not attempted", c.not_attempted));
        }
        return il_buf_putc(out, '\n');
    }
    return il_buf_printf(out, "%zu change%s planned (%s)\n", v->count, v->count == 1 ? "" : "s",
                         strcmp(v->mode, "declined") == 0 ? "declined: nothing applied"
                                                          : "dry run: add --yes to apply");
}

/* ---- json ---- */

static void s_jstr(struct il_buf *out, const char *key, const char *value) {
    IL_STICKY(il_buf_printf(out, "\"%s\":", key));
    IL_STICKY(value ? il_escape_json(out, value) : il_buf_puts(out, "null"));
}

static void s_json_change(struct il_buf *out, const struct il_apply_view *v, size_t i) {
    const struct il_apply_action *a = &v->actions[i];
    const struct il_apply_result *r = v->results ? &v->results[i] : NULL;
    IL_STICKY(il_buf_puts(out, i ? ",\n    {" : "\n    {"));
    s_jstr(out, "account", a->account);
    IL_STICKY(il_buf_putc(out, ','));
    s_jstr(out, "region", a->region);
    IL_STICKY(il_buf_putc(out, ','));
    s_jstr(out, "function_arn", a->arn);
    IL_STICKY(il_buf_putc(out, ','));
    s_jstr(out, "action", a->kind == IL_APPLY_TAG ? "add" : "remove");
    IL_STICKY(il_buf_putc(out, ','));
    s_jstr(out, "tag_key", a->key);
    IL_STICKY(il_buf_putc(out, ','));
    s_jstr(out, "tag_value", a->value);
    IL_STICKY(il_buf_putc(out, ','));
    s_jstr(out, "reason", a->why);
    IL_STICKY(il_buf_puts(out, ",\"entry\":"));
    if (a->entry) {
        IL_STICKY(il_buf_putc(out, '{'));
        s_jstr(out, "file", v->ledger_file);
        IL_STICKY(il_buf_printf(out, ",\"line\":%u,", a->entry->line));
        s_jstr(out, "pointer", a->entry->pointer);
        IL_STICKY(il_buf_putc(out, ','));
        s_jstr(out, "expires_at", a->entry->expires_at.valid ? a->entry->expires_at.text.value : NULL);
        IL_STICKY(il_buf_putc(out, '}'));
    } else {
        IL_STICKY(il_buf_puts(out, "null"));
    }
    IL_STICKY(il_buf_putc(out, ','));
    s_jstr(out, "result", il_apply_state_str(s_state(v, i)));
    IL_STICKY(il_buf_putc(out, ','));
    s_jstr(out, "error_code", r ? r->error_code : NULL);
    IL_STICKY(il_buf_putc(out, ','));
    s_jstr(out, "error", r ? r->error : NULL);
    IL_STICKY(il_buf_putc(out, '}'));
}

static enum il_status s_json(const struct il_apply_view *v, struct il_buf *out) {
    struct s_counts c = s_count(v);
    IL_STICKY(il_buf_puts(out, "{\n  \"tool\": \"inspector-ledger\",\n  \"version\": "));
    IL_STICKY(il_escape_json(out, IL_VERSION));
    IL_STICKY(il_buf_puts(out, ",\n  \"command\": \"apply\",\n  \"mode\": "));
    IL_STICKY(il_escape_json(out, v->mode));
    IL_STICKY(il_buf_puts(out, ",\n  \"ledger\": "));
    IL_STICKY(v->ledger_file ? il_escape_json(out, v->ledger_file) : il_buf_puts(out, "null"));
    IL_STICKY(il_buf_puts(out, ",\n  \"as_of\": "));
    IL_STICKY(v->as_of ? il_escape_json(out, v->as_of) : il_buf_puts(out, "null"));
    IL_STICKY(il_buf_puts(out, ",\n  \"changes\": ["));
    for (size_t i = 0; i < v->count; i++) {
        s_json_change(out, v, i);
    }
    IL_STICKY(il_buf_puts(out, v->count ? "\n  ],\n  \"unverified\": [" : "],\n  \"unverified\": ["));
    for (size_t i = 0; i < v->unverified_count; i++) {
        IL_STICKY(il_buf_puts(out, i ? ", " : ""));
        IL_STICKY(il_escape_json(out, v->unverified[i]));
    }
    IL_STICKY(il_buf_printf(out,
                            "],\n  \"summary\": {\"planned\": %zu, \"add\": %zu, \"remove\": %zu, \"done\": %zu, "
                            "\"failed\": %zu, \"not_attempted\": %zu, \"unverified\": %zu, ",
                            v->count, c.add, c.remove, c.done, c.failed, c.not_attempted, v->unverified_count));
    s_jstr(out, "scope", v->scope);
    IL_STICKY(il_buf_puts(out, ", "));
    s_jstr(out, "entries", v->coverage);
    return il_buf_puts(out, "}\n}\n");
}

/* ---- markdown ---- */

static void s_md(struct il_buf *out, const char *text) {
    IL_STICKY(text ? il_escape_markdown(out, text) : il_buf_puts(out, ""));
}

static enum il_status s_markdown(const struct il_apply_view *v, struct il_buf *out) {
    struct s_counts c = s_count(v);
    int applied = strcmp(v->mode, "apply") == 0;
    IL_STICKY(il_buf_printf(out, "### inspector-ledger apply: %zu change%s %s", applied ? c.done : v->count,
                            (applied ? c.done : v->count) == 1 ? "" : "s",
                            applied                            ? "applied"
                            : strcmp(v->mode, "declined") == 0 ? "planned (declined)"
                                                               : "planned"));
    if (c.failed) {
        IL_STICKY(il_buf_printf(out, ", %zu failed", c.failed));
    }
    IL_STICKY(il_buf_puts(out, "\n\n"));
    if (v->count) {
        IL_STICKY(il_buf_puts(out, "| Action | Tag | Function | Account | Region | Reason | Ledger entry | Expires | "
                                   "Result |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"));
    } else {
        IL_STICKY(il_buf_puts(out, "No change: the tags already follow the ledger.\n"));
    }
    for (size_t i = 0; i < v->count; i++) {
        const struct il_apply_action *a = &v->actions[i];
        IL_STICKY(il_buf_printf(out, "| %s | `", a->kind == IL_APPLY_TAG ? "add" : "remove"));
        s_md(out, a->key);
        IL_STICKY(il_buf_putc(out, '='));
        s_md(out, a->value);
        IL_STICKY(il_buf_puts(out, "` | "));
        s_md(out, a->arn);
        IL_STICKY(il_buf_puts(out, " | "));
        s_md(out, a->account);
        IL_STICKY(il_buf_puts(out, " | "));
        s_md(out, a->region);
        IL_STICKY(il_buf_puts(out, " | "));
        s_md(out, a->why);
        IL_STICKY(il_buf_puts(out, " | "));
        if (a->entry) {
            s_md(out, v->ledger_file);
            IL_STICKY(il_buf_printf(out, ":%u", a->entry->line));
        }
        IL_STICKY(il_buf_puts(out, " | "));
        s_md(out, a->entry && a->entry->expires_at.valid ? a->entry->expires_at.text.value : NULL);
        IL_STICKY(il_buf_puts(out, " | "));
        s_md(out, il_apply_state_str(s_state(v, i)));
        IL_STICKY(il_buf_puts(out, " |\n"));
    }
    if (v->coverage) {
        IL_STICKY(il_buf_puts(out, "\nEntries: "));
        s_md(out, v->coverage);
        IL_STICKY(il_buf_putc(out, '\n'));
    }
    if (v->unverified_count) {
        IL_STICKY(il_buf_puts(out, "\n**Not verified — nothing was planned there:**\n\n"));
        for (size_t i = 0; i < v->unverified_count; i++) {
            IL_STICKY(il_buf_puts(out, "- "));
            s_md(out, v->unverified[i]);
            IL_STICKY(il_buf_putc(out, '\n'));
        }
    }
    return il_buf_status(out);
}

enum il_status il_apply_render(enum il_apply_format format, const struct il_apply_view *v, struct il_buf *out) {
    switch (format) {
    case IL_APPLY_FORMAT_JSON: return s_json(v, out);
    case IL_APPLY_FORMAT_MARKDOWN: return s_markdown(v, out);
    case IL_APPLY_FORMAT_TEXT: break;
    }
    for (size_t i = 0; i < v->count; i++) {
        IL_TRY(il_apply_render_line(v, i, out));
    }
    return il_apply_render_summary(v, out);
}
