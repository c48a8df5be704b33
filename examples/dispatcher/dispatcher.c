/* The worker and the dispatcher. The dispatcher never blocks: square is
 * forwarded (the worker answers the asker directly), and sum_of_squares keeps
 * its reply while the parts are computed, answering from a continuation once
 * the last one is in. */
#include <stdlib.h>

#include "dispatcher.h"

typedef struct worker {
    int64_t done;
} worker;

static tact_status worker_square(tact_ctx *ctx, void *self, int64_t n, int64_t *reply) {
    (void)ctx;
    ((worker *)self)->done++;
    *reply = n * n;
    return TACT_OK;
}

static tact_status worker_done(tact_ctx *ctx, void *self, int64_t *reply) {
    (void)ctx;
    *reply = ((worker *)self)->done;
    return TACT_OK;
}

const disp_Worker_impl worker_impl = {
    .state_size = sizeof(worker),
    .square = worker_square,
    .done = worker_done,
};

enum { MAX_WORKERS = 16 };

/* A sum in progress: the kept reply and the parts still to come. */
typedef struct sum {
    disp_Dispatcher_sum_of_squares_reply *reply;
    int64_t total;
    int64_t missing;
    tact_status failed; /* the first part that failed, or TACT_OK */
} sum;

typedef struct dispatcher {
    disp_Worker_ref workers[MAX_WORKERS];
    int n_workers, next;
    int64_t handled;
} dispatcher;

static disp_Worker_ref next_worker(dispatcher *d) {
    disp_Worker_ref none = {NULL};
    return d->n_workers ? d->workers[d->next++ % d->n_workers] : none;
}

static tact_status dispatcher_add_worker(tact_ctx *ctx, void *self, disp_Worker_ref w) {
    dispatcher *d = self;
    if (d->n_workers == MAX_WORKERS)
        return tact_ctx_fail(ctx, TACT_EINVAL, "at most %d workers", MAX_WORKERS);
    d->workers[d->n_workers++] = disp_Worker_ref_dup(w);
    return TACT_OK;
}

static tact_status dispatcher_square(tact_ctx *ctx, void *self, int64_t n, int64_t *reply) {
    (void)reply; /* the worker answers */
    dispatcher *d = self;
    d->handled++;
    disp_Dispatcher_square_reply *r;
    tact_status st = disp_Dispatcher_square_defer(ctx, &r);
    if (st != TACT_OK)
        return st;
    /* Compiles because Worker.square answers what Dispatcher.square must: an int64.
     * A failure (a dead worker, say) reaches the asker too. */
    disp_Worker_square_forward(next_worker(d), n, r);
    return TACT_OK;
}

/* One part of a sum is in: runs in the dispatcher, like a handler. */
static tact_status part_done(tact_ctx *ctx, void *self, tact_future *f, void *arg) {
    (void)ctx;
    sum *s = arg;
    ((dispatcher *)self)->handled++;
    int64_t square;
    tact_status st = disp_Worker_square_future_get(disp_Worker_square_future_from(f), 0, &square);
    if (st == TACT_OK)
        s->total += square;
    else if (s->failed == TACT_OK)
        s->failed = st;
    if (--s->missing > 0)
        return TACT_OK;
    if (s->failed != TACT_OK)
        disp_Dispatcher_sum_of_squares_reply_fail(s->reply, s->failed, "a part failed: %s",
                                                  tact_strerror(s->failed));
    else
        disp_Dispatcher_sum_of_squares_reply_send(s->reply, s->total);
    free(s);
    return TACT_OK;
}

static tact_status dispatcher_sum_of_squares(tact_ctx *ctx, void *self, int64_t n, int64_t *reply) {
    dispatcher *d = self;
    d->handled++;
    if (n <= 0) {
        *reply = 0;
        return TACT_OK;
    }
    sum *s = calloc(1, sizeof *s);
    if (!s)
        return TACT_ENOMEM;
    tact_status st = disp_Dispatcher_sum_of_squares_defer(ctx, &s->reply);
    if (st != TACT_OK) {
        free(s);
        return st;
    }
    s->missing = n;
    for (int64_t i = 1; i <= n; i++) {
        disp_Worker_square_future *f = NULL;
        st = disp_Worker_square(next_worker(d), i, &f);
        if (st == TACT_OK)
            st = tact_future_then_in(disp_Worker_square_future_base(f), ctx, part_done, s);
        disp_Worker_square_future_free(f);
        if (st != TACT_OK) {
            /* Parts already asked for still come in: the last one answers. */
            if (s->failed == TACT_OK)
                s->failed = st;
            s->missing -= n - i + 1;
            if (s->missing == 0) {
                disp_Dispatcher_sum_of_squares_reply_fail(s->reply, st, "could not ask a worker");
                free(s);
            }
            break;
        }
    }
    return TACT_OK;
}

static tact_status dispatcher_handled(tact_ctx *ctx, void *self, int64_t *reply) {
    (void)ctx;
    *reply = ((dispatcher *)self)->handled;
    return TACT_OK;
}

static tact_status dispatcher_on_stop(tact_ctx *ctx, void *self) {
    (void)ctx;
    dispatcher *d = self;
    for (int i = 0; i < d->n_workers; i++)
        disp_Worker_ref_release(&d->workers[i]);
    return TACT_OK;
}

const disp_Dispatcher_impl dispatcher_impl = {
    .state_size = sizeof(dispatcher),
    .on_stop = dispatcher_on_stop,
    .add_worker = dispatcher_add_worker,
    .square = dispatcher_square,
    .sum_of_squares = dispatcher_sum_of_squares,
    .handled = dispatcher_handled,
};
