#include "gqueue.h"

#include <sched.h>
#include <stdint.h>
#include <stdlib.h>

/* Ring cells: enough for the 10^4 actors a round of forkjoin wakes at once. */
enum { RING_CELLS = 16384 };

int gqueue_init(gqueue *q) {
    q->cells = malloc(RING_CELLS * sizeof *q->cells);
    if (!q->cells)
        return -1;
    for (size_t i = 0; i < RING_CELLS; i++) {
        atomic_init(&q->cells[i].seq, i);
        atomic_init(&q->cells[i].actor, NULL);
    }
    q->mask = RING_CELLS - 1;
    atomic_init(&q->enq, 0);
    atomic_init(&q->deq, 0);
    atomic_init(&q->count, 0);
    atomic_init(&q->overflow_len, 0);
    pthread_mutex_init(&q->lock, NULL);
    q->overflow = NULL;
    q->overflow_head = q->overflow_cap = 0;
    return 0;
}

static bool ring_push(gqueue *q, tact_actor *a) {
    size_t pos = atomic_load_explicit(&q->enq, memory_order_relaxed);
    for (;;) {
        gqueue_cell *c = &q->cells[pos & q->mask];
        size_t seq = atomic_load_explicit(&c->seq, memory_order_acquire);
        intptr_t diff = (intptr_t)seq - (intptr_t)pos;
        if (diff == 0) {
            if (atomic_compare_exchange_weak_explicit(&q->enq, &pos, pos + 1,
                                                      memory_order_relaxed, memory_order_relaxed)) {
                atomic_store_explicit(&c->actor, a, memory_order_relaxed);
                atomic_store_explicit(&c->seq, pos + 1, memory_order_release);
                return true;
            }
        } else if (diff < 0) {
            return false; /* full */
        } else {
            pos = atomic_load_explicit(&q->enq, memory_order_relaxed);
        }
    }
}

/* The next cell's actor, NULL if empty. */
static tact_actor *ring_pop(gqueue *q) {
    size_t pos = atomic_load_explicit(&q->deq, memory_order_relaxed);
    for (;;) {
        gqueue_cell *c = &q->cells[pos & q->mask];
        size_t seq = atomic_load_explicit(&c->seq, memory_order_acquire);
        intptr_t diff = (intptr_t)seq - (intptr_t)(pos + 1);
        if (diff == 0) {
            if (atomic_compare_exchange_weak_explicit(&q->deq, &pos, pos + 1,
                                                      memory_order_relaxed, memory_order_relaxed)) {
                tact_actor *a = atomic_load_explicit(&c->actor, memory_order_relaxed);
                atomic_store_explicit(&c->seq, pos + q->mask + 1, memory_order_release);
                return a;
            }
        } else if (diff < 0) {
            return NULL; /* empty */
        } else {
            pos = atomic_load_explicit(&q->deq, memory_order_relaxed);
        }
    }
}

/* With the lock held. Returns -1 when out of memory. */
static int overflow_push_locked(gqueue *q, tact_actor *a) {
    size_t len = atomic_load_explicit(&q->overflow_len, memory_order_relaxed);
    if (len == q->overflow_cap) {
        size_t cap = q->overflow_cap ? q->overflow_cap * 2 : 1024;
        tact_actor **v = malloc(cap * sizeof *v);
        if (!v)
            return -1;
        for (size_t i = 0; i < len; i++)
            v[i] = q->overflow[(q->overflow_head + i) % q->overflow_cap];
        free(q->overflow);
        q->overflow = v;
        q->overflow_head = 0;
        q->overflow_cap = cap;
    }
    q->overflow[(q->overflow_head + len) % q->overflow_cap] = a;
    atomic_store(&q->overflow_len, len + 1);
    return 0;
}

static void overflow_push(gqueue *q, tact_actor *a) {
    pthread_mutex_lock(&q->lock);
    while (overflow_push_locked(q, a) != 0) {
        /* A runnable actor must not be lost: wait for memory rather than drop it. */
        pthread_mutex_unlock(&q->lock);
        sched_yield();
        pthread_mutex_lock(&q->lock);
    }
    pthread_mutex_unlock(&q->lock);
}

static tact_actor *overflow_pop(gqueue *q) {
    pthread_mutex_lock(&q->lock);
    size_t len = atomic_load_explicit(&q->overflow_len, memory_order_relaxed);
    tact_actor *a = NULL;
    if (len) {
        a = q->overflow[q->overflow_head];
        q->overflow_head = (q->overflow_head + 1) % q->overflow_cap;
        atomic_store(&q->overflow_len, len - 1);
    }
    pthread_mutex_unlock(&q->lock);
    return a;
}

void gqueue_push(gqueue *q, tact_actor *a) {
    atomic_fetch_add(&q->count, 1);
    if (!ring_push(q, a))
        overflow_push(q, a);
}

tact_actor *gqueue_pop(gqueue *q) {
    if (atomic_load_explicit(&q->count, memory_order_relaxed) == 0)
        return NULL;
    tact_actor *a = NULL;
    if (atomic_load_explicit(&q->overflow_len, memory_order_relaxed) != 0)
        a = overflow_pop(q);
    if (!a)
        a = ring_pop(q);
    if (a)
        atomic_fetch_sub(&q->count, 1);
    return a;
}

void gqueue_destroy(gqueue *q, void (*release)(tact_actor *)) {
    tact_actor *a;
    while ((a = gqueue_pop(q)))
        if (release)
            release(a);
    free(q->cells);
    free(q->overflow);
    pthread_mutex_destroy(&q->lock);
}
