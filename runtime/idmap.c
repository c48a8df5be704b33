#include "idmap.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>

/* The calling thread's shard, plus one (0: not chosen yet); initial-exec as
 * declared in idmap.h. */
_Thread_local unsigned idmap_tls_shard;
static _Atomic unsigned next_shard;

unsigned idmap_shard_pick(void) {
    return idmap_tls_shard =
               atomic_fetch_add_explicit(&next_shard, 1, memory_order_relaxed) % IDMAP_SHARDS + 1;
}

bool idmap_init(idmap *m) {
    memset(m, 0, sizeof *m);
    m->shards = aligned_alloc(64, IDMAP_SHARDS * sizeof *m->shards);
    if (!m->shards)
        return false;
    for (unsigned i = 0; i < IDMAP_SHARDS; i++)
        atomic_init(&m->shards[i].readers, 0);
    return true;
}

void idmap_wait_readers(idmap *m) {
    /* Every actor's free passes here: in a system that never looked an id
     * up, nothing to wait for; else one pass first, nobody is looking up in
     * the common case. */
    if (!atomic_load(&m->read))
        return;
    idmap_shard *sh = m->shards;
    uint32_t any = 0;
    for (unsigned i = 0; i < IDMAP_SHARDS; i++)
        any |= atomic_load(&sh[i].readers);
    if (!any)
        return;
    for (unsigned i = 0; i < IDMAP_SHARDS; i++)
        while (atomic_load(&sh[i].readers) != 0)
            sched_yield(); /* a reader preempted inside its few loads */
}

static idmap_dir *dir_of(const idmap *m) {
    return atomic_load(&((idmap *)m)->dir);
}

/* Makes room for page p in the directory and in the live counts. */
static bool grow(idmap *m, size_t p) {
    idmap_dir *old = dir_of(m);
    size_t have = old ? old->n : 0;
    if (p < have)
        return true;
    size_t n = have ? have : 16;
    while (n <= p)
        n *= 2;
    uint32_t *live = realloc(m->live, n * sizeof *live);
    if (!live)
        return false;
    memset(live + m->nlive, 0, (n - m->nlive) * sizeof *live);
    m->live = live;
    m->nlive = n;
    idmap_dir *d = malloc(sizeof *d + n * sizeof d->page[0]);
    if (!d)
        return false;
    d->n = n;
    for (size_t i = 0; i < n; i++)
        atomic_init(&d->page[i], i < have ? atomic_load_explicit(&old->page[i], memory_order_relaxed)
                                          : NULL);
    atomic_store(&m->dir, d);
    if (old) { /* readers may still walk the old directory */
        idmap_wait_readers(m);
        free(old);
    }
    return true;
}

bool idmap_put(idmap *m, uint64_t id, void *entry) {
    size_t p = (size_t)(id / IDMAP_PAGE);
    if (!grow(m, p))
        return false;
    idmap_dir *d = dir_of(m);
    idmap_page *pg = atomic_load_explicit(&d->page[p], memory_order_relaxed);
    if (!pg) {
        if (!(pg = calloc(1, sizeof *pg)))
            return false;
        atomic_store(&d->page[p], pg);
    }
    /* Publishes the entry's fields, written before, to lock-free readers. */
    atomic_store_explicit(&pg->slot[id % IDMAP_PAGE], entry, memory_order_release);
    m->live[p]++;
    m->count++;
    return true;
}

void idmap_del(idmap *m, uint64_t id, uint64_t next_id) {
    size_t p = (size_t)(id / IDMAP_PAGE);
    idmap_dir *d = dir_of(m);
    idmap_page *pg = d && p < d->n ? atomic_load_explicit(&d->page[p], memory_order_relaxed) : NULL;
    if (!pg || !atomic_load_explicit(&pg->slot[id % IDMAP_PAGE], memory_order_relaxed))
        return;
    atomic_store(&pg->slot[id % IDMAP_PAGE], NULL);
    m->count--;
    if (--m->live[p] == 0 && (uint64_t)(p + 1) * IDMAP_PAGE <= next_id) {
        atomic_store(&d->page[p], NULL);
        idmap_wait_readers(m); /* once per IDMAP_PAGE ids at most */
        free(pg);
    }
}

bool idmap_next(const idmap *m, uint64_t *pos, void **entry) {
    idmap_dir *d = dir_of(m);
    for (; d && *pos / IDMAP_PAGE < d->n; (*pos)++) {
        size_t p = (size_t)(*pos / IDMAP_PAGE);
        idmap_page *pg = atomic_load_explicit(&d->page[p], memory_order_relaxed);
        if (!pg) {
            *pos = (uint64_t)(p + 1) * IDMAP_PAGE - 1;
            continue;
        }
        void *e = atomic_load_explicit(&pg->slot[*pos % IDMAP_PAGE], memory_order_relaxed);
        if (e) {
            *entry = e;
            (*pos)++;
            return true;
        }
    }
    return false;
}

void idmap_free(idmap *m) {
    idmap_dir *d = dir_of(m);
    for (size_t p = 0; d && p < d->n; p++)
        free(atomic_load_explicit(&d->page[p], memory_order_relaxed));
    free(d);
    free(m->live);
    free(m->shards);
    memset(m, 0, sizeof *m);
}
