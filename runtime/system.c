/* The system: creation and shutdown, the list of actors, names, deaths and
 * dead letters. */
#include <errno.h>
#include <protobuf-c/protobuf-c.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "actor_impl.h"
#include "park.h"
#include "pb_impl.h"
#include "registry.h"
#include "scheduler.h"
#include "system_impl.h"
#include "timer_impl.h"

/* The systems alive in the process. Futures outlive their system, and
 * tact_future_system() must then say NULL rather than hand out freed memory;
 * serial numbers, never reused, tell a new system at a freed one's address
 * from the old. Only that cold path reads the list. */
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static tact_system *live_head;
static uint64_t live_serial;

static void live_add(tact_system *sys) {
    pthread_mutex_lock(&live_lock);
    sys->serial = ++live_serial;
    sys->next_live = live_head;
    live_head = sys;
    pthread_mutex_unlock(&live_lock);
}

static void live_remove(tact_system *sys) {
    pthread_mutex_lock(&live_lock);
    for (tact_system **pp = &live_head; *pp; pp = &(*pp)->next_live)
        if (*pp == sys) {
            *pp = sys->next_live;
            break;
        }
    pthread_mutex_unlock(&live_lock);
}

tact_system *system_live(tact_system *sys, uint64_t serial) {
    pthread_mutex_lock(&live_lock);
    tact_system *s = live_head;
    while (s && !(s == sys && s->serial == serial))
        s = s->next_live;
    pthread_mutex_unlock(&live_lock);
    return s;
}

tact_status tact_system_new(const tact_system_opts *opts, tact_system **out) {
    if (!out)
        return TACT_EINVAL;
    *out = NULL;
    unsigned workers = opts ? opts->workers : 0;
    if (workers == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        workers = n <= 0 ? 1 : n > TACT_WORKERS_MAX ? TACT_WORKERS_MAX : (unsigned)n;
    }
    if (workers > TACT_WORKERS_MAX)
        return TACT_EINVAL;
    tact_system *sys = calloc(1, sizeof *sys);
    if (!sys)
        return TACT_ENOMEM;
    if (!idmap_init(&sys->by_id)) {
        free(sys);
        return TACT_ENOMEM;
    }
    pthread_mutex_init(&sys->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&sys->death, &ca);
    pthread_condattr_destroy(&ca);
    timers_init(&sys->timers);
    tact_status st = sched_init(&sys->sched, sys, workers);
    if (st != TACT_OK) {
        timers_shutdown(&sys->timers);
        idmap_free(&sys->by_id);
        system_free(sys);
        return st;
    }
    live_add(sys);
    *out = sys;
    return TACT_OK;
}

unsigned tact_system_workers(const tact_system *sys) {
    return sys ? sys->sched.nprocs : 0;
}

void tact_system_destroy(tact_system **psys) {
    if (!psys || !*psys)
        return;
    tact_system *sys = *psys;
    sched_thread *self = sched_self();
    if (self && self->sys == sys)
        return; /* from one of its own handlers: it would wait for itself */
    *psys = NULL;
    tact_system_stop_all(sys);
    timers_shutdown(&sys->timers);
    sched_shutdown(&sys->sched);
    live_remove(sys); /* no handler runs now: nothing of it may be looked up */
    sched_destroy(&sys->sched);
    if (registry_detach_actors(sys))
        system_free(sys);
}

void system_free(tact_system *sys) {
    timers_destroy(&sys->timers);
    pthread_cond_destroy(&sys->death);
    pthread_mutex_destroy(&sys->lock);
    free(sys);
}

bool system_actor_finished(tact_actor *a) {
    pthread_mutex_lock(&a->sys->lock);
    bool done = a->finished;
    pthread_mutex_unlock(&a->sys->lock);
    return done;
}

tact_status system_wait_death(tact_system *sys, tact_actor *a, int64_t deadline_ns,
                              sched_thread *t) {
    bool in_handler = t && atomic_load(&t->current);
    if (in_handler) {
        tact_status st = sched_block_begin(t, a, NULL);
        if (st != TACT_OK)
            return st;
    }
    struct timespec ts;
    if (deadline_ns >= 0) {
        ts.tv_sec = deadline_ns / 1000000000;
        ts.tv_nsec = deadline_ns % 1000000000;
    }
    tact_status st = TACT_OK;
    pthread_mutex_lock(&sys->lock);
    while (!a->finished) {
        if (deadline_ns < 0) {
            pthread_cond_wait(&sys->death, &sys->lock);
        } else if (pthread_cond_timedwait(&sys->death, &sys->lock, &ts) == ETIMEDOUT) {
            st = a->finished ? TACT_OK : TACT_ETIMEDOUT;
            break;
        }
    }
    pthread_mutex_unlock(&sys->lock);
    if (in_handler)
        sched_block_end(t);
    return st;
}

void actor_free(tact_actor *a) {
    /* Messages that raced in after the actor's last run are answered now. */
    mailbox_reject_all(a);
    registry_remove(a->sys, a); /* a husk's system may be gone after this */
    if (a->extra) {
        if (a->extra->start_args) {
            pb_free_fields(a->type->start_args, a->extra->start_args);
            free(a->extra->start_args);
        }
        free(a->extra->name);
        free(a->extra);
    }
    pool_free_counted(a); /* actor blocks are most of what a churn leaves in malloc */
}

void system_dead_letter(tact_system *sys, uint64_t id, const char *method) {
    atomic_fetch_add_explicit(&sys->dead_letters, 1, memory_order_relaxed);
    tact_dead_letter_fn fn = atomic_load(&sys->dead_letter_fn);
    if (fn)
        fn(atomic_load(&sys->dead_letter_arg), id, method, TACT_EDEAD);
}

uint64_t tact_system_dead_letters(const tact_system *sys) {
    return sys ? atomic_load(&((tact_system *)sys)->dead_letters) : 0;
}

void tact_system_on_dead_letter(tact_system *sys, tact_dead_letter_fn fn, void *arg) {
    if (!sys)
        return;
    atomic_store(&sys->dead_letter_arg, arg);
    atomic_store(&sys->dead_letter_fn, fn);
}
