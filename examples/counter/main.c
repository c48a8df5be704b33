/* Pykka 0.6's counting example, on a system with one worker thread.
 *
 * The Bookkeeper's handler blocks on the Adder's answer ten times. With
 * threads-per-actor (Pykka) that is harmless; with a pool of one thread it
 * would starve the Adder, unless the runtime lends the blocked handler's
 * processor to another thread for the length of the wait, which tact does. */
#include <stdio.h>
#include <stdlib.h>

#include "counter.h"

static void check(tact_status st, const char *what) {
    if (st != TACT_OK) {
        fprintf(stderr, "counter: %s: %s\n", what, tact_strerror(st));
        exit(1);
    }
}

int main(void) {
    tact_system_opts opts = TACT_SYSTEM_OPTS_INIT;
    opts.workers = 1;
    tact_system *sys;
    check(tact_system_new(&opts, &sys), "system");
    printf("workers: %u\n", tact_system_workers(sys));

    counter_Adder_ref adder;
    counter_Bookkeeper_ref bookkeeper;
    check(counter_Adder_spawn(sys, &adder_impl, NULL, &adder), "spawn adder");
    check(counter_Bookkeeper_spawn(sys, &bookkeeper_impl, adder, NULL, &bookkeeper),
          "spawn bookkeeper");

    counter_Bookkeeper_count_to_future *f;
    int64_t reached;
    check(counter_Bookkeeper_count_to(bookkeeper, 10, &f), "count_to");
    tact_status st = counter_Bookkeeper_count_to_future_get(f, TACT_FOREVER, &reached);
    if (st == TACT_EHANDLER) {
        const char *why;
        tact_future_error(counter_Bookkeeper_count_to_future_base(f), NULL, &why);
        fprintf(stderr, "counter: count_to failed: %s\n", why);
    }
    counter_Bookkeeper_count_to_future_free(f);
    check(st, "count_to result");
    printf("count_to(10) reached %lld\n", (long long)reached);

    /* The Bookkeeper first: it holds a reference to the Adder. */
    check(counter_Bookkeeper_stop_wait(bookkeeper, TACT_FOREVER), "stop bookkeeper");
    check(counter_Adder_stop_wait(adder, TACT_FOREVER), "stop adder");
    counter_Bookkeeper_ref_release(&bookkeeper);
    counter_Adder_ref_release(&adder);
    tact_system_destroy(&sys);
    return 0;
}
