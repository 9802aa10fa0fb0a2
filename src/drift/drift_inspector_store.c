/* The store of what Inspector said (il/drift/scan_coverage.h): account/region states, and coverage records indexed by
 * (unqualified ARN, scan type) in an open-addressing table so a 100,000-function organization joins in linear time. */
#include <stdlib.h>
#include <string.h>

#include "il/buf.h"
#include "il/drift/scan_coverage.h"
#include "il/hash.h"

struct s_status {
    struct il_scan_cov_status pub;
    char *account, *region, *account_status, *lambda, *lambda_code;
};

struct s_entry {
    struct il_scan_cov_entry pub;
    char *account, *region, *arn, *reason;
};

struct il_scan_cov {
    struct s_status *statuses;
    size_t status_count, status_cap;
    struct s_entry *entries;
    size_t count, cap;
    size_t *slots; /* index + 1 into entries; 0 = empty */
    size_t slot_cap;
};

struct il_scan_cov *il_scan_cov_new(void) {
    return calloc(1, sizeof(struct il_scan_cov));
}

static void s_status_free(struct s_status *s) {
    free(s->account);
    free(s->region);
    free(s->account_status);
    free(s->lambda);
    free(s->lambda_code);
}

static void s_entry_free(struct s_entry *e) {
    free(e->account);
    free(e->region);
    free(e->arn);
    free(e->reason);
}

void il_scan_cov_free(struct il_scan_cov *cov) {
    if (cov == NULL) {
        return;
    }
    for (size_t i = 0; i < cov->status_count; i++) {
        s_status_free(&cov->statuses[i]);
    }
    for (size_t i = 0; i < cov->count; i++) {
        s_entry_free(&cov->entries[i]);
    }
    free(cov->statuses);
    free(cov->entries);
    free(cov->slots);
    free(cov);
}

static char *s_dup(const char *s, int *ok) {
    if (s == NULL) {
        return NULL;
    }
    char *d = il_strdup(s);
    if (d == NULL) {
        *ok = 0;
    }
    return d;
}

enum il_status il_scan_cov_set_status(struct il_scan_cov *cov, const struct il_scan_cov_status *status) {
    struct s_status n = {0};
    int ok = 1;
    n.account = s_dup(status->account, &ok);
    n.region = s_dup(status->region, &ok);
    n.account_status = s_dup(status->account_status ? status->account_status : "UNKNOWN", &ok);
    n.lambda = s_dup(status->lambda, &ok);
    n.lambda_code = s_dup(status->lambda_code, &ok);
    if (!ok || n.account == NULL || n.region == NULL) {
        s_status_free(&n);
        return IL_ERR_NOMEM;
    }
    n.pub = (struct il_scan_cov_status){n.account, n.region, n.account_status, n.lambda, n.lambda_code};
    for (size_t i = 0; i < cov->status_count; i++) {
        struct s_status *s = &cov->statuses[i];
        if (strcmp(s->account, n.account) == 0 && strcmp(s->region, n.region) == 0) {
            s_status_free(s);
            *s = n;
            return IL_OK;
        }
    }
    if (cov->status_count == cov->status_cap) {
        size_t cap = cov->status_cap ? cov->status_cap * 2 : 16;
        struct s_status *grown = realloc(cov->statuses, cap * sizeof(*grown));
        if (grown == NULL) {
            s_status_free(&n);
            return IL_ERR_NOMEM;
        }
        cov->statuses = grown;
        cov->status_cap = cap;
    }
    cov->statuses[cov->status_count++] = n;
    return IL_OK;
}

const struct il_scan_cov_status *il_scan_cov_status(const struct il_scan_cov *cov, const char *account,
                                                    const char *region) {
    for (size_t i = 0; cov && account && region && i < cov->status_count; i++) {
        const struct s_status *s = &cov->statuses[i];
        if (strcmp(s->account, account) == 0 && strcmp(s->region, region) == 0) {
            return &s->pub;
        }
    }
    return NULL;
}

static size_t s_hash(const char *arn, enum il_scan_type type) {
    return (size_t)(il_hash_str(arn) ^ ((uint64_t)type * 0x9e3779b97f4a7c15ull));
}

/* The slot holding (arn, type), or the empty slot where it would go. */
static size_t s_slot(const struct il_scan_cov *cov, const char *arn, enum il_scan_type type) {
    size_t mask = cov->slot_cap - 1;
    size_t i = s_hash(arn, type) & mask;
    while (cov->slots[i] != 0) {
        const struct s_entry *e = &cov->entries[cov->slots[i] - 1];
        if (e->pub.scan_type == type && strcmp(e->arn, arn) == 0) {
            break;
        }
        i = (i + 1) & mask;
    }
    return i;
}

static enum il_status s_grow(struct il_scan_cov *cov) {
    if (cov->slot_cap != 0 && (cov->count + 1) * 2 <= cov->slot_cap) {
        return IL_OK;
    }
    size_t cap = cov->slot_cap ? cov->slot_cap * 2 : 256;
    size_t *slots = calloc(cap, sizeof(*slots));
    if (slots == NULL) {
        return IL_ERR_NOMEM;
    }
    free(cov->slots);
    cov->slots = slots;
    cov->slot_cap = cap;
    for (size_t k = 0; k < cov->count; k++) {
        cov->slots[s_slot(cov, cov->entries[k].arn, cov->entries[k].pub.scan_type)] = k + 1;
    }
    return IL_OK;
}

enum il_status il_scan_cov_add(struct il_scan_cov *cov, const struct il_scan_cov_entry *entry) {
    if (entry->arn == NULL || entry->account == NULL || entry->region == NULL) {
        return IL_ERR_INVALID;
    }
    IL_TRY(s_grow(cov));
    if (cov->count == cov->cap) {
        size_t cap = cov->cap ? cov->cap * 2 : 64;
        struct s_entry *grown = realloc(cov->entries, cap * sizeof(*grown));
        if (grown == NULL) {
            return IL_ERR_NOMEM;
        }
        cov->entries = grown;
        cov->cap = cap;
    }
    struct s_entry n = {0};
    int ok = 1;
    n.account = s_dup(entry->account, &ok);
    n.region = s_dup(entry->region, &ok);
    n.arn = s_dup(entry->arn, &ok);
    n.reason = s_dup(entry->reason ? entry->reason : "", &ok);
    if (!ok) {
        s_entry_free(&n);
        return IL_ERR_NOMEM;
    }
    n.pub = (struct il_scan_cov_entry){n.account, n.region, n.arn, entry->scan_type, entry->scanned, n.reason};
    size_t slot = s_slot(cov, n.arn, n.pub.scan_type);
    if (cov->slots[slot] != 0) {
        struct s_entry *old = &cov->entries[cov->slots[slot] - 1];
        s_entry_free(old);
        *old = n;
        return IL_OK;
    }
    cov->entries[cov->count++] = n;
    cov->slots[slot] = cov->count;
    return IL_OK;
}

const struct il_scan_cov_entry *il_scan_cov_find(const struct il_scan_cov *cov, const char *arn,
                                                 enum il_scan_type type) {
    if (cov == NULL || arn == NULL || cov->slot_cap == 0) {
        return NULL;
    }
    size_t slot = s_slot(cov, arn, type);
    return cov->slots[slot] ? &cov->entries[cov->slots[slot] - 1].pub : NULL;
}

size_t il_scan_cov_count(const struct il_scan_cov *cov) {
    return cov ? cov->count : 0;
}

const struct il_scan_cov_entry *il_scan_cov_at(const struct il_scan_cov *cov, size_t i) {
    return cov && i < cov->count ? &cov->entries[i].pub : NULL;
}

int il_scan_cov_scanning_on(const struct il_scan_cov_status *status, enum il_scan_type type) {
    if (status == NULL || strcmp(status->account_status, "ENABLED") != 0) {
        return 0;
    }
    const char *s = type == IL_SCAN_CODE ? status->lambda_code : status->lambda;
    return s != NULL && strcmp(s, "ENABLED") == 0;
}

const char *il_scan_cov_reason_text(const char *reason) {
    static const struct {
        const char *reason, *text;
    } table[] = {
        {"EXCLUDED_BY_TAG", "excluded by an exclusion tag"},
        {"ACCESS_DENIED_TO_ENCRYPTION_KEY",
         "encrypted with a customer managed KMS key whose policy does not let Inspector read it (KMS key)"},
        {"SCAN_ELIGIBILITY_EXPIRED",
         "neither invoked nor updated in the last 90 days, so Inspector stopped scanning it (90-day idle)"},
        {"UNSUPPORTED_RUNTIME", "its runtime is one Inspector does not scan (unsupported runtime)"},
        {"ACCESS_DENIED", "a resource policy denies Inspector access (access denied)"},
        {"UNSUPPORTED_LANGUAGE", "its code is in a language code scanning does not support"},
        {"UNSUPPORTED_CODE_ARTIFACTS", "its code artifacts cannot be scanned"},
        {"UNSUPPORTED_MEDIA_TYPE", "its package type cannot be scanned"},
        {"PENDING_DISABLE", "scanning is being disabled"},
        {"INTERNAL_ERROR", "Inspector failed to scan it (internal error)"},
        {"NO_SCAN_CONFIGURATION_ASSOCIATED", "no scan configuration is associated"},
        {"RESOURCE_TERMINATED", "the function no longer exists"},
        {"RESOURCE_UNMANAGED", "Inspector does not manage it"},
    };
    for (size_t i = 0; reason && i < sizeof(table) / sizeof(table[0]); i++) {
        if (strcmp(table[i].reason, reason) == 0) {
            return table[i].text;
        }
    }
    return reason && reason[0] ? reason : "no reason given";
}
