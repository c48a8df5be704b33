/* Actors: spawning, sending, running a batch of messages, stopping, dying. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actor_impl.h"
#include "error_text.h"
#include "future_impl.h"
#include "message_impl.h"
#include "park.h"
#include "pb_impl.h"
#include "pinned.h"
#include "registry.h"
#include "reply_impl.h"
#include "scheduler.h"
#include "system_impl.h"

/* An idle actor should cost at most 128 bytes beyond its state, allocator and
 * registry included (docs/performance.md): the header must stay this small. */
_Static_assert(sizeof(struct tact_actor) <= 96, "struct tact_actor grew past 96 bytes");

/* Messages one actor handles before others get the thread: long enough to
 * amortise the scheduling, short enough to keep latency fair. */
enum { BATCH = 64 };

tact_actor *tact_actor_retain(tact_actor *a) {
    if (a)
        atomic_fetch_add_explicit(&a->refs, 1, memory_order_relaxed);
    return a;
}

void tact_actor_release(tact_actor *a) {
    if (a && atomic_fetch_sub_explicit(&a->refs, 1, memory_order_acq_rel) == 1)
        actor_free(a);
}

uint64_t tact_actor_id(const tact_actor *a) {
    return a ? a->id : 0;
}

tact_system *tact_actor_system(const tact_actor *a) {
    return a && !atomic_load_explicit(&a->sys->torn_down, memory_order_relaxed) ? a->sys : NULL;
}

const tact_actor_type *tact_actor_type_of(const tact_actor *a) {
    return a ? a->type : NULL;
}

int tact_actor_alive(const tact_actor *a) {
    return a && atomic_load(&((tact_actor *)a)->life) == ACTOR_ALIVE;
}

/* Whether the caller now owns the actor's next run (with a reference for it):
 * true only if nobody runs it or has it queued. A plain load first: while the
 * actor is queued or running, a send need not take the cache line exclusively. */
static bool claim_run(tact_actor *a) {
    if (atomic_load(&a->scheduled) != 0 || atomic_exchange(&a->scheduled, 1) != 0)
        return false;
    tact_actor_retain(a);
    return true;
}

/* Makes the actor runnable if nobody runs it yet. */
static void schedule(tact_actor *a) {
    if (claim_run(a))
        sched_submit(&a->sys->sched, a);
}

/* Mailbox depths at which a flooding sender is slowed down, and released; the
 * nap's step, the longest a receiver may make no progress before it counts as
 * stuck, and the most a sender naps per check. */
enum {
    FLOOD_HIGH = 8192,
    FLOOD_LOW = 4096,
    FLOOD_NAP_NS = 20000,
    FLOOD_STUCK_NS = 1000000,
    FLOOD_NAP_MAX_NS = 2000000,
};

/* The receiver that made no progress during a sender's last nap, and its
 * count then: not waited for again until it moves. */
static _Thread_local const tact_actor *tls_stuck;
static _Thread_local uint64_t tls_stuck_handled;

static uint32_t mailbox_depth(tact_actor *a) {
    uint64_t handled = atomic_load_explicit(&a->handled, memory_order_relaxed);
    return atomic_load_explicit(&a->enqueued, memory_order_relaxed) - (uint32_t)handled;
}

/* Called every few sends. A sender much faster than its receiver would fill
 * memory with queued messages (and page faults would slow everyone); like
 * Erlang's penalty for sending to a long queue, the sender naps while the
 * receiver drains, which also gives the receiver the core. Only while the
 * receiver makes progress: one that is blocked, or that waits for this
 * sender, is not waited for (and not again until it moves). At most
 * FLOOD_NAP_MAX_NS per check, so that a slow receiver slows its senders
 * without stalling them (the timer thread sends too). */
static void flood_check(tact_actor *a) {
    sched_sends_check(false);
    if (mailbox_depth(a) < FLOOD_HIGH || atomic_load(&a->life) == ACTOR_DEAD)
        return;
    sched_thread *t = sched_self();
    if (t && atomic_load(&t->current) == a)
        return; /* sending to itself: nobody else drains it */
    uint64_t handled = atomic_load_explicit(&a->handled, memory_order_relaxed);
    if (a == tls_stuck && handled == tls_stuck_handled)
        return;
    sched_sends_check(true); /* the receiver may be queued behind this very thread */
    int64_t start = park_now_ns(), progress_at = start;
    while (mailbox_depth(a) > FLOOD_LOW) {
        struct timespec nap = {0, FLOOD_NAP_NS};
        nanosleep(&nap, NULL);
        uint64_t now_handled = atomic_load_explicit(&a->handled, memory_order_relaxed);
        int64_t now = park_now_ns();
        if (now - start > FLOOD_NAP_MAX_NS)
            return;
        if (now_handled != handled) {
            handled = now_handled;
            progress_at = now;
        } else if (now - progress_at > FLOOD_STUCK_NS) {
            tls_stuck = a;
            tls_stuck_handled = handled;
            return;
        }
    }
}

static void deliver(tact_actor *a, mpsc_node *n) {
    atomic_fetch_add_explicit(&a->enqueued, 1, memory_order_relaxed);
    mpsc_push(&a->mailbox, n);
    schedule(a);
    if (++sched_tls_sends % SCHED_SEND_CHECK_EVERY == 0)
        flood_check(a);
}

void mailbox_reject_all(tact_actor *a) {
    mpsc_node *n;
    while ((n = mpsc_pop(&a->mailbox, &a->cursor)))
        if (n != &a->stop_node)
            msg_reject(a, (tact_msg *)n);
}

void msg_reject(tact_actor *a, tact_msg *m) {
    /* A continuation of a stopped actor is just dropped; anything else is a dead letter. */
    if (m->method->kind != (tact_method_kind)TACT_METHOD_CONT)
        system_dead_letter(a->sys, a->id, m->method->name);
    if (m->method->kind == TACT_METHOD_ASK && m->future) {
        future_complete(m->future, TACT_EDEAD, TACT_EDEAD, NULL);
        m->future = NULL;
    }
    tact_msg_free(m);
}

/* Whether a accepts m: alive, and of the type m's method belongs to. One
 * branch for the sender: both words are on lines the send touches anyway
 * (the actor's first, and the method's, read to build m). */
static inline bool accepts(tact_actor *a, const tact_msg *m) {
    return (atomic_load_explicit(&a->life, memory_order_acquire) == ACTOR_ALIVE) &
           (m->method->actor == a->type);
}

/* Why a did not accept m; consumes m. A wrong type is the sender's bug, not
 * a dead letter. */
static tact_status refuse(tact_actor *a, tact_msg *m) {
    if (m->method->actor != a->type) {
        tact_msg_free(m);
        return TACT_ETYPE;
    }
    msg_reject(a, m);
    return TACT_EDEAD;
}

tact_status tact_actor_tell(tact_actor *a, tact_msg *m) {
    if (!a || !m) {
        tact_msg_free(m);
        return TACT_EINVAL;
    }
    if (!accepts(a, m))
        return refuse(a, m);
    deliver(a, &m->node);
    return TACT_OK;
}

tact_status tact_actor_ask(tact_actor *a, tact_msg *m, tact_future **out) {
    if (out)
        *out = NULL;
    if (!a || !m) {
        tact_msg_free(m);
        return TACT_EINVAL;
    }
    if (!accepts(a, m))
        return refuse(a, m);
    tact_future *f = future_new(m->method, a);
    if (!f) {
        tact_msg_free(m);
        return TACT_ENOMEM;
    }
    m->future = f;
    deliver(a, &m->node);
    if (out)
        *out = f;
    else
        future_release(f);
    return TACT_OK;
}

tact_status actor_ask_with(tact_actor *a, tact_msg *m, tact_future *f) {
    m->future = f;
    if (atomic_load_explicit(&a->life, memory_order_acquire) != ACTOR_ALIVE) {
        msg_reject(a, m);
        return TACT_EDEAD;
    }
    deliver(a, &m->node);
    return TACT_OK;
}

/* Frees spawn arguments that will never reach on_start. */
static void free_args(const tact_actor_type *type, void *args) {
    if (args && type && type->start_args) {
        pb_free_fields(type->start_args, args);
        free(args);
    }
}

static tact_status spawn(tact_system *sys, const tact_actor_type *type, const void *impl,
                         size_t state_size, void *args, const tact_spawn_opts *opts,
                         tact_actor **out) {
    if (!sys || !type || !impl || (args && !type->start_args) ||
        state_size > SIZE_MAX - TACT_ACTOR_HEADER || (opts && opts->name && !opts->name[0])) {
        free_args(type, args);
        return TACT_EINVAL;
    }
    /* Refused here rather than failing the first message that needs it: the
     * first send would otherwise succeed and the actor die of it. */
    const char *missing = type->unimplemented ? type->unimplemented(impl) : NULL;
    if (missing) {
        error_text_set("%s.%s is not implemented", type->name, missing);
        free_args(type, args);
        return TACT_ENOTIMPL;
    }
    const char *name = opts ? opts->name : NULL;
    bool pinned = opts && opts->pinned;
    tact_actor *a = calloc(1, TACT_ACTOR_HEADER + state_size);
    if (!a || ((args || name || pinned) && !(a->extra = calloc(1, sizeof *a->extra))) ||
        (name && !(a->extra->name = strdup(name)))) {
        if (a) {
            free(a->extra);
            free(a);
        }
        free_args(type, args);
        return TACT_ENOMEM;
    }
    mpsc_init(&a->mailbox, &a->cursor);
    atomic_init(&a->refs, out ? 2 : 1); /* the caller's, and the actor's own until it dies */
    a->sys = sys;
    a->type = type;
    a->impl = impl;
    if (args)
        a->extra->start_args = args;
    a->started = !args && !(type->wants_start && type->wants_start(impl));
    if (opts && opts->init_state)
        memcpy(actor_state(a), opts->init_state, state_size);
    tact_status st = registry_add(sys, a);
    if (st == TACT_OK && pinned)
        st = pinned_start(a);
    if (st != TACT_OK) {
        registry_remove(sys, a);
        atomic_store(&a->refs, 0);
        actor_free(a);
        return st;
    }
    if (!a->started)
        schedule(a); /* with out NULL, a may be gone once this returns */
    if (out)
        *out = a;
    return TACT_OK;
}

tact_status tact_actor_spawn(tact_system *sys, const tact_actor_type *type, const void *impl,
                             size_t state_size, void *args, const tact_spawn_opts *opts,
                             tact_actor **out) {
    if (out)
        *out = NULL;
    tact_status st = spawn(sys, type, impl, state_size, args, opts, out);
    if (st != TACT_OK && st != TACT_ENOTIMPL) /* that one has said more already */
        error_text_set("spawn %s: %s", type && type->name ? type->name : "(no type)",
                       tact_strerror(st));
    return st;
}

/* -- stopping and dying ------------------------------------------------------- */

tact_status tact_actor_stop(tact_actor *a) {
    if (!a)
        return TACT_EINVAL;
    uint8_t alive = ACTOR_ALIVE;
    if (!atomic_compare_exchange_strong(&a->life, &alive, ACTOR_STOPPING))
        return TACT_EDEAD;
    mpsc_push(&a->mailbox, &a->stop_node); /* not a message: not counted */
    schedule(a);
    return TACT_OK;
}

tact_status tact_actor_wait(tact_actor *a, int64_t timeout_ms) {
    int64_t ms;
    if (!a || park_ms(timeout_ms, true, &ms) != TACT_OK)
        return TACT_EINVAL;
    sched_thread *t = sched_self();
    if (t && atomic_load(&t->current) == a)
        return TACT_EDEADLK;
    if (ms == 0) /* a poll: never blocks, nor hands a processor over */
        return system_actor_finished(a) ? TACT_OK : TACT_ETIMEDOUT;
    return system_wait_death(a->sys, a, park_deadline(ms), t);
}

tact_status tact_actor_stop_wait(tact_actor *a, int64_t timeout_ms) {
    int64_t ms;
    if (!a || park_ms(timeout_ms, true, &ms) != TACT_OK)
        return TACT_EINVAL; /* before the stop: a refused call changes nothing */
    tact_status st = tact_actor_stop(a);
    if (st == TACT_EDEAD && atomic_load(&a->life) == ACTOR_DEAD && system_actor_finished(a))
        return TACT_EDEAD;
    return tact_actor_wait(a, timeout_ms);
}

/* Ends the actor: nothing more is accepted or handled; on_stop, or on_failure
 * after a failure (code != TACT_OK), runs; what is still queued is rejected. */
static void die(tact_actor *a, tact_status code, char *text) {
    atomic_store(&a->life, ACTOR_DEAD);
    tact_ctx ctx = {.actor = a};
    if (code == TACT_OK) {
        code = a->type->stop(&ctx, a->impl, actor_state(a));
        text = ctx.error;
        ctx.error = NULL;
    }
    if (code != TACT_OK)
        a->type->failure(&ctx, a->impl, actor_state(a), code, text ? text : tact_strerror(code));
    free(text);
    free(ctx.error);
    reply_actor_died(a); /* after the hooks, which may still answer them */
    mailbox_reject_all(a);
    registry_actor_died(a->sys, a);
    tact_actor_release(a); /* the actor's own reference: it is gone */
}

static void start(tact_actor *a) {
    a->started = 1;
    void *args = a->extra ? a->extra->start_args : NULL;
    tact_ctx ctx = {.actor = a};
    tact_status st = a->type->start(&ctx, a->impl, actor_state(a), args);
    if (args) {
        free_args(a->type, args);
        a->extra->start_args = NULL;
    }
    if (st != TACT_OK) {
        atomic_store(&a->life, ACTOR_DEAD);
        die(a, st, ctx.error);
    } else {
        free(ctx.error);
    }
}

/* -- continuations --------------------------------------------------------------- */

typedef struct cont {
    tact_continuation_fn fn;
    void *arg;
    tact_future *f;    /* counted while the message lives */
    tact_actor *actor; /* counted until the message is sent */
} cont;

static const tact_method cont_method = {"continuation", (tact_method_kind)TACT_METHOD_CONT, NULL,
                                        NULL, NULL, 0, NULL};

void cont_free(tact_msg *m) {
    cont *c = msg_request(m);
    future_release(c->f);
    pool_free(NULL, m, TACT_MSG_HEADER + sizeof(cont));
}

/* The future completed: queue the continuation in its actor. */
static void cont_ready(tact_future *f, void *arg) {
    tact_msg *m = arg;
    cont *c = msg_request(m);
    tact_actor *a = c->actor;
    c->actor = NULL;
    c->f = f;
    future_retain(f);
    if (atomic_load(&a->life) == ACTOR_DEAD)
        cont_free(m); /* it stopped first: not run */
    else
        deliver(a, &m->node);
    tact_actor_release(a);
}

tact_status tact_future_then_in(tact_future *f, tact_ctx *ctx, tact_continuation_fn fn,
                                void *arg) {
    if (!f || !ctx || !fn)
        return TACT_EINVAL;
    /* The message is made now so that nothing can fail once f completes. */
    tact_msg *m = pool_alloc(&ctx->actor->sys->sched.depot, TACT_MSG_HEADER + sizeof(cont));
    if (!m)
        return TACT_ENOMEM;
    m->method = &cont_method;
    m->future = NULL;
    cont *c = msg_request(m);
    c->fn = fn;
    c->arg = arg;
    c->f = NULL;
    c->actor = tact_actor_retain(ctx->actor);
    tact_status st = tact_future_on_done(f, cont_ready, m);
    if (st != TACT_OK) {
        tact_actor_release(c->actor);
        pool_free(NULL, m, TACT_MSG_HEADER + sizeof(cont));
    }
    return st;
}

/* -- handling one message ------------------------------------------------------------- */

/* Handles m with impl (a->impl, read once per batch); returns whether the
 * actor died of it. */
static bool handle(tact_actor *a, const void *impl, tact_msg *m) {
    const tact_method *method = m->method;
    tact_ctx ctx = {.actor = a, .msg = m};
    tact_status st = TACT_OK;
    switch ((int)method->kind) {
    case TACT_METHOD_ASK: {
        tact_future *f = m->future;
        m->future = NULL;
        if (future_claimed(f)) { /* cancelled or past its deadline before it ran */
            future_release(f);
        } else {
            ctx.ask = f;
            ctx.ask_method = method;
            st = method->invoke(&ctx, impl, actor_state(a), msg_request(m),
                                future_reply_storage(f));
            if (!ctx.deferred) { /* deferred: the reply answers, not the handler */
                future_complete(f, st == TACT_OK ? TACT_OK : TACT_EHANDLER, st, ctx.error);
                ctx.error = NULL;
            }
            st = TACT_OK; /* a failed ask answers the asker; the actor goes on */
        }
        break;
    }
    case TACT_METHOD_TELL:
        if (!m->timer || !timer_cancelled(m->timer))
            st = method->invoke(&ctx, impl, actor_state(a), msg_request(m), NULL);
        break;
    case TACT_METHOD_CONT: {
        cont *c = msg_request(m);
        st = c->fn(&ctx, actor_state(a), c->f, c->arg);
        break;
    }
    }
    tact_msg_free(m);
    if (st == TACT_OK) {
        free(ctx.error);
        return false;
    }
    die(a, st, ctx.error); /* a failed tell stops the actor at once */
    return true;
}

void actor_run(tact_actor *a) {
    sched_thread *t = sched_self();
    tact_actor *outer = t ? atomic_load(&t->current) : NULL;
    if (t)
        atomic_store(&t->current, a);
    sched_batch_begin();
    if (!a->started && atomic_load(&a->life) != ACTOR_DEAD)
        start(a);
    /* Read once: the senders' cache line is not to be touched per message,
     * and only this runner can make the actor dead (below, or in start). */
    bool dead = atomic_load(&a->life) == ACTOR_DEAD;
    const void *impl = a->impl;
    unsigned n = 0;
    mpsc_node *node;
    while (n < BATCH && (node = mpsc_pop(&a->mailbox, &a->cursor))) {
        n++;
        /* The next message was written on the sender's core: fetch it while
         * this one is handled. */
        __builtin_prefetch(atomic_load_explicit(&a->cursor.head, memory_order_relaxed));
        bool stop = node == &a->stop_node;
        if (!stop)
            atomic_store_explicit(&a->handled,
                                  atomic_load_explicit(&a->handled, memory_order_relaxed) + 1,
                                  memory_order_relaxed);
        if (dead) {
            if (!stop)
                msg_reject(a, (tact_msg *)node);
        } else if (stop) {
            die(a, TACT_OK, NULL);
            dead = true;
        } else {
            dead = handle(a, impl, (tact_msg *)node);
        }
    }
    if (t)
        atomic_store(&t->current, outer);
    if (n == BATCH) {
        sched_requeue(&a->sys->sched, a);
        return;
    }
    /* Going idle races with senders: each side writes its flag with a seq_cst
     * read-modify-write and then reads the other's, so at least one of them
     * sees the other and the message cannot be stranded. */
    atomic_exchange(&a->scheduled, 0);
    if (!mpsc_empty(&a->mailbox, &a->cursor) && atomic_exchange(&a->scheduled, 1) == 0) {
        sched_requeue(&a->sys->sched, a);
        return;
    }
    tact_actor_release(a);
}

/* -- the handler's context ----------------------------------------------------- */

tact_actor *tact_ctx_self(tact_ctx *ctx) {
    return ctx ? ctx->actor : NULL;
}

tact_system *tact_ctx_system(tact_ctx *ctx) {
    return ctx ? ctx->actor->sys : NULL;
}

tact_status tact_ctx_fail(tact_ctx *ctx, tact_status code, const char *fmt, ...) {
    if (code == TACT_OK)
        code = TACT_EINVAL; /* a failure must not read as success */
    if (!ctx)
        return code;
    char *text = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&text, fmt, ap) < 0)
        text = NULL; /* out of memory: the code still gets through */
    va_end(ap);
    free(ctx->error);
    ctx->error = text;
    return code;
}

tact_status tact_ctx_stop(tact_ctx *ctx) {
    if (!ctx)
        return TACT_EINVAL;
    tact_status st = tact_actor_stop(ctx->actor);
    return st == TACT_EDEAD ? TACT_OK : st;
}

tact_status tact_actor_stats(const tact_actor *a, tact_actor_stats_t *out) {
    if (!a || !out)
        return TACT_EINVAL;
    tact_actor *m = (tact_actor *)a;
    /* handled first: a message counted there was counted in enqueued before. */
    uint64_t handled = atomic_load(&m->handled);
    uint32_t enqueued = atomic_load(&m->enqueued);
    out->handled = handled;
    out->queued = (uint32_t)(enqueued - (uint32_t)handled);
    return TACT_OK;
}
