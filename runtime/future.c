/* Futures: completed exactly once (by the handler's runner, a death, or a
 * cancel), waited on with a futex, freed when both holder and message are done. */
#include <protobuf-c/protobuf-c.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "park.h"

/* Spinning before sleeping catches replies that come within microseconds,
 * which is the common case for a quick handler on another core. */
enum { WAIT_SPIN_NS = 20000 };

enum { PENDING = 0, DONE = 1 };

struct tact_future {
    _Atomic uint32_t state;   /* PENDING or DONE: the futex word */
    _Atomic uint32_t claimed; /* 1 once a completer (or a cancel) has won */
    _Atomic uint32_t waiters;
    _Atomic uint32_t refs;
    tact_status status;
    tact_status code; /* the handler's own code after TACT_EHANDLER */
    char *text;
    const tact_method *method;
    tact_actor *target; /* who will answer, for finding wait cycles; not counted */
    tact_system *sys;
};

#define FUTURE_HEADER ((sizeof(struct tact_future) + TACT_MSG_ALIGN - 1) & ~(TACT_MSG_ALIGN - 1))

void *future_reply_storage(tact_future *f) {
    return (char *)f + FUTURE_HEADER;
}

tact_future *future_new(const tact_method *method, tact_actor *target) {
    const ProtobufCMessageDescriptor *d = method->reply;
    tact_future *f = malloc(FUTURE_HEADER + d->sizeof_message);
    if (!f)
        return NULL;
    atomic_init(&f->state, PENDING);
    atomic_init(&f->claimed, 0);
    atomic_init(&f->waiters, 0);
    atomic_init(&f->refs, 2);
    f->status = TACT_OK;
    f->code = TACT_OK;
    f->text = NULL;
    f->method = method;
    f->target = target;
    f->sys = target->sys;
    protobuf_c_message_init(d, future_reply_storage(f));
    return f;
}

void future_release(tact_future *f) {
    if (atomic_fetch_sub_explicit(&f->refs, 1, memory_order_acq_rel) != 1)
        return;
    if (f->status == TACT_OK && atomic_load(&f->state) == DONE)
        pb_free_fields(f->method->reply, future_reply_storage(f));
    free(f->text);
    free(f);
}

bool future_claimed(tact_future *f) {
    return atomic_load_explicit(&f->claimed, memory_order_acquire) != 0;
}

static void publish(tact_future *f) {
    atomic_store(&f->state, DONE);
    if (atomic_load(&f->waiters))
        park_wake_all(&f->state);
}

void future_complete(tact_future *f, tact_status status, tact_status code, char *text) {
    bool won = atomic_exchange(&f->claimed, 1) == 0;
    if (!won || status != TACT_OK) {
        /* Cancelled meanwhile (the late reply is dropped), or failed: the reply
         * storage holds nothing anyone will read. */
        pb_free_fields(f->method->reply, future_reply_storage(f));
        protobuf_c_message_init(f->method->reply, future_reply_storage(f));
    }
    if (won) {
        f->status = status;
        f->code = code;
        f->text = text;
        text = NULL;
        publish(f);
    }
    free(text);
    future_release(f);
}

tact_status tact_future_cancel(tact_future *f) {
    if (!f)
        return TACT_EINVAL;
    if (atomic_exchange(&f->claimed, 1) != 0) {
        /* Someone else completes it: report how, once it has. */
        while (atomic_load(&f->state) != DONE)
            park_pause();
        return f->status;
    }
    f->status = TACT_ECANCELED;
    f->code = TACT_ECANCELED;
    publish(f);
    return TACT_OK;
}

int tact_future_done(const tact_future *f) {
    return f && atomic_load(&((tact_future *)f)->state) == DONE;
}

tact_status tact_future_wait(tact_future *f, int64_t timeout_ms) {
    if (!f)
        return TACT_EINVAL;
    if (atomic_load(&f->state) == DONE)
        return f->status;
    int64_t deadline = park_deadline(timeout_ms);
    sched_thread *t = sched_self();
    bool in_handler = t && atomic_load(&t->current);
    if (!in_handler) {
        int64_t until = park_now_ns() + WAIT_SPIN_NS;
        if (deadline >= 0 && deadline < until)
            until = deadline;
        do {
            for (int i = 0; i < 64; i++) {
                if (atomic_load(&f->state) == DONE)
                    return f->status;
                park_pause();
            }
        } while (park_now_ns() < until);
    } else {
        tact_status st = sched_block_begin(t, f->target);
        if (st != TACT_OK)
            return st;
    }
    atomic_fetch_add(&f->waiters, 1);
    while (atomic_load(&f->state) != DONE)
        if (park_wait(&f->state, PENDING, deadline) < 0)
            break;
    atomic_fetch_sub(&f->waiters, 1);
    if (in_handler)
        sched_block_end(t);
    return atomic_load(&f->state) == DONE ? f->status : TACT_ETIMEDOUT;
}

const void *tact_future_reply(const tact_future *f) {
    if (!tact_future_done(f) || f->status != TACT_OK)
        return NULL;
    return (const char *)f + FUTURE_HEADER;
}

tact_status tact_future_error(const tact_future *f, tact_status *code, const char **text) {
    if (!f)
        return TACT_EINVAL;
    bool done = tact_future_done(f);
    tact_status st = done ? f->status : TACT_ETIMEDOUT;
    if (code)
        *code = done ? f->code : TACT_OK;
    if (text)
        *text = !done || st == TACT_OK ? NULL : f->text ? f->text : tact_strerror(f->code);
    return st;
}

void tact_future_free(tact_future *f) {
    if (f)
        future_release(f);
}

tact_system *tact_future_system(const tact_future *f) {
    return f ? f->sys : NULL;
}
