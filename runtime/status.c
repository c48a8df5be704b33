/* Status codes and the thread's last error text. */
#include <stdarg.h>
#include <stdio.h>

#include "error_text.h"
#include "tact/tact.h"

/* Fixed storage: setting it can neither fail nor leak at thread exit. */
static _Thread_local char tls_error_text[256];

const char *tact_error_text(void) {
    return tls_error_text;
}

void error_text_set(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tls_error_text, sizeof tls_error_text, fmt, ap);
    va_end(ap);
}

const char *tact_strerror(tact_status status) {
    switch (status) {
    case TACT_OK: return "ok";
    case TACT_ETIMEDOUT: return "timed out";
    case TACT_EDEAD: return "dead actor";
    case TACT_EHANDLER: return "handler failed";
    case TACT_ECANCELED: return "cancelled";
    case TACT_EDEADLK: return "deadlock: actors are waiting on each other";
    case TACT_EINVAL: return "bad argument";
    case TACT_ENOMEM: return "out of memory";
    case TACT_ENOTFOUND: return "not found";
    case TACT_ENAMETAKEN: return "name already taken";
    case TACT_EXSYSTEM: return "reference belongs to another system";
    case TACT_ESYS: return "the operating system refused";
    case TACT_ENOTIMPL: return "a handler is not implemented";
    case TACT_ETYPE: return "actor of another type";
    }
    return status > 0 ? "application error" : "unknown error";
}
