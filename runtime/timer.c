/* Timers: one thread per system (started with its first timer) sleeping on a
 * min-heap of deadlines. It serves tells after a delay, periodic tells, and
 * the deadlines of asks. */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "actor_impl.h"
#include "future_impl.h"
#include "park.h"
#include "system_impl.h"
#include "timer_impl.h"

struct tact_timer {
    _Atomic uint32_t refs; /* the holder's, the heap's, and one per tick in flight */
    _Atomic uint32_t cancelled;
    int64_t when, period; /* ns */
    size_t index;         /* in the heap, or SIZE_MAX */
    tact_actor *target;   /* a tell timer's actor (counted) */
    tact_msg *tmpl;       /* a tell timer's message, copied for each tick */
    tact_future *future;  /* a deadline's future (counted) */
};

void timers_init(timer_service *ts) {
    pthread_mutex_init(&ts->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&ts->cond, &ca);
    pthread_condattr_destroy(&ca);
}

bool timer_cancelled(const tact_timer *t) {
    return atomic_load(&((tact_timer *)t)->cancelled) != 0;
}

void timer_release(tact_timer *t) {
    if (atomic_fetch_sub(&t->refs, 1) != 1)
        return;
    tact_actor_release(t->target);
    tact_msg_free(t->tmpl);
    if (t->future)
        future_release(t->future);
    free(t);
}

/* -- the heap (under ts->lock) ---------------------------------------------------- */

static void heap_set(timer_service *ts, size_t i, tact_timer *t) {
    ts->heap[i] = t;
    t->index = i;
}

static void sift_up(timer_service *ts, size_t i) {
    tact_timer *t = ts->heap[i];
    while (i > 0 && ts->heap[(i - 1) / 2]->when > t->when) {
        heap_set(ts, i, ts->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    heap_set(ts, i, t);
}

static void sift_down(timer_service *ts, size_t i) {
    tact_timer *t = ts->heap[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= ts->n)
            break;
        if (c + 1 < ts->n && ts->heap[c + 1]->when < ts->heap[c]->when)
            c++;
        if (ts->heap[c]->when >= t->when)
            break;
        heap_set(ts, i, ts->heap[c]);
        i = c;
    }
    heap_set(ts, i, t);
}

static bool heap_push(timer_service *ts, tact_timer *t) {
    if (ts->n == ts->cap) {
        size_t cap = ts->cap ? ts->cap * 2 : 64;
        tact_timer **h = realloc(ts->heap, cap * sizeof *h);
        if (!h)
            return false;
        ts->heap = h;
        ts->cap = cap;
    }
    heap_set(ts, ts->n++, t);
    sift_up(ts, ts->n - 1);
    return true;
}

static void heap_remove(timer_service *ts, tact_timer *t) {
    size_t i = t->index;
    if (i == SIZE_MAX)
        return;
    t->index = SIZE_MAX;
    tact_timer *last = ts->heap[--ts->n];
    if (i == ts->n)
        return;
    heap_set(ts, i, last);
    sift_down(ts, i);
    sift_up(ts, last->index);
}

/* -- the thread ----------------------------------------------------------------- */

static void fire(tact_timer *t) {
    if (t->future) {
        future_expire(t->future);
        return;
    }
    tact_msg *m = msg_clone(t->target->sys, t->tmpl);
    if (!m)
        return; /* out of memory: this tick is lost, the next may do better */
    atomic_fetch_add(&t->refs, 1);
    m->timer = t;
    if (tact_actor_tell(t->target, m) == TACT_EDEAD)
        atomic_store(&t->cancelled, 1); /* nobody left to tick for */
}

static void *timer_main(void *arg) {
    timer_service *ts = arg;
    pthread_mutex_lock(&ts->lock);
    while (!ts->stopping) {
        if (ts->n == 0) {
            pthread_cond_wait(&ts->cond, &ts->lock);
            continue;
        }
        tact_timer *t = ts->heap[0];
        int64_t now = park_now_ns();
        if (atomic_load(&t->cancelled)) {
            heap_remove(ts, t);
            timer_release(t);
            continue;
        }
        if (t->when > now) {
            struct timespec ts_abs = {t->when / 1000000000, t->when % 1000000000};
            pthread_cond_timedwait(&ts->cond, &ts->lock, &ts_abs);
            continue;
        }
        bool again = t->period > 0;
        if (again) {
            /* Ticks missed while the thread was late are skipped, not bunched. */
            t->when += t->period;
            if (t->when <= now)
                t->when += ((now - t->when) / t->period + 1) * t->period;
            sift_down(ts, 0);
            /* fire's own reference: a cancel while it runs unlocked must not
             * free the timer and its message under it. */
            atomic_fetch_add(&t->refs, 1);
        } else {
            heap_remove(ts, t); /* the heap's reference passes to fire */
        }
        pthread_mutex_unlock(&ts->lock);
        fire(t);
        timer_release(t);
        pthread_mutex_lock(&ts->lock);
    }
    pthread_mutex_unlock(&ts->lock);
    return NULL;
}

/* Puts t in the heap (taking the heap's reference), starting the thread if needed. */
static tact_status schedule(timer_service *ts, tact_timer *t) {
    pthread_mutex_lock(&ts->lock);
    tact_status st = TACT_OK;
    if (ts->stopping) {
        st = TACT_EDEAD;
    } else if (!ts->started && pthread_create(&ts->tid, NULL, timer_main, ts) != 0) {
        st = TACT_ESYS;
    } else {
        ts->started = true;
        if (!heap_push(ts, t))
            st = TACT_ENOMEM;
        else if (t->index == 0)
            pthread_cond_signal(&ts->cond); /* a new earliest deadline */
    }
    pthread_mutex_unlock(&ts->lock);
    return st;
}

void timers_shutdown(timer_service *ts) {
    pthread_mutex_lock(&ts->lock);
    ts->stopping = true;
    pthread_cond_signal(&ts->cond);
    bool started = ts->started;
    pthread_mutex_unlock(&ts->lock);
    if (started)
        pthread_join(ts->tid, NULL);
    for (size_t i = 0; i < ts->n; i++) {
        ts->heap[i]->index = SIZE_MAX;
        timer_release(ts->heap[i]);
    }
    free(ts->heap);
    ts->heap = NULL;
    ts->n = ts->cap = 0;
}

void timers_destroy(timer_service *ts) {
    pthread_cond_destroy(&ts->cond);
    pthread_mutex_destroy(&ts->lock);
}

static tact_timer *timer_new(int64_t delay_ms, int64_t period_ms) {
    tact_timer *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    atomic_init(&t->refs, 2); /* the holder's and the heap's */
    /* Both at most TACT_MS_MAX (park_ms): when + period cannot overflow. */
    t->when = park_deadline(delay_ms);
    t->period = period_ms * 1000000;
    t->index = SIZE_MAX;
    return t;
}

tact_status tact_timer_start(tact_actor *a, tact_msg *m, int64_t delay_ms, int64_t period_ms,
                             tact_timer **out) {
    if (out)
        *out = NULL;
    /* A delay or a period is not a limit: TACT_FOREVER means nothing there. */
    if (!a || !m || m->method->kind != TACT_METHOD_TELL ||
        park_ms(delay_ms, false, &delay_ms) != TACT_OK ||
        park_ms(period_ms, false, &period_ms) != TACT_OK) {
        tact_msg_free(m);
        return TACT_EINVAL;
    }
    if (m->method->actor != a->type) { /* refused now, not at every tick */
        tact_msg_free(m);
        return TACT_ETYPE;
    }
    if (!tact_actor_alive(a)) {
        tact_msg_free(m);
        return TACT_EDEAD;
    }
    tact_timer *t = timer_new(delay_ms, period_ms);
    if (!t) {
        tact_msg_free(m);
        return TACT_ENOMEM;
    }
    t->target = tact_actor_retain(a);
    t->tmpl = m;
    tact_status st = schedule(&a->sys->timers, t);
    if (st != TACT_OK) {
        atomic_store(&t->refs, 1);
        timer_release(t);
        return st;
    }
    if (out)
        *out = t;
    else
        timer_release(t);
    return TACT_OK;
}

tact_status tact_timer_cancel(tact_timer *t) {
    if (!t)
        return TACT_EINVAL;
    atomic_store(&t->cancelled, 1);
    /* Out of the heap now, so that it lets go of its actor at once. */
    timer_service *ts = &t->target->sys->timers;
    pthread_mutex_lock(&ts->lock);
    bool queued = t->index != SIZE_MAX;
    heap_remove(ts, t);
    pthread_mutex_unlock(&ts->lock);
    if (queued)
        timer_release(t);
    timer_release(t);
    return TACT_OK;
}

void tact_timer_free(tact_timer *t) {
    if (t)
        timer_release(t);
}

tact_status tact_future_set_deadline(tact_future *f, int64_t timeout_ms) {
    int64_t ms;
    if (!f || park_ms(timeout_ms, true, &ms) != TACT_OK)
        return TACT_EINVAL;
    if (ms < 0 || tact_future_done(f))
        return TACT_OK; /* TACT_FOREVER: no deadline */
    tact_timer *t = timer_new(ms, 0);
    if (!t)
        return TACT_ENOMEM;
    atomic_store(&t->refs, 1); /* the heap's only: nobody holds a deadline */
    t->future = f;
    future_retain(f);
    tact_status st = schedule(&future_system(f)->timers, t); /* pending: its system lives */
    if (st != TACT_OK)
        timer_release(t);
    return st;
}
