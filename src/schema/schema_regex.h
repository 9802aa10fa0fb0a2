/* Private to the regex files: the compiled program (an NFA) shared by the parser, the Pike VM and the DFA. */
#ifndef IL_SCHEMA_REGEX_H
#define IL_SCHEMA_REGEX_H

#include <stddef.h>
#include <stdint.h>

#include "schema/schema_internal.h"

#define IL_CP_MAX 0x10FFFFu

enum { I_CHAR, I_SET, I_ANY, I_BOL, I_EOL, I_WB, I_NWB, I_JMP, I_SPLIT, I_MATCH };

struct il_re_set {
    uint32_t *r; /* sorted, merged [lo, hi] pairs */
    size_t n;    /* number of pairs */
};

struct il_re_inst {
    uint8_t op;
    uint32_t x, y; /* I_CHAR: code point; I_SET: set index; I_JMP: target; I_SPLIT: both targets */
};

struct il_re_dfa;

struct il_regex {
    struct il_re_set *sets;
    size_t nsets;
    struct il_re_inst *prog;
    size_t nprog;
    struct il_re_dfa *dfa; /* NULL when the pattern is not DFA-friendly */
};

/* Parser state and AST (schema_regex_parse.c), consumed by the code generator (schema_regex.c). */
#define IL_RE_MAX_COUNT 10000
enum { A_SET, A_CHAR, A_ANY, A_BOL, A_EOL, A_WB, A_NWB, A_CAT, A_ALT, A_REP, A_EMPTY };

struct il_re_ast {
    uint8_t type;
    int x, y;     /* children, or set index / code point */
    int min, max; /* A_REP; max -1 = unbounded */
};

struct il_re_parser {
    const unsigned char *p, *end;
    struct il_regex *re;
    struct il_re_ast *ast;
    size_t nast, capast;
    const char *why;
    unsigned depth;
    /* ranges of the class being built */
    uint32_t *tmp;
    size_t ntmp, captmp;
};

/** Parse the whole pattern: the root AST node, or -1 with ps->why set. */
int il_re_parse(struct il_re_parser *ps);
/** Record the first error; returns -1. */
int il_re_fail(struct il_re_parser *ps, const char *why);

/** Decode one code point of @p s (len >= 1); invalid UTF-8 yields U+FFFD for one byte. */
uint32_t il_re_decode(const unsigned char *s, size_t len, size_t *adv);
int il_re_in_set(const struct il_re_set *set, uint32_t cp);
/** Does the consuming instruction @p in accept @p cp? */
int il_re_step_ok(const struct il_regex *re, const struct il_re_inst *in, uint32_t cp);
/** Pike VM search. */
int il_re_pike(const struct il_regex *re, const unsigned char *s, size_t len);

/** Build the ASCII DFA when the pattern allows it (no \b/\B, bounded state count). IL_ERR_NOMEM only. */
enum il_status il_re_dfa_build(struct il_regex *re);
/** 1/0 when the DFA decided, -1 when the subject needs the Pike VM (non-ASCII, empty, or no DFA). */
int il_re_dfa_run(const struct il_regex *re, const unsigned char *s, size_t len);
void il_re_dfa_free(struct il_re_dfa *dfa);

#endif
