/* What the runtime does with a future besides the public calls (future.c):
 * making one for an ask, completing it, counting its references. */
#ifndef TACT_FUTURE_IMPL_H
#define TACT_FUTURE_IMPL_H

#include <stdbool.h>

#include "tact/tact.h"

/* A future for an ask of method to target; refs: the caller's and the message's. */
tact_future *future_new(const tact_method *method, tact_actor *target);
/* The system a future was made in, unchecked: for the runtime's own calls
 * while that system is known to be alive (in its handlers, for a pending future). */
tact_system *future_system(const tact_future *f);
/* Completes a future that holds the message's reference, then drops it. Does
 * nothing to the result if the future was already completed (cancelled).
 * Returns TACT_OK if this call completed it, else the status it had. */
tact_status future_complete(tact_future *f, tact_status status, tact_status code, char *text);
/* Whether the future was already completed (cancelled) before its message ran. */
bool future_claimed(tact_future *f);
/* The reply storage an ask's handler writes into. */
void *future_reply_storage(tact_future *f);
/* Takes or drops one reference. */
void future_retain(tact_future *f);
void future_release(tact_future *f);
/* Completes a pending future with TACT_ETIMEDOUT (its deadline passed). */
void future_expire(tact_future *f);

#endif
