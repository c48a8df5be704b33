/* The scheduler (sched.c): W processors with run queues, the threads that
 * serve them, and what a handler does around a blocking wait. */
#ifndef TACT_SCHEDULER_H
#define TACT_SCHEDULER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "gqueue.h"
#include "pool.h"
#include "tact/tact.h"

/* Thread-locals read on every send: initial-exec, so that reading one from
 * libtact.so is a load, not a call to __tls_get_addr. */
#if defined(__GNUC__)
#define TACT_TLS _Thread_local __attribute__((tls_model("initial-exec")))
#else
#define TACT_TLS _Thread_local
#endif

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
/* Puts an actor that used up its batch at the back of the queue. */
void sched_requeue(sched *s, tact_actor *a);

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

#endif
