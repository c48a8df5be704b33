/* The system's timer service (timer.c): one thread and a heap of pending timers. */
#ifndef TACT_TIMER_IMPL_H
#define TACT_TIMER_IMPL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "tact/tact.h"

/* The timer thread and its heap, started with the first timer. */
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

#endif
