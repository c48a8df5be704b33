/* A bank: three Accounts and a Teller. main deposits, asks the Teller for
 * transfers (which it carries out by asking the Accounts) and prints each
 * account's statement. */
#include <stdio.h>
#include <stdlib.h>

#include "bank.h"

static void check(tact_status st, const char *what) {
    if (st != TACT_OK) {
        fprintf(stderr, "bank: %s: %s\n", what, tact_strerror(st));
        exit(1);
    }
}

static money_Money money(int64_t cents, money_Currency currency) {
    money_Money m = money_Money_INIT;
    m.cents = cents;
    m.currency = currency;
    return m;
}

static const char *refusal_name(tact_status code) {
    switch (code) {
    case bank_INSUFFICIENT_FUNDS: return "INSUFFICIENT_FUNDS";
    case bank_WRONG_CURRENCY: return "WRONG_CURRENCY";
    case bank_NOT_POSITIVE: return "NOT_POSITIVE";
    default: return tact_strerror(code);
    }
}

static void deposit(bank_Account_ref to, int64_t cents, const char *memo) {
    money_Money m = money(cents, money_EUR);
    bank_Account_deposit_future *f;
    int64_t balance;
    check(bank_Account_deposit(to, &m, memo, &f), "deposit");
    check(bank_Account_deposit_future_get(f, TACT_FOREVER, &balance), "deposit result");
    bank_Account_deposit_future_free(f);
}

/* Prints how one transfer ended. */
static void report(const char *what, bank_Teller_transfer_future *f) {
    int64_t balance;
    tact_status st = bank_Teller_transfer_future_get(f, TACT_FOREVER, &balance);
    char buf[32];
    if (st == TACT_OK) {
        printf("%s: done, source balance %s\n", what,
               money_format(buf, sizeof buf, balance, money_EUR));
    } else if (st == TACT_EHANDLER) {
        tact_status code;
        const char *why;
        tact_future_error(bank_Teller_transfer_future_base(f), &code, &why);
        printf("%s: %s: %s\n", what, refusal_name(code), why);
    } else {
        check(st, what);
    }
}

static void print_statement(bank_Account_ref acc) {
    bank_Account_statement_future *f;
    check(bank_Account_statement(acc, &f), "statement");
    const bank_Statement *s;
    check(bank_Account_statement_future_get(f, TACT_FOREVER, &s), "statement result");
    char amount[32], balance[32];
    printf("\nstatement of %s\n", s->owner);
    for (size_t i = 0; i < s->n_entries; i++) {
        const bank_Entry *e = s->entries[i];
        printf("  %14s  %14s", money_format(amount, sizeof amount, e->amount->cents,
                                            e->amount->currency),
               money_format(balance, sizeof balance, e->balance_cents, e->amount->currency));
        if (e->memo) /* optional: NULL when the entry has none */
            printf("  %s", e->memo);
        printf("\n");
    }
    printf("  balance %s\n",
           money_format(balance, sizeof balance, s->balance->cents, s->balance->currency));
    bank_Account_statement_future_free(f); /* frees s */
}

int main(void) {
    tact_system *sys;
    check(tact_system_new(NULL, &sys), "system");

    bank_Account_ref alice, bob, carol;
    bank_Teller_ref teller;
    check(bank_Account_spawn(sys, &account_impl, "alice", bank_CHECKING, money_EUR, NULL, &alice),
          "spawn alice");
    check(bank_Account_spawn(sys, &account_impl, "bob", bank_SAVINGS, money_EUR, NULL, &bob),
          "spawn bob");
    check(bank_Account_spawn(sys, &account_impl, "carol", bank_CHECKING, money_USD, NULL, &carol),
          "spawn carol");
    check(bank_Teller_spawn(sys, &teller_impl, NULL, &teller), "spawn teller");

    deposit(alice, 100000, "salary");
    deposit(bob, 20000, NULL);

    /* Three transfers asked at once. The Teller takes them in the order sent
     * and finishes each before the next, so their outcomes do not depend on
     * timing; main waits for all three together. */
    money_Money rent = money(30000, money_EUR), loan = money(60000, money_EUR),
                gift = money(5000, money_EUR);
    bank_Teller_transfer_future *t[3];
    check(bank_Teller_transfer(teller, alice, bob, &rent, "rent share", &t[0]), "transfer");
    check(bank_Teller_transfer(teller, bob, alice, &loan, "loan", &t[1]), "transfer");
    check(bank_Teller_transfer(teller, alice, carol, &gift, "gift", &t[2]), "transfer");
    tact_future *all_of[3] = {bank_Teller_transfer_future_base(t[0]),
                              bank_Teller_transfer_future_base(t[1]),
                              bank_Teller_transfer_future_base(t[2])};
    tact_future *all;
    check(tact_future_all(all_of, 3, &all), "all");
    /* all fails with the first failure in argument order: the loan's. */
    tact_status st = tact_future_wait(all, TACT_FOREVER);
    printf("all three transfers answered; first failure: %s\n", tact_strerror(st));
    tact_future_free(all);
    report("alice -> bob 300.00 (rent share)", t[0]);
    report("bob -> alice 600.00 (loan)", t[1]);
    report("alice -> carol 50.00 (gift)", t[2]);
    for (int i = 0; i < 3; i++)
        bank_Teller_transfer_future_free(t[i]);

    /* Into the overdraft, within alice's limit (a property read through the
     * proxy), and then past it. */
    bank_Account_get_overdraft_limit_future *lf;
    int64_t limit;
    check(bank_Account_get_overdraft_limit(alice, &lf), "overdraft limit");
    check(bank_Account_get_overdraft_limit_future_get(lf, TACT_FOREVER, &limit), "overdraft limit");
    bank_Account_get_overdraft_limit_future_free(lf);
    char buf[32];
    printf("alice's overdraft limit: %s\n", money_format(buf, sizeof buf, limit, money_EUR));
    int64_t amounts[2] = {74500, 1000};
    for (int i = 0; i < 2; i++) {
        money_Money m = money(amounts[i], money_EUR);
        bank_Account_withdraw_future *wf;
        int64_t balance;
        check(bank_Account_withdraw(alice, &m, "cash", &wf), "withdraw");
        st = bank_Account_withdraw_future_get(wf, TACT_FOREVER, &balance);
        printf("alice withdraws %s: ", money_format(buf, sizeof buf, amounts[i], money_EUR));
        if (st == TACT_OK) {
            printf("balance %s\n", money_format(buf, sizeof buf, balance, money_EUR));
        } else {
            tact_status code;
            const char *why;
            tact_future_error(bank_Account_withdraw_future_base(wf), &code, &why);
            printf("%s: %s\n", refusal_name(code), why);
        }
        bank_Account_withdraw_future_free(wf);
    }

    print_statement(alice);
    print_statement(bob);
    print_statement(carol);

    /* The Teller first: it is the one that asks the Accounts. */
    check(bank_Teller_stop_wait(teller, TACT_FOREVER), "stop teller");
    bank_Account_ref *accounts[3] = {&alice, &bob, &carol};
    for (int i = 0; i < 3; i++) {
        check(bank_Account_stop_wait(*accounts[i], TACT_FOREVER), "stop account");
        bank_Account_ref_release(accounts[i]);
    }
    bank_Teller_ref_release(&teller);
    tact_system_destroy(&sys);
    return 0;
}
