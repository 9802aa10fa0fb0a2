/*
 * Loading a large ledger in two halves at once. libyaml is strictly sequential and is most of the time `validate`
 * spends, but a ledger is one long block sequence (`exclusions:`) of similar entries, so a line that starts an entry
 * of that sequence can be a cut: the part before it is a complete document, the part after it a block sequence of its
 * own. Each half is parsed into its own arena on its own thread, then the second half's entries are appended to the
 * first half's sequence.
 *
 * The cut is only a guess from the bytes; the join is accepted only when the two parses prove it was right, and
 * otherwise the input is loaded whole (which also yields the exact diagnostic when the input is bad). Why the checks
 * below are enough: a parser reading the whole input is, at the cut, in the state the first half's parser is in at
 * its end. If that half ends inside a quoted scalar or a flow collection, its parse fails. If it ends in a block
 * scalar or a plain scalar, the cut line ends that scalar anyway: it starts at the sequence's own column, which is
 * less indented than any content of an entry. So when the cut line starts an entry (`- `), the first half parses,
 * ends with its root mapping's last value being an undecorated block sequence (no anchor or tag, which would move
 * its start off the first `-`) at the cut line's column, and has no `...` (which would make the second half a second
 * document) and no directives (which would change how the second half's tags read), the whole-input parser sees the
 * cut line as the next entry of that sequence, and every later line exactly as the second half's parser does, until
 * a line less indented than the sequence: there the second half's parse fails (its root is complete), and the
 * input is loaded whole. Aliases cannot reach across the cut: an alias in the second half to an anchor in the first
 * fails as undefined. Limits hold for the sum: the node bound is checked on the total, the depth bound is lowered by
 * the levels the second half does not see.
 */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "doc/doc_yaml_internal.h"
#include "il/doc/yaml.h"

/* Below this size a second thread costs more than it saves (measured: it gains from ~256 KiB; kept well above). */
#define S_SPLIT_MIN ((size_t)1024 * 1024)

/* When the line starting at @p at starts a block sequence entry ("- ", or "-" ending the line), its indentation;
 * else -1. */
static long s_entry_at(const char *data, size_t len, size_t at) {
    size_t n = 0;
    while (at + n < len && data[at + n] == ' ') {
        n++;
    }
    if (at + n + 1 < len && data[at + n] == '-' && (data[at + n + 1] == ' ' || data[at + n + 1] == '\n')) {
        return (long)n;
    }
    return -1;
}

/* The start of the first line at or after @p from that starts an entry (at indentation @p indent, or at any when it
 * is negative), or @p len when there is none. @p from must be a line start. */
static size_t s_next_entry(const char *data, size_t len, size_t from, long indent) {
    for (size_t at = from; at < len;) {
        long n = s_entry_at(data, len, at);
        if (n >= 0 && (indent < 0 || n == indent)) {
            return at;
        }
        const char *nl = memchr(data + at, '\n', len - at);
        if (nl == NULL) {
            break;
        }
        at = (size_t)(nl - data) + 1;
    }
    return len;
}

/* Whether this process may run on two processors at once (its affinity mask: taskset, container cpusets). On one,
 * the two halves only take turns, and the split costs ~20% more than the whole load (measured at 10k entries: 0.141 s
 * against 0.117 s). */
static int s_two_cpus(void) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        return CPU_COUNT(&set) >= 2;
    }
    return sysconf(_SC_NPROCESSORS_ONLN) >= 2;
}

size_t il_yaml_split_point(const char *data, size_t len) {
    if (data == NULL || len < S_SPLIT_MIN || !s_two_cpus()) {
        return 0;
    }
    size_t first = s_next_entry(data, len, 0, -1);
    if (first == len) {
        return 0;
    }
    /* the first line after the middle that starts an entry at the first entry's indentation */
    const char *nl = memchr(data + len / 2, '\n', len - len / 2);
    if (nl == NULL) {
        return 0;
    }
    size_t at = s_next_entry(data, len, (size_t)(nl - data) + 1, s_entry_at(data, len, first));
    return at < len ? at : 0;
}

/* Line breaks before @p at, counted as libyaml counts them when the input has only LF and CRLF breaks (any other
 * break makes the first half's own count differ, and the join is refused). */
static unsigned s_lines_before(const char *data, size_t at) {
    unsigned lines = 0;
    for (const char *p = data, *end = data + at; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL) {
            break;
        }
        lines++;
        p = nl + 1;
    }
    return lines;
}

struct s_half {
    struct il_yaml_part part;
    const char *filename;
    enum il_status st;
};

static void *s_parse_half(void *arg) {
    struct s_half *h = arg;
    h->st = il_yaml_parse_part(&h->part, h->filename);
    return NULL;
}

/* The first half's sequence that the second half continues, when the two parses prove the cut (see the top). */
static struct il_node *s_joint(const struct s_half *first, const struct s_half *second, unsigned lines) {
    const struct il_yaml_part *a = &first->part, *b = &second->part;
    if (a->directives || a->explicit_end || b->explicit_start || b->directives || a->end_line != lines) {
        return NULL;
    }
    const struct il_node *root = il_doc_root(a->doc);
    const struct il_node *tail = il_doc_root(b->doc);
    size_t members = root != NULL && il_node_type(root) == IL_NODE_OBJECT ? il_node_size(root) : 0;
    if (members == 0 || a->last_block_seq == NULL || il_node_value_at(root, members - 1) != a->last_block_seq) {
        return NULL;
    }
    if (tail == NULL || il_node_type(tail) != IL_NODE_ARRAY || il_node_line(tail) != lines + 1 ||
        il_node_column(tail) != il_node_column(a->last_block_seq)) {
        return NULL;
    }
    return a->last_block_seq;
}

int il_yaml_load_split(const char *data, size_t len, const char *filename, const struct il_load_limits *limits,
                       size_t at, struct il_doc **out) {
    *out = NULL;
    /* The cut line must start an entry: then the second half's root starts at that `-`, undecorated (an anchor or
     * a tag before it would move the root's start, and its column would prove nothing). */
    if (at == 0 || at >= len || data[at - 1] != '\n' || limits->max_depth < 3 || s_entry_at(data, len, at) < 0) {
        return 0;
    }
    unsigned lines = s_lines_before(data, at);
    /* no diagnostics from either half (report.diags is NULL): a failed half only means "load it whole" */
    struct s_half first = {.part = {.data = data, .len = at, .limits = *limits}, .filename = filename};
    struct s_half second = {
        .part = {.data = data + at, .len = len - at, .line_base = lines, .limits = *limits},
        .filename = filename,
    };
    second.part.limits.max_depth = limits->max_depth - 1; /* it does not see the root mapping */

    pthread_t thread;
    if (pthread_create(&thread, NULL, s_parse_half, &second) != 0) {
        return 0;
    }
    s_parse_half(&first);
    if (pthread_join(thread, NULL) != 0) {
        second.st = IL_ERR_INTERNAL; /* cannot happen for a joinable thread; refuse the join all the same */
    }

    int joined = 0;
    struct il_node *seq = NULL;
    if (first.st == IL_OK && second.st == IL_OK && (seq = s_joint(&first, &second, lines)) != NULL &&
        first.part.total - 1 <= limits->max_nodes - second.part.total) {
        const struct il_node *tail = il_doc_root(second.part.doc);
        il_doc_absorb(first.part.doc, second.part.doc);
        second.part.doc = NULL;
        joined = il_node_array_append_all(first.part.doc, seq, tail) == IL_OK;
    }
    if (joined) {
        *out = first.part.doc;
        first.part.doc = NULL;
    }
    il_doc_free(first.part.doc);
    il_doc_free(second.part.doc);
    return joined;
}
