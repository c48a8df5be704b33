/* The Bookkeeper: holds a reference to its Adder, and blocks on it. */
#include <stdio.h>

#include "counter.h"

typedef struct bookkeeper {
    counter_Adder_ref adder;
} bookkeeper;

static tact_status on_start(tact_ctx *ctx, void *self, counter_Adder_ref adder) {
    (void)ctx;
    /* The reference argument is borrowed for this call: keep a counted copy. */
    ((bookkeeper *)self)->adder = counter_Adder_ref_dup(adder);
    return TACT_OK;
}

static tact_status on_stop(tact_ctx *ctx, void *self) {
    (void)ctx;
    counter_Adder_ref_release(&((bookkeeper *)self)->adder);
    return TACT_OK;
}

/* Pykka's count_to:
 *
 *   while i < target:
 *       i = self.adder.add_one(i).get()
 *
 * Waiting on a future inside a handler blocks this actor only: while it waits
 * its worker thread hands its processor to a spare thread, so the Adder still
 * runs, even when the system has a single worker. The wait is also checked
 * for deadlock: had the Adder been waiting on the Bookkeeper at the same time,
 * the get would fail with TACT_EDEADLK instead of hanging. */
static tact_status count_to(tact_ctx *ctx, void *self, int64_t target, int64_t *reply) {
    bookkeeper *b = self;
    int64_t i = 0;
    while (i < target) {
        counter_Adder_add_one_future *f;
        tact_status st = counter_Adder_add_one(b->adder, i, &f);
        if (st != TACT_OK)
            return tact_ctx_fail(ctx, st, "asking the adder: %s", tact_strerror(st));
        st = counter_Adder_add_one_future_get(f, TACT_FOREVER, &i);
        counter_Adder_add_one_future_free(f);
        if (st != TACT_OK)
            return tact_ctx_fail(ctx, st, "the adder's answer: %s", tact_strerror(st));
        printf("Bookkeeper got %lld back\n", (long long)i);
    }
    *reply = i;
    return TACT_OK;
}

const counter_Bookkeeper_impl bookkeeper_impl = {
    .state_size = sizeof(bookkeeper),
    .on_start = on_start,
    .on_stop = on_stop,
    counter_Bookkeeper_HANDLERS(count_to),
};
