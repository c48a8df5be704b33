/* An Account: a balance and its history, which only its own handlers touch,
 * one message at a time, so no lock guards them. */
#include <stdlib.h>

#include "bank.h"

typedef struct entry {
    int64_t cents;
    char *memo; /* NULL: none */
    int64_t balance;
} entry;

typedef struct account {
    char *owner;
    money_Currency currency;
    int64_t balance;
    int64_t overdraft_limit;
    entry *entries;
    size_t n_entries, cap_entries;
} account;

static tact_status on_start(tact_ctx *ctx, void *self, const char *owner, bank_Kind kind,
                            money_Currency currency) {
    account *a = self;
    if (currency == money_CURRENCY_UNSPECIFIED)
        return tact_ctx_fail(ctx, bank_WRONG_CURRENCY, "an account needs a currency");
    a->currency = currency;
    /* A savings account may not be overdrawn; a checking account a little. */
    a->overdraft_limit = kind == bank_CHECKING ? 5000 : 0;
    a->owner = tact_strdup(owner); /* borrowed: copy what is kept */
    return a->owner ? TACT_OK : TACT_ENOMEM;
}

static void free_account(account *a) {
    for (size_t i = 0; i < a->n_entries; i++)
        free(a->entries[i].memo);
    free(a->entries);
    free(a->owner);
}

static tact_status on_stop(tact_ctx *ctx, void *self) {
    (void)ctx;
    free_account(self);
    return TACT_OK;
}

static void on_failure(tact_ctx *ctx, void *self, tact_status code, const char *message) {
    (void)ctx;
    (void)code;
    (void)message;
    free_account(self);
}

/* Checks an amount against the account; a refusal is a handler failure with
 * one of bank.actor's Refusal codes, which the asker reads from its future. */
static tact_status check_amount(tact_ctx *ctx, const account *a, const money_Money *amount) {
    if (amount->currency != a->currency)
        return tact_ctx_fail(ctx, bank_WRONG_CURRENCY, "%s's account does not take that currency",
                             a->owner);
    if (amount->cents <= 0)
        return tact_ctx_fail(ctx, bank_NOT_POSITIVE, "the amount must be positive");
    return TACT_OK;
}

static tact_status add_entry(account *a, int64_t cents, const char *memo) {
    if (a->n_entries == a->cap_entries) {
        size_t cap = a->cap_entries ? 2 * a->cap_entries : 8;
        entry *e = realloc(a->entries, cap * sizeof *e);
        if (!e)
            return TACT_ENOMEM;
        a->entries = e;
        a->cap_entries = cap;
    }
    char *copy = NULL;
    if (memo && !(copy = tact_strdup(memo)))
        return TACT_ENOMEM;
    a->balance += cents;
    a->entries[a->n_entries++] = (entry){cents, copy, a->balance};
    return TACT_OK;
}

static tact_status deposit(tact_ctx *ctx, void *self, const money_Money *amount, const char *memo,
                           int64_t *reply) {
    account *a = self;
    tact_status st = check_amount(ctx, a, amount);
    if (st == TACT_OK)
        st = add_entry(a, amount->cents, memo);
    *reply = a->balance;
    return st;
}

static tact_status withdraw(tact_ctx *ctx, void *self, const money_Money *amount,
                            const char *memo, int64_t *reply) {
    account *a = self;
    tact_status st = check_amount(ctx, a, amount);
    if (st != TACT_OK)
        return st;
    if (a->balance - amount->cents < -a->overdraft_limit) {
        char have[32];
        return tact_ctx_fail(ctx, bank_INSUFFICIENT_FUNDS, "%s has only %s", a->owner,
                             money_format(have, sizeof have, a->balance, a->currency));
    }
    st = add_entry(a, -amount->cents, memo);
    *reply = a->balance;
    return st;
}

/* Fills the Statement the runtime made with heap pieces; the runtime frees
 * them all with the reply, also when a later piece fails here. */
static tact_status statement(tact_ctx *ctx, void *self, bank_Statement *reply) {
    (void)ctx;
    account *a = self;
    if (!(reply->owner = tact_strdup(a->owner)))
        return TACT_ENOMEM;
    tact_status st = tact_pb_new(&money_Money_descriptor, (void **)&reply->balance);
    if (st != TACT_OK)
        return st;
    reply->balance->cents = a->balance;
    reply->balance->currency = a->currency;
    if (a->n_entries == 0)
        return TACT_OK;
    if (!(reply->entries = calloc(a->n_entries, sizeof *reply->entries)))
        return TACT_ENOMEM;
    for (size_t i = 0; i < a->n_entries; i++) {
        bank_Entry *e;
        if ((st = tact_pb_new(&bank_Entry_descriptor, (void **)&e)) != TACT_OK)
            return st;
        reply->entries[reply->n_entries++] = e;
        if ((st = tact_pb_new(&money_Money_descriptor, (void **)&e->amount)) != TACT_OK)
            return st;
        e->amount->cents = a->entries[i].cents;
        e->amount->currency = a->currency;
        e->balance_cents = a->entries[i].balance;
        if (a->entries[i].memo && !(e->memo = tact_strdup(a->entries[i].memo)))
            return TACT_ENOMEM;
    }
    return TACT_OK;
}

static tact_status get_overdraft_limit(tact_ctx *ctx, void *self, int64_t *reply) {
    (void)ctx;
    *reply = ((account *)self)->overdraft_limit;
    return TACT_OK;
}

static tact_status set_overdraft_limit(tact_ctx *ctx, void *self, int64_t value) {
    if (value < 0)
        return tact_ctx_fail(ctx, bank_NOT_POSITIVE, "an overdraft limit cannot be negative");
    ((account *)self)->overdraft_limit = value;
    return TACT_OK;
}

const bank_Account_impl account_impl = {
    .state_size = sizeof(account),
    .on_start = on_start,
    .on_stop = on_stop,
    .on_failure = on_failure,
    bank_Account_HANDLERS(deposit, withdraw, statement, get_overdraft_limit, set_overdraft_limit),
};
