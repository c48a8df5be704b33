/* Positive control of fail_missing_handler.c: every handler, and the optional
 * hooks beside them, compile. */
#include "calculator.tact.h"

static tact_status add(tact_ctx *ctx, void *self, int64_t a, const int64_t *b, int64_t *reply) {
    (void)ctx; (void)self; *reply = a + (b ? *b : 0); return TACT_OK;
}
static tact_status sub(tact_ctx *ctx, void *self, int64_t a, const int64_t *b, int64_t *reply) {
    (void)ctx; (void)self; *reply = a - (b ? *b : 0); return TACT_OK;
}
static tact_status get_last_result(tact_ctx *ctx, void *self, int64_t *reply) {
    (void)ctx; (void)self; *reply = 0; return TACT_OK;
}
static tact_status set_last_result(tact_ctx *ctx, void *self, int64_t value) {
    (void)ctx; (void)self; (void)value; return TACT_OK;
}
static tact_status on_stop(tact_ctx *ctx, void *self) {
    (void)ctx; (void)self; return TACT_OK;
}

const calc_Calculator_impl impl = {
    .state_size = 8,
    .on_stop = on_stop,
    calc_Calculator_HANDLERS(add, sub, get_last_result, set_last_result),
};
