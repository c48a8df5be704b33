/* libtact: typed actors for C. Include this one header.
 *
 * Conventions for every function of the API:
 * - It returns a tact_status (status.h); a bad argument gives TACT_EINVAL,
 *   never a crash.
 * - Time is an int64_t count of milliseconds: a timeout (timeout_ms: how long
 *   a wait may take, or an ask's deadline), a delay or a period (delay_ms,
 *   period_ms: timers). One rule for all of them:
 *     0             no wait: a wait only polls (never blocks), a delay is over
 *                   at once, a period of 0 means no repeat;
 *     TACT_FOREVER  (-1) no limit, for a timeout only; as a delay or a period
 *                   it means nothing, and is refused;
 *     other < 0     refused with TACT_EINVAL (INT64_MIN included);
 *     > TACT_MS_MAX counts as TACT_MS_MAX (2^42 ms, about 139 years), so no
 *                   deadline arithmetic overflows: INT64_MAX waits as long as
 *                   anyone will.
 * - A wait returns within its timeout whatever the awaited handler does: an
 *   actor's code never runs on a thread that only waits for it. */
#ifndef TACT_TACT_H
#define TACT_TACT_H

#include "actor.h"
#include "future.h"
#include "message.h"
#include "status.h"
#include "pb.h"
#include "reply.h"
#include "system.h"
#include "timer.h"

#endif
