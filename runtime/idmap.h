/* Actors by id. Ids are handed out in sequence and never reused, so a
 * two-level array indexed by id does what a hash table would at 8 bytes per
 * live actor and with no hashing: pages of slots, a page freed once every id
 * it covers has been issued and its actors are gone. Not thread-safe: the
 * system's lock guards it. */
#ifndef TACT_IDMAP_H
#define TACT_IDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct idmap {
    void ***pages;   /* pages[id / IDMAP_PAGE][id % IDMAP_PAGE] */
    uint32_t *live;  /* entries per page */
    size_t npages;   /* length of pages and live */
    size_t count;    /* entries in all */
} idmap;

/* Stores entry under id (not present yet). Returns false when out of memory. */
bool idmap_put(idmap *m, uint64_t id, void *entry);
/* The entry under id, or NULL. */
void *idmap_get(const idmap *m, uint64_t id);
/* Removes id; next_id is the next id to be issued (a page is freed only when
 * it can get no new entries). */
void idmap_del(idmap *m, uint64_t id, uint64_t next_id);
/* Visits entries in id order: *pos from 0 while it returns true. */
bool idmap_next(const idmap *m, uint64_t *pos, void **entry);
void idmap_free(idmap *m);

#endif
