/* tact_future: the answer to an ask, completed exactly once.
 *
 * Generated code wraps it in a type per method (pkg_Actor_method_future) whose
 * get() hands out the typed reply; everything here works on any of them. */
#ifndef TACT_FUTURE_H
#define TACT_FUTURE_H

#include <stdint.h>

#include "actor.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tact_future tact_future;

/* Waits until the future is complete, at most timeout_ms (TACT_FOREVER: no
 * limit), and returns how it completed: TACT_OK, TACT_EDEAD, TACT_EHANDLER,
 * TACT_ECANCELED, TACT_ETIMEDOUT (the ask's deadline passed). A wait that
 * runs out returns TACT_ETIMEDOUT too, and leaves the future usable: tell the
 * two apart with tact_future_done(). Inside a handler the wait lets the pool
 * go on with other actors, and fails at once with TACT_EDEADLK if it would
 * close a cycle of actors waiting on each other. Thread-safe.
 * Errors: TACT_EINVAL (NULL). */
tact_status tact_future_wait(tact_future *f, int64_t timeout_ms);

/* Non-zero once the future is complete. Never blocks. */
int tact_future_done(const tact_future *f);

/* The reply message (a protobuf-c struct owned by the future, valid until it is
 * freed), or NULL unless the future completed with TACT_OK. */
const void *tact_future_reply(const tact_future *f);

/* After TACT_EHANDLER: the handler's own code and text (the text is owned by the future).
 * Returns the future's status; code and text may be NULL. */
tact_status tact_future_error(const tact_future *f, tact_status *code, const char **text);

/* Completes a pending future with TACT_ECANCELED; its message is skipped if its
 * handler has not started (a reply that comes anyway is dropped).
 * Errors: TACT_EINVAL, TACT_EDEAD? no: TACT_EINVAL only; a complete future is left as it is and
 * its status returned. */
tact_status tact_future_cancel(tact_future *f);

/* The system of the actor that was asked. */
tact_system *tact_future_system(const tact_future *f);

/* Gives the holder's reference up. The future itself lives on until its
 * message has been dealt with, so freeing an unread future is always safe.
 * NULL is accepted. Thread-safe. */
void tact_future_free(tact_future *f);

#ifdef __cplusplus
}
#endif
#endif
