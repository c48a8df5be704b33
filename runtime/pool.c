#include "pool.h"
#include "scheduler.h"

#include <stdbool.h>
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "system_impl.h"

#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline, cold))
#else
#define NOINLINE
#endif

/* Enough for the envelope and request of most methods, and a future with its reply. */
static const size_t class_size[POOL_CLASSES] = {64, 128, 256, 512};

/* A thread keeps at most CACHE_MAX blocks of a class; beyond, BATCH go to the depot. */
enum { CACHE_MAX = 512, BATCH = 256, DEPOT_MAX = 64 };

/* -- giving memory back (pool.h) ---------------------------------------------- */

#if defined(__GLIBC__)
/* Bytes given to free() since the last trim: process-wide, as malloc's heaps
 * are. Each thread adds its own count in steps, not on every free. */
static _Atomic size_t freed_untrimmed;
static _Thread_local size_t tls_freed;
enum { PUBLISH_STEP = 256 << 10 };

static void trim_if(size_t min) {
    size_t pending = atomic_load_explicit(&freed_untrimmed, memory_order_relaxed);
    /* One thread trims what was counted; the others go on meanwhile. */
    if (pending < min || !atomic_compare_exchange_strong(&freed_untrimmed, &pending, 0))
        return;
    malloc_trim(0);
}

static void publish(void) {
    if (tls_freed)
        atomic_fetch_add_explicit(&freed_untrimmed, tls_freed, memory_order_relaxed);
    tls_freed = 0;
}

static void count_freed(size_t bytes) {
    tls_freed += bytes;
    if (tls_freed >= PUBLISH_STEP) {
        publish();
        trim_if(POOL_TRIM_ANYWAY);
    }
}

void pool_idle(void) {
    publish();
    trim_if(POOL_TRIM_IDLE);
}

static size_t usable_size(void *p) {
    return malloc_usable_size(p);
}
#else
/* Only glibc is known to need (and to have) malloc_trim. */
static void count_freed(size_t bytes) {
    (void)bytes;
}
void pool_idle(void) {}
static size_t usable_size(void *p) {
    (void)p;
    return 0;
}
#endif

void pool_free_counted(void *p) {
    if (!p)
        return;
    count_freed(usable_size(p));
    free(p);
}

/* free(p) of a block of that size; out of line to keep pool_free small. */
static void NOINLINE free_counted_size(void *p, size_t bytes) {
    count_freed(bytes);
    free(p);
}

static int class_of(size_t size) {
    for (int c = 0; c < POOL_CLASSES; c++)
        if (size <= class_size[c])
            return c;
    return -1;
}

/* The calling thread's cache and its depot, or NULL off the scheduler's threads. */
static pool_cache *my_cache(pool_depot **depot) {
    sched_thread *t = sched_self();
    if (!t)
        return NULL;
    *depot = &t->sys->sched.depot;
    return &t->cache;
}

static void free_chain(void *p);
static void cache_spill(pool_cache *k, pool_depot *d, int c, bool locked);
static void *cache_pop(pool_cache *k, pool_depot *d, int c, bool locked);
static void cache_push(pool_cache *k, pool_depot *d, int c, void *p, bool locked);

static void **next_of(void *block) {
    return (void **)block;
}

static void **batch_next_of(void *block) {
    return (void **)block + 1;
}

void *pool_alloc(pool_depot *depot, size_t size) {
    int c = class_of(size);
    if (c < 0)
        return malloc(size);
    pool_depot *d;
    pool_cache *k = my_cache(&d);
    if (k)
        return cache_pop(k, d, c, false);
    if (!depot)
        return malloc(class_size[c]);
    pthread_mutex_lock(&depot->lock);
    void *p = cache_pop(&depot->foreign, depot, c, true);
    pthread_mutex_unlock(&depot->lock);
    return p;
}

void pool_free(pool_depot *depot, void *p, size_t size) {
    if (!p)
        return;
    int c = class_of(size);
    pool_depot *d;
    pool_cache *k = c < 0 ? NULL : my_cache(&d);
    if (k) {
        cache_push(k, d, c, p, false);
    } else if (c >= 0 && depot) {
        pthread_mutex_lock(&depot->lock);
        cache_push(&depot->foreign, depot, c, p, true);
        pthread_mutex_unlock(&depot->lock);
    } else {
        free_counted_size(p, c < 0 ? size : class_size[c]);
    }
}

/* A block from cache k, refilled with a batch from the depot when empty
 * (locked: the caller holds the depot's lock already). */
static void *cache_pop(pool_cache *k, pool_depot *d, int c, bool locked) {
    if (!k->head[c]) {
        if (!locked)
            pthread_mutex_lock(&d->lock);
        void *batch = d->batches[c];
        if (batch) {
            d->batches[c] = *batch_next_of(batch);
            d->nbatches[c]--;
        }
        if (!locked)
            pthread_mutex_unlock(&d->lock);
        if (!batch)
            return malloc(class_size[c]);
        k->head[c] = batch;
        k->count[c] = BATCH;
    }
    void *p = k->head[c];
    k->head[c] = *next_of(p);
    k->count[c]--;
    /* The next block was last written by the thread that freed it, on another
     * core: start fetching it for writing now rather than at the next send. */
    if (k->head[c])
        __builtin_prefetch(k->head[c], 1);
    return p;
}

/* Puts p in cache k; a cache grown past CACHE_MAX hands a batch to the depot. */
static void cache_push(pool_cache *k, pool_depot *d, int c, void *p, bool locked) {
    *next_of(p) = k->head[c];
    k->head[c] = p;
    if (++k->count[c] > CACHE_MAX)
        cache_spill(k, d, c, locked);
}

/* Hands the newest BATCH blocks of k to the depot, as one chain. Out of line:
 * it runs once per BATCH frees, and inlined it would make every free pay
 * for its registers. */
static void NOINLINE cache_spill(pool_cache *k, pool_depot *d, int c, bool locked) {
    void *batch = k->head[c], *last = batch;
    for (int i = 1; i < BATCH; i++)
        last = *next_of(last);
    k->head[c] = *next_of(last);
    *next_of(last) = NULL;
    k->count[c] -= BATCH;
    if (!locked)
        pthread_mutex_lock(&d->lock);
    if (d->nbatches[c] < DEPOT_MAX) {
        *batch_next_of(batch) = d->batches[c];
        d->batches[c] = batch;
        d->nbatches[c]++;
        batch = NULL;
    }
    if (!locked)
        pthread_mutex_unlock(&d->lock);
    if (batch) { /* the depot is full: back to malloc */
        count_freed((size_t)BATCH * class_size[c]);
        free_chain(batch);
    }
}

void pool_depot_init(pool_depot *d) {
    pthread_mutex_init(&d->lock, NULL);
    for (int c = 0; c < POOL_CLASSES; c++) {
        d->foreign.head[c] = NULL;
        d->foreign.count[c] = 0;
    }
    for (int c = 0; c < POOL_CLASSES; c++) {
        d->batches[c] = NULL;
        d->nbatches[c] = 0;
    }
}

static void free_chain(void *p) {
    while (p) {
        void *next = *next_of(p);
        free(p);
        p = next;
    }
}

void pool_cache_drain(pool_cache *k) {
    for (int c = 0; c < POOL_CLASSES; c++) {
        free_chain(k->head[c]);
        k->head[c] = NULL;
        k->count[c] = 0;
    }
}

void pool_depot_destroy(pool_depot *d) {
    pool_cache_drain(&d->foreign);
    for (int c = 0; c < POOL_CLASSES; c++)
        while (d->batches[c]) {
            void *batch = d->batches[c];
            d->batches[c] = *batch_next_of(batch);
            free_chain(batch);
        }
    pthread_mutex_destroy(&d->lock);
}
