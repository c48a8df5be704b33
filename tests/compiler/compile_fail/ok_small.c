/* Positive control: a string parameter and a message reply, right. */
#include "small.tact.h"

static tact_status greet(tact_ctx *ctx, void *self, const char *who, small_Greeting *reply) {
    (void)ctx; (void)self; reply->text = tact_strdup(who); return reply->text ? TACT_OK : TACT_ENOMEM;
}

static tact_status forget(tact_ctx *ctx, void *self) {
    (void)ctx; (void)self; return TACT_OK;
}

const small_Greeter_impl impl = {
    .greet = greet,
    .forget = forget,
};
