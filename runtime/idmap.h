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

struct idmap_dir;
struct idmap_shard;

typedef struct idmap {
    _Atomic(struct idmap_dir *) dir; /* the pages; replaced (never resized) as it grows */
    uint32_t *live;                  /* entries per page; writers only */
    size_t nlive;                    /* length of live */
    size_t count;                    /* entries in all */
    struct idmap_shard *shards;      /* readers in a lookup */
} idmap;

/* Returns false when out of memory. */
bool idmap_init(idmap *m);
/* Stores entry under id (not present yet). Returns false when out of memory. */
bool idmap_put(idmap *m, uint64_t id, void *entry);
/* The entry under id, or NULL: under the writers' lock, or between
 * idmap_read_begin and idmap_read_end. */
void *idmap_get(const idmap *m, uint64_t id);
/* Removes id; next_id is the next id to be issued (a page is freed only when
 * it can get no new entries). The entry itself may be freed only after a
 * later idmap_wait_readers(). */
void idmap_del(idmap *m, uint64_t id, uint64_t next_id);
/* Visits entries in id order: *pos from 0 while it returns true. Writers only. */
bool idmap_next(const idmap *m, uint64_t *pos, void **entry);
/* Frees the map (its readers are gone). */
void idmap_free(idmap *m);

/* A lock-free lookup's bracket; begin returns the token for end. Never blocks. */
unsigned idmap_read_begin(idmap *m);
void idmap_read_end(idmap *m, unsigned token);
/* Returns once every lookup begun before the call has ended. No lock needed;
 * may spin briefly (a lookup is a few loads and one CAS). */
void idmap_wait_readers(idmap *m);

#endif
