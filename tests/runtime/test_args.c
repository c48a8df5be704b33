/* One rule for every millisecond argument (tact.h): 0 is a poll or "at once",
 * TACT_FOREVER no limit (timeouts only), other negatives TACT_EINVAL, values
 * above TACT_MS_MAX count as TACT_MS_MAX. Checked at the edges (INT64_MIN,
 * -2, 0, TACT_FOREVER, INT64_MAX) on every function that takes one; then the
 * rules for names and for the number of workers. */
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "rt_common.h"

/* A Counter blocked on the gate holds the system's only worker: asks to it
 * stay pending until release(). */
static rt_Counter_gate_future *hold(rt_Counter_ref c) {
    rt_gate_close();
    rt_Counter_gate_future *g = NULL;
    assert_int_equal(rt_Counter_gate(c, &g), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    return g;
}

static void release(rt_Counter_gate_future *g) {
    rt_gate_open();
    assert_int_equal(rt_Counter_gate_future_get(g, 30000, NULL), TACT_OK);
    rt_Counter_gate_future_free(g);
}

static tact_future *ask_get(rt_Counter_ref c) {
    rt_Counter_get_future *f = NULL;
    assert_int_equal(rt_Counter_get(c, &f), TACT_OK);
    return rt_Counter_get_future_base(f);
}

static void future_wait_edges(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    rt_Counter_ref c = rt_new_counter(sys);
    /* Complete: a bad timeout is refused all the same. */
    tact_future *done = ask_get(c);
    assert_int_equal(tact_future_wait(done, TACT_FOREVER), TACT_OK);
    assert_int_equal(tact_future_wait(done, -2), TACT_EINVAL);
    assert_int_equal(tact_future_wait(done, INT64_MIN), TACT_EINVAL);
    assert_int_equal(tact_future_wait(done, 0), TACT_OK);
    assert_int_equal(tact_future_wait(done, INT64_MAX), TACT_OK);
    tact_future_free(done);

    rt_Counter_gate_future *g = hold(c);
    tact_future *f = ask_get(c);
    assert_int_equal(tact_future_wait(f, -2), TACT_EINVAL);
    assert_int_equal(tact_future_wait(f, INT64_MIN), TACT_EINVAL);
    int64_t t0 = rt_now_ms();
    assert_int_equal(tact_future_wait(f, 0), TACT_ETIMEDOUT); /* a poll */
    assert_true(rt_now_ms() - t0 < 1000);
    assert_false(tact_future_done(f));
    /* INT64_MAX and TACT_FOREVER wait without a limit: until the deadline. */
    assert_int_equal(tact_future_set_deadline(f, 50), TACT_OK);
    assert_int_equal(tact_future_wait(f, INT64_MAX), TACT_ETIMEDOUT);
    assert_true(tact_future_done(f));
    tact_future *f2 = ask_get(c);
    assert_int_equal(tact_future_set_deadline(f2, 50), TACT_OK);
    assert_int_equal(tact_future_wait(f2, TACT_FOREVER), TACT_ETIMEDOUT);
    assert_true(tact_future_done(f2));
    tact_future_free(f);
    tact_future_free(f2);
    /* The generated get passes the rule on. */
    rt_Counter_get_future *tf = NULL;
    assert_int_equal(rt_Counter_get(c, &tf), TACT_OK);
    assert_int_equal(rt_Counter_get_future_get(tf, -2, NULL), TACT_EINVAL);
    assert_int_equal(rt_Counter_get_future_get(tf, 0, NULL), TACT_ETIMEDOUT);
    release(g);
    int64_t v = -1;
    assert_int_equal(rt_Counter_get_future_get(tf, INT64_MAX, &v), TACT_OK);
    assert_int_equal(v, 0);
    rt_Counter_get_future_free(tf);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

static void set_deadline_edges(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    rt_Counter_ref c = rt_new_counter(sys);
    rt_Counter_gate_future *g = hold(c);
    tact_future *f = ask_get(c);
    /* TACT_FOREVER and INT64_MAX: no deadline that could ever pass. */
    assert_int_equal(tact_future_set_deadline(f, TACT_FOREVER), TACT_OK);
    assert_int_equal(tact_future_set_deadline(f, INT64_MAX), TACT_OK);
    assert_int_equal(tact_future_set_deadline(f, -2), TACT_EINVAL);
    assert_int_equal(tact_future_set_deadline(f, INT64_MIN), TACT_EINVAL);
    assert_int_equal(tact_future_wait(f, 100), TACT_ETIMEDOUT);
    assert_false(tact_future_done(f));
    /* 0: a deadline already passed. */
    assert_int_equal(tact_future_set_deadline(f, 0), TACT_OK);
    assert_int_equal(tact_future_wait(f, 30000), TACT_ETIMEDOUT);
    assert_true(tact_future_done(f));
    tact_future_free(f);
    release(g);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

static void actor_wait_edges(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    rt_Counter_ref c = rt_new_counter(sys);
    rt_Counter_ref d = rt_new_counter(sys);
    assert_int_equal(tact_actor_wait(d.actor, -2), TACT_EINVAL);
    assert_int_equal(tact_actor_wait(d.actor, INT64_MIN), TACT_EINVAL);
    assert_int_equal(tact_actor_wait(d.actor, 0), TACT_ETIMEDOUT); /* alive: a poll */
    /* A bad timeout is refused before the stop: the actor lives on. */
    assert_int_equal(rt_Counter_stop_wait(d, -2), TACT_EINVAL);
    assert_int_equal(tact_actor_stop_wait(d.actor, INT64_MIN), TACT_EINVAL);
    assert_true(tact_actor_alive(d.actor));
    assert_int_equal(rt_Counter_stop_wait(d, INT64_MAX), TACT_OK);
    assert_int_equal(tact_actor_wait(d.actor, 0), TACT_OK);
    assert_int_equal(tact_actor_wait(d.actor, TACT_FOREVER), TACT_OK);
    assert_int_equal(tact_actor_wait(d.actor, INT64_MAX), TACT_OK);
    assert_int_equal(tact_actor_wait(d.actor, -2), TACT_EINVAL);
    /* stop_wait(0) with the worker held: the stop is requested, the poll fails. */
    rt_Counter_ref e = rt_new_counter(sys);
    rt_Counter_gate_future *g = hold(c);
    assert_int_equal(rt_Counter_stop_wait(e, 0), TACT_ETIMEDOUT);
    assert_false(tact_actor_alive(e.actor));
    release(g);
    assert_int_equal(tact_actor_wait(e.actor, TACT_FOREVER), TACT_OK);
    rt_Counter_ref_release(&e);
    rt_Counter_ref_release(&d);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

/* The generated _after, a thin layer over tact_timer_start. */
static tact_status timer_with(rt_Counter_ref c, int64_t delay, int64_t period, tact_timer **t) {
    return rt_Counter_add_after(c, delay, period, 1, t);
}

static void timer_edges(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    rt_Counter_ref c = rt_new_counter(sys);
    int64_t bad[] = {TACT_FOREVER, -2, INT64_MIN};
    for (int i = 0; i < 3; i++) {
        tact_timer *t = (tact_timer *)&t;
        assert_int_equal(timer_with(c, bad[i], 0, &t), TACT_EINVAL);
        assert_null(t);
        assert_int_equal(timer_with(c, 0, bad[i], NULL), TACT_EINVAL);
    }
    /* Far in the future: accepted, never due. */
    tact_timer *never = NULL, *once = NULL;
    assert_int_equal(timer_with(c, INT64_MAX, 0, &never), TACT_OK);
    /* 0: at once; a period of INT64_MAX: no second tick in any test's lifetime. */
    assert_int_equal(timer_with(c, 0, INT64_MAX, &once), TACT_OK);
    assert_int_equal(timer_with(c, 0, 0, NULL), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_counter_value(c) == 2, 10000));
    rt_sleep_ms(50);
    assert_int_equal(rt_counter_value(c), 2);
    assert_int_equal(tact_timer_cancel(never), TACT_OK);
    assert_int_equal(tact_timer_cancel(once), TACT_OK);
    assert_int_equal(tact_system_dead_letters(sys), 0);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

static void names(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    tact_spawn_opts o = TACT_SPAWN_OPTS_INIT;
    o.name = "";
    rt_Counter_ref c = {NULL};
    assert_int_equal(rt_Counter_spawn(sys, &rt_counter_impl, &o, &c), TACT_EINVAL);
    assert_null(c.actor);
    assert_int_equal(tact_system_find_name(sys, "", NULL, &c.actor), TACT_ENOTFOUND);
    /* Long names are fine: no limit but memory. */
    char *name = malloc(10000);
    memset(name, 'n', 9999);
    name[9999] = '\0';
    o.name = name;
    assert_int_equal(rt_Counter_spawn(sys, &rt_counter_impl, &o, &c), TACT_OK);
    assert_string_equal(tact_actor_name(c.actor), name);
    free(name);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

static void workers_limit(void **state) {
    (void)state;
    tact_system_opts o = TACT_SYSTEM_OPTS_INIT;
    tact_system *sys = (tact_system *)&sys;
    unsigned too_many[] = {TACT_WORKERS_MAX + 1, UINT_MAX};
    for (int i = 0; i < 2; i++) {
        o.workers = too_many[i];
        assert_int_equal(tact_system_new(&o, &sys), TACT_EINVAL);
        assert_null(sys);
    }
    o.workers = 0;
    assert_int_equal(tact_system_new(&o, &sys), TACT_OK);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned want = cores < 1 ? 1 : cores > TACT_WORKERS_MAX ? TACT_WORKERS_MAX : (unsigned)cores;
    assert_int_equal(tact_system_workers(sys), want);
    tact_system_destroy(&sys);
}

int main(void) {
    rt_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(future_wait_edges),  cmocka_unit_test(set_deadline_edges),
        cmocka_unit_test(actor_wait_edges),   cmocka_unit_test(timer_edges),
        cmocka_unit_test(names),              cmocka_unit_test(workers_limit),
    };
    return cmocka_run_group_tests_name("runtime_args", tests, NULL, NULL);
}
