/* Recycled blocks for messages and futures, the allocations of the send path,
 * and giving memory back to the system after a churn.
 *
 * Why: a message is allocated by its sender and freed by its receiver, on
 * another thread, which defeats malloc's per-thread caches (more than half of
 * the instructions of a tell went to malloc and free). Each scheduler thread
 * keeps free blocks of a few sizes; a thread that frees more than it allocates
 * (a receiver) hands batches to a per-system depot, where a thread that
 * allocates more (a sender) takes them from. Blocks are plain malloc blocks of
 * their class's size, so any thread or system may free one of them with free(). */
#ifndef TACT_POOL_H
#define TACT_POOL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

enum { POOL_CLASSES = 4 };

typedef struct pool_cache {
    void *head[POOL_CLASSES];
    uint32_t count[POOL_CLASSES];
} pool_cache;

typedef struct pool_depot {
    pthread_mutex_t lock;
    void *batches[POOL_CLASSES]; /* chains of blocks, linked through their second word */
    size_t nbatches[POOL_CLASSES];
    pool_cache foreign; /* the cache of threads outside the pool, under the lock */
} pool_depot;

/* A block of at least size bytes; NULL when out of memory. A scheduler thread
 * uses its own cache; another thread uses depot's (under its lock) if depot is
 * not NULL, else malloc: a thread that sends into a system (a main thread
 * feeding workers) then reuses the blocks its receivers gave back. */
void *pool_alloc(pool_depot *depot, size_t size);
/* Gives back a block from pool_alloc (the same size). Off the scheduler's
 * threads it goes to depot if not NULL, else to free(). NULL is accepted. */
void pool_free(pool_depot *depot, void *p, size_t size);

void pool_depot_init(pool_depot *d);
/* Frees a thread's cached blocks (the thread is ending: that is rare). */
void pool_cache_drain(pool_cache *c);
/* Frees every block of the depot. */
void pool_depot_destroy(pool_depot *d);

/* -- giving memory back ------------------------------------------------------
 *
 * What the pools keep is bounded (CACHE_MAX blocks per class and thread,
 * DEPOT_MAX batches per class and system: about 0.5 MiB per thread and 16 MiB
 * per system). What they give back to free(), and the actor blocks, glibc
 * keeps in its heaps: freed small chunks sit in free lists between live ones
 * and the heap's top is not trimmed, so after 10^6 actors came and went the
 * process stayed hundreds of MiB above its start. malloc_trim(0) returns the
 * free pages of every arena to the system. It costs a walk over the heaps, so
 * it runs only once enough has been freed: on a worker about to park (the
 * system is idle) after POOL_TRIM_IDLE bytes, and on whatever thread frees
 * the POOL_TRIM_ANYWAY-th byte otherwise (a main thread dropping references
 * while the workers sleep). */
enum { POOL_TRIM_IDLE = 1 << 20, POOL_TRIM_ANYWAY = 16 << 20 };

/* free(p), counted towards the next trim. NULL is accepted. */
void pool_free_counted(void *p);
/* A worker is about to park: trims if POOL_TRIM_IDLE bytes were freed since the last trim. */
void pool_idle(void);

#endif
