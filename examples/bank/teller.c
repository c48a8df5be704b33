/* The Teller: asks Accounts, from inside its own handler, and waits for them.
 *
 * Waiting in a handler is safe here: the Accounts never ask the Teller, so no
 * cycle of waits can form (if one did, the get would fail with TACT_EDEADLK
 * rather than hang), and the worker thread is lent to others while it waits.
 * Because the Teller handles one transfer at a time, the withdraw and the
 * deposit of one transfer are never interleaved with another transfer's. */
#include <stdio.h>

#include "bank.h"

/* How an ask to an Account ended: the status, and for a handler failure the
 * Account's own code and text, copied into why. */
typedef struct outcome {
    tact_status code;
    char why[160];
} outcome;

static outcome outcome_of(tact_status st, tact_future *f) {
    outcome o = {st, ""};
    if (st == TACT_EHANDLER) {
        const char *text;
        tact_future_error(f, &o.code, &text);
        snprintf(o.why, sizeof o.why, "%s", text);
    } else if (st != TACT_OK) {
        snprintf(o.why, sizeof o.why, "%s", tact_strerror(st));
    }
    return o;
}

static outcome withdraw(bank_Account_ref from, const money_Money *amount, const char *memo,
                        int64_t *balance) {
    bank_Account_withdraw_future *f;
    tact_status st = bank_Account_withdraw(from, amount, memo, &f);
    if (st != TACT_OK)
        return outcome_of(st, NULL);
    st = bank_Account_withdraw_future_get(f, TACT_FOREVER, balance);
    outcome o = outcome_of(st, bank_Account_withdraw_future_base(f));
    bank_Account_withdraw_future_free(f);
    return o;
}

static outcome deposit(bank_Account_ref to, const money_Money *amount, const char *memo) {
    bank_Account_deposit_future *f;
    tact_status st = bank_Account_deposit(to, amount, memo, &f);
    if (st != TACT_OK)
        return outcome_of(st, NULL);
    int64_t balance;
    st = bank_Account_deposit_future_get(f, TACT_FOREVER, &balance);
    outcome o = outcome_of(st, bank_Account_deposit_future_base(f));
    bank_Account_deposit_future_free(f);
    return o;
}

/* source and target are borrowed for the call: used here, not kept. */
static tact_status transfer(tact_ctx *ctx, void *self, bank_Account_ref source,
                            bank_Account_ref target, const money_Money *amount, const char *memo,
                            int64_t *reply) {
    (void)self;
    /* An Account that died before the message arrived comes as a NULL reference. */
    if (!source.actor || !target.actor)
        return tact_ctx_fail(ctx, TACT_EDEAD, "transfer: an account is closed");
    outcome o = withdraw(source, amount, memo, reply);
    if (o.code != TACT_OK) /* pass the Account's code on: the asker sees why */
        return tact_ctx_fail(ctx, o.code, "transfer refused: %s", o.why);
    o = deposit(target, amount, memo);
    if (o.code != TACT_OK) {
        /* The money left the source: put it back before failing. */
        outcome back = deposit(source, amount, "refund");
        if (back.code != TACT_OK)
            return tact_ctx_fail(ctx, back.code, "refund failed (%s) after: %s", back.why, o.why);
        *reply += amount->cents;
        return tact_ctx_fail(ctx, o.code, "transfer undone: %s", o.why);
    }
    return TACT_OK;
}

const bank_Teller_impl teller_impl = {
    .state_size = 0,
    bank_Teller_HANDLERS(transfer),
};
