/* Wrong: the message reply is taken as small_Greeting **, not small_Greeting *. */
#include "small.tact.h"

static tact_status greet(tact_ctx *ctx, void *self, const char *who, small_Greeting **reply) {
    (void)ctx; (void)self; (void)who; (void)reply; return TACT_OK;
}

static tact_status forget(tact_ctx *ctx, void *self) {
    (void)ctx; (void)self; return TACT_OK;
}

const small_Greeter_impl impl = {
    .greet = greet,
    .forget = forget,
};
