/* The scheduler: W processors, each with a bounded run queue, served by
 * threads that steal from each other when their own queue runs dry.
 *
 * The shape follows Go's runtime, for the same reasons:
 * - runnext: an actor made runnable by the running one goes into a one-slot
 *   "run next" box of the same processor, so a ping-pong or a token ring stays
 *   on one core and in its cache, with no wake-up of other threads;
 * - threads are not processors: a handler that blocks in a future's wait hands
 *   its processor to a spare thread, so the pool keeps W runners however many
 *   handlers are blocked (Pykka's Bookkeeper works with W=1);
 * - an idle thread spins briefly (a reply often comes within microseconds)
 *   and then parks on a futex: an idle system uses no CPU. At most about half
 *   of the busy processors spin at a time, so spinners do not starve runners. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "actor_impl.h"
#include "park.h"
#include "pinned.h"
#include "scheduler.h"
#include "system_impl.h"

enum {
    SPIN_NS = 50000,           /* how long an idle thread looks for work before parking */
    RUNNEXT_STEAL_NS = 3000,   /* how long another processor's runnext must sit to be stolen */
    GLOBAL_CHECK_EVERY = 61,   /* how often a busy thread looks at the global queue */
    MAX_SPARES = 8,            /* idle threads without a processor kept for later blocks */
    LONG_RUN_NS = 200000,      /* a batch this long gives its processor away if others wait */
};

/* A pinned thread's wake word: RUN with a reference from the scheduler, or
 * just a nudge to look at the shutdown flag. */
enum { PINNED_RUN = 1, PINNED_NUDGE = 2 };

TACT_TLS sched_thread *sched_tls_thread;
static _Thread_local unsigned tls_ticks;
TACT_TLS uint32_t sched_tls_sends;
static _Thread_local int64_t tls_sending_since; /* the batch's first send check */

static void wake_one(sched *s);

/* -- per-processor run queues ------------------------------------------------ */

static _Atomic(tact_actor *) *slot(sched_proc *p, uint32_t i) {
    return (_Atomic(tact_actor *) *)&p->slots[i % RUNQ_SIZE];
}

/* Owner only. Returns false when the queue is full. */
static bool runq_put(sched_proc *p, tact_actor *a) {
    uint32_t h = atomic_load_explicit(&p->head, memory_order_acquire);
    uint32_t t = atomic_load_explicit(&p->tail, memory_order_relaxed);
    if (t - h >= RUNQ_SIZE)
        return false;
    atomic_store_explicit(slot(p, t), a, memory_order_relaxed);
    atomic_store_explicit(&p->tail, t + 1, memory_order_release);
    return true;
}

/* Owner only: half of a full queue goes to the global queue, with a. */
static void runq_overflow(sched *s, sched_proc *p, tact_actor *a) {
    tact_actor *batch[RUNQ_SIZE / 2];
    uint32_t h = atomic_load_explicit(&p->head, memory_order_acquire);
    uint32_t n = 0;
    for (; n < RUNQ_SIZE / 2; n++)
        batch[n] = atomic_load_explicit(slot(p, h + n), memory_order_relaxed);
    if (!atomic_compare_exchange_strong(&p->head, &h, h + n))
        n = 0; /* thieves made room meanwhile */
    for (uint32_t i = 0; i < n; i++)
        gqueue_push(&s->global, batch[i]);
    if (n == 0 && runq_put(p, a))
        return;
    gqueue_push(&s->global, a);
}

static tact_actor *runq_get(sched_proc *p) {
    tact_actor *a = atomic_exchange_explicit(&p->runnext, NULL, memory_order_acquire);
    if (a)
        return a;
    for (;;) {
        uint32_t h = atomic_load_explicit(&p->head, memory_order_acquire);
        uint32_t t = atomic_load_explicit(&p->tail, memory_order_relaxed);
        if (h == t)
            return NULL;
        a = atomic_load_explicit(slot(p, h), memory_order_relaxed);
        if (atomic_compare_exchange_weak_explicit(&p->head, &h, h + 1, memory_order_acq_rel,
                                                  memory_order_relaxed))
            return a;
    }
}

static bool runq_has_work(sched_proc *p) {
    return atomic_load(&p->runnext) != NULL || atomic_load(&p->head) != atomic_load(&p->tail);
}

/* Moves about half of victim's queue into p's (which the caller owns and which
 * is empty) and returns one actor to run, or NULL. */
static tact_actor *runq_steal(sched_proc *p, sched_proc *victim, bool take_runnext) {
    for (;;) {
        uint32_t h = atomic_load_explicit(&victim->head, memory_order_acquire);
        uint32_t t = atomic_load_explicit(&victim->tail, memory_order_acquire);
        uint32_t n = t - h;
        n -= n / 2;
        if (n == 0) {
            if (!take_runnext)
                return NULL;
            tact_actor *a = atomic_load(&victim->runnext);
            if (!a)
                return NULL;
            /* Leave a freshly made runnable actor to its own processor, where it is
             * hot in the cache; take it only if it has sat there a while. */
            int64_t until = park_now_ns() + RUNNEXT_STEAL_NS;
            while (park_now_ns() < until)
                park_pause();
            if (atomic_compare_exchange_strong(&victim->runnext, &a, NULL))
                return a;
            return NULL;
        }
        if (n > RUNQ_SIZE / 2)
            continue; /* read a torn head/tail pair: retry */
        uint32_t pt = atomic_load_explicit(&p->tail, memory_order_relaxed);
        for (uint32_t i = 0; i < n; i++)
            atomic_store_explicit(slot(p, pt + i),
                                  atomic_load_explicit(slot(victim, h + i), memory_order_relaxed),
                                  memory_order_relaxed);
        if (!atomic_compare_exchange_weak_explicit(&victim->head, &h, h + n, memory_order_acq_rel,
                                                   memory_order_relaxed))
            continue;
        n--;
        tact_actor *a = atomic_load_explicit(slot(p, pt + n), memory_order_relaxed);
        if (n)
            atomic_store_explicit(&p->tail, pt + n, memory_order_release);
        return a;
    }
}

/* Takes a share of the global queue into p's queue (which the caller owns);
 * returns one to run. */
static tact_actor *global_get(sched *s, sched_proc *p) {
    size_t n = gqueue_count(&s->global);
    if (n == 0)
        return NULL;
    tact_actor *first = gqueue_pop(&s->global);
    if (!first)
        return NULL;
    size_t share = n / s->nprocs + 1;
    if (share > RUNQ_SIZE / 2)
        share = RUNQ_SIZE / 2;
    /* Only the owner adds to p's queue: the room seen now stays. */
    uint32_t room = RUNQ_SIZE - (atomic_load(&p->tail) - atomic_load(&p->head));
    if (share > room + 1)
        share = room + 1;
    for (size_t i = 1; i < share; i++) {
        tact_actor *a = gqueue_pop(&s->global);
        if (!a)
            break;
        if (!runq_put(p, a)) { /* cannot happen (room was counted); never lose one */
            gqueue_push(&s->global, a);
            break;
        }
    }
    return first;
}

/* -- waking and parking ------------------------------------------------------ */

/* Called after work was queued where another thread could take it: wakes a
 * parked thread unless one is already looking for work. */
static void wake_one(sched *s) {
    /* A read-modify-write, not a load: it orders the work just queued before
     * the read, against the parker's own increment (see find_work). */
    if (atomic_fetch_add(&s->nparked, 0) == 0 || atomic_load(&s->nspinning) != 0)
        return;
    pthread_mutex_lock(&s->lock);
    sched_thread *t = s->parked;
    if (t) {
        s->parked = t->next_parked;
        atomic_fetch_sub(&s->nparked, 1);
    }
    pthread_mutex_unlock(&s->lock);
    if (t) {
        atomic_store(&t->wake, 1);
        park_wake_one(&t->wake);
    }
}

/* Queues a runnable actor: on the calling thread's processor if it holds one
 * of this system's (into runnext with `next`, pushing what was there back into
 * the queue), else on the global queue; then wakes a thread to take it. */
static void enqueue(sched *s, tact_actor *a, bool next) {
    if (a->extra && a->extra->pinned) {
        pinned_submit(a);
        return;
    }
    sched_thread *t = sched_tls_thread;
    if (t && t->sys == a->sys && t->proc) {
        sched_proc *p = t->proc;
        if (next && !(a = atomic_exchange_explicit(&p->runnext, a, memory_order_acq_rel)))
            return;
        if (!runq_put(p, a))
            runq_overflow(s, p, a);
    } else {
        gqueue_push(&s->global, a);
    }
    wake_one(s);
}

void sched_submit(sched *s, tact_actor *a) {
    enqueue(s, a, true);
}

void sched_requeue(sched *s, tact_actor *a) {
    enqueue(s, a, false);
}

static bool any_work(sched *s) {
    if (gqueue_count(&s->global) != 0)
        return true;
    for (unsigned i = 0; i < s->nprocs; i++)
        if (runq_has_work(&s->procs[i]))
            return true;
    return false;
}

static tact_actor *steal_any(sched_thread *t, bool take_runnext) {
    sched *s = &t->sys->sched;
    t->rand = t->rand * 6364136223846793005ULL + 1442695040888963407ULL;
    unsigned start = (unsigned)(t->rand >> 33) % s->nprocs;
    for (unsigned i = 0; i < s->nprocs; i++) {
        sched_proc *v = &s->procs[(start + i) % s->nprocs];
        if (v == t->proc)
            continue;
        tact_actor *a = runq_steal(t->proc, v, take_runnext);
        if (a)
            return a;
    }
    return global_get(s, t->proc);
}

/* Sleeps until woken; the caller has put itself on a list under s->lock. */
static void sleep_until_woken(sched_thread *t) {
    while (atomic_load(&t->wake) == 0)
        park_wait(&t->wake, 0, -1);
}

/* The actor find_work() hands out. If more work came into our queue with it
 * (a share of the global queue, half of a victim's), an idle thread is woken
 * to steal it: otherwise it would wait behind this actor's handler, which may
 * block outside tact. Called once this thread no longer counts as spinning,
 * or wake_one() would take it for a thread already looking for work. */
static tact_actor *hand_out(sched_thread *t, tact_actor *a) {
    if (runq_has_work(t->proc))
        wake_one(&t->sys->sched);
    return a;
}

/* The next actor to run for a thread that holds a processor, or NULL once the
 * scheduler shuts down. Spins, then parks, while there is nothing to do. */
static tact_actor *find_work(sched_thread *t) {
    sched *s = &t->sys->sched;
    for (;;) {
        if (atomic_load(&s->stopping))
            return NULL;
        tact_actor *a;
        if (++tls_ticks % GLOBAL_CHECK_EVERY == 0 && (a = global_get(s, t->proc)))
            return hand_out(t, a);
        if ((a = runq_get(t->proc)) || (a = global_get(s, t->proc)))
            return hand_out(t, a);

        unsigned busy = s->nprocs - atomic_load(&s->nparked);
        if (2 * atomic_load(&s->nspinning) < busy) {
            atomic_fetch_add(&s->nspinning, 1);
            int64_t until = park_now_ns() + SPIN_NS;
            do {
                a = steal_any(t, park_now_ns() + RUNNEXT_STEAL_NS > until);
                for (int i = 0; i < 50 && !a; i++)
                    park_pause();
            } while (!a && park_now_ns() < until && !atomic_load(&s->stopping));
            atomic_fetch_sub(&s->nspinning, 1);
            if (a)
                return hand_out(t, a);
        }

        /* Before the registration below, so that work queued meanwhile is seen. */
        pool_idle();
        pthread_mutex_lock(&s->lock);
        if (atomic_load(&s->stopping)) {
            pthread_mutex_unlock(&s->lock);
            return NULL;
        }
        atomic_store(&t->wake, 0);
        t->next_parked = s->parked;
        s->parked = t;
        atomic_fetch_add(&s->nparked, 1);
        pthread_mutex_unlock(&s->lock);

        /* Our increment of nparked and wake_one()'s read-modify-write of it are
         * ordered: either the submitter saw us parked or we see its work now. */
        if (any_work(s)) {
            pthread_mutex_lock(&s->lock);
            for (sched_thread **pp = &s->parked; *pp; pp = &(*pp)->next_parked)
                if (*pp == t) {
                    *pp = t->next_parked;
                    atomic_fetch_sub(&s->nparked, 1);
                    atomic_store(&t->wake, 1);
                    break;
                }
            pthread_mutex_unlock(&s->lock);
        }
        sleep_until_woken(t);
    }
}

/* A thread without a processor waits as a spare until it is handed one.
 * Returns false when it should end (shutdown, or enough spares already). */
static bool wait_as_spare(sched_thread *t) {
    sched *s = &t->sys->sched;
    pthread_mutex_lock(&s->lock);
    if (atomic_load(&s->stopping)) {
        pthread_mutex_unlock(&s->lock);
        return false;
    }
    if (s->nspares >= MAX_SPARES) {
        /* Enough spares: end, and let the next thread start reclaim this one. */
        t->next_parked = s->zombies;
        s->zombies = t;
        pthread_mutex_unlock(&s->lock);
        return false;
    }
    atomic_store(&t->wake, 0);
    t->next_parked = s->spares;
    s->spares = t;
    s->nspares++;
    pthread_mutex_unlock(&s->lock);
    sleep_until_woken(t);
    return t->proc != NULL;
}

static void *thread_main(void *arg) {
    sched_thread *t = arg;
    sched_tls_thread = t;
    t->rand = (uint64_t)(uintptr_t)t ^ (uint64_t)park_now_ns();
    for (;;) {
        if (!t->proc && !wait_as_spare(t))
            break;
        tact_actor *a = find_work(t);
        if (!a)
            break;
        actor_run(a);
    }
    pool_cache_drain(&t->cache);
    return NULL;
}

/* Joins and frees the threads that ended as surplus spares; with s->lock held
 * (they need it no more). Without this each would keep its stack until shutdown. */
static void reap_zombies_locked(sched *s) {
    while (s->zombies) {
        sched_thread *z = s->zombies;
        s->zombies = z->next_parked;
        pthread_join(z->tid, NULL);
        for (sched_thread **pp = &s->threads; *pp; pp = &(*pp)->next_all)
            if (*pp == z) {
                *pp = z->next_all;
                break;
            }
        free(z);
    }
}

/* Starts a thread; with s->lock held. */
static sched_thread *thread_start_locked(sched *s, sched_proc *p) {
    reap_zombies_locked(s);
    sched_thread *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->sys = (tact_system *)((char *)s - offsetof(tact_system, sched));
    t->proc = p;
    if (pthread_create(&t->tid, NULL, thread_main, t) != 0) {
        free(t);
        return NULL;
    }
    t->next_all = s->threads;
    s->threads = t;
    return t;
}

int sched_init(sched *s, tact_system *sys, unsigned nprocs) {
    (void)sys;
    memset(s, 0, sizeof *s);
    s->nprocs = nprocs;
    s->procs = calloc(nprocs, sizeof *s->procs);
    if (!s->procs)
        return TACT_ENOMEM;
    if (gqueue_init(&s->global) != 0) {
        free(s->procs);
        return TACT_ENOMEM;
    }
    pthread_mutex_init(&s->lock, NULL);
    pool_depot_init(&s->depot);
    pthread_mutex_lock(&s->lock);
    for (unsigned i = 0; i < nprocs; i++) {
        s->procs[i].index = i;
        if (!thread_start_locked(s, &s->procs[i])) {
            pthread_mutex_unlock(&s->lock);
            sched_shutdown(s);
            sched_destroy(s);
            return TACT_ESYS;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return TACT_OK;
}

void sched_shutdown(sched *s) {
    pthread_mutex_lock(&s->lock);
    atomic_store(&s->stopping, 1);
    s->parked = s->spares = NULL;
    s->zombies = NULL; /* still on the thread list: joined below */
    pthread_mutex_unlock(&s->lock);
    /* Join until no thread was started meanwhile (a handoff racing with the
     * shutdown): the list only grows at its head. Records are freed only after
     * the last join, since running threads may still walk the list. */
    sched_thread *joined = NULL;
    for (;;) {
        pthread_mutex_lock(&s->lock);
        sched_thread *head = s->threads;
        pthread_mutex_unlock(&s->lock);
        if (head == joined)
            break;
        for (sched_thread *t = head; t != joined; t = t->next_all) {
            atomic_fetch_or(&t->wake, t->pinned ? PINNED_NUDGE : 1);
            park_wake_one(&t->wake);
            pthread_join(t->tid, NULL);
        }
        joined = head;
    }
    for (sched_thread *t = s->threads; t;) {
        sched_thread *next = t->next_all;
        free(t);
        t = next;
    }
    s->threads = NULL;
}

void sched_destroy(sched *s) {
    /* Actors still queued hold a reference for the run queue; give them back. */
    for (unsigned i = 0; i < s->nprocs; i++) {
        tact_actor *a;
        while ((a = runq_get(&s->procs[i])))
            tact_actor_release(a);
    }
    gqueue_destroy(&s->global, tact_actor_release);
    free(s->procs);
    pool_depot_destroy(&s->depot);
    pthread_mutex_destroy(&s->lock);
}

/* -- blocking inside a handler ----------------------------------------------- */

static sched_thread *thread_running(sched *s, const tact_actor *a) {
    for (sched_thread *t = s->threads; t; t = t->next_all)
        if (atomic_load(&t->current) == a)
            return t;
    return NULL;
}

/* Gives t's processor to a spare thread, or to a new one, so that the actors
 * queued on it run while t goes on without; with s->lock held. If no thread
 * can be had, t keeps it. */
static void proc_hand_over_locked(sched *s, sched_thread *t) {
    sched_proc *p = t->proc;
    if (!p)
        return;
    t->proc = NULL;
    sched_thread *spare = s->spares;
    if (spare) {
        s->spares = spare->next_parked;
        s->nspares--;
        spare->proc = p;
        atomic_store(&spare->wake, 1);
        park_wake_one(&spare->wake);
    } else if (!thread_start_locked(s, p)) {
        t->proc = p;
    }
}

void sched_sends_check(bool about_to_nap) {
    sched_thread *t = sched_tls_thread;
    if (!t || !t->proc)
        return;
    if (!about_to_nap) {
        int64_t now = park_now_ns();
        if (sched_tls_sends == SCHED_SEND_CHECK_EVERY) {
            tls_sending_since = now;
            return;
        }
        if (now - tls_sending_since < LONG_RUN_NS)
            return;
    }
    sched *s = &t->sys->sched;
    if (!runq_has_work(t->proc))
        return;
    /* A handler that keeps sending would otherwise hold the processor until it
     * returns, and the actors it feeds (queued behind it) could not drain their
     * mailboxes meanwhile: the messages would pile up in memory. An idle
     * thread, if there is one, steals them; else the processor goes to a
     * thread that runs them while this one goes on without it. */
    if (atomic_load(&s->nspinning) != 0 || atomic_load(&s->nparked) != 0) {
        wake_one(s);
        return;
    }
    pthread_mutex_lock(&s->lock);
    proc_hand_over_locked(s, t);
    pthread_mutex_unlock(&s->lock);
}

tact_status sched_block_begin(sched_thread *t, tact_actor *target,
                              const _Atomic uint32_t *answered) {
    sched *s = &t->sys->sched;
    pthread_mutex_lock(&s->lock);
    /* Follow who waits for whom from the target; reaching ourselves means the
     * answer could never come. */
    for (tact_actor *x = target; x;) {
        if (x == atomic_load(&t->current)) {
            pthread_mutex_unlock(&s->lock);
            return TACT_EDEADLK;
        }
        sched_thread *owner = thread_running(s, x);
        /* A waiter whose answer is in is about to go on, even if it has not
         * woken yet: following it would report a cycle already broken. */
        bool blocked = owner && !(owner->answered && atomic_load(owner->answered));
        x = blocked ? owner->waiting_for : NULL;
    }
    t->waiting_for = target;
    t->answered = answered;
    proc_hand_over_locked(s, t);
    pthread_mutex_unlock(&s->lock);
    return TACT_OK;
}

void sched_block_end(sched_thread *t) {
    sched *s = &t->sys->sched;
    pthread_mutex_lock(&s->lock);
    t->waiting_for = NULL;
    t->answered = NULL;
    pthread_mutex_unlock(&s->lock);
}

/* -- pinned actors ------------------------------------------------------------ */

/* How often an idle pinned thread checks whether its actor is gone for good. */
enum { PINNED_CHECK_MS = 100 };

static void *pinned_main(void *arg) {
    sched_thread *t = arg;
    sched_tls_thread = t;
    tact_actor *a = t->pinned;
    sched *s = &t->sys->sched;
    for (;;) {
        if (atomic_exchange(&t->wake, 0) & PINNED_RUN) {
            actor_run(a);
            continue;
        }
        /* Dead, and the thread's own reference the last: nobody can send any more. */
        if ((atomic_load(&a->life) == ACTOR_DEAD && atomic_load(&a->refs) == 1) ||
            atomic_load(&s->stopping))
            break;
        park_wait(&t->wake, 0, park_deadline(PINNED_CHECK_MS));
    }
    tact_actor_release(a);
    pool_cache_drain(&t->cache);
    return NULL;
}

tact_status pinned_start(tact_actor *a) {
    sched *s = &a->sys->sched;
    sched_thread *t = calloc(1, sizeof *t);
    if (!t)
        return TACT_ENOMEM;
    t->sys = a->sys;
    t->pinned = tact_actor_retain(a);
    a->extra->pinned = t;
    pthread_mutex_lock(&s->lock);
    if (pthread_create(&t->tid, NULL, pinned_main, t) != 0) {
        pthread_mutex_unlock(&s->lock);
        a->extra->pinned = NULL;
        atomic_fetch_sub(&a->refs, 1);
        free(t);
        return TACT_ESYS;
    }
    t->next_all = s->threads;
    s->threads = t;
    pthread_mutex_unlock(&s->lock);
    return TACT_OK;
}

void pinned_submit(tact_actor *a) {
    sched_thread *t = a->extra->pinned;
    atomic_fetch_or(&t->wake, PINNED_RUN);
    park_wake_one(&t->wake);
}
