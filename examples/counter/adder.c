/* The Adder: no state at all, one handler. */
#include <stdio.h>

#include "counter.h"

static tact_status add_one(tact_ctx *ctx, void *self, int64_t i, int64_t *reply) {
    (void)ctx;
    (void)self;
    /* Printed before the reply is sent, so it always comes before the
     * Bookkeeper's line about the same step. */
    printf("Adder is increasing %lld\n", (long long)i);
    *reply = i + 1;
    return TACT_OK;
}

const counter_Adder_impl adder_impl = {
    .state_size = 0,
    counter_Adder_HANDLERS(add_one),
};
