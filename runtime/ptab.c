#include "ptab.h"

#include <stdlib.h>

static char tomb;
#define PTAB_TOMB ((void *)&tomb)

uint64_t ptab_hash_u64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

uint64_t ptab_hash_str(const char *s) {
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return ptab_hash_u64(h);
}

static bool grow(ptab *t, ptab_hash_fn hash) {
    /* Doubling only when the live entries need it; otherwise the same size
     * rebuilt clears the tombstones. */
    size_t cap = t->cap ? t->cap : 16;
    while (t->count * 2 >= cap)
        cap *= 2;
    void **slots = calloc(cap, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < t->cap; i++) {
        void *e = t->slots[i];
        if (!e || e == PTAB_TOMB)
            continue;
        size_t j = hash(e) & (cap - 1);
        while (slots[j])
            j = (j + 1) & (cap - 1);
        slots[j] = e;
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    t->used = t->count;
    return true;
}

bool ptab_add(ptab *t, void *entry, ptab_hash_fn hash) {
    if ((t->used + 1) * 4 > t->cap * 3 && !grow(t, hash))
        return false;
    size_t j = hash(entry) & (t->cap - 1);
    while (t->slots[j] && t->slots[j] != PTAB_TOMB)
        j = (j + 1) & (t->cap - 1);
    if (!t->slots[j])
        t->used++;
    t->slots[j] = entry;
    t->count++;
    return true;
}

void *ptab_find(const ptab *t, uint64_t h, const void *key, ptab_match_fn match) {
    if (!t->cap)
        return NULL;
    for (size_t j = h & (t->cap - 1);; j = (j + 1) & (t->cap - 1)) {
        void *e = t->slots[j];
        if (!e)
            return NULL;
        if (e != PTAB_TOMB && match(e, key))
            return e;
    }
}

void ptab_remove(ptab *t, uint64_t h, const void *entry) {
    if (!t->cap)
        return;
    for (size_t j = h & (t->cap - 1);; j = (j + 1) & (t->cap - 1)) {
        void *e = t->slots[j];
        if (!e)
            return;
        if (e == entry) {
            t->slots[j] = PTAB_TOMB;
            t->count--;
            return;
        }
    }
}

bool ptab_next(const ptab *t, size_t *i, void **entry) {
    for (; *i < t->cap; (*i)++) {
        void *e = t->slots[*i];
        if (e && e != PTAB_TOMB) {
            *entry = e;
            (*i)++;
            return true;
        }
    }
    return false;
}

void ptab_free(ptab *t) {
    free(t->slots);
    t->slots = NULL;
    t->cap = t->used = t->count = 0;
}
