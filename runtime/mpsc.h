/* An intrusive many-producer, single-consumer queue (Dmitry Vyukov's design).
 *
 * Why this one: a push is one atomic exchange and one store, with no lock and
 * no loop, so senders never wait for each other or for the receiver; the
 * exchange is the single point that orders every send into the mailbox. The
 * price is a short window in which a pushed node is not yet linked: pop then
 * reports "empty" although mpsc_empty() does not, and the caller retries.
 *
 * The producers' end (mpsc_queue) and the consumer's (mpsc_cursor) are two
 * structs so that their owner can keep them on different cache lines: under a
 * flood of sends, the consumer's write of its cursor on every pop would
 * otherwise take the line from the producers on every message, and back. */
#ifndef TACT_MPSC_H
#define TACT_MPSC_H

#include <stdatomic.h>
#include <stddef.h>

typedef struct mpsc_node {
    _Atomic(struct mpsc_node *) next;
} mpsc_node;

/* The producers' end: the only word a push writes (besides its node's link). */
typedef struct mpsc_queue {
    _Atomic(mpsc_node *) tail;
} mpsc_queue;

/* The consumer's end. head is atomic only because mpsc_empty() may read it
 * while a new consumer takes over (its answer is moot then). */
typedef struct mpsc_cursor {
    mpsc_node stub;
    _Atomic(mpsc_node *) head;
} mpsc_cursor;

static inline void mpsc_init(mpsc_queue *q, mpsc_cursor *c) {
    atomic_store_explicit(&c->stub.next, NULL, memory_order_relaxed);
    atomic_store_explicit(&q->tail, &c->stub, memory_order_relaxed);
    atomic_store_explicit(&c->head, &c->stub, memory_order_relaxed);
}

static inline void mpsc_push(mpsc_queue *q, mpsc_node *n) {
    atomic_store_explicit(&n->next, NULL, memory_order_relaxed);
    mpsc_node *prev = atomic_exchange_explicit(&q->tail, n, memory_order_seq_cst);
    atomic_store_explicit(&prev->next, n, memory_order_release);
}

/* True when nothing was pushed that pop has not returned, counting pushes
 * still in their window. Consumer only: it reads head. (Checking the tail alone
 * is not enough: pop may have put the stub back behind a node whose link a
 * producer has not written yet, leaving head on that node and tail on the stub.) */
static inline int mpsc_empty(mpsc_queue *q, mpsc_cursor *c) {
    return atomic_load_explicit(&c->head, memory_order_relaxed) == &c->stub &&
           atomic_load(&q->tail) == &c->stub &&
           atomic_load(&c->stub.next) == NULL;
}

/* Consumer only. NULL when empty or when the next node is still being linked. */
static inline mpsc_node *mpsc_pop(mpsc_queue *q, mpsc_cursor *c) {
    mpsc_node *head = atomic_load_explicit(&c->head, memory_order_relaxed);
    mpsc_node *next = atomic_load_explicit(&head->next, memory_order_acquire);
    if (head == &c->stub) {
        if (next == NULL)
            return NULL;
        atomic_store_explicit(&c->head, next, memory_order_relaxed);
        head = next;
        next = atomic_load_explicit(&head->next, memory_order_acquire);
    }
    if (next != NULL) {
        atomic_store_explicit(&c->head, next, memory_order_relaxed);
        return head;
    }
    if (head != atomic_load_explicit(&q->tail, memory_order_acquire))
        return NULL; /* a producer is between its exchange and its link */
    /* head is the last node: put the stub behind it so head can be handed out. */
    mpsc_push(q, &c->stub);
    next = atomic_load_explicit(&head->next, memory_order_acquire);
    if (next != NULL) {
        atomic_store_explicit(&c->head, next, memory_order_relaxed);
        return head;
    }
    return NULL;
}

#endif
