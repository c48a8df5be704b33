/* Wrong: the table leaves set_last_result out. Filled with the generated
 * calc_Calculator_HANDLERS(), that is a compile error, not an actor that dies
 * on its first message. */
// REASON: requires 4 arguments, but only 3 given|too few arguments provided to function-like macro
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

const calc_Calculator_impl impl = {
    .state_size = 8,
    calc_Calculator_HANDLERS(add, sub, get_last_result),
};
