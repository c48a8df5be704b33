/* The runtime's private structures, shared by its source files. */
#ifndef TACT_INTERNAL_H
#define TACT_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#include "gqueue.h"
#include "mpsc.h"
#include "pool.h"
#include "idmap.h"
#include "ptab.h"
#include "tact/tact.h"

/* Thread-locals read on every send: initial-exec, so that reading one from
 * libtact.so is a load, not a call to __tls_get_addr. */
#if defined(__GNUC__)
#define TACT_TLS _Thread_local __attribute__((tls_model("initial-exec")))
#else
#define TACT_TLS _Thread_local
#endif

/* Runtime-internal message kinds, beside the public ask and tell. */
enum { TACT_METHOD_CONT = 101 };

typedef struct tact_timer tact_timer;

struct tact_msg {
    mpsc_node node; /* first: the mailbox links messages through it */
    const tact_method *method;
    union {
        tact_future *future; /* an ask's future (counted) */
        tact_timer *timer;   /* a tell sent by a timer (counted), else NULL */
    };
    /* the request message follows, aligned for any type */
};

/* Where a message's request struct starts. */
#define TACT_MSG_ALIGN _Alignof(max_align_t)
#define TACT_MSG_HEADER ((sizeof(struct tact_msg) + TACT_MSG_ALIGN - 1) & ~(TACT_MSG_ALIGN - 1))
static inline void *msg_request(tact_msg *m) {
    return (char *)m + TACT_MSG_HEADER;
}

/* The block size of a message for method (envelope and request). */
static inline size_t msg_size(const tact_method *method) {
    const ProtobufCMessageDescriptor *d = method->request;
    return TACT_MSG_HEADER + (d ? d->sizeof_message : 0);
}

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

/* Sets what tact_error_text() returns on this thread (status.c). */
void error_text_set(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* -- the scheduler (sched.c) ----------------------------------------------- */

#define RUNQ_SIZE 256

/* A processor: the right to run actors, with its own run queue. There are W of
 * them; a thread must hold one to take work from the queues. */
typedef struct sched_proc {
    _Atomic uint32_t head; /* taken from by the owner and by thieves */
    _Atomic uint32_t tail; /* pushed to by the owner only */
    _Atomic(tact_actor *) runnext; /* the actor just made runnable: run it next */
    tact_actor *slots[RUNQ_SIZE];
    unsigned index;
} sched_proc;

typedef struct sched_thread {
    pthread_t tid;
    tact_system *sys;
    sched_proc *proc; /* NULL while it holds none (blocked, or a spare) */
    _Atomic uint32_t wake; /* futex word: 1 when told to wake */
    struct sched_thread *next_parked;
    struct sched_thread *next_all;
    _Atomic(tact_actor *) current; /* the actor whose handler runs on this thread */
    tact_actor *waiting_for; /* while blocked in a handler: the actor that will answer */
    /* Nonzero once the answer is in (NULL: not known until the wait returns).
     * The waiter may still be asleep then, and must not count as blocked. */
    const _Atomic uint32_t *answered;
    tact_actor *pinned; /* the actor this thread is pinned to, or NULL */
    pool_cache cache;   /* free message and future blocks */
    uint64_t rand;
} sched_thread;

typedef struct sched {
    unsigned nprocs;
    sched_proc *procs;

    /* Work from threads that hold no processor (non-workers, blocked handlers). */
    gqueue global;

    pthread_mutex_t lock;     /* parked and spare lists, thread list, blocking graph */
    sched_thread *parked;     /* threads holding a processor, asleep */
    sched_thread *spares;     /* threads holding none, asleep */
    sched_thread *zombies;    /* surplus spares that ended, to be joined */
    sched_thread *threads;    /* every thread started, for the join */
    unsigned nspares;
    _Atomic uint32_t nparked;
    _Atomic uint32_t nspinning;
    _Atomic uint32_t stopping;
    pool_depot depot; /* blocks passed between the threads' caches */
} sched;

int sched_init(sched *s, tact_system *sys, unsigned nprocs);
/* Tells every thread to finish and joins them. */
void sched_shutdown(sched *s);
void sched_destroy(sched *s);

/* Makes a runnable actor (one whose scheduled flag this caller set, with a
 * reference for the run queue) run soon. */
void sched_submit(sched *s, tact_actor *a);

/* The scheduler thread running the caller, or NULL for a foreign thread. */
extern TACT_TLS sched_thread *sched_tls_thread;
static inline sched_thread *sched_self(void) {
    return sched_tls_thread;
}

/* Around a blocking wait inside a handler: hands the processor to another
 * thread so the pool keeps its W runners, and checks for a wait cycle. The
 * wait is for an answer from `target` (NULL if unknown); `answered` (may be
 * NULL) turns nonzero once that answer is in.
 * begin returns TACT_EDEADLK if waiting would close a cycle. */
tact_status sched_block_begin(sched_thread *t, tact_actor *target,
                              const _Atomic uint32_t *answered);
void sched_block_end(sched_thread *t);

/* Long sending runs: every SCHED_SEND_CHECK_EVERY sends of a batch, the thread
 * checks whether the batch has run long (or is about to nap, see flood_check
 * in actor.c) while other actors wait for its processor, and if so lets an
 * idle thread take them or hands the processor to another thread and goes on
 * without it (the OS then shares the cores). sched_batch_begin() starts the
 * count for a batch; the sender (deliver() in actor.c) counts each send in
 * sched_tls_sends and calls the check. */
enum { SCHED_SEND_CHECK_EVERY = 256 };
extern TACT_TLS uint32_t sched_tls_sends;
void sched_sends_check(bool about_to_nap);
static inline void sched_batch_begin(void) {
    sched_tls_sends = 0;
}

/* -- actors (actor.c) --------------------------------------------------------- */

/* Runs a batch of the actor's messages on the calling thread, which must have
 * set the actor's scheduled flag. Takes over the run queue's reference. */
void actor_run(tact_actor *a);

/* Puts an actor that used up its batch at the back of the queue. */
void sched_requeue(sched *s, tact_actor *a);

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

/* Counts a dead letter and tells the observer. */
void system_dead_letter(tact_system *sys, uint64_t id, const char *method);

/* -- messages and futures (message.c, future.c) ------------------------------- */

/* Frees what a protobuf-c message owns (not the message's own memory). */
void pb_free_fields(const void *desc, void *msg);
/* Hands over the string, bytes or message that a non-repeated field of msg
 * holds at payload, clearing the field: see tact_ctx_take. */
void *pb_take(const void *desc, void *msg, const void *payload);
/* Deep-copies src into the uninitialised message memory dst. On failure dst
 * holds an empty message. Errors: TACT_EINVAL, TACT_ENOMEM. */
tact_status pb_copy_into(const void *desc, void *dst, const void *src);
/* A new unsent message with a deep copy of m's request; NULL when out of memory. */
tact_msg *msg_clone(tact_system *sys, const tact_msg *m);

/* A future for an ask of method to target; refs: the caller's and the message's. */
tact_future *future_new(const tact_method *method, tact_actor *target);
/* Completes a future that holds the message's reference, then drops it. Does
 * nothing to the result if the future was already completed (cancelled).
 * Returns TACT_OK if this call completed it, else the status it had. */
tact_status future_complete(tact_future *f, tact_status status, tact_status code, char *text);
/* Whether the future was already completed (cancelled) before its message ran. */
bool future_claimed(tact_future *f);
/* The reply storage an ask's handler writes into. */
void *future_reply_storage(tact_future *f);
/* Takes or drops one reference. */
void future_retain(tact_future *f);
void future_release(tact_future *f);
/* Completes a pending future with TACT_ETIMEDOUT (its deadline passed). */
void future_expire(tact_future *f);

/* -- deferred replies (reply.c) ------------------------------------------------ */

/* Whether two reply types have one layout (the same .actor type), so that a
 * reply written for one may be read as the other. */
bool reply_types_match(const ProtobufCMessageDescriptor *a, const ProtobufCMessageDescriptor *b);
/* The actor is dying, its hooks have run: fails the replies it still holds
 * with TACT_EDEAD. Runner only. */
void reply_actor_died(tact_actor *a);

/* -- timers (timer.c) ----------------------------------------------------------- */

/* The system's timer thread and its heap of pending timers, started with the first timer. */
typedef struct timer_service {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    tact_timer **heap;
    size_t n, cap;
    bool started, stopping;
    pthread_t tid;
} timer_service;

void timers_init(timer_service *ts);
/* Joins the thread and frees every pending timer. */
void timers_shutdown(timer_service *ts);
/* Frees the lock that tact_timer_cancel() takes: last, since a timer handle
 * may be cancelled after its system's destruction (its actor is a husk then). */
void timers_destroy(timer_service *ts);
/* Whether a timer's tick should be skipped because it was cancelled. */
bool timer_cancelled(const tact_timer *t);
void timer_release(tact_timer *t);

/* -- the system (system.c) --------------------------------------------------- */

struct tact_system {
    sched sched;
    pthread_mutex_t lock; /* the registry: actors by id and by name */
    pthread_cond_t death; /* broadcast whenever an actor dies */
    idmap by_id;          /* every actor not yet freed; lookups need no lock */
    ptab by_name;         /* named actors until they die */
    uint64_t next_id;
    size_t husks; /* under the lock, once torn down */
    _Atomic uint64_t dead_letters;
    timer_service timers;
    _Atomic(tact_dead_letter_fn) dead_letter_fn;
    void *_Atomic dead_letter_arg;
    /* Set by tact_system_destroy once the threads, timers and tables are gone;
     * what is left of the system is this record and its lock, kept for the
     * actors that user references still hold (husks: dead, refusing every
     * call), until the last of them is freed. Read on every send (through
     * tact_actor_system): among fields that are rarely written. */
    _Atomic uint32_t torn_down;
    struct stop_chain *stop_chain; /* tact_system_stop_all's, if one runs; under lock */
    /* In the process's list of live systems (system.c) from tact_system_new
     * until its threads are gone in tact_system_destroy; serial is unique in
     * the process, so a new system at a freed one's address is told apart. */
    uint64_t serial;
    tact_system *next_live;
};

/* sys if it is still alive and is the system numbered serial, else NULL: for
 * what outlives a system (futures) and must not hand out a freed one. */
tact_system *system_live(tact_system *sys, uint64_t serial);
/* The system a future was made in, unchecked: for the runtime's own calls
 * while that system is known to be alive (in its handlers, for a pending future). */
tact_system *future_system(const tact_future *f);

/* Gives the actor its id and registers it, by name too if it has one.
 * Errors: TACT_ENAMETAKEN, TACT_ENOMEM. */
tact_status system_register(tact_system *sys, tact_actor *a);
/* Removes an actor whose last reference is gone from the registry; its
 * memory may be freed when this returns (no lookup can still see it). Frees
 * a torn-down system with its last husk: a->sys is then invalid. */
void system_unlink(tact_system *sys, tact_actor *a);
/* After the threads are gone: rejects what is left in the mailboxes, frees
 * the tables, and keeps the actors still referenced as husks. Returns whether
 * none is left, so that the caller frees the system now. */
bool system_detach_actors(tact_system *sys);
/* Frees what is left of a torn-down system. */
void system_free(tact_system *sys);
/* The actor is dead and its hooks have run: frees its name, wakes waiters. */
void system_actor_died(tact_system *sys, tact_actor *a);
/* Whether system_actor_died() has run for a. */
bool system_actor_finished(tact_actor *a);
/* Waits for system_actor_died(a) until deadline_ns (-1: forever). t is the
 * calling scheduler thread or NULL. TACT_OK or TACT_ETIMEDOUT. */
tact_status system_wait_death(tact_system *sys, tact_actor *a, int64_t deadline_ns,
                              sched_thread *t);

#endif
