/* The system: creation and shutdown, the list of actors, names, deaths and
 * dead letters. */
#include <errno.h>
#include <protobuf-c/protobuf-c.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "park.h"

tact_status tact_system_new(const tact_system_opts *opts, tact_system **out) {
    if (!out)
        return TACT_EINVAL;
    *out = NULL;
    unsigned workers = opts ? opts->workers : 0;
    if (workers == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        workers = n > 0 ? (unsigned)n : 1;
    }
    if (workers > 4096)
        return TACT_EINVAL;
    tact_system *sys = calloc(1, sizeof *sys);
    if (!sys)
        return TACT_ENOMEM;
    pthread_mutex_init(&sys->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&sys->death, &ca);
    pthread_condattr_destroy(&ca);
    tact_status st = sched_init(&sys->sched, sys, workers);
    if (st != TACT_OK) {
        pthread_cond_destroy(&sys->death);
        pthread_mutex_destroy(&sys->lock);
        free(sys);
        return st;
    }
    *out = sys;
    return TACT_OK;
}

unsigned tact_system_workers(const tact_system *sys) {
    return sys ? sys->sched.nprocs : 0;
}

/* A reference to a, unless its last one is already gone (it is being freed). */
static bool retain_if_live(tact_actor *a) {
    uint32_t n = atomic_load(&a->refs);
    while (n != 0)
        if (atomic_compare_exchange_weak(&a->refs, &n, n + 1))
            return true;
    return false;
}

/* The latest-spawned actor at or before a (NULL: the last) that has not finished
 * dying, with a reference taken; NULL if none. */
static tact_actor *unfinished_before(tact_system *sys, tact_actor *a) {
    pthread_mutex_lock(&sys->lock);
    for (a = a ? a : sys->last; a; a = a->prev)
        if (!a->finished && retain_if_live(a))
            break;
    pthread_mutex_unlock(&sys->lock);
    return a;
}

tact_status tact_system_stop_all(tact_system *sys) {
    if (!sys)
        return TACT_EINVAL;
    /* Strictly last-started first: each actor is dead before the next is asked
     * to stop. Actors spawned meanwhile are caught by the next pass. */
    tact_actor *a;
    while ((a = unfinished_before(sys, NULL))) {
        while (a) {
            tact_actor_stop(a);
            tact_actor_wait(a, TACT_FOREVER);
            pthread_mutex_lock(&sys->lock);
            tact_actor *prev = a->prev;
            while (prev && (prev->finished || !retain_if_live(prev)))
                prev = prev->prev;
            pthread_mutex_unlock(&sys->lock);
            tact_actor_release(a);
            a = prev;
        }
    }
    return TACT_OK;
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
    sched_shutdown(&sys->sched);
    sched_destroy(&sys->sched);
    /* What is left is dead and referenced only by the user's stale references. */
    while (sys->first)
        actor_free(sys->first);
    pthread_cond_destroy(&sys->death);
    pthread_mutex_destroy(&sys->lock);
    free(sys);
}

tact_status system_register(tact_system *sys, tact_actor *a, const char *name) {
    char *copy = NULL;
    if (name && !(copy = strdup(name)))
        return TACT_ENOMEM;
    pthread_mutex_lock(&sys->lock);
    if (copy)
        for (tact_actor *x = sys->first; x; x = x->next)
            if (x->name && strcmp(x->name, copy) == 0) {
                pthread_mutex_unlock(&sys->lock);
                free(copy);
                return TACT_ENAMETAKEN;
            }
    a->name = copy;
    a->id = ++sys->next_id;
    a->prev = sys->last;
    if (sys->last)
        sys->last->next = a;
    else
        sys->first = a;
    sys->last = a;
    pthread_mutex_unlock(&sys->lock);
    return TACT_OK;
}

void system_actor_died(tact_system *sys, tact_actor *a) {
    pthread_mutex_lock(&sys->lock);
    a->finished = 1;
    free(a->name); /* the name is free again */
    a->name = NULL;
    pthread_cond_broadcast(&sys->death);
    pthread_mutex_unlock(&sys->lock);
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
        tact_status st = sched_block_begin(t, a);
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
    tact_system *sys = a->sys;
    /* Messages that raced in after the actor's last run are answered now. */
    mpsc_node *n;
    while ((n = mpsc_pop(&a->mailbox)))
        if (n != &a->stop_node) {
            tact_msg *m = (tact_msg *)n;
            system_dead_letter(sys, a->id, m->method->name);
            if (m->future) {
                future_complete(m->future, TACT_EDEAD, TACT_EDEAD, NULL);
                m->future = NULL;
            }
            tact_msg_free(m);
        }
    pthread_mutex_lock(&sys->lock);
    if (a->prev)
        a->prev->next = a->next;
    else if (sys->first == a)
        sys->first = a->next;
    if (a->next)
        a->next->prev = a->prev;
    else if (sys->last == a)
        sys->last = a->prev;
    pthread_mutex_unlock(&sys->lock);
    if (a->start_args) {
        pb_free_fields(a->type->start_args, a->start_args);
        free(a->start_args);
    }
    free(a->name);
    free(a);
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

tact_status tact_system_find_id(tact_system *sys, uint64_t id, const tact_actor_type *type,
                                tact_actor **out) {
    if (!out)
        return TACT_EINVAL;
    *out = NULL;
    if (!sys)
        return TACT_EINVAL;
    tact_status st = TACT_ENOTFOUND;
    pthread_mutex_lock(&sys->lock);
    /* Ids grow with spawn order, so the newest actors are found first. */
    for (tact_actor *a = sys->last; a && a->id >= id; a = a->prev)
        if (a->id == id) {
            if (atomic_load(&a->life) == ACTOR_ALIVE && (!type || a->type == type) &&
                retain_if_live(a)) {
                *out = a;
                st = TACT_OK;
            }
            break;
        }
    pthread_mutex_unlock(&sys->lock);
    return st;
}
