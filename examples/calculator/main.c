/* Pykka's quickstart, step by step, through tact's typed proxies (_call asks
 * and waits in one line, as Pykka's .get() does):
 *
 *   proxy = Calculator.start().proxy()
 *   proxy.add(1, 3).get()          # => 4
 *   proxy.last_result.get()        # => 4
 *   proxy.sub(5); proxy.add(3)
 *   proxy.last_result.get()        # => 2
 *   proxy.last_result = 17
 *   proxy.last_result.get()        # => 17
 */
#include <stdio.h>
#include <stdlib.h>

#include "calculator.h"

/* Stops the program with a message when a call fails: a demo has no better plan. */
static void check(tact_status st, const char *what) {
    if (st != TACT_OK) {
        fprintf(stderr, "calculator: %s: %s\n", what, tact_strerror(st));
        exit(1);
    }
}

static int64_t last_result(calc_Calculator_ref calc) {
    int64_t value;
    check(calc_Calculator_get_last_result_call(calc, TACT_FOREVER, &value), "last_result");
    return value;
}

int main(void) {
    tact_system *sys;
    check(tact_system_new(NULL, &sys), "system");
    calc_Calculator_ref calc;
    check(calc_Calculator_spawn(sys, &calculator_impl, NULL, &calc), "spawn");

    int64_t three = 3, sum;
    check(calc_Calculator_add_call(calc, 1, &three, 1000, &sum), "add");
    printf("add(1, 3) = %lld\n", (long long)sum);
    printf("last_result = %lld\n", (long long)last_result(calc));

    /* No need to wait between sends: one actor handles its messages in order. */
    check(calc_Calculator_sub(calc, 5, NULL, NULL), "sub");
    check(calc_Calculator_add(calc, 3, NULL, NULL), "add");
    printf("after sub(5), add(3): last_result = %lld\n", (long long)last_result(calc));

    check(calc_Calculator_set_last_result(calc, 17, NULL), "set last_result");
    printf("after last_result = 17: last_result = %lld\n", (long long)last_result(calc));

    check(calc_Calculator_stop_wait(calc, TACT_FOREVER), "stop");
    calc_Calculator_ref_release(&calc);
    tact_system_destroy(&sys);
    return 0;
}
