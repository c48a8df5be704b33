/* An intrusive many-producer, single-consumer queue (Dmitry Vyukov's design).
 *
 * Why this one: a push is one atomic exchange and one store, with no lock and
 * no loop, so senders never wait for each other or for the receiver; the
 * exchange is the single point that orders every send into the mailbox. The
 * price is a short window in which a pushed node is not yet linked: pop then
 * reports "empty" although mpsc_empty() does not, and the caller retries. */
#ifndef TACT_MPSC_H
#define TACT_MPSC_H

#include <stdatomic.h>
#include <stddef.h>

typedef struct mpsc_node {
    _Atomic(struct mpsc_node *) next;
} mpsc_node;

typedef struct mpsc_queue {
    _Atomic(mpsc_node *) tail; /* producers' end */
    /* consumer's end; atomic only because mpsc_empty() may read it while a
     * new consumer takes over (its answer is moot then) */
    _Atomic(mpsc_node *) head;
    mpsc_node stub;
} mpsc_queue;

static inline void mpsc_init(mpsc_queue *q) {
    atomic_store_explicit(&q->stub.next, NULL, memory_order_relaxed);
    atomic_store_explicit(&q->tail, &q->stub, memory_order_relaxed);
    atomic_store_explicit(&q->head, &q->stub, memory_order_relaxed);
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
static inline int mpsc_empty(mpsc_queue *q) {
    return atomic_load_explicit(&q->head, memory_order_relaxed) == &q->stub &&
           atomic_load(&q->tail) == &q->stub &&
           atomic_load(&q->stub.next) == NULL;
}

/* Consumer only. NULL when empty or when the next node is still being linked. */
static inline mpsc_node *mpsc_pop(mpsc_queue *q) {
    mpsc_node *head = atomic_load_explicit(&q->head, memory_order_relaxed);
    mpsc_node *next = atomic_load_explicit(&head->next, memory_order_acquire);
    if (head == &q->stub) {
        if (next == NULL)
            return NULL;
        atomic_store_explicit(&q->head, next, memory_order_relaxed);
        head = next;
        next = atomic_load_explicit(&head->next, memory_order_acquire);
    }
    if (next != NULL) {
        atomic_store_explicit(&q->head, next, memory_order_relaxed);
        return head;
    }
    if (head != atomic_load_explicit(&q->tail, memory_order_acquire))
        return NULL; /* a producer is between its exchange and its link */
    /* head is the last node: put the stub behind it so head can be handed out. */
    mpsc_push(q, &q->stub);
    next = atomic_load_explicit(&head->next, memory_order_acquire);
    if (next != NULL) {
        atomic_store_explicit(&q->head, next, memory_order_relaxed);
        return head;
    }
    return NULL;
}

#endif
