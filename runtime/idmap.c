#include "idmap.h"

#include <stdlib.h>
#include <string.h>

enum { IDMAP_PAGE = 512 };

bool idmap_put(idmap *m, uint64_t id, void *entry) {
    size_t p = (size_t)(id / IDMAP_PAGE);
    if (p >= m->npages) {
        size_t n = m->npages ? m->npages : 16;
        while (n <= p)
            n *= 2;
        void ***pages = realloc(m->pages, n * sizeof *pages);
        if (!pages)
            return false;
        m->pages = pages;
        uint32_t *live = realloc(m->live, n * sizeof *live);
        if (!live)
            return false;
        m->live = live;
        memset(pages + m->npages, 0, (n - m->npages) * sizeof *pages);
        memset(live + m->npages, 0, (n - m->npages) * sizeof *live);
        m->npages = n;
    }
    if (!m->pages[p] && !(m->pages[p] = calloc(IDMAP_PAGE, sizeof(void *))))
        return false;
    m->pages[p][id % IDMAP_PAGE] = entry;
    m->live[p]++;
    m->count++;
    return true;
}

void *idmap_get(const idmap *m, uint64_t id) {
    size_t p = (size_t)(id / IDMAP_PAGE);
    return p < m->npages && m->pages[p] ? m->pages[p][id % IDMAP_PAGE] : NULL;
}

void idmap_del(idmap *m, uint64_t id, uint64_t next_id) {
    size_t p = (size_t)(id / IDMAP_PAGE);
    if (p >= m->npages || !m->pages[p] || !m->pages[p][id % IDMAP_PAGE])
        return;
    m->pages[p][id % IDMAP_PAGE] = NULL;
    m->count--;
    if (--m->live[p] == 0 && (uint64_t)(p + 1) * IDMAP_PAGE <= next_id) {
        free(m->pages[p]);
        m->pages[p] = NULL;
    }
}

bool idmap_next(const idmap *m, uint64_t *pos, void **entry) {
    for (; *pos / IDMAP_PAGE < m->npages; (*pos)++) {
        size_t p = (size_t)(*pos / IDMAP_PAGE);
        if (!m->pages[p]) {
            *pos = (uint64_t)(p + 1) * IDMAP_PAGE - 1;
            continue;
        }
        void *e = m->pages[p][*pos % IDMAP_PAGE];
        if (e) {
            *entry = e;
            (*pos)++;
            return true;
        }
    }
    return false;
}

void idmap_free(idmap *m) {
    for (size_t p = 0; p < m->npages; p++)
        free(m->pages[p]);
    free(m->pages);
    free(m->live);
    memset(m, 0, sizeof *m);
}
