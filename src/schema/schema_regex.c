/*
 * ECMA-262 regular expressions for `pattern` and `patternProperties`: the pattern is parsed (schema_regex_parse.c),
 * compiled here into a Thompson NFA program, and matched by a DFA built at compile time for ASCII subjects
 * (schema_regex_dfa.c) or else by a Pike VM (schema_regex_vm.c).
 *
 * Why not POSIX regcomp: its meaning of `.` and character counts depends on the process locale, `\d`/`\w`/`\s` need
 * translating, and glibc's matcher backtracks on some patterns. This engine works on Unicode code points (like the
 * `u` flag), runs in time linear in the subject for a fixed pattern (no ReDoS from a hostile ledger), and rejects at
 * compile time anything it does not implement (lookaround, backreferences, \p{...}) so a schema never silently
 * passes a string it could not check.
 *
 * Supported: literals, `.`, `^`, `$`, `\b`, `\B`, classes `[...]` / `[^...]` with ranges, `\d \D \w \W \s \S`,
 * escapes `\t \n \v \f \r \0 \cX \xHH \uHHHH \u{H...}` and escaped syntax characters, groups `(...)`, `(?:...)`,
 * `(?<name>...)`, alternation, and the quantifiers `* + ? {n} {n,} {n,m}` (lazy forms match the same strings).
 */
#include <stdlib.h>
#include <string.h>

#include "schema/schema_regex.h"

#define IL_RE_MAX_PATTERN 8192
#define IL_RE_MAX_PROG 20000

/* ---- code generation: AST to NFA program ---- */

static int s_emit(struct il_re_parser *ps, int op, uint32_t x, uint32_t y) {
    struct il_regex *re = ps->re;
    if (re->nprog >= IL_RE_MAX_PROG) {
        return il_re_fail(ps, "pattern too large after expanding repetitions");
    }
    if ((re->nprog & (re->nprog - 1)) == 0) { /* grow at powers of two */
        size_t cap = re->nprog ? re->nprog * 2 : 16;
        struct il_re_inst *p = realloc(re->prog, cap * sizeof(*p));
        if (p == NULL) {
            return il_re_fail(ps, "out of memory");
        }
        re->prog = p;
    }
    re->prog[re->nprog].op = (uint8_t)op;
    re->prog[re->nprog].x = x;
    re->prog[re->nprog].y = y;
    return (int)re->nprog++;
}

static int s_gen(struct il_re_parser *ps, int n, unsigned depth) {
    const struct il_re_ast *a = &ps->ast[n];
    if (depth > IL_SCHEMA_MAX_DEPTH * 4) {
        return il_re_fail(ps, "pattern nested too deeply");
    }
    switch (a->type) {
    case A_EMPTY: return 0;
    case A_CHAR: return s_emit(ps, I_CHAR, (uint32_t)a->x, 0) < 0 ? -1 : 0;
    case A_SET: return s_emit(ps, I_SET, (uint32_t)a->x, 0) < 0 ? -1 : 0;
    case A_ANY: return s_emit(ps, I_ANY, 0, 0) < 0 ? -1 : 0;
    case A_BOL: return s_emit(ps, I_BOL, 0, 0) < 0 ? -1 : 0;
    case A_EOL: return s_emit(ps, I_EOL, 0, 0) < 0 ? -1 : 0;
    case A_WB: return s_emit(ps, I_WB, 0, 0) < 0 ? -1 : 0;
    case A_NWB: return s_emit(ps, I_NWB, 0, 0) < 0 ? -1 : 0;
    case A_CAT: return s_gen(ps, a->x, depth + 1) < 0 ? -1 : s_gen(ps, a->y, depth + 1);
    case A_ALT: {
        int split = s_emit(ps, I_SPLIT, 0, 0);
        if (split < 0 || s_gen(ps, a->x, depth + 1) < 0) {
            return -1;
        }
        int jmp = s_emit(ps, I_JMP, 0, 0);
        if (jmp < 0) {
            return -1;
        }
        ps->re->prog[split].x = (uint32_t)split + 1;
        ps->re->prog[split].y = (uint32_t)ps->re->nprog;
        if (s_gen(ps, a->y, depth + 1) < 0) {
            return -1;
        }
        ps->re->prog[jmp].x = (uint32_t)ps->re->nprog;
        return 0;
    }
    case A_REP: {
        int min = a->min;
        int max = a->max;
        int child = a->x;
        for (int i = 0; i < min; i++) {
            if (s_gen(ps, child, depth + 1) < 0) {
                return -1;
            }
        }
        if (max < 0) { /* L: split body, end; body; jmp L */
            int split = s_emit(ps, I_SPLIT, 0, 0);
            if (split < 0 || s_gen(ps, child, depth + 1) < 0 || s_emit(ps, I_JMP, (uint32_t)split, 0) < 0) {
                return -1;
            }
            ps->re->prog[split].x = (uint32_t)split + 1;
            ps->re->prog[split].y = (uint32_t)ps->re->nprog;
            return 0;
        }
        /* (max - min) optional copies, each able to skip to the end. Until the end is known, each SPLIT's y links
         * to the previous SPLIT so they can be patched in one walk. */
        uint32_t chain = UINT32_MAX;
        for (int i = min; i < max; i++) {
            int split = s_emit(ps, I_SPLIT, (uint32_t)ps->re->nprog + 1, chain);
            if (split < 0 || s_gen(ps, child, depth + 1) < 0) {
                return -1;
            }
            chain = (uint32_t)split;
        }
        uint32_t end = (uint32_t)ps->re->nprog;
        while (chain != UINT32_MAX) {
            uint32_t prev = ps->re->prog[chain].y;
            ps->re->prog[chain].y = end;
            chain = prev;
        }
        return 0;
    }
    default: break;
    }
    return il_re_fail(ps, "internal error");
}

void il_regex_free(struct il_regex *re) {
    if (re == NULL) {
        return;
    }
    for (size_t i = 0; i < re->nsets; i++) {
        free(re->sets[i].r);
    }
    free(re->sets);
    free(re->prog);
    il_re_dfa_free(re->dfa);
    free(re);
}

enum il_status il_regex_compile(const char *pattern, size_t len, struct il_regex **out, const char **why) {
    *out = NULL;
    *why = NULL;
    if (len > IL_RE_MAX_PATTERN) {
        *why = "pattern too long";
        return IL_ERR_INVALID;
    }
    struct il_regex *re = calloc(1, sizeof(*re));
    if (re == NULL) {
        return IL_ERR_NOMEM;
    }
    struct il_re_parser ps = {
        .p = (const unsigned char *)pattern, .end = (const unsigned char *)pattern + len, .re = re};
    enum il_status st = IL_ERR_INVALID;
    int root = il_re_parse(&ps);
    if (root < 0 || s_gen(&ps, root, 0) < 0 || s_emit(&ps, I_MATCH, 0, 0) < 0) {
        *why = ps.why ? ps.why : "invalid pattern";
        if (ps.why != NULL && strcmp(ps.why, "out of memory") == 0) {
            st = IL_ERR_NOMEM;
        }
        goto cleanup;
    }
    if (il_re_dfa_build(re) == IL_ERR_NOMEM) {
        st = IL_ERR_NOMEM;
        goto cleanup;
    }
    *out = re;
    re = NULL;
    st = IL_OK;
cleanup:
    il_regex_free(re);
    free(ps.ast);
    free(ps.tmp);
    return st;
}

int il_regex_search(const struct il_regex *re, const char *s, size_t len) {
    int r = il_re_dfa_run(re, (const unsigned char *)s, len);
    return r >= 0 ? r : il_re_pike(re, (const unsigned char *)s, len);
}
