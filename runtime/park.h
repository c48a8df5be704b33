/* Sleeping and waking threads on a 32-bit word (Linux futexes), plus the
 * monotonic clock the runtime measures timeouts with. */
#ifndef TACT_PARK_H
#define TACT_PARK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "tact/actor.h"

/* Nanoseconds on the monotonic clock. */
int64_t park_now_ns(void);

/* Checks a millisecond argument against the API's rule (tact.h), in one place
 * for every function that takes one, and gives the value to use in *out: -1
 * for TACT_FOREVER (allowed only where forever_ok: timeouts, not delays), else
 * ms capped at TACT_MS_MAX. Errors: TACT_EINVAL (any other negative value). */
tact_status park_ms(int64_t ms, bool forever_ok, int64_t *out);

/* The absolute deadline ms from now, for ms as park_ms() gives it (-1: none).
 * Cannot overflow. */
int64_t park_deadline(int64_t ms);

/* Sleeps while *word == expected, until woken or deadline_ns (-1: no limit)
 * passes. May return early (spuriously): callers re-check their condition.
 * Returns 0, or -1 once the deadline has passed. */
int park_wait(_Atomic uint32_t *word, uint32_t expected, int64_t deadline_ns);

/* Wakes every thread sleeping on word. */
void park_wake_all(_Atomic uint32_t *word);

/* Wakes one thread sleeping on word. */
void park_wake_one(_Atomic uint32_t *word);

/* A hint to the processor inside spin loops. */
static inline void park_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#endif
