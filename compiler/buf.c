#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void oom(void) {
    fputs("tactc: out of memory\n", stderr);
    exit(1);
}

void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

char *xstrdup(const char *s) {
    char *p = strdup(s);
    if (!p)
        oom();
    return p;
}

static void reserve(buf *b, size_t more) {
    if (b->len + more + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
        oom();
    b->data = p;
    b->cap = cap;
}

void buf_printf(buf *b, const char *fmt, ...) {
    /* One formatting pass in the common case: straight into spare room. */
    reserve(b, 256);
    size_t room = b->cap - b->len;
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(b->data + b->len, room, fmt, ap);
    va_end(ap);
    if (n < 0)
        oom();
    if ((size_t)n >= room) {
        reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    }
    va_end(ap2);
    b->len += (size_t)n;
}

void buf_puts(buf *b, const char *s) {
    size_t n = strlen(s);
    reserve(b, n);
    memcpy(b->data + b->len, s, n + 1);
    b->len += n;
}

void buf_free(buf *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *buf_take(buf *b) {
    char *s = b->data ? b->data : xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

char *xasprintf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0)
        oom();
    return s;
}

int write_if_changed(const char *path, const char *text, size_t len) {
    FILE *f = fopen(path, "rb");
    if (f) {
        int same = 1;
        size_t pos = 0;
        char chunk[8192];
        size_t n;
        while (same && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
            if (pos + n > len || memcmp(chunk, text + pos, n) != 0)
                same = 0;
            pos += n;
        }
        fclose(f);
        if (same && pos == len)
            return 0;
    }
    /* Written aside and renamed into place: a reader (protoc-c run by a parallel
     * build step that imports this file) never sees it half written. */
    char *tmp = xasprintf("%s.tmp%ld", path, (long)getpid());
    f = fopen(tmp, "wb");
    if (!f) {
        free(tmp);
        return -1;
    }
    size_t w = fwrite(text, 1, len, f);
    int rc = fclose(f) != 0 || w != len ? -1 : rename(tmp, path);
    if (rc != 0)
        remove(tmp);
    free(tmp);
    return rc;
}
