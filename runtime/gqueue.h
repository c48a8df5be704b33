/* The global run queue: actors made runnable by threads that hold no
 * processor (a main thread feeding workers, a blocked handler, the timer
 * thread), shared by every worker.
 *
 * Why not a mutex and an array: a main thread that sends to 10^4 idle actors
 * pushes 10^4 of them while idle workers pop; with a lock, on few cores, the
 * holder gets preempted and everyone waits for it (the forkjoin benchmark ran
 * at a fifth of its speed in one run out of three). So the queue is a bounded
 * lock-free ring (Dmitry Vyukov's MPMC queue: one CAS per push or pop), with
 * a locked, growing overflow for when the ring is full. An actor is in the
 * queue at most once (its scheduled flag says who owns its next run).
 * Order is only fairness: FIFO within the ring, and the overflow goes first
 * while it has anything. */
#ifndef TACT_GQUEUE_H
#define TACT_GQUEUE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct tact_actor tact_actor;

typedef struct gqueue_cell {
    _Atomic size_t seq;
    _Atomic(tact_actor *) actor;
} gqueue_cell;

/* The producers' and the consumers' positions and the count are written by
 * different threads all the time: 64 bytes apart, each has a cache line of its
 * own (padding rather than _Alignas, which a malloc'ed system could not honour). */
typedef struct gqueue {
    gqueue_cell *cells;
    size_t mask;
    _Atomic size_t enq;
    char pad1[64];
    _Atomic size_t deq;
    char pad2[64];
    /* At least the number of actors queued: raised before a push shows, lowered
     * after a pop. Zero means empty for sure. */
    _Atomic size_t count;
    char pad3[64];
    _Atomic size_t overflow_len;
    pthread_mutex_t lock; /* the overflow */
    tact_actor **overflow;
    size_t overflow_head, overflow_cap;
} gqueue;

/* Errors: -1 when out of memory. */
int gqueue_init(gqueue *q);
/* Frees the queue; every actor still in it is given to release (if not NULL). */
void gqueue_destroy(gqueue *q, void (*release)(tact_actor *));

/* Queues a (never fails: waits for memory if it must). Thread-safe. */
void gqueue_push(gqueue *q, tact_actor *a);
/* The next actor, or NULL if none. Thread-safe. */
tact_actor *gqueue_pop(gqueue *q);

static inline size_t gqueue_count(gqueue *q) {
    return atomic_load(&q->count);
}

#endif
