/* Actors by id. Ids are handed out in sequence and never reused, so a
 * two-level array indexed by id does what a hash table would at 8 bytes per
 * live actor and with no hashing: pages of slots, a page freed once every id
 * it covers has been issued and its actors are gone.
 *
 * Writers (put, del, next, free) hold the system's lock. Readers of
 * idmap_get() need no lock: actor references travel in messages as ids, and
 * resolving them under the system-wide lock cost a third of an all-to-all
 * workload. A reader brackets its lookup (and whatever it does with the
 * entry, such as taking a reference) with idmap_read_begin/end, which count
 * it in one of a few per-thread shards; memory a reader may still see (an
 * entry just removed, a page, an old directory) is freed only after
 * idmap_wait_readers() has seen every shard empty once. Since a removed id
 * never comes back, a reader that starts after the removal cannot find the
 * entry, and one that started before is waited for. */
#ifndef TACT_IDMAP_H
#define TACT_IDMAP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { IDMAP_PAGE = 512, IDMAP_SHARDS = 16 };

typedef struct idmap_page {
    _Atomic(void *) slot[IDMAP_PAGE];
} idmap_page;

typedef struct idmap_dir {
    size_t n;
    _Atomic(idmap_page *) page[];
} idmap_dir;

/* One cache line each: a reader's count is written by the threads of its
 * shard only, not by every reader of the system. */
typedef struct idmap_shard {
    _Atomic uint32_t readers;
    char pad[64 - sizeof(uint32_t)];
} idmap_shard;

typedef struct idmap {
    _Atomic(idmap_dir *) dir; /* the pages; replaced (never resized) as it grows */
    _Atomic uint32_t read;    /* 1 once any lookup has begun: until then nobody is waited for */
    uint32_t *live;           /* entries per page; writers only */
    size_t nlive;             /* length of live */
    size_t count;             /* entries in all */
    idmap_shard *shards;      /* readers in a lookup */
} idmap;

/* Returns false when out of memory. */
bool idmap_init(idmap *m);
/* Stores entry under id (not present yet). Returns false when out of memory. */
bool idmap_put(idmap *m, uint64_t id, void *entry);
/* The entry under id, or NULL: under the writers' lock, or between
 * idmap_read_begin and idmap_read_end. Inline, as the read bracket: they are
 * on the path of every message that carries a reference. */
static inline void *idmap_get(const idmap *m, uint64_t id) {
    size_t p = (size_t)(id / IDMAP_PAGE);
    idmap_dir *d = atomic_load(&((idmap *)m)->dir);
    if (!d || p >= d->n)
        return NULL;
    idmap_page *pg = atomic_load(&d->page[p]);
    return pg ? atomic_load(&pg->slot[id % IDMAP_PAGE]) : NULL;
}
/* Removes id; next_id is the next id to be issued (a page is freed only when
 * it can get no new entries). The entry itself may be freed only after a
 * later idmap_wait_readers(). */
void idmap_del(idmap *m, uint64_t id, uint64_t next_id);
/* Visits entries in id order: *pos from 0 while it returns true. Writers only. */
bool idmap_next(const idmap *m, uint64_t *pos, void **entry);
/* Frees the map (its readers are gone). */
void idmap_free(idmap *m);

/* A lock-free lookup's bracket; begin returns the token for end. Never blocks. */
#if defined(__GNUC__)
extern _Thread_local __attribute__((tls_model("initial-exec"))) unsigned idmap_tls_shard;
#else
extern _Thread_local unsigned idmap_tls_shard;
#endif
/* The calling thread's shard, chosen on its first lookup. */
unsigned idmap_shard_pick(void);
static inline unsigned idmap_read_begin(idmap *m) {
    unsigned s = idmap_tls_shard;
    if (!s)
        s = idmap_shard_pick();
    /* seq_cst, and so are the loads of idmap_get and the writers' stores: a
     * writer that then finds the flag unset or the shard empty knows this
     * reader either has ended or will not see what was removed. */
    if (!atomic_load(&m->read))
        atomic_store(&m->read, 1);
    atomic_fetch_add(&m->shards[s - 1].readers, 1);
    return s - 1;
}
static inline void idmap_read_end(idmap *m, unsigned token) {
    atomic_fetch_sub_explicit(&m->shards[token].readers, 1, memory_order_release);
}
/* Returns once every lookup begun before the call has ended. No lock needed;
 * may spin briefly (a lookup is a few loads and one CAS). */
void idmap_wait_readers(idmap *m);

#endif
