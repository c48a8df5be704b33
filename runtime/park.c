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

int64_t park_deadline(int64_t timeout_ms) {
    if (timeout_ms < 0)
        return -1;
    if (timeout_ms > INT64_MAX / 2000000)
        return -1; /* centuries away: the same as forever */
    return park_now_ns() + timeout_ms * 1000000;
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
