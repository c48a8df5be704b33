/* Timers: a tell after a delay, or periodically, and cancelling it.
 *
 * Generated code offers typed forms (pkg_Actor_method_after); these take a
 * message built by tact_msg_new. Ticks are ordinary tells: ordered with the
 * actor's other messages, counted as dead letters when the actor is dead. */
#ifndef TACT_TIMER_H
#define TACT_TIMER_H

#include <stdint.h>

#include "actor.h"
#include "message.h"

#ifdef __cplusplus
extern "C" {
#endif

TACT_API_BEGIN

typedef struct tact_timer tact_timer;

/* Sends the tell m to a after delay_ms, and then every period_ms if
 * period_ms > 0 (the first periodic tick comes one period after the first; a
 * tick that is late is skipped, not bunched). Both follow the rule in tact.h:
 * 0 or more (0: at once, or no repeat), at most TACT_MS_MAX (larger counts as
 * that); TACT_FOREVER and other negatives are refused. m is consumed on every
 * path; each tick sends a copy. *out (may be NULL) is a handle for
 * tact_timer_cancel() or tact_timer_free(). A periodic timer whose actor has
 * died stops by itself. Never blocks. Thread-safe.
 * Errors: TACT_EINVAL (m not a tell, a negative delay or period),
 * TACT_ETYPE (a is not of m's method's actor type), TACT_EDEAD,
 * TACT_ENOMEM, TACT_ESYS (the timer thread could not start). */
tact_status tact_timer_start(tact_actor *a, tact_msg *m, int64_t delay_ms, int64_t period_ms,
                             tact_timer **out);

/* Cancels the timer and frees the handle: after it returns, no further tick is
 * sent, and a tick already queued is skipped (one whose handler has already
 * begun finishes). Errors: TACT_EINVAL. */
tact_status tact_timer_cancel(tact_timer *t);

/* Frees the handle and lets the timer run on. NULL is accepted. */
void tact_timer_free(tact_timer *t);

TACT_API_END

#ifdef __cplusplus
}
#endif
#endif
