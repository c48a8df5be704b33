/* The per-thread text behind tact_error_text() (status.c). */
#ifndef TACT_ERROR_TEXT_H
#define TACT_ERROR_TEXT_H

/* Sets what tact_error_text() returns on this thread. */
void error_text_set(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif
