/* Open addressing with linear probing; the table stays at most half full. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct idl_slot {
    const char *key; /* NULL: an integer key */
    int64_t num;
    void *val; /* NULL: empty */
};

static uint64_t hash_str(const char *s) {
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static uint64_t hash_int(int64_t n) {
    uint64_t z = (uint64_t)n + 0x9e3779b97f4a7c15u; /* splitmix64's finaliser */
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static int same_key(const struct idl_slot *s, const char *key, int64_t num) {
    if (key)
        return s->key && strcmp(s->key, key) == 0;
    return !s->key && s->num == num;
}

static size_t find(const idl_symtab *t, const char *key, int64_t num) {
    size_t mask = t->cap - 1;
    size_t i = (size_t)(key ? hash_str(key) : hash_int(num)) & mask;
    while (t->slots[i].val && !same_key(&t->slots[i], key, num))
        i = (i + 1) & mask;
    return i;
}

static void grow(idl_symtab *t) {
    struct idl_slot *old = t->slots;
    size_t old_count = t->count;
    size_t *old_used = t->used;
    t->cap = t->cap ? t->cap * 2 : 16;
    t->slots = idl_xcalloc(t->cap, sizeof *t->slots);
    t->used = idl_xmalloc(t->cap / 2 * sizeof *t->used);
    t->count = 0;
    for (size_t u = 0; u < old_count; u++) {
        struct idl_slot *s = &old[old_used[u]];
        size_t i = find(t, s->key, s->num);
        t->slots[i] = *s;
        t->used[t->count++] = i;
    }
    free(old);
    free(old_used);
}

static void *put(idl_symtab *t, const char *key, int64_t num, void *val) {
    if ((t->count + 1) * 2 > t->cap)
        grow(t);
    size_t i = find(t, key, num);
    if (t->slots[i].val)
        return t->slots[i].val;
    t->slots[i] = (struct idl_slot){key, num, val};
    t->used[t->count++] = i;
    return NULL;
}

void *idl_symtab_put(idl_symtab *t, const char *key, void *val) {
    return put(t, key, 0, val);
}

void *idl_symtab_put_int(idl_symtab *t, int64_t key, void *val) {
    return put(t, NULL, key, val);
}

void *idl_symtab_get(const idl_symtab *t, const char *key) {
    return t->cap ? t->slots[find(t, key, 0)].val : NULL;
}

void idl_symtab_clear(idl_symtab *t) {
    for (size_t u = 0; u < t->count; u++)
        t->slots[t->used[u]].val = NULL;
    t->count = 0;
}

void idl_symtab_free(idl_symtab *t) {
    free(t->slots);
    free(t->used);
    *t = (idl_symtab){0};
}
