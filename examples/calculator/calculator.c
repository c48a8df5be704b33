/* The Calculator's implementation: its state and one handler per method. */
#include "calculator.h"

typedef struct calculator {
    int64_t last_result;
} calculator;

static tact_status add(tact_ctx *ctx, void *self, int64_t a, const int64_t *b, int64_t *reply) {
    (void)ctx;
    calculator *c = self;
    c->last_result = b ? a + *b : c->last_result + a;
    *reply = c->last_result;
    return TACT_OK;
}

static tact_status sub(tact_ctx *ctx, void *self, int64_t a, const int64_t *b, int64_t *reply) {
    (void)ctx;
    calculator *c = self;
    c->last_result = b ? a - *b : c->last_result - a;
    *reply = c->last_result;
    return TACT_OK;
}

static tact_status get_last_result(tact_ctx *ctx, void *self, int64_t *reply) {
    (void)ctx;
    *reply = ((calculator *)self)->last_result;
    return TACT_OK;
}

static tact_status set_last_result(tact_ctx *ctx, void *self, int64_t value) {
    (void)ctx;
    ((calculator *)self)->last_result = value;
    return TACT_OK;
}

const calc_Calculator_impl calculator_impl = {
    .state_size = sizeof(calculator),
    calc_Calculator_HANDLERS(add, sub, get_last_result, set_last_result),
};
