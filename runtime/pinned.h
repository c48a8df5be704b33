/* Pinned actors: an actor that owns a thread, for handlers that block on I/O
 * without holding up the pool (sched.c runs them). */
#ifndef TACT_PINNED_H
#define TACT_PINNED_H

#include "tact/tact.h"

/* Starts the actor's own thread. Errors: TACT_ENOMEM, TACT_ESYS. */
tact_status pinned_start(tact_actor *a);
/* Makes the pinned actor's thread run it (the scheduled flag is set, with a reference). */
void pinned_submit(tact_actor *a);

#endif
