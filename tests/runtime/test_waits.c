/* Waits from a thread outside the pool keep their timeout whatever the awaited
 * handler does (sleeps, blocks on a lock the waiting thread holds), and the
 * actor's code never runs on the waiting thread, not even when no worker has
 * picked the actor up yet. The one worker is held by a Counter blocked on the
 * gate where that matters: the awaited actor then sits in the global queue,
 * where a waiting thread used to take it and run it itself. */
#include <pthread.h>
#include <string.h>

#include "rt_common.h"

/* What the Adder's handler and on_stop do, set by each test before it sends. */
enum { DO_NOTHING, DO_SLEEP, DO_LOCK };
static _Atomic int what;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int lock_result = -1;
/* The threads the handler and on_stop ran on (read after the future or the
 * actor's death says they have run). */
static pthread_t handler_thread, stop_thread;
static _Atomic int handler_ran, stop_ran;

/* The bound a timed-out wait is held to is loose on purpose (ten times the
 * timeout, for a loaded machine) and still under what the slow handler takes. */
enum { TIMEOUT_MS = 100, BOUND_MS = 10 * TIMEOUT_MS, SLOW_MS = 1500 };

static void act(void) {
    switch (atomic_load(&what)) {
    case DO_SLEEP:
        rt_sleep_ms(SLOW_MS);
        break;
    case DO_LOCK: {
        /* Bounded, so that the test fails rather than hangs if this runs on
         * the thread that holds the lock. */
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 5;
        int rc = pthread_mutex_timedlock(&lock, &until);
        if (rc == 0)
            pthread_mutex_unlock(&lock);
        atomic_store(&lock_result, rc);
        break;
    }
    default:
        break;
    }
}

static tact_status add_one(tact_ctx *ctx, void *self, int64_t i, int64_t *reply) {
    (void)ctx;
    (void)self;
    handler_thread = pthread_self();
    atomic_store(&handler_ran, 1);
    act();
    *reply = i + 1;
    return TACT_OK;
}

static tact_status on_stop(tact_ctx *ctx, void *self) {
    (void)ctx;
    (void)self;
    stop_thread = pthread_self();
    atomic_store(&stop_ran, 1);
    act();
    return TACT_OK;
}

static const rt_Adder_impl adder_impl = {.add_one = add_one, .on_stop = on_stop};

static void reset(int w) {
    atomic_store(&what, w);
    atomic_store(&handler_ran, 0);
    atomic_store(&stop_ran, 0);
    atomic_store(&lock_result, -1);
}

/* Holds the system's only worker in a Counter blocked on the gate. */
static rt_Counter_gate_future *hold_worker(rt_Counter_ref c) {
    rt_gate_close();
    rt_Counter_gate_future *g = NULL;
    assert_int_equal(rt_Counter_gate(c, &g), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    return g;
}

static void release_worker(rt_Counter_gate_future *g) {
    rt_gate_open();
    assert_int_equal(rt_Counter_gate_future_get(g, 30000, NULL), TACT_OK);
    rt_Counter_gate_future_free(g);
}

static int64_t timed_get(rt_Adder_add_one_future *f, tact_status *st) {
    int64_t t0 = rt_now_ms();
    *st = rt_Adder_add_one_future_get(f, TIMEOUT_MS, NULL);
    return rt_now_ms() - t0;
}

static void assert_answer(rt_Adder_add_one_future *f, int64_t want) {
    int64_t v = -1;
    assert_int_equal(rt_Adder_add_one_future_get(f, 30000, &v), TACT_OK);
    assert_int_equal(v, want);
    assert_true(atomic_load(&handler_ran));
    assert_false(pthread_equal(handler_thread, pthread_self()));
}

/* The actor is queued and no worker is free: the waiting thread must not run it. */
static void get_keeps_timeout_while_actor_queued(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    rt_Counter_ref c = rt_new_counter(sys);
    rt_Adder_ref a;
    assert_int_equal(rt_Adder_spawn(sys, &adder_impl, NULL, &a), TACT_OK);
    reset(DO_SLEEP);
    rt_Counter_gate_future *g = hold_worker(c);
    rt_Adder_add_one_future *f;
    assert_int_equal(rt_Adder_add_one(a, 41, &f), TACT_OK);
    tact_status st;
    int64_t took = timed_get(f, &st);
    assert_int_equal(st, TACT_ETIMEDOUT);
    assert_true(took < BOUND_MS);
    assert_false(atomic_load(&handler_ran));
    release_worker(g);
    assert_answer(f, 42);
    rt_Adder_add_one_future_free(f);
    rt_Adder_ref_release(&a);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

/* The handler runs (on a free worker) and sleeps past the timeout. */
static void get_keeps_timeout_while_handler_sleeps(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Adder_ref a;
    assert_int_equal(rt_Adder_spawn(sys, &adder_impl, NULL, &a), TACT_OK);
    for (int i = 0; i < 2; i++) {
        reset(DO_SLEEP);
        rt_Adder_add_one_future *f;
        assert_int_equal(rt_Adder_add_one(a, i, &f), TACT_OK);
        tact_status st;
        int64_t took = timed_get(f, &st);
        assert_int_equal(st, TACT_ETIMEDOUT);
        assert_true(took < BOUND_MS);
        assert_answer(f, i + 1);
        rt_Adder_add_one_future_free(f);
    }
    rt_Adder_ref_release(&a);
    tact_system_destroy(&sys);
}

/* The handler needs a lock the waiting thread holds: the wait still ends at
 * its timeout, and once the lock is let go the actor finishes. */
static void get_keeps_timeout_while_handler_needs_callers_lock(void **state) {
    (void)state;
    unsigned workers[] = {1, 2};
    for (int w = 0; w < 2; w++) {
        tact_system *sys = rt_system(workers[w]);
        rt_Counter_ref c = rt_new_counter(sys);
        rt_Adder_ref a;
        assert_int_equal(rt_Adder_spawn(sys, &adder_impl, NULL, &a), TACT_OK);
        reset(DO_LOCK);
        rt_Counter_gate_future *g = workers[w] == 1 ? hold_worker(c) : NULL;
        pthread_mutex_lock(&lock);
        rt_Adder_add_one_future *f;
        assert_int_equal(rt_Adder_add_one(a, 1, &f), TACT_OK);
        tact_status st;
        int64_t took = timed_get(f, &st);
        assert_int_equal(st, TACT_ETIMEDOUT);
        assert_true(took < BOUND_MS);
        pthread_mutex_unlock(&lock);
        if (g)
            release_worker(g);
        assert_answer(f, 2);
        assert_int_equal(atomic_load(&lock_result), 0);
        rt_Adder_add_one_future_free(f);
        rt_Adder_ref_release(&a);
        rt_Counter_ref_release(&c);
        tact_system_destroy(&sys);
    }
}

/* stop_wait with a timeout: the stop (and on_stop) runs on the pool, and the
 * wait ends at its timeout; with a free worker, and with none. */
static void stop_wait_keeps_timeout(void **state) {
    (void)state;
    unsigned workers[] = {1, 2};
    for (int w = 0; w < 2; w++) {
        tact_system *sys = rt_system(workers[w]);
        rt_Counter_ref c = rt_new_counter(sys);
        rt_Adder_ref a;
        assert_int_equal(rt_Adder_spawn(sys, &adder_impl, NULL, &a), TACT_OK);
        reset(DO_SLEEP);
        rt_Counter_gate_future *g = workers[w] == 1 ? hold_worker(c) : NULL;
        int64_t t0 = rt_now_ms();
        assert_int_equal(rt_Adder_stop_wait(a, TIMEOUT_MS), TACT_ETIMEDOUT);
        assert_true(rt_now_ms() - t0 < BOUND_MS);
        assert_false(tact_actor_alive(a.actor)); /* the stop was requested */
        if (g)
            release_worker(g);
        assert_int_equal(tact_actor_wait(a.actor, 30000), TACT_OK);
        assert_true(atomic_load(&stop_ran));
        assert_false(pthread_equal(stop_thread, pthread_self()));
        rt_Adder_ref_release(&a);
        rt_Counter_ref_release(&c);
        tact_system_destroy(&sys);
    }
}

/* stop_wait while on_stop needs a lock the waiting thread holds. */
static void stop_wait_keeps_timeout_while_stop_needs_callers_lock(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Adder_ref a;
    assert_int_equal(rt_Adder_spawn(sys, &adder_impl, NULL, &a), TACT_OK);
    reset(DO_LOCK);
    pthread_mutex_lock(&lock);
    int64_t t0 = rt_now_ms();
    assert_int_equal(rt_Adder_stop_wait(a, TIMEOUT_MS), TACT_ETIMEDOUT);
    assert_true(rt_now_ms() - t0 < BOUND_MS);
    pthread_mutex_unlock(&lock);
    assert_int_equal(tact_actor_wait(a.actor, 30000), TACT_OK);
    assert_int_equal(atomic_load(&lock_result), 0);
    assert_false(pthread_equal(stop_thread, pthread_self()));
    rt_Adder_ref_release(&a);
    tact_system_destroy(&sys);
}

/* Many quick asks from a plain thread: every handler runs on a worker. */
static void quick_asks_never_run_on_caller(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    rt_Adder_ref a;
    assert_int_equal(rt_Adder_spawn(sys, &adder_impl, NULL, &a), TACT_OK);
    for (int i = 0; i < 2000; i++) {
        reset(DO_NOTHING);
        rt_Adder_add_one_future *f;
        assert_int_equal(rt_Adder_add_one(a, i, &f), TACT_OK);
        assert_answer(f, i + 1);
        rt_Adder_add_one_future_free(f);
    }
    rt_Adder_ref_release(&a);
    tact_system_destroy(&sys);
}

int main(void) {
    rt_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(get_keeps_timeout_while_actor_queued),
        cmocka_unit_test(get_keeps_timeout_while_handler_sleeps),
        cmocka_unit_test(get_keeps_timeout_while_handler_needs_callers_lock),
        cmocka_unit_test(stop_wait_keeps_timeout),
        cmocka_unit_test(stop_wait_keeps_timeout_while_stop_needs_callers_lock),
        cmocka_unit_test(quick_asks_never_run_on_caller),
    };
    return cmocka_run_group_tests_name("runtime_waits", tests, NULL, NULL);
}
