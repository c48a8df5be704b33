#include "park.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int64_t park_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

tact_status park_ms(int64_t ms, bool forever_ok, int64_t *out) {
    if (ms == TACT_FOREVER && forever_ok) {
        *out = -1;
        return TACT_OK;
    }
    if (ms < 0)
        return TACT_EINVAL;
    *out = ms > TACT_MS_MAX ? TACT_MS_MAX : ms;
    return TACT_OK;
}

int64_t park_deadline(int64_t ms) {
    /* TACT_MS_MAX in nanoseconds plus the monotonic clock (time since boot)
     * stays far below INT64_MAX. */
    return ms < 0 ? -1 : park_now_ns() + ms * 1000000;
}

int park_wait(_Atomic uint32_t *word, uint32_t expected, int64_t deadline_ns) {
    struct timespec ts, *tsp = NULL;
    if (deadline_ns >= 0) {
        int64_t left = deadline_ns - park_now_ns();
        if (left <= 0)
            return -1;
        ts.tv_sec = left / 1000000000;
        ts.tv_nsec = left % 1000000000;
        tsp = &ts;
    }
    /* Relative timeout with FUTEX_WAIT: EINTR and spurious wake-ups just return. */
    syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT_PRIVATE, expected, tsp, NULL, 0);
    return 0;
}

void park_wake_all(_Atomic uint32_t *word) {
    syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

void park_wake_one(_Atomic uint32_t *word) {
    syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}
