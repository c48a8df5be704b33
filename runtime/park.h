/* Sleeping and waking threads on a 32-bit word (Linux futexes), plus the
 * monotonic clock the runtime measures timeouts with. */
#ifndef TACT_PARK_H
#define TACT_PARK_H

#include <stdatomic.h>
#include <stdint.h>

/* Nanoseconds on the monotonic clock. */
int64_t park_now_ns(void);

/* The absolute deadline timeout_ms from now; -1 (forever) for a negative timeout. */
int64_t park_deadline(int64_t timeout_ms);

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
