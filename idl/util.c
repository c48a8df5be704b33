/* Small helpers every part of the front end uses: allocation, growable strings, UTF-8. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void *checked(void *p) {
    if (!p) {
        fputs("tactc: fatal error: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *idl_xmalloc(size_t size) {
    return checked(malloc(size ? size : 1));
}

void *idl_xcalloc(size_t count, size_t size) {
    return checked(calloc(count ? count : 1, size ? size : 1));
}

void *idl_xrealloc(void *ptr, size_t size) {
    return checked(realloc(ptr, size ? size : 1));
}

char *idl_xstrndup(const char *s, size_t len) {
    char *copy = idl_xmalloc(len + 1);
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *idl_xstrdup(const char *s) {
    return idl_xstrndup(s, strlen(s));
}

static void reserve(idl_buf *b, size_t extra) {
    if (b->len + extra + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 32;
        while (cap < b->len + extra + 1)
            cap *= 2;
        b->data = idl_xrealloc(b->data, cap);
        b->cap = cap;
    }
}

void idl_buf_add(idl_buf *b, const char *s, size_t len) {
    reserve(b, len);
    if (len)
        memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void idl_buf_adds(idl_buf *b, const char *s) {
    idl_buf_add(b, s, strlen(s));
}

void idl_buf_addc(idl_buf *b, char c) {
    idl_buf_add(b, &c, 1);
}

void idl_buf_vprintf(idl_buf *b, const char *fmt, va_list ap) {
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n <= 0)
        return;
    reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void idl_buf_printf(idl_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    idl_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

char *idl_buf_take(idl_buf *b) {
    char *s = b->data ? b->data : idl_xstrdup("");
    *b = (idl_buf){0};
    return s;
}

size_t idl_utf8_seq(const unsigned char *s, size_t n) {
    if (n == 0 || s[0] == 0)
        return 0;
    if (s[0] < 0x80)
        return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xbf; /* bounds of the second byte */
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        len = 2;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        len = 3;
        if (s[0] == 0xe0)
            lo = 0xa0; /* overlong */
        if (s[0] == 0xed)
            hi = 0x9f; /* surrogates */
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        len = 4;
        if (s[0] == 0xf0)
            lo = 0x90; /* overlong */
        if (s[0] == 0xf4)
            hi = 0x8f; /* beyond U+10FFFF */
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xbf)
            return 0;
    return len;
}
