/*
 * A DFA for ASCII subjects, built once when the pattern is compiled (subset construction over the NFA program).
 *
 * Ledger fields are checked against the same few patterns tens of thousands of times, so matching must cost one
 * table look-up per byte rather than a walk over NFA threads. The DFA is built eagerly, so a compiled regex never
 * changes after compilation (safe to share), and only when it stays small (IL_DFA_MAX_STATES): otherwise, for
 * word-boundary assertions, and for subjects with non-ASCII bytes, the Pike VM (schema_regex_vm.c) does the work.
 *
 * A state is the set of NFA program counters the threads wait at: consuming instructions, `$` assertions not yet
 * decided, and MATCH when it was reached. Search semantics (a match may start anywhere) come from adding the
 * program's entry at every position; `^` only holds in the start state.
 */
#include <stdlib.h>
#include <string.h>

#include "schema/schema_regex.h"

#define IL_DFA_MAX_STATES 1024
/* Closure steps the construction may take (states x 128 x threads): a few milliseconds. A hostile pattern (a hundred
 * `.` before a class, found by fuzz_schema) reaches the state bound only after ~10^8 steps; past this budget it is
 * left to the Pike VM, so compiling a schema stays fast whatever its patterns. */
#define IL_DFA_MAX_WORK ((size_t)1 << 22)
#define IL_DFA_DEAD 0xFFFFu

struct il_re_dfa {
    uint32_t nstates;
    uint32_t cap; /* states the arrays below have room for */
    uint16_t start;
    uint16_t *next;      /* nstates * 128 */
    uint8_t *match;      /* MATCH reached: the search succeeds on entering */
    uint8_t *accept_end; /* the search succeeds when the subject ends here */
};

struct s_builder {
    const struct il_regex *re;
    uint32_t *marks;
    uint32_t gen;
    uint32_t *stack;
    uint32_t *tmp; /* the set being built */
    size_t ntmp;
    uint32_t **sets; /* per state */
    size_t *setlen;
    uint32_t *htab; /* state id + 1, open addressing */
    size_t hcap;
    struct il_re_dfa *dfa;
    size_t work; /* closure steps so far, against IL_DFA_MAX_WORK */
};

/* Add the closure of @p pc0 to b->tmp. @p bol: `^` holds here. */
static void s_closure(struct s_builder *b, uint32_t pc0, int bol) {
    size_t sp = 0;
    b->stack[sp++] = pc0;
    while (sp > 0) {
        uint32_t pc = b->stack[--sp];
        b->work++;
        if (b->marks[pc] == b->gen) {
            continue;
        }
        b->marks[pc] = b->gen;
        const struct il_re_inst *in = &b->re->prog[pc];
        switch (in->op) {
        case I_JMP: b->stack[sp++] = in->x; break;
        case I_SPLIT:
            b->stack[sp++] = in->y;
            b->stack[sp++] = in->x;
            break;
        case I_BOL:
            if (bol) {
                b->stack[sp++] = pc + 1;
            }
            break;
        default: b->tmp[b->ntmp++] = pc; break; /* consuming, EOL (undecided) or MATCH */
        }
    }
}

/* Does the subject ending here satisfy the state? Follow `$` with end-of-input holding. */
static int s_accepts_at_end(struct s_builder *b, const uint32_t *set, size_t n) {
    b->gen++;
    for (size_t i = 0; i < n; i++) {
        const struct il_re_inst *in = &b->re->prog[set[i]];
        if (in->op == I_MATCH) {
            return 1;
        }
        if (in->op != I_EOL) {
            continue;
        }
        size_t sp = 0;
        b->stack[sp++] = set[i] + 1;
        while (sp > 0) {
            uint32_t pc = b->stack[--sp];
            if (b->marks[pc] == b->gen) {
                continue;
            }
            b->marks[pc] = b->gen;
            const struct il_re_inst *p = &b->re->prog[pc];
            if (p->op == I_MATCH) {
                return 1;
            }
            if (p->op == I_JMP) {
                b->stack[sp++] = p->x;
            } else if (p->op == I_SPLIT) {
                b->stack[sp++] = p->y;
                b->stack[sp++] = p->x;
            } else if (p->op == I_EOL) {
                b->stack[sp++] = pc + 1;
            }
        }
    }
    return 0;
}

static int s_cmp_u32(const void *a, const void *c) {
    uint32_t x = *(const uint32_t *)a;
    uint32_t y = *(const uint32_t *)c;
    return x < y ? -1 : x > y;
}

static uint32_t s_set_hash(const uint32_t *v, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ v[i]) * 16777619u;
    }
    return h;
}

/* The state for b->tmp, adding it when new. IL_DFA_DEAD for the empty set; -1 when out of states or memory. */
static long s_state(struct s_builder *b) {
    if (b->ntmp == 0) {
        return IL_DFA_DEAD;
    }
    qsort(b->tmp, b->ntmp, sizeof(uint32_t), s_cmp_u32);
    size_t mask = b->hcap - 1;
    size_t slot = s_set_hash(b->tmp, b->ntmp) & mask;
    for (; b->htab[slot] != 0; slot = (slot + 1) & mask) {
        uint32_t id = b->htab[slot] - 1;
        if (b->setlen[id] == b->ntmp && memcmp(b->sets[id], b->tmp, b->ntmp * sizeof(uint32_t)) == 0) {
            return id;
        }
    }
    struct il_re_dfa *d = b->dfa;
    if (d->nstates >= IL_DFA_MAX_STATES) {
        return -1;
    }
    if (d->nstates == d->cap) { /* most patterns need a handful of states: grow on demand */
        uint32_t cap = d->cap * 2;
        uint16_t *next = realloc(d->next, (size_t)cap * 128 * sizeof(uint16_t));
        if (next == NULL) {
            return -1;
        }
        d->next = next;
        uint8_t *match = realloc(d->match, cap);
        if (match == NULL) {
            return -1;
        }
        d->match = match;
        uint8_t *acc = realloc(d->accept_end, cap);
        if (acc == NULL) {
            return -1;
        }
        d->accept_end = acc;
        d->cap = cap;
    }
    uint32_t id = d->nstates;
    if ((b->sets[id] = malloc(b->ntmp * sizeof(uint32_t))) == NULL) {
        return -1;
    }
    memcpy(b->sets[id], b->tmp, b->ntmp * sizeof(uint32_t));
    b->setlen[id] = b->ntmp;
    b->htab[slot] = id + 1;
    d->match[id] = 0;
    for (size_t i = 0; i < b->ntmp; i++) {
        d->match[id] |= b->re->prog[b->tmp[i]].op == I_MATCH;
    }
    d->nstates++;
    return id;
}

void il_re_dfa_free(struct il_re_dfa *dfa) {
    if (dfa == NULL) {
        return;
    }
    free(dfa->next);
    free(dfa->match);
    free(dfa->accept_end);
    free(dfa);
}

enum il_status il_re_dfa_build(struct il_regex *re) {
    for (size_t pc = 0; pc < re->nprog; pc++) {
        if (re->prog[pc].op == I_WB || re->prog[pc].op == I_NWB) {
            return IL_OK; /* \b needs the previous character: Pike VM only */
        }
    }
    size_t n = re->nprog;
    struct s_builder b = {.re = re, .hcap = 4 * IL_DFA_MAX_STATES};
    const uint32_t initial = 16;
    struct il_re_dfa *d = calloc(1, sizeof(*d));
    b.dfa = d;
    b.marks = calloc(n, sizeof(uint32_t));
    b.stack = malloc((2 * n + 2) * sizeof(uint32_t));
    b.tmp = malloc((n + 1) * sizeof(uint32_t));
    b.sets = calloc(IL_DFA_MAX_STATES, sizeof(*b.sets));
    b.setlen = calloc(IL_DFA_MAX_STATES, sizeof(*b.setlen));
    b.htab = calloc(b.hcap, sizeof(uint32_t));
    enum il_status st = IL_ERR_NOMEM;
    int ok = 0;
    if (d == NULL || b.marks == NULL || b.stack == NULL || b.tmp == NULL || b.sets == NULL || b.setlen == NULL ||
        b.htab == NULL || (d->next = malloc((size_t)initial * 128 * sizeof(uint16_t))) == NULL ||
        (d->match = calloc(initial, 1)) == NULL || (d->accept_end = calloc(initial, 1)) == NULL) {
        goto cleanup;
    }
    d->cap = initial;
    st = IL_OK;
    b.gen = 1;
    b.ntmp = 0;
    s_closure(&b, 0, 1);
    long start = s_state(&b);
    if (start < 0 || start == IL_DFA_DEAD) {
        goto cleanup; /* nothing can match at all, or no memory: leave it to the Pike VM */
    }
    d->start = (uint16_t)start;
    for (uint32_t s = 0; s < d->nstates; s++) {
        for (uint32_t c = 0; c < 128; c++) {
            b.gen++;
            b.ntmp = 0;
            for (size_t i = 0; i < b.setlen[s]; i++) {
                uint32_t pc = b.sets[s][i];
                const struct il_re_inst *in = &re->prog[pc];
                if (in->op != I_EOL && in->op != I_MATCH && il_re_step_ok(re, in, c)) {
                    s_closure(&b, pc + 1, 0);
                }
            }
            s_closure(&b, 0, 0); /* a match may also start at the next position */
            long t = b.work > IL_DFA_MAX_WORK ? -1 : s_state(&b);
            if (t < 0) {
                goto cleanup; /* too many states or too much work: the Pike VM handles this pattern */
            }
            d->next[s * 128 + c] = (uint16_t)t;
        }
        d->accept_end[s] = (uint8_t)s_accepts_at_end(&b, b.sets[s], b.setlen[s]);
    }
    ok = 1;
cleanup:
    for (size_t i = 0; b.sets != NULL && d != NULL && i < d->nstates; i++) {
        free(b.sets[i]);
    }
    free(b.marks);
    free(b.stack);
    free(b.tmp);
    free(b.sets);
    free(b.setlen);
    free(b.htab);
    if (ok) {
        re->dfa = d;
    } else {
        il_re_dfa_free(d);
    }
    return st;
}

int il_re_dfa_run(const struct il_regex *re, const unsigned char *s, size_t len) {
    const struct il_re_dfa *d = re->dfa;
    if (d == NULL || len == 0) {
        return -1;
    }
    uint32_t st = d->start;
    if (d->match[st]) {
        return 1;
    }
    for (size_t i = 0; i < len; i++) {
        if (s[i] >= 0x80) {
            return -1;
        }
        st = d->next[st * 128 + s[i]];
        if (st == IL_DFA_DEAD) {
            return 0;
        }
        if (d->match[st]) {
            return 1;
        }
    }
    return d->accept_end[st];
}
