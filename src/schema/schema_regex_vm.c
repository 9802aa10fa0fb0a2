/*
 * Pike VM: runs the NFA program over the subject keeping one thread per program counter, so time is
 * O(subject length x program size) whatever the pattern. Used when the DFA (schema_regex_dfa.c) cannot be: non-ASCII
 * subjects, word-boundary assertions, or patterns whose DFA would be too large.
 */
#include <stdlib.h>
#include <string.h>

#include "schema/schema_regex.h"

#define IL_RE_STACK_PROG 192 /* programs up to this size run with scratch space on the stack */

struct s_vm {
    const struct il_regex *re;
    uint32_t *marks; /* generation in which each pc was added */
    uint32_t gen;
    uint32_t *stack;
};

struct s_list {
    uint32_t *pc;
    size_t n;
};

static int s_is_word(long cp) {
    return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || cp == '_';
}

int il_re_in_set(const struct il_re_set *set, uint32_t cp) {
    size_t lo = 0;
    size_t hi = set->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < set->r[2 * mid]) {
            hi = mid;
        } else if (cp > set->r[2 * mid + 1]) {
            lo = mid + 1;
        } else {
            return 1;
        }
    }
    return 0;
}

/* Add the thread at @p pc (following jumps and assertions) for the position between @p prev and @p cur (-1 at the
 * ends of the subject). Returns 1 when MATCH is reachable. */
static int s_add(struct s_vm *vm, struct s_list *l, uint32_t pc0, long prev, long cur) {
    size_t sp = 0;
    vm->stack[sp++] = pc0;
    while (sp > 0) {
        uint32_t pc = vm->stack[--sp];
        if (vm->marks[pc] == vm->gen) {
            continue;
        }
        vm->marks[pc] = vm->gen;
        const struct il_re_inst *in = &vm->re->prog[pc];
        switch (in->op) {
        case I_MATCH: return 1;
        case I_JMP: vm->stack[sp++] = in->x; break;
        case I_SPLIT:
            vm->stack[sp++] = in->y;
            vm->stack[sp++] = in->x;
            break;
        case I_BOL:
            if (prev < 0) {
                vm->stack[sp++] = pc + 1;
            }
            break;
        case I_EOL:
            if (cur < 0) {
                vm->stack[sp++] = pc + 1;
            }
            break;
        case I_WB:
        case I_NWB:
            if ((s_is_word(prev) != s_is_word(cur)) == (in->op == I_WB)) {
                vm->stack[sp++] = pc + 1;
            }
            break;
        default: l->pc[l->n++] = pc; break;
        }
    }
    return 0;
}

int il_re_step_ok(const struct il_regex *re, const struct il_re_inst *in, uint32_t cp) {
    switch (in->op) {
    case I_CHAR: return in->x == cp;
    case I_SET: return il_re_in_set(&re->sets[in->x], cp);
    case I_ANY: return cp != '\n' && cp != '\r' && cp != 0x2028 && cp != 0x2029;
    default: return 0;
    }
}

static int s_run(struct s_vm *vm, struct s_list *cl, struct s_list *nl, const unsigned char *s, size_t len) {
    size_t pos = 0;
    long prev = -1;
    size_t adv = 0;
    long cur = len > 0 ? (long)il_re_decode(s, len, &adv) : -1;
    vm->gen++;
    cl->n = 0;
    for (;;) {
        if (s_add(vm, cl, 0, prev, cur)) { /* a match may start at every position */
            return 1;
        }
        if (pos >= len) {
            return 0;
        }
        size_t npos = pos + adv;
        long nprev = cur;
        size_t nadv = 0;
        long ncur = npos < len ? (long)il_re_decode(s + npos, len - npos, &nadv) : -1;
        vm->gen++;
        nl->n = 0;
        for (size_t i = 0; i < cl->n; i++) {
            const struct il_re_inst *in = &vm->re->prog[cl->pc[i]];
            if (il_re_step_ok(vm->re, in, (uint32_t)cur) && s_add(vm, nl, cl->pc[i] + 1, nprev, ncur)) {
                return 1;
            }
        }
        struct s_list t = *cl;
        *cl = *nl;
        *nl = t;
        pos = npos;
        prev = nprev;
        cur = ncur;
        adv = nadv;
    }
}

int il_re_pike(const struct il_regex *re, const unsigned char *s, size_t len) {
    size_t n = re->nprog;
    uint32_t small[5 * IL_RE_STACK_PROG + 2];
    uint32_t *mem = small;
    if (n > IL_RE_STACK_PROG) {
        mem = malloc((5 * n + 2) * sizeof(uint32_t));
        if (mem == NULL) {
            return 0; /* fail closed: no memory means no match */
        }
    }
    memset(mem, 0, n * sizeof(uint32_t));
    struct s_vm vm = {.re = re, .marks = mem, .gen = 0, .stack = mem + n};
    struct s_list a = {.pc = mem + 3 * n + 2};
    struct s_list b = {.pc = mem + 4 * n + 2};
    int r = s_run(&vm, &a, &b, s, len);
    if (mem != small) {
        free(mem);
    }
    return r;
}
