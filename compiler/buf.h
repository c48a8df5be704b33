/* A growing text buffer for the back ends. Out of memory aborts tactc with a
 * message: a compiler has nothing better to do then, and every caller stays simple. */
#ifndef TACTC_BUF_H
#define TACTC_BUF_H

#include <stddef.h>

typedef struct buf {
    char *data;
    size_t len, cap;
} buf;

void buf_printf(buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void buf_puts(buf *b, const char *s);
void buf_free(buf *b);
/* A heap copy of the buffer's text; the buffer is emptied. */
char *buf_take(buf *b);

/* printf into a new heap string. */
char *xasprintf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
void *xmalloc(size_t n);
char *xstrdup(const char *s);

/* Writes text to path unless the file already holds exactly that text (so
 * builds do not redo work for unchanged output). Returns 0, or -1 with errno. */
int write_if_changed(const char *path, const char *text, size_t len);

#endif
