/* Futures: completed exactly once (by the handler's runner, a death, a
 * cancel, a deadline, or the futures they were derived from), waited on with
 * a futex, freed when every holder is done with it.
 *
 * Completion order matters to readers: the result is written, then the state
 * word is published (waking waiters), then the callbacks run, each exactly
 * once, on the completing thread. */
#include <protobuf-c/protobuf-c.h>
#include <stdlib.h>
#include <string.h>

#include "actor_impl.h"
#include "future_impl.h"
#include "message_impl.h"
#include "park.h"
#include "pb_impl.h"
#include "reply_impl.h"
#include "scheduler.h"
#include "system_impl.h"

/* Spinning before sleeping catches replies that come within microseconds,
 * which is the common case for a quick handler on another core. */
enum { WAIT_SPIN_NS = 20000 };

enum { PENDING = 0, DONE = 1 }; /* sched_block_begin reads nonzero as answered */

typedef struct callback {
    tact_future_fn fn;
    void *arg;
    struct callback *next;
} callback;

/* The callbacks list after completion: adding then runs the callback at once. */
static callback done_marker;
#define CALLBACKS_DONE (&done_marker)

struct tact_future {
    _Atomic uint32_t state;   /* PENDING or DONE: the futex word */
    _Atomic uint32_t claimed; /* 1 once a completer (or a cancel) has won */
    _Atomic uint32_t waiters;
    _Atomic uint32_t refs;
    tact_status status;
    tact_status code; /* the handler's own code after TACT_EHANDLER */
    char *text;
    const tact_method *method; /* NULL for a future derived from others */
    tact_actor *target;        /* who will answer, for finding wait cycles; not counted */
    tact_system *sys;
    uint64_t sys_serial; /* sys->serial: tact_future_system checks it is still alive */
    tact_future *forward; /* a derived future hands out this one's reply (counted) */
    _Atomic(callback *) callbacks;
};

#define FUTURE_HEADER ((sizeof(struct tact_future) + TACT_MSG_ALIGN - 1) & ~(TACT_MSG_ALIGN - 1))

void *future_reply_storage(tact_future *f) {
    return (char *)f + FUTURE_HEADER;
}

static size_t future_size(const tact_method *method) {
    return FUTURE_HEADER + (method ? ((const ProtobufCMessageDescriptor *)method->reply)->sizeof_message : 0);
}

static tact_future *alloc_future(const tact_method *method, tact_system *sys) {
    tact_future *f = pool_alloc(NULL, future_size(method)); /* futures outlive systems */
    if (!f)
        return NULL;
    atomic_init(&f->state, PENDING);
    atomic_init(&f->claimed, 0);
    atomic_init(&f->waiters, 0);
    atomic_init(&f->refs, 2); /* the holder's, and the completer's */
    f->status = TACT_OK;
    f->code = TACT_OK;
    f->text = NULL;
    f->method = method;
    f->target = NULL;
    f->sys = sys;
    f->sys_serial = sys ? sys->serial : 0;
    f->forward = NULL;
    atomic_init(&f->callbacks, NULL);
    return f;
}

tact_future *future_new(const tact_method *method, tact_actor *target) {
    const ProtobufCMessageDescriptor *d = method->reply;
    tact_future *f = alloc_future(method, target->sys);
    if (!f)
        return NULL;
    f->target = target;
    protobuf_c_message_init(d, future_reply_storage(f));
    return f;
}

static tact_future *derived_new(tact_system *sys) {
    return alloc_future(NULL, sys);
}

/* Frees a derived future nobody else has seen yet. NULL is accepted. */
static void discard(tact_future *d) {
    pool_free(NULL, d, future_size(NULL));
}

void future_retain(tact_future *f) {
    atomic_fetch_add_explicit(&f->refs, 1, memory_order_relaxed);
}

void future_release(tact_future *f) {
    if (atomic_fetch_sub_explicit(&f->refs, 1, memory_order_acq_rel) != 1)
        return;
    if (f->method && f->status == TACT_OK && atomic_load(&f->state) == DONE &&
        !(f->method->flags & TACT_METHOD_FLAT_REPLY))
        pb_free_fields(f->method->reply, future_reply_storage(f));
    if (f->forward)
        future_release(f->forward);
    free(f->text);
    pool_free(NULL, f, future_size(f->method));
}

bool future_claimed(tact_future *f) {
    return atomic_load_explicit(&f->claimed, memory_order_acquire) != 0;
}

/* Completes f unless someone else already did; consumes text and forward
 * either way. Returns whether this call completed it. */
static bool settle(tact_future *f, tact_status status, tact_status code, char *text,
                   tact_future *forward) {
    if (atomic_exchange(&f->claimed, 1) != 0) {
        free(text);
        if (forward)
            future_release(forward);
        return false;
    }
    f->status = status;
    f->code = code;
    f->text = text;
    f->forward = forward;
    atomic_store(&f->state, DONE);
    if (atomic_load(&f->waiters))
        park_wake_all(&f->state);
    /* Run the callbacks in the order they were added. */
    callback *list = atomic_exchange(&f->callbacks, CALLBACKS_DONE), *rev = NULL;
    while (list) {
        callback *next = list->next;
        list->next = rev;
        rev = list;
        list = next;
    }
    while (rev) {
        callback *next = rev->next;
        rev->fn(f, rev->arg);
        future_release(f); /* the callback's reference */
        free(rev);
        rev = next;
    }
    return true;
}

/* The status of a future someone else completes, once they have. */
static tact_status settled_status(tact_future *f) {
    while (atomic_load(&f->state) != DONE)
        park_pause();
    return f->status;
}

tact_status future_complete(tact_future *f, tact_status status, tact_status code, char *text) {
    bool won = settle(f, status, code, text, NULL);
    if (!won || status != TACT_OK) {
        /* Cancelled or timed out first (the late reply is dropped), or failed:
         * nobody will read the reply storage. Cleared after the claim, so that
         * a cancel racing with this answer cannot leave its fields behind. */
        pb_free_fields(f->method->reply, future_reply_storage(f));
        protobuf_c_message_init(f->method->reply, future_reply_storage(f));
    }
    tact_status st = won ? TACT_OK : settled_status(f);
    future_release(f);
    return st;
}

void future_expire(tact_future *f) {
    settle(f, TACT_ETIMEDOUT, TACT_ETIMEDOUT, NULL, NULL);
}

tact_status tact_future_cancel(tact_future *f) {
    if (!f)
        return TACT_EINVAL;
    if (settle(f, TACT_ECANCELED, TACT_ECANCELED, NULL, NULL))
        return TACT_OK;
    return settled_status(f); /* someone else completes it: report how */
}

int tact_future_done(const tact_future *f) {
    return f && atomic_load(&((tact_future *)f)->state) == DONE;
}

tact_status tact_future_wait(tact_future *f, int64_t timeout_ms) {
    int64_t ms;
    if (!f || park_ms(timeout_ms, true, &ms) != TACT_OK)
        return TACT_EINVAL;
    if (atomic_load(&f->state) == DONE)
        return f->status;
    if (ms == 0)
        return TACT_ETIMEDOUT; /* a poll: never blocks, nor hands a processor over */
    int64_t deadline = park_deadline(ms);
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
        tact_status st = sched_block_begin(t, f->target, &f->state);
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
    if (f->forward)
        return tact_future_reply(f->forward);
    return f->method ? (const char *)f + FUTURE_HEADER : NULL;
}

const void *tact_future_reply_as(const tact_future *f, const tact_method *method) {
    if (!method || method->kind != TACT_METHOD_ASK || !tact_future_done(f))
        return NULL;
    while (f->forward) /* then and any hand out the reply of the future they took */
        f = f->forward;
    if (f->status != TACT_OK || !f->method || !reply_types_match(f->method->reply, method->reply))
        return NULL;
    return future_reply_storage((tact_future *)f);
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

const tact_method *tact_future_method(const tact_future *f) {
    return f ? f->method : NULL;
}

tact_system *future_system(const tact_future *f) {
    return f->sys;
}

tact_system *tact_future_system(const tact_future *f) {
    return f && f->sys ? system_live(f->sys, f->sys_serial) : NULL;
}

tact_future *tact_future_source(const tact_future *f) {
    return f && tact_future_done(f) ? f->forward : NULL;
}

void tact_future_free(tact_future *f) {
    if (f)
        future_release(f);
}

/* -- callbacks and combinators ------------------------------------------------ */

/* Runs cb->fn when f completes, or at once if it has; takes over cb. */
static void add_callback(tact_future *f, callback *cb) {
    atomic_fetch_add(&f->refs, 1); /* kept until the callback has run */
    callback *head = atomic_load(&f->callbacks);
    do {
        if (head == CALLBACKS_DONE) {
            cb->fn(f, cb->arg);
            future_release(f);
            free(cb);
            return;
        }
        cb->next = head;
    } while (!atomic_compare_exchange_weak(&f->callbacks, &head, cb));
}

tact_status tact_future_on_done(tact_future *f, tact_future_fn fn, void *arg) {
    if (!f || !fn)
        return TACT_EINVAL;
    callback *cb = malloc(sizeof *cb);
    if (!cb)
        return TACT_ENOMEM;
    cb->fn = fn;
    cb->arg = arg;
    add_callback(f, cb);
    return TACT_OK;
}

static char *text_of(const tact_future *f) {
    return f->text ? strdup(f->text) : NULL;
}

/* Completes out as `from` completed, handing out from's reply. */
static void settle_like(tact_future *out, tact_future *from) {
    atomic_fetch_add(&from->refs, 1);
    settle(out, from->status, from->code, text_of(from), from);
}

typedef struct then_state {
    tact_future *out;
    tact_then_fn fn;
    void *arg;
} then_state;

static void forward_done(tact_future *next, void *arg) {
    tact_future *out = arg;
    settle_like(out, next);
    future_release(out); /* the completer's reference */
}

static void then_done(tact_future *f, void *arg) {
    then_state *st = arg;
    tact_future *out = st->out;
    if (f->status != TACT_OK) {
        settle_like(out, f); /* skip fn: pass the failure on */
    } else {
        tact_future *next = NULL;
        tact_status rc = st->fn(f, st->arg, &next);
        if (rc != TACT_OK) {
            settle(out, rc > 0 ? TACT_EHANDLER : rc, rc, NULL, NULL);
            tact_future_free(next);
        } else if (next) {
            if (tact_future_on_done(next, forward_done, out) != TACT_OK) {
                settle(out, TACT_ENOMEM, TACT_ENOMEM, NULL, NULL);
                future_release(out);
            }
            tact_future_free(next); /* handed over: the callback holds its own */
            free(st);
            return;
        } else {
            settle_like(out, f);
        }
    }
    future_release(out);
    free(st);
}

tact_status tact_future_then(tact_future *f, tact_then_fn fn, void *arg, tact_future **out) {
    if (out)
        *out = NULL;
    if (!f || !fn || !out)
        return TACT_EINVAL;
    then_state *st = malloc(sizeof *st);
    tact_future *d = derived_new(f->sys);
    if (!st || !d) {
        free(st);
        discard(d);
        return TACT_ENOMEM;
    }
    st->out = d;
    st->fn = fn;
    st->arg = arg;
    tact_status rc = tact_future_on_done(f, then_done, st);
    if (rc != TACT_OK) {
        free(st);
        discard(d);
        return rc;
    }
    *out = d;
    return TACT_OK;
}

typedef struct group_state {
    tact_future *out;
    _Atomic size_t remaining;
    size_t n;
    bool all;
    tact_future *inputs[]; /* counted, for all: read in argument order at the end */
} group_state;

static void group_done(tact_future *f, void *arg) {
    group_state *g = arg;
    if (!g->all)
        settle_like(g->out, f); /* the first to complete wins; later ones lose the claim */
    if (atomic_fetch_sub(&g->remaining, 1) != 1)
        return;
    if (g->all) {
        tact_future *failed = NULL;
        for (size_t i = 0; i < g->n && !failed; i++)
            if (g->inputs[i]->status != TACT_OK)
                failed = g->inputs[i];
        if (failed)
            settle(g->out, failed->status, failed->code, text_of(failed), NULL);
        else
            settle(g->out, TACT_OK, TACT_OK, NULL, NULL);
        for (size_t i = 0; i < g->n; i++)
            future_release(g->inputs[i]);
    }
    future_release(g->out);
    free(g);
}

/* The inputs of all and any: an array of tact_future pointers, or (typed)
 * one of void pointers to typed futures, as the _of macros make. */
typedef struct inputs {
    tact_future *const *fs;
    void *const *ptrs;
} inputs;

static tact_future *input(inputs in, size_t i) {
    return in.fs ? in.fs[i] : (tact_future *)in.ptrs[i];
}

static tact_status group(inputs in, size_t n, bool all, tact_future **out) {
    if (out)
        *out = NULL;
    if ((!in.fs && !in.ptrs) || !out || n == 0)
        return TACT_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!input(in, i))
            return TACT_EINVAL;
    group_state *g = malloc(sizeof *g + (all ? n : 0) * sizeof(tact_future *));
    tact_future *d = derived_new(input(in, 0)->sys);
    callback **cbs = calloc(n, sizeof *cbs);
    bool ok = g && d && cbs;
    for (size_t i = 0; ok && i < n; i++)
        ok = (cbs[i] = malloc(sizeof **cbs)) != NULL;
    if (!ok) {
        for (size_t i = 0; cbs && i < n; i++)
            free(cbs[i]);
        free(cbs);
        free(g);
        discard(d);
        return TACT_ENOMEM;
    }
    g->out = d;
    g->n = n;
    g->all = all;
    atomic_init(&g->remaining, n);
    for (size_t i = 0; all && i < n; i++) {
        g->inputs[i] = input(in, i);
        atomic_fetch_add(&g->inputs[i]->refs, 1);
    }
    /* Everything is allocated up front so that registering cannot fail halfway. */
    for (size_t i = 0; i < n; i++) {
        cbs[i]->fn = group_done;
        cbs[i]->arg = g;
        add_callback(input(in, i), cbs[i]);
    }
    free(cbs);
    *out = d;
    return TACT_OK;
}

tact_status tact_future_all(tact_future *const *fs, size_t n, tact_future **out) {
    return group((inputs){fs, NULL}, n, true, out);
}

tact_status tact_future_any(tact_future *const *fs, size_t n, tact_future **out) {
    return group((inputs){fs, NULL}, n, false, out);
}

tact_status tact_future_all_ptrs(void *const *fs, size_t n, tact_future **out) {
    return group((inputs){NULL, fs}, n, true, out);
}

tact_status tact_future_any_ptrs(void *const *fs, size_t n, tact_future **out) {
    return group((inputs){NULL, fs}, n, false, out);
}
