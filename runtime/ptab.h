/* An open-addressing hash table of pointers, for the registry: the caller
 * supplies each entry's hash and a match test, so one table type serves
 * lookups by id and by name. Not thread-safe: the system's lock guards it. */
#ifndef TACT_PTAB_H
#define TACT_PTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ptab {
    void **slots; /* NULL: empty; PTAB_TOMB: removed */
    size_t cap;   /* a power of two, or 0 */
    size_t used;  /* entries plus tombstones */
    size_t count; /* entries */
} ptab;

typedef uint64_t (*ptab_hash_fn)(const void *entry);
typedef bool (*ptab_match_fn)(const void *entry, const void *key);

/* Adds entry (not present yet). Returns false when out of memory. */
bool ptab_add(ptab *t, void *entry, ptab_hash_fn hash);
/* The entry that matches key (of hash h), or NULL. */
void *ptab_find(const ptab *t, uint64_t h, const void *key, ptab_match_fn match);
/* Removes this very entry (of hash h). */
void ptab_remove(ptab *t, uint64_t h, const void *entry);
/* Visits entries: i from 0 while ptab_next returns true. */
bool ptab_next(const ptab *t, size_t *i, void **entry);
void ptab_free(ptab *t);

/* A well-mixed hash of a 64-bit value, and of a string. */
uint64_t ptab_hash_u64(uint64_t x);
uint64_t ptab_hash_str(const char *s);

#endif
