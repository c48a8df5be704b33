/* Flow control: a handler that floods another actor with messages lets it
 * run meanwhile (even on one worker), its mailbox stays bounded while it
 * drains, and a receiver that cannot drain (blocked, or the sender itself)
 * does not hold the sender up. */
#include "rt_common.h"

/* Until a worker has taken the actor's first message: a get from this thread
 * would otherwise run the handler here (an idle actor's ask is run by its
 * waiter), and the flood would not come from a worker. */
static void wait_taken_by_worker(tact_actor *a) {
    tact_actor_stats_t st = {0};
    assert_true(RT_WAIT_UNTIL(tact_actor_stats(a, &st) == TACT_OK && st.handled >= 1, 10000));
}

static int64_t sink_taken(rt_Sink_ref s) {
    rt_Sink_taken_future *tf;
    assert_int_equal(rt_Sink_taken(s, &tf), TACT_OK);
    int64_t taken = -1;
    assert_int_equal(rt_Sink_taken_future_get(tf, 60000, &taken), TACT_OK);
    rt_Sink_taken_future_free(tf);
    return taken;
}

/* Floods n take() from a Flooder (on a worker) into a Sink; returns the
 * Sink's deepest mailbox. */
static int64_t flood_and_measure(tact_system *sys, int64_t n) {
    rt_Sink_ref s;
    rt_Flooder_ref f;
    assert_int_equal(rt_Sink_spawn(sys, &rt_sink_impl, NULL, &s), TACT_OK);
    assert_int_equal(rt_Flooder_spawn(sys, &rt_flooder_impl, NULL, &f), TACT_OK);
    rt_Flooder_flood_future *ff;
    assert_int_equal(rt_Flooder_flood(f, s, n, &ff), TACT_OK);
    wait_taken_by_worker(f.actor);
    int32_t st = -100;
    assert_int_equal(rt_Flooder_flood_future_get(ff, 60000, &st), TACT_OK);
    assert_int_equal(st, TACT_OK);
    rt_Flooder_flood_future_free(ff);
    assert_int_equal(sink_taken(s), n); /* FIFO: the ask came after every take */
    rt_Sink_max_depth_future *df;
    assert_int_equal(rt_Sink_max_depth(s, &df), TACT_OK);
    int64_t depth = -1;
    assert_int_equal(rt_Sink_max_depth_future_get(df, 60000, &depth), TACT_OK);
    rt_Sink_max_depth_future_free(df);
    rt_Flooder_ref_release(&f);
    rt_Sink_ref_release(&s);
    return depth;
}

/* On one worker the Flooder's handler holds the only processor: without a
 * handoff the Sink would run only after the whole flood, with all of it queued. */
static void flood_one_worker_drains_meanwhile(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    int64_t n = 400000;
    int64_t depth = flood_and_measure(sys, n);
    print_message("deepest mailbox: %lld of %lld sent\n", (long long)depth, (long long)n);
    /* Loose on purpose (a loaded machine may deschedule the Sink for a while):
     * the flow control keeps it near 8192; without it, it reaches n. */
    assert_true(depth < n / 4);
    tact_system_destroy(&sys);
}

static void flood_two_workers(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    int64_t n = 400000;
    int64_t depth = flood_and_measure(sys, n);
    assert_true(depth < n / 4);
    tact_system_destroy(&sys);
}

/* The Sink is blocked in a handler for the whole flood: the Flooder must not
 * wait for it to drain (it never would), and nothing is lost. The blocked Sink
 * holds one worker; the flood runs on the other (a waiting thread never runs
 * an actor itself, so one worker would not do). */
static void flood_into_blocked_receiver(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Sink_ref s;
    rt_Flooder_ref f;
    assert_int_equal(rt_Sink_spawn(sys, &rt_sink_impl, NULL, &s), TACT_OK);
    assert_int_equal(rt_Flooder_spawn(sys, &rt_flooder_impl, NULL, &f), TACT_OK);
    rt_gate_close();
    rt_Sink_gate_future *g;
    assert_int_equal(rt_Sink_gate(s, &g), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    int64_t n = 100000;
    rt_Flooder_flood_future *ff;
    assert_int_equal(rt_Flooder_flood(f, s, n, &ff), TACT_OK);
    wait_taken_by_worker(f.actor);
    int32_t st = -100;
    /* Well under the gate's 30 s: the flood ends while the Sink is blocked. */
    assert_int_equal(rt_Flooder_flood_future_get(ff, 20000, &st), TACT_OK);
    assert_int_equal(st, TACT_OK);
    rt_Flooder_flood_future_free(ff);
    assert_int_equal(rt_gate_entered(), 1);
    rt_gate_open();
    assert_int_equal(rt_Sink_gate_future_get(g, 30000), TACT_OK);
    rt_Sink_gate_future_free(g);
    assert_int_equal(sink_taken(s), n);
    rt_Flooder_ref_release(&f);
    rt_Sink_ref_release(&s);
    tact_system_destroy(&sys);
}

/* Sending to itself: nobody else can drain that mailbox while the handler runs. */
static void flood_self(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    rt_Flooder_ref f;
    assert_int_equal(rt_Flooder_spawn(sys, &rt_flooder_impl, NULL, &f), TACT_OK);
    int64_t n = 100000;
    rt_Flooder_flood_self_future *ff;
    assert_int_equal(rt_Flooder_flood_self(f, n, &ff), TACT_OK);
    wait_taken_by_worker(f.actor);
    int32_t st = -100;
    assert_int_equal(rt_Flooder_flood_self_future_get(ff, 20000, &st), TACT_OK);
    assert_int_equal(st, TACT_OK);
    rt_Flooder_flood_self_future_free(ff);
    rt_Flooder_ticks_future *tf;
    assert_int_equal(rt_Flooder_ticks(f, &tf), TACT_OK);
    int64_t ticks = -1;
    assert_int_equal(rt_Flooder_ticks_future_get(tf, 60000, &ticks), TACT_OK);
    rt_Flooder_ticks_future_free(tf);
    assert_int_equal(ticks, n);
    rt_Flooder_ref_release(&f);
    tact_system_destroy(&sys);
}

int main(void) {
    rt_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(flood_one_worker_drains_meanwhile),
        cmocka_unit_test(flood_two_workers),
        cmocka_unit_test(flood_into_blocked_receiver),
        cmocka_unit_test(flood_self),
    };
    return cmocka_run_group_tests_name("runtime_flow", tests, NULL, NULL);
}
