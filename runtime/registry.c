/* The registry: every actor of a system by id, named ones by name, and what
 * is built on them (lookups, lists, broadcast, stop-all). An actor is found
 * only while it accepts messages; ids grow with spawn order and are never reused. */
#include <stdlib.h>
#include <string.h>

#include "actor_impl.h"
#include "registry.h"
#include "system_impl.h"

static uint64_t name_hash(const void *e) {
    return ptab_hash_str(((const tact_actor *)e)->extra->name);
}

static bool name_match(const void *e, const void *key) {
    return strcmp(((const tact_actor *)e)->extra->name, key) == 0;
}

/* A reference to a, unless its last one is already gone (it is being freed). */
static bool retain_if_live(tact_actor *a) {
    uint32_t n = atomic_load(&a->refs);
    while (n != 0)
        if (atomic_compare_exchange_weak(&a->refs, &n, n + 1))
            return true;
    return false;
}

tact_status registry_add(tact_system *sys, tact_actor *a) {
    const char *name = a->extra ? a->extra->name : NULL;
    tact_status st = TACT_OK;
    pthread_mutex_lock(&sys->lock);
    if (name && ptab_find(&sys->by_name, ptab_hash_str(name), name, name_match)) {
        st = TACT_ENAMETAKEN;
    } else {
        a->id = ++sys->next_id;
        if (!idmap_put(&sys->by_id, a->id, a)) {
            st = TACT_ENOMEM;
        } else if (name && !ptab_add(&sys->by_name, a, name_hash)) {
            idmap_del(&sys->by_id, a->id, sys->next_id + 1);
            st = TACT_ENOMEM;
        }
    }
    if (st != TACT_OK)
        a->id = 0; /* not registered: actor_free has nothing to remove */
    pthread_mutex_unlock(&sys->lock);
    return st;
}

/* tact_system_stop_all's order (each actor dead before the next is stopped)
 * kept by the pool itself: the death of the actor being stopped stops the
 * next one, on the thread where it died (which then runs it next, on the same
 * core). A waiting thread that stopped them one by one paid two thread
 * wake-ups per actor: seconds for 10^5 actors on a loaded machine. */
typedef struct stop_chain {
    tact_actor **list; /* spawn order; stopped from the end */
    size_t next;       /* list[next - 1] is being stopped; 0 once all are dead */
} stop_chain;

/* With sys->lock held: the chain's next actor still to die (passing over the
 * dead), or NULL once there is none. */
static tact_actor *chain_skip_dead_locked(stop_chain *c) {
    while (c->next > 0 && c->list[c->next - 1]->finished)
        c->next--;
    return c->next ? c->list[c->next - 1] : NULL;
}

/* With sys->lock held, after a died: the next actor of the chain to stop, or NULL. */
static tact_actor *chain_advance_locked(tact_system *sys, const tact_actor *a) {
    stop_chain *c = sys->stop_chain;
    if (!c || c->next == 0 || c->list[c->next - 1] != a)
        return NULL;
    c->next--;
    return chain_skip_dead_locked(c);
}

void registry_actor_died(tact_system *sys, tact_actor *a) {
    pthread_mutex_lock(&sys->lock);
    a->finished = 1;
    if (a->extra && a->extra->name) /* the name is free again */
        ptab_remove(&sys->by_name, name_hash(a), a);
    /* Our own reference: once the lock is let go, next may die by another
     * stop, end the chain, and stop_all drop the list's references. */
    tact_actor *next = tact_actor_retain(chain_advance_locked(sys, a));
    pthread_cond_broadcast(&sys->death);
    pthread_mutex_unlock(&sys->lock);
    /* Already stopping (TACT_EDEAD) is fine: its death advances the chain. */
    if (next) {
        tact_actor_stop(next);
        tact_actor_release(next);
    }
}

void registry_remove(tact_system *sys, tact_actor *a) {
    if (!a->id)
        return;
    pthread_mutex_lock(&sys->lock);
    if (atomic_load_explicit(&sys->torn_down, memory_order_relaxed)) {
        bool last = --sys->husks == 0;
        pthread_mutex_unlock(&sys->lock);
        if (last)
            system_free(sys);
        return;
    }
    idmap_del(&sys->by_id, a->id, sys->next_id + 1);
    if (!a->finished && a->extra && a->extra->name)
        ptab_remove(&sys->by_name, name_hash(a), a);
    /* A lookup may have read the slot just before. Under the lock, which
     * lookups do not take: a destroy on another thread must not free the
     * map meanwhile. */
    idmap_wait_readers(&sys->by_id);
    pthread_mutex_unlock(&sys->lock);
}

static tact_status found(tact_actor *a, const tact_actor_type *type, tact_actor **out) {
    if (!a || atomic_load(&a->life) != ACTOR_ALIVE || (type && a->type != type) ||
        !retain_if_live(a))
        return TACT_ENOTFOUND;
    *out = a;
    return TACT_OK;
}

tact_status tact_system_find_id(tact_system *sys, uint64_t id, const tact_actor_type *type,
                                tact_actor **out) {
    if (!out)
        return TACT_EINVAL;
    *out = NULL;
    if (!sys)
        return TACT_EINVAL;
    /* No lock: ids in messages are resolved here on every delivery. */
    unsigned token = idmap_read_begin(&sys->by_id);
    tact_status st = found(idmap_get(&sys->by_id, id), type, out);
    idmap_read_end(&sys->by_id, token);
    return st;
}

tact_status tact_system_find_name(tact_system *sys, const char *name, const tact_actor_type *type,
                                  tact_actor **out) {
    if (!out)
        return TACT_EINVAL;
    *out = NULL;
    if (!sys || !name)
        return TACT_EINVAL;
    pthread_mutex_lock(&sys->lock);
    tact_status st =
        found(ptab_find(&sys->by_name, ptab_hash_str(name), name, name_match), type, out);
    pthread_mutex_unlock(&sys->lock);
    return st;
}

/* References to the actors for which keep() holds, in spawn order. */
static tact_status collect(tact_system *sys, bool (*keep)(const tact_actor *, const void *),
                           const void *arg, tact_actor ***out, size_t *n) {
    *out = NULL;
    *n = 0;
    pthread_mutex_lock(&sys->lock);
    tact_actor **list = malloc((sys->by_id.count + 1) * sizeof *list);
    if (!list) {
        pthread_mutex_unlock(&sys->lock);
        return TACT_ENOMEM;
    }
    size_t k = 0;
    uint64_t pos = 0;
    void *e;
    while (idmap_next(&sys->by_id, &pos, &e)) /* in id order: spawn order */
        if (keep(e, arg) && retain_if_live(e))
            list[k++] = e;
    pthread_mutex_unlock(&sys->lock);
    *out = list;
    *n = k;
    return TACT_OK;
}

static bool alive_of_type(const tact_actor *a, const void *type) {
    return atomic_load(&((tact_actor *)a)->life) == ACTOR_ALIVE && (!type || a->type == type);
}

tact_status tact_system_list(tact_system *sys, const tact_actor_type *type, tact_actor ***out,
                             size_t *n) {
    if (!out || !n)
        return TACT_EINVAL;
    *out = NULL;
    *n = 0;
    if (!sys)
        return TACT_EINVAL;
    return collect(sys, alive_of_type, type, out, n);
}

void tact_actor_list_free(tact_actor **list, size_t n) {
    for (size_t i = 0; list && i < n; i++)
        tact_actor_release(list[i]);
    free(list);
}

tact_status tact_system_broadcast(tact_system *sys, const tact_actor_type *type, tact_msg *m,
                                  size_t *told) {
    if (told)
        *told = 0;
    if (!sys || !type || !m || m->method->kind != TACT_METHOD_TELL) {
        tact_msg_free(m);
        return TACT_EINVAL;
    }
    if (m->method->actor != type) { /* every tell would be refused */
        tact_msg_free(m);
        return TACT_ETYPE;
    }
    tact_actor **list;
    size_t n;
    tact_status st = collect(sys, alive_of_type, type, &list, &n);
    size_t count = 0;
    for (size_t i = 0; st == TACT_OK && i < n; i++) {
        /* The last actor gets the original, the others copies. */
        tact_msg *copy = i + 1 == n ? m : msg_clone(sys, m);
        if (!copy) {
            st = TACT_ENOMEM;
            break;
        }
        if (copy == m)
            m = NULL;
        if (tact_actor_tell(list[i], copy) == TACT_OK)
            count++;
    }
    tact_msg_free(m);
    tact_actor_list_free(list, n);
    if (told)
        *told = count;
    return st;
}

static bool unfinished(const tact_actor *a, const void *unused) {
    (void)unused;
    return !a->finished;
}

tact_status tact_system_stop_all(tact_system *sys) {
    if (!sys)
        return TACT_EINVAL;
    sched_thread *self = sched_self();
    if (self && self->sys == sys && atomic_load(&self->current))
        return TACT_EDEADLK; /* a handler would wait for its own actor */
    /* Strictly last-started first: each actor is dead before the next is asked
     * to stop. Actors spawned meanwhile are caught by the next pass. */
    for (;;) {
        tact_actor **list;
        size_t n;
        tact_status st = collect(sys, unfinished, NULL, &list, &n);
        if (st != TACT_OK)
            return st;
        stop_chain c = {list, n};
        pthread_mutex_lock(&sys->lock);
        bool chained = !sys->stop_chain; /* one chain at a time */
        tact_actor *first = NULL;
        if (chained) {
            sys->stop_chain = &c;
            first = chain_skip_dead_locked(&c);
        }
        pthread_mutex_unlock(&sys->lock);
        if (chained) {
            if (first)
                tact_actor_stop(first);
            pthread_mutex_lock(&sys->lock);
            while (c.next)
                pthread_cond_wait(&sys->death, &sys->lock);
            sys->stop_chain = NULL;
            pthread_mutex_unlock(&sys->lock);
        } else {
            for (size_t i = n; i-- > 0;)
                tact_actor_stop_wait(list[i], TACT_FOREVER);
        }
        tact_actor_list_free(list, n);
        if (n == 0)
            return TACT_OK;
    }
}

bool registry_detach_actors(tact_system *sys) {
    /* All threads are gone: what is left is dead, held by user references
     * (or being freed by a release on another thread). Their futures fail now,
     * not when the last reference goes; one actor at a time, held meanwhile,
     * so that this needs no memory. */
    uint64_t pos = 0;
    for (;;) {
        void *e = NULL;
        pthread_mutex_lock(&sys->lock);
        bool more;
        while ((more = idmap_next(&sys->by_id, &pos, &e)) && !retain_if_live(e))
            ;
        pthread_mutex_unlock(&sys->lock);
        if (!more)
            break;
        mailbox_reject_all(e);
        tact_actor_release(e);
    }
    pthread_mutex_lock(&sys->lock);
    atomic_store(&sys->dead_letter_fn, NULL); /* its argument may be gone with the system */
    sys->husks = sys->by_id.count;
    atomic_store(&sys->torn_down, 1);
    idmap_wait_readers(&sys->by_id);
    idmap_free(&sys->by_id);
    ptab_free(&sys->by_name);
    bool none = sys->husks == 0;
    pthread_mutex_unlock(&sys->lock);
    return none;
}

const char *tact_actor_name(const tact_actor *a) {
    return a && a->extra ? a->extra->name : NULL;
}
