/* A dispatcher over three workers. Every call here is one line (_call: ask,
 * wait, copy the reply out), and the main thread learns that the work is done
 * by asking, not through a latch of its own. */
#include <stdio.h>
#include <stdlib.h>

#include "dispatcher.h"

enum { WORKERS = 3, TIMEOUT_MS = 10000 };

static void check(tact_status st, const char *what) {
    if (st != TACT_OK) {
        fprintf(stderr, "dispatcher: %s: %s\n", what, tact_strerror(st));
        exit(1);
    }
}

int main(void) {
    tact_system *sys;
    check(tact_system_new(NULL, &sys), "system");
    disp_Dispatcher_ref d;
    check(disp_Dispatcher_spawn(sys, &dispatcher_impl, NULL, &d), "spawn dispatcher");
    disp_Worker_ref w[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        check(disp_Worker_spawn(sys, &worker_impl, NULL, &w[i]), "spawn worker");
        check(disp_Dispatcher_add_worker(d, w[i]), "add worker");
    }

    /* Forwarded: the worker's answer comes straight back. */
    int64_t v;
    check(disp_Dispatcher_square_call(d, 7, TIMEOUT_MS, &v), "square");
    printf("square(7) = %lld\n", (long long)v);

    /* Many in flight at once: the dispatcher hands them out and moves on. */
    disp_Dispatcher_square_future *f[5];
    for (int i = 0; i < 5; i++)
        check(disp_Dispatcher_square(d, 10 + i, &f[i]), "square");
    for (int i = 0; i < 5; i++) {
        check(disp_Dispatcher_square_future_get(f[i], TIMEOUT_MS, &v), "square result");
        printf("square(%d) = %lld\n", 10 + i, (long long)v);
        disp_Dispatcher_square_future_free(f[i]);
    }

    /* Deferred: answered once all 100 parts are in ("all done"). */
    check(disp_Dispatcher_sum_of_squares_call(d, 100, TIMEOUT_MS, &v), "sum_of_squares");
    printf("sum_of_squares(100) = %lld\n", (long long)v);

    int64_t done = 0, handled;
    for (int i = 0; i < WORKERS; i++) {
        check(disp_Worker_done_call(w[i], TIMEOUT_MS, &v), "done");
        done += v;
    }
    check(disp_Dispatcher_handled_call(d, TIMEOUT_MS, &handled), "handled");
    printf("workers computed %lld squares; the dispatcher ran %lld handlers and continuations\n",
           (long long)done, (long long)handled);

    check(disp_Dispatcher_stop_wait(d, TIMEOUT_MS), "stop");
    disp_Dispatcher_ref_release(&d);
    for (int i = 0; i < WORKERS; i++)
        disp_Worker_ref_release(&w[i]);
    tact_system_destroy(&sys);
    return 0;
}
