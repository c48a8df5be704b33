/* Shared helpers of tact_bench: timing, the done latch, failing loudly. */
#ifndef TACT_BENCH_H
#define TACT_BENCH_H

#include <pthread.h>
#include <stdint.h>

#include "bench.tact.h"

/* Nanoseconds on the monotonic clock. */
double bench_now_ns(void);

/* VmRSS of this process in KiB, from /proc/self/status. */
long bench_rss_kb(void);

/* Prints "tact_bench: verification failed: what" and exits 1. */
_Noreturn void bench_fail(const char *what);

/* Exits 1 with a message unless st is TACT_OK. */
void bench_check(tact_status st, const char *what);

/* The system a workload runs in: tact_system_new(NULL) (one worker per core),
 * or TACT_BENCH_WORKERS workers if that variable is set (callgrind runs). */
tact_system *bench_system(void);

/* How actors tell the main (non-actor) thread that the work is done: each
 * report adds to the count (and to acc/value); the waiter wakes at target. */
typedef struct bench_latch {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    long count, target;
    double acc;
    long value;
} bench_latch;

void bench_latch_init(bench_latch *l, long target);
void bench_latch_report(bench_latch *l, double acc, long value);
void bench_latch_wait(bench_latch *l);
void bench_latch_destroy(bench_latch *l);

/* The raw-send-path variants (raw.c). */
void bench_pingpong_raw(long n, int quiet);
void bench_tell_raw(long s, long m, int quiet);

#endif
