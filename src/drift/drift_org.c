/* --organization: the organization's accounts (il/drift/organization.h). */
#include <stdlib.h>
#include <string.h>

#include "aws/aws_sticky.h"
#include "il/drift/organization.h"

void il_collect_org_release(struct il_collect_org *org) {
    if (org == NULL) {
        return;
    }
    il_org_account_list_release(&org->accounts);
    free(org->active);
    free(org->inactive);
    memset(org, 0, sizeof(*org));
}

enum il_status il_collect_org_list(struct il_aws_client *root, const char *partition, struct il_collect_org *org,
                                   struct il_buf *why) {
    memset(org, 0, sizeof(*org));
    const char *region = il_organizations_region(partition);
    if (region == NULL) {
        IL_TRY(il_buf_printf(why, "AWS Organizations is not available in partition %s", partition));
        return IL_ERR_INVALID;
    }
    struct il_aws_client *client = NULL;
    /* Organizations is global: its requests are signed for the partition's home region, whatever --region says */
    enum il_status st = il_aws_client_derive(root, region, NULL, NULL, &client, why);
    if (st != IL_OK) {
        return st;
    }
    struct il_aws_error err;
    il_aws_error_init(&err);
    st = il_organizations_list_accounts(client, 0, &org->accounts, &err);
    if (st != IL_OK) {
        IL_STICKY(il_buf_puts(why, "could not list the organization's accounts: "));
        IL_STICKY(il_aws_error_describe(&err, why));
    }
    il_aws_error_release(&err);
    il_aws_client_free(client);
    if (st != IL_OK) {
        return st;
    }
    size_t n = org->accounts.count;
    org->active = calloc(n ? n : 1, sizeof(*org->active));
    org->inactive = calloc(n ? n : 1, sizeof(*org->inactive));
    if (org->active == NULL || org->inactive == NULL) {
        il_collect_org_release(org);
        return IL_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const struct il_org_account *a = &org->accounts.items[i];
        if (il_org_account_is_active(a)) {
            org->active[org->active_count++] = a->id;
        } else {
            org->inactive[org->inactive_count++] = a;
        }
    }
    if (org->active_count == 0) {
        IL_TRY(il_buf_puts(why, "Organizations ListAccounts lists no ACTIVE account: nothing would be checked"));
        return IL_ERR_NOTFOUND;
    }
    return IL_OK;
}

void il_collect_org_drop_inactive(const struct il_collect_org *org, struct il_collect_plan *plan) {
    size_t out = 0;
    for (size_t i = 0; i < plan->account_count; i++) {
        int drop = 0;
        for (size_t k = 0; k < org->inactive_count && !drop; k++) {
            drop = strcmp(plan->accounts[i], org->inactive[k]->id) == 0;
        }
        if (drop) {
            free(plan->accounts[i]);
        } else {
            plan->accounts[out++] = plan->accounts[i];
        }
    }
    plan->account_count = out;
    if (plan->accounts) {
        plan->accounts[out] = NULL;
    }
}

enum il_status il_collect_org_mark(const struct il_collect_org *org, const struct il_collect_plan *plan,
                                   struct il_inventory *inv) {
    struct il_buf why;
    il_buf_init(&why, 1024);
    enum il_status st = IL_OK;
    for (size_t k = 0; k < org->inactive_count && st == IL_OK; k++) {
        const struct il_org_account *a = org->inactive[k];
        const char *state = a->state ? a->state : a->status;
        for (size_t r = 0; r < plan->region_count && st == IL_OK; r++) {
            il_buf_reset(&why);
            IL_STICKY(il_buf_printf(&why, "account %s%s%s%s is %s in the organization (Organizations ListAccounts)",
                                    a->id, a->name ? " (" : "", a->name ? a->name : "", a->name ? ")" : "", state));
            st = il_buf_status(&why);
            if (st == IL_OK) {
                st = il_inventory_set_scope(inv, a->id, plan->regions[r], IL_SCOPE_SKIPPED, il_buf_cstr(&why));
            }
        }
    }
    il_buf_release(&why);
    return st;
}
