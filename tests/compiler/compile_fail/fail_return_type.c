/* Wrong: add returns void, not tact_status. */
#include "calculator.tact.h"

static void add(tact_ctx *ctx, void *self, int64_t a, const int64_t *b, int64_t *reply) {
    (void)ctx; (void)self; *reply = a + (b ? *b : 0);
}

static tact_status sub(tact_ctx *ctx, void *self, int64_t a, const int64_t *b, int64_t *reply) {
    (void)ctx; (void)self; (void)a; (void)b; *reply = 0; return TACT_OK;
}
static tact_status get_last_result(tact_ctx *ctx, void *self, int64_t *reply) {
    (void)ctx; (void)self; *reply = 0; return TACT_OK;
}
static tact_status set_last_result(tact_ctx *ctx, void *self, int64_t value) {
    (void)ctx; (void)self; (void)value; return TACT_OK;
}

const calc_Calculator_impl impl = {
    .add = add,
    .sub = sub,
    .get_last_result = get_last_result,
    .set_last_result = set_last_result,
};
