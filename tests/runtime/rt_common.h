/* Shared helpers and test-actor implementations for the runtime suites. */
#ifndef RT_COMMON_H
#define RT_COMMON_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "rt.tact.h"

/* -- time, polling and scaling ---------------------------------------------- */

static inline int64_t rt_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline void rt_sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Polls cond every millisecond until it holds or ms pass; evaluates to whether it held. */
#define RT_WAIT_UNTIL(cond, ms)                                                                    \
    __extension__({                                                                                \
        int64_t rt_deadline_ = rt_now_ms() + (ms);                                                 \
        int rt_ok_ = 0;                                                                            \
        for (;;) {                                                                                 \
            if (cond) {                                                                            \
                rt_ok_ = 1;                                                                        \
                break;                                                                             \
            }                                                                                      \
            if (rt_now_ms() > rt_deadline_)                                                        \
                break;                                                                             \
            rt_sleep_ms(1);                                                                        \
        }                                                                                          \
        rt_ok_;                                                                                    \
    })

/* TACT_STRESS_SCALE (default 1): a factor for stress counts. */
static inline double rt_scale(void) {
    const char *s = getenv("TACT_STRESS_SCALE");
    double v = s ? atof(s) : 1.0;
    return v > 0 ? v : 1.0;
}

static inline long rt_scaled(long n, long min) {
    long v = (long)((double)n * rt_scale());
    return v < min ? min : v;
}

/* RT_FILTER=pattern in the environment runs only the matching tests of a suite. */
static inline void rt_filter(void) {
    if (getenv("RT_FILTER"))
        cmocka_set_test_filter(getenv("RT_FILTER"));
}

/* Creates a system with `workers` workers, failing the test on error. */
tact_system *rt_system(unsigned workers);

/* -- the gate: handlers block on it until the test opens it ------------------- */

void rt_gate_close(void);
void rt_gate_open(void);
/* How many gate handlers have entered (and are waiting or went through). */
int rt_gate_entered(void);
/* For handlers and hooks: counts an entry, waits for the gate (30 s at most,
 * then fails with TACT_ETIMEDOUT). */
tact_status rt_gate_wait(tact_ctx *ctx);

/* -- an event log, for order checks ------------------------------------------ */

enum { EV_START = 1, EV_STOP, EV_FAIL, EV_FIRST };
typedef struct rt_event {
    int kind;
    uint64_t id;
    int64_t value;
} rt_event;
void rt_log_reset(void);
void rt_log(int kind, uint64_t id, int64_t value);
int rt_log_count(void);
rt_event rt_log_get(int i);
/* How many events of kind for id. */
int rt_log_count_of(int kind, uint64_t id);
/* The text of the last on_failure (a copy; free it), or NULL. */
char *rt_last_failure_text(void);

/* -- dead-letter observer ----------------------------------------------------- */

typedef struct rt_dead_letters {
    _Atomic uint64_t count;
    _Atomic uint64_t last_id;
    _Atomic int last_reason;
    char last_method[64]; /* under a lock inside rt_common.c */
} rt_dead_letters;
void rt_dead_letter_fn(void *arg, uint64_t id, const char *method, tact_status reason);
void rt_dead_letters_last_method(rt_dead_letters *d, char *out, size_t n);

/* -- implementations ---------------------------------------------------------- */

enum { RT_MAX_SENDERS = 64 };
typedef struct rt_counter {
    int64_t count;
    int64_t handled;
    uint64_t next[RT_MAX_SENDERS];
    int64_t seq_errors;
} rt_counter;

/* Counter without hooks, and with logging hooks (EV_START, EV_FIRST on the
 * first message, EV_STOP with the number handled, EV_FAIL with the code). */
extern const rt_Counter_impl rt_counter_impl;
extern const rt_Counter_impl rt_counter_hooks_impl;
/* Handlers, for suites that build their own tables. */
tact_status rt_counter_on_start(tact_ctx *ctx, void *self);
tact_status rt_counter_on_stop(tact_ctx *ctx, void *self);
void rt_counter_on_failure(tact_ctx *ctx, void *self, tact_status code, const char *message);

extern const rt_Echo_impl rt_echo_impl;
extern const rt_Starter_impl rt_starter_impl;
extern const rt_Adder_impl rt_adder_impl;
extern const rt_Bookkeeper_impl rt_bookkeeper_impl;
extern const rt_Node_impl rt_node_impl;
extern const rt_Sink_impl rt_sink_impl;
extern const rt_Flooder_impl rt_flooder_impl;
extern _Atomic long rt_adder_calls;

/* Spawns a plain Counter, failing the test on error. */
rt_Counter_ref rt_new_counter(tact_system *sys);
/* Asks get and waits; fails the test unless it answers. */
int64_t rt_counter_value(rt_Counter_ref c);

#endif
