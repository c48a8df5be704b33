/* An actor's record, a handler's context, and what the rest of the runtime
 * asks of actor.c: running a batch, rejecting messages, forwarding an ask. */
#ifndef TACT_ACTOR_IMPL_H
#define TACT_ACTOR_IMPL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "message_impl.h"
#include "mpsc.h"
#include "tact/tact.h"

/* Lifecycle of an actor. */
enum { ACTOR_ALIVE = 0, ACTOR_STOPPING = 1, ACTOR_DEAD = 2 };

/* What only some actors need, kept out of every actor's memory. */
typedef struct actor_extra {
    char *name;                 /* NULL if unnamed; freed at death */
    void *start_args;           /* spawn arguments until on_start has run */
    struct sched_thread *pinned; /* the thread of a pinned actor */
} actor_extra;

/* The order of the fields is the point: what senders touch on every send
 * (bytes 0 to 31) and what the runner writes on every message (bytes 80 to
 * 95) never share a 64-byte cache line in a block aligned to 16 (as malloc's
 * are: a line would have to start between bytes 17 and 31). Otherwise every
 * send and every handled message would take the line from the other core (the
 * tell benchmark, 2 senders into 1 receiver, spent most of its time there).
 * The runner reads the fields in between once per batch, not per message. */
struct tact_actor {
    /* -- senders: written on every send, or read -- */
    mpsc_queue mailbox;        /* the producers' end */
    _Atomic uint32_t enqueued; /* messages ever pushed (wrapping): minus handled, the depth */
    _Atomic uint8_t scheduled; /* 1 while queued to run or running: one runner at a time */
    _Atomic uint8_t life;      /* ACTOR_ALIVE, STOPPING, DEAD (DEAD set by the runner only) */
    uint8_t started;           /* on_start has run (or was not needed); runner only */
    uint8_t finished;          /* dead and its hooks done; under the system's lock */
    tact_system *sys;
    const tact_actor_type *type; /* read by every send, to check the method's type */
    /* -- neither, per message -- */
    _Atomic uint32_t refs;
    uint64_t id;
    const void *impl;
    actor_extra *extra; /* NULL for most actors */
    mpsc_node stop_node; /* the stop request: at most one per actor, so it needs no allocation */
    /* -- the runner: written on every message -- */
    mpsc_cursor cursor;       /* the consumer's end of the mailbox */
    _Atomic uint64_t handled; /* messages taken from the mailbox; written by the runner only */
    /* the user's state follows, aligned for any type */
};
_Static_assert(offsetof(struct tact_actor, type) + sizeof(void *) <= 32 &&
                   offsetof(struct tact_actor, cursor.head) >= 80,
               "senders' and runner's hot fields must stay on different cache lines");

#define TACT_ACTOR_HEADER                                                                          \
    ((sizeof(struct tact_actor) + TACT_MSG_ALIGN - 1) & ~(TACT_MSG_ALIGN - 1))
static inline void *actor_state(tact_actor *a) {
    return (char *)a + TACT_ACTOR_HEADER;
}

struct tact_ctx {
    tact_actor *actor;
    char *error; /* set by tact_ctx_fail, freed by the runner */
    /* The message being handled, for tact_ctx_take; NULL in the hooks (in
     * on_start, take finds the spawn arguments in actor->extra). */
    tact_msg *msg;
    tact_future *ask; /* the ask being answered, until tact_reply_defer takes it */
    const tact_method *ask_method; /* its message's method (a forwarded ask's future has another) */
    bool deferred;    /* the handler deferred its reply (reply.c) */
};

/* Runs a batch of the actor's messages on the calling thread, which must have
 * set the actor's scheduled flag. Takes over the run queue's reference. */
void actor_run(tact_actor *a);

/* A message that will never be handled: the asker learns the actor is dead,
 * a tell becomes a dead letter. */
void msg_reject(tact_actor *a, tact_msg *m);
/* Rejects whatever is left in the mailbox (the actor is dead); runner only. */
void mailbox_reject_all(tact_actor *a);
/* Sends an ask message whose future (holding the message's reference) the
 * caller made or took over: a forwarded ask. Consumes m on every path. */
tact_status actor_ask_with(tact_actor *a, tact_msg *m, tact_future *f);
/* Frees a continuation's message without running it. */
void cont_free(tact_msg *m);

/* Frees an actor whose last reference is gone (system.c keeps the list). */
void actor_free(tact_actor *a);

#endif
