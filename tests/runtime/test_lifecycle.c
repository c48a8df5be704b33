/* Lifecycle: on_start, on_stop, stopping, self-stop, failures, dead letters,
 * stop-all order. */
#include <string.h>

#include "rt_common.h"

static int find_event(int kind, uint64_t id) {
    for (int i = 0; i < rt_log_count(); i++) {
        rt_event e = rt_log_get(i);
        if (e.kind == kind && e.id == id)
            return i;
    }
    return -1;
}

static void on_start_before_first_message(void **state) {
    (void)state;
    rt_log_reset();
    tact_system *sys = rt_system(2);
    for (int round = 0; round < 50; round++) {
        rt_Counter_ref c;
        assert_int_equal(rt_Counter_spawn(sys, &rt_counter_hooks_impl, NULL, &c), TACT_OK);
        uint64_t id = tact_actor_id(c.actor);
        assert_int_equal(rt_Counter_add(c, 1), TACT_OK);
        assert_int_equal(rt_counter_value(c), 1);
        int s = find_event(EV_START, id), m = find_event(EV_FIRST, id);
        assert_true(s >= 0);
        assert_true(m >= 0);
        assert_true(s < m);
        rt_Counter_ref_release(&c);
    }
    /* With spawn arguments, which are copied at spawn. */
    char name[16] = "alice";
    rt_Starter_ref st;
    assert_int_equal(rt_Starter_spawn(sys, &rt_starter_impl, name, 41, NULL, &st), TACT_OK);
    strcpy(name, "mallory");
    rt_Starter_value_future *vf;
    assert_int_equal(rt_Starter_value(st, &vf), TACT_OK);
    int64_t v = 0;
    assert_int_equal(rt_Starter_value_future_get(vf, TACT_FOREVER, &v), TACT_OK);
    assert_int_equal(v, 41);
    rt_Starter_value_future_free(vf);
    rt_Starter_name_future *nf;
    assert_int_equal(rt_Starter_name(st, &nf), TACT_OK);
    const char *n = NULL;
    assert_int_equal(rt_Starter_name_future_get(nf, TACT_FOREVER, &n), TACT_OK);
    assert_string_equal(n, "alice");
    rt_Starter_name_future_free(nf);
    assert_int_equal(rt_log_count_of(EV_START, tact_actor_id(st.actor)), 1);
    /* A Starter stopped before anything was asked still runs on_start first, once. */
    rt_Starter_ref st2;
    assert_int_equal(rt_Starter_spawn(sys, &rt_starter_impl, "bob", 7, NULL, &st2), TACT_OK);
    assert_int_equal(rt_Starter_stop_wait(st2, TACT_FOREVER), TACT_OK);
    int s = find_event(EV_START, tact_actor_id(st2.actor));
    int e = find_event(EV_STOP, tact_actor_id(st2.actor));
    assert_true(s >= 0 && e > s);
    rt_Starter_ref_release(&st2);
    rt_Starter_ref_release(&st);
    tact_system_destroy(&sys);
}

static void on_stop_after_last(void **state) {
    (void)state;
    rt_log_reset();
    tact_system *sys = rt_system(2);
    rt_Counter_ref c;
    assert_int_equal(rt_Counter_spawn(sys, &rt_counter_hooks_impl, NULL, &c), TACT_OK);
    uint64_t id = tact_actor_id(c.actor);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(rt_Counter_add(c, 1), TACT_OK);
    assert_int_equal(rt_Counter_stop(c), TACT_OK);
    assert_int_equal(tact_actor_wait(c.actor, TACT_FOREVER), TACT_OK);
    assert_int_equal(rt_log_count_of(EV_STOP, id), 1);
    assert_int_equal(rt_log_get(find_event(EV_STOP, id)).value, 1000);
    assert_int_equal(rt_log_count_of(EV_FAIL, id), 0);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
    assert_int_equal(rt_log_count_of(EV_STOP, id), 1); /* not again at shutdown */
}

static void stop_semantics(void **state) {
    (void)state;
    rt_log_reset();
    tact_system *sys = rt_system(2);
    rt_Counter_ref c;
    assert_int_equal(rt_Counter_spawn(sys, &rt_counter_hooks_impl, NULL, &c), TACT_OK);
    uint64_t id = tact_actor_id(c.actor);
    rt_gate_close();
    rt_Counter_gate_future *g;
    assert_int_equal(rt_Counter_gate(c, &g), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    for (int i = 0; i < 5; i++)
        assert_int_equal(rt_Counter_add(c, 1), TACT_OK);
    rt_Counter_get_future *f;
    assert_int_equal(rt_Counter_get(c, &f), TACT_OK);

    assert_int_equal(rt_Counter_stop(c), TACT_OK);
    assert_false(tact_actor_alive(c.actor));
    /* Once a stop is requested, new sends are refused. */
    assert_int_equal(rt_Counter_add(c, 100), TACT_EDEAD);
    rt_Counter_get_future *refused = (rt_Counter_get_future *)1;
    assert_int_equal(rt_Counter_get(c, &refused), TACT_EDEAD);
    assert_null(refused);
    /* A second stop is harmless. */
    assert_int_equal(rt_Counter_stop(c), TACT_EDEAD);
    /* Still inside the gate handler: a bounded wait runs out, and may be repeated. */
    assert_int_equal(rt_Counter_stop_wait(c, 20), TACT_ETIMEDOUT);
    assert_int_equal(tact_actor_wait(c.actor, 0), TACT_ETIMEDOUT);
    assert_int_equal(rt_log_count_of(EV_STOP, id), 0);
    rt_gate_open();
    assert_int_equal(tact_actor_wait(c.actor, TACT_FOREVER), TACT_OK);
    /* What was queued before the stop was handled. */
    int64_t v = -1;
    assert_int_equal(rt_Counter_get_future_get(f, 0, &v), TACT_OK);
    assert_int_equal(v, 5);
    assert_int_equal(rt_Counter_gate_future_get(g, 0, NULL), TACT_OK);
    assert_int_equal(rt_log_count_of(EV_STOP, id), 1);
    assert_int_equal(rt_log_get(find_event(EV_STOP, id)).value, 7); /* gate + 5 adds + get */
    /* Dead: stop and stop_wait say so, harmlessly. */
    assert_int_equal(rt_Counter_stop(c), TACT_EDEAD);
    assert_int_equal(rt_Counter_stop_wait(c, TACT_FOREVER), TACT_EDEAD);
    assert_int_equal(tact_actor_wait(c.actor, 0), TACT_OK);
    rt_Counter_get_future_free(f);
    rt_Counter_gate_future_free(g);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
    assert_int_equal(rt_log_count_of(EV_STOP, id), 1);
}

/* stop_wait while another stop is under way waits for it too. */
static void stop_wait_joins_pending_stop(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref c = rt_new_counter(sys);
    rt_gate_close();
    assert_int_equal(rt_Counter_gate_tell(c), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    assert_int_equal(rt_Counter_stop(c), TACT_OK);
    assert_int_equal(rt_Counter_stop_wait(c, 10), TACT_ETIMEDOUT);
    rt_gate_open();
    assert_int_equal(rt_Counter_stop_wait(c, TACT_FOREVER), TACT_OK);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

static void self_stop(void **state) {
    (void)state;
    rt_log_reset();
    tact_system *sys = rt_system(2);
    rt_Counter_ref c;
    assert_int_equal(rt_Counter_spawn(sys, &rt_counter_hooks_impl, NULL, &c), TACT_OK);
    uint64_t id = tact_actor_id(c.actor);
    assert_int_equal(rt_Counter_add(c, 1), TACT_OK);
    /* Two stop_self asks queued behind a closed gate: the second handler finds
     * its stop already under way, which is no error for it (`return
     * tact_ctx_stop(ctx)` must not fail a handler because someone asked first). */
    rt_gate_close();
    rt_Counter_gate_future *g;
    assert_int_equal(rt_Counter_gate(c, &g), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    rt_Counter_stop_self_future *f, *f2;
    assert_int_equal(rt_Counter_stop_self(c, &f), TACT_OK);
    assert_int_equal(rt_Counter_stop_self(c, &f2), TACT_OK);
    rt_gate_open();
    assert_int_equal(rt_Counter_gate_future_get(g, TACT_FOREVER, NULL), TACT_OK);
    rt_Counter_gate_future_free(g);
    int32_t st = -100;
    assert_int_equal(rt_Counter_stop_self_future_get(f, TACT_FOREVER, &st), TACT_OK);
    assert_int_equal(st, TACT_OK);
    rt_Counter_stop_self_future_free(f);
    st = -100;
    assert_int_equal(rt_Counter_stop_self_future_get(f2, TACT_FOREVER, &st), TACT_OK);
    assert_int_equal(st, TACT_OK);
    rt_Counter_stop_self_future_free(f2);
    assert_int_equal(rt_Counter_add(c, 1), TACT_EDEAD);
    assert_int_equal(tact_actor_wait(c.actor, TACT_FOREVER), TACT_OK);
    assert_int_equal(rt_log_count_of(EV_STOP, id), 1);
    assert_int_equal(rt_log_get(find_event(EV_STOP, id)).value, 4); /* add, gate, 2 stop_self */
    rt_Counter_ref_release(&c);

    /* Waiting for its own death from its own handler would never end. */
    rt_Node_ref n;
    assert_int_equal(rt_Node_spawn(sys, &rt_node_impl, NULL, &n), TACT_OK);
    rt_Node_wait_self_future *wf;
    assert_int_equal(rt_Node_wait_self(n, &wf), TACT_OK);
    int32_t ws = 0;
    assert_int_equal(rt_Node_wait_self_future_get(wf, TACT_FOREVER, &ws), TACT_OK);
    assert_int_equal(ws, TACT_EDEADLK);
    rt_Node_wait_self_future_free(wf);
    rt_Node_ref_release(&n);
    tact_system_destroy(&sys);
}

static void failing_tell(void **state) {
    (void)state;
    rt_log_reset();
    tact_system *sys = rt_system(2);
    rt_dead_letters dl = {0};
    tact_system_on_dead_letter(sys, rt_dead_letter_fn, &dl);
    rt_Counter_ref c;
    assert_int_equal(rt_Counter_spawn(sys, &rt_counter_hooks_impl, NULL, &c), TACT_OK);
    uint64_t id = tact_actor_id(c.actor);
    rt_gate_close();
    assert_int_equal(rt_Counter_gate_tell(c), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    assert_int_equal(rt_Counter_fail_tell(c, 7, "bad tell"), TACT_OK);
    rt_Counter_get_future *f;
    assert_int_equal(rt_Counter_get(c, &f), TACT_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(rt_Counter_add(c, 1), TACT_OK);
    uint64_t before = tact_system_dead_letters(sys);
    rt_gate_open();
    /* The queued ask fails with dead actor; the tells become dead letters. */
    assert_int_equal(rt_Counter_get_future_get(f, TACT_FOREVER, NULL), TACT_EDEAD);
    rt_Counter_get_future_free(f);
    assert_int_equal(tact_actor_wait(c.actor, TACT_FOREVER), TACT_OK);
    assert_int_equal(tact_system_dead_letters(sys), before + 4);
    assert_int_equal(atomic_load(&dl.count), 4);
    assert_int_equal(atomic_load(&dl.last_id), id);
    assert_int_equal(atomic_load(&dl.last_reason), TACT_EDEAD);
    char method[64];
    rt_dead_letters_last_method(&dl, method, sizeof method);
    assert_string_equal(method, "add");
    /* on_failure ran instead of on_stop, with the handler's code and text. */
    assert_int_equal(rt_log_count_of(EV_FAIL, id), 1);
    assert_int_equal(rt_log_get(find_event(EV_FAIL, id)).value, 7);
    char *text = rt_last_failure_text();
    assert_non_null(text);
    assert_string_equal(text, "bad tell");
    free(text);
    assert_int_equal(rt_log_count_of(EV_STOP, id), 0);
    assert_int_equal(rt_log_count_of(EV_FIRST, id), 1); /* only the gate was handled */
    assert_int_equal(rt_Counter_add(c, 1), TACT_EDEAD);
    assert_int_equal(rt_Counter_stop(c), TACT_EDEAD);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
    assert_int_equal(rt_log_count_of(EV_STOP, id), 0);
    assert_int_equal(rt_log_count_of(EV_FAIL, id), 1);
}

static tact_status failing_start(tact_ctx *ctx, void *self) {
    rt_counter_on_start(ctx, self);
    if (rt_gate_wait(ctx) != TACT_OK)
        return TACT_ETIMEDOUT;
    return tact_ctx_fail(ctx, 9, "no start for %s", "you");
}

static void failing_on_start(void **state) {
    (void)state;
    rt_log_reset();
    static rt_Counter_impl impl;
    impl = rt_counter_hooks_impl;
    impl.on_start = failing_start;
    tact_system *sys = rt_system(2);
    rt_gate_close();
    rt_Counter_ref c;
    assert_int_equal(rt_Counter_spawn(sys, &impl, NULL, &c), TACT_OK);
    uint64_t id = tact_actor_id(c.actor);
    rt_Counter_get_future *f1, *f2;
    assert_int_equal(rt_Counter_get(c, &f1), TACT_OK);
    assert_int_equal(rt_Counter_add(c, 1), TACT_OK);
    assert_int_equal(rt_Counter_get(c, &f2), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    uint64_t before = tact_system_dead_letters(sys);
    rt_gate_open();
    assert_int_equal(rt_Counter_get_future_get(f1, TACT_FOREVER, NULL), TACT_EDEAD);
    assert_int_equal(rt_Counter_get_future_get(f2, TACT_FOREVER, NULL), TACT_EDEAD);
    assert_int_equal(tact_actor_wait(c.actor, TACT_FOREVER), TACT_OK);
    assert_int_equal(tact_system_dead_letters(sys), before + 3);
    assert_int_equal(rt_log_count_of(EV_FAIL, id), 1);
    assert_int_equal(rt_log_get(find_event(EV_FAIL, id)).value, 9);
    char *text = rt_last_failure_text();
    assert_non_null(text);
    assert_string_equal(text, "no start for you");
    free(text);
    assert_int_equal(rt_log_count_of(EV_STOP, id), 0);
    assert_int_equal(rt_log_count_of(EV_FIRST, id), 0); /* no message was handled */
    assert_int_equal(rt_Counter_add(c, 1), TACT_EDEAD);
    rt_Counter_get_future_free(f1);
    rt_Counter_get_future_free(f2);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
    assert_int_equal(rt_log_count_of(EV_STOP, id), 0);
}

static void dead_letters_observed(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_dead_letters dl = {0};
    tact_system_on_dead_letter(sys, rt_dead_letter_fn, &dl);
    rt_Counter_ref c = rt_new_counter(sys);
    uint64_t id = tact_actor_id(c.actor);
    assert_int_equal(rt_Counter_stop_wait(c, TACT_FOREVER), TACT_OK);
    assert_int_equal(tact_system_dead_letters(sys), 0);
    assert_int_equal(rt_Counter_seq(c, 1, 2), TACT_EDEAD);
    assert_int_equal(tact_system_dead_letters(sys), 1);
    assert_int_equal(atomic_load(&dl.count), 1);
    assert_int_equal(atomic_load(&dl.last_id), id);
    char method[64];
    rt_dead_letters_last_method(&dl, method, sizeof method);
    assert_string_equal(method, "seq");
    rt_Counter_slow_future *f;
    assert_int_equal(rt_Counter_slow(c, 1, &f), TACT_EDEAD);
    rt_dead_letters_last_method(&dl, method, sizeof method);
    assert_string_equal(method, "slow");
    assert_int_equal(tact_system_dead_letters(sys), 2);
    /* Removing the observer: counted, not reported. */
    tact_system_on_dead_letter(sys, NULL, NULL);
    assert_int_equal(rt_Counter_add(c, 1), TACT_EDEAD);
    assert_int_equal(tact_system_dead_letters(sys), 3);
    assert_int_equal(atomic_load(&dl.count), 2);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

/* -- stop-all order ------------------------------------------------------------ */

enum { ORDER_N = 20 };
static uint64_t order_ids[ORDER_N];
static _Atomic int order_violations;
static _Atomic int order_lookup_found;

static int order_index(uint64_t id) {
    for (int i = 0; i < ORDER_N; i++)
        if (order_ids[i] == id)
            return i;
    return -1;
}

static int registered(tact_ctx *ctx, uint64_t id) {
    rt_Counter_ref found = {NULL};
    if (rt_Counter_lookup(tact_ctx_system(ctx), id, &found) != TACT_OK)
        return 0;
    rt_Counter_ref_release(&found);
    return 1;
}

/* on_stop of actor k: every later actor is gone already, every earlier one
 * still accepts messages (not yet asked to stop), and k is unregistered.
 * Lookups by id, since the test holds no references across a destroy. */
static tact_status order_on_stop(tact_ctx *ctx, void *self) {
    uint64_t id = tact_actor_id(tact_ctx_self(ctx));
    int k = order_index(id);
    if (k < 0)
        atomic_fetch_add(&order_violations, 1);
    for (int i = 0; i < ORDER_N && k >= 0; i++) {
        if (i < k && !registered(ctx, order_ids[i]))
            atomic_fetch_add(&order_violations, 1);
        if (i > k && registered(ctx, order_ids[i]))
            atomic_fetch_add(&order_violations, 1);
    }
    if (registered(ctx, id))
        atomic_fetch_add(&order_lookup_found, 1);
    return rt_counter_on_stop(ctx, self);
}

static void check_stop_order(int destroy) {
    rt_log_reset();
    atomic_store(&order_violations, 0);
    atomic_store(&order_lookup_found, 0);
    static rt_Counter_impl impl;
    impl = rt_counter_hooks_impl;
    impl.on_stop = order_on_stop;
    tact_system *sys = rt_system(4);
    rt_Counter_ref c[ORDER_N];
    for (int i = 0; i < ORDER_N; i++) {
        assert_int_equal(rt_Counter_spawn(sys, &impl, NULL, &c[i]), TACT_OK);
        order_ids[i] = tact_actor_id(c[i].actor);
    }
    for (int k = 0; k < 10; k++)
        for (int i = 0; i < ORDER_N; i++)
            assert_int_equal(rt_Counter_add(c[i], 1), TACT_OK);
    if (destroy) {
        for (int i = 0; i < ORDER_N; i++)
            rt_Counter_ref_release(&c[i]);
        tact_system_destroy(&sys);
    } else {
        assert_int_equal(tact_system_stop_all(sys), TACT_OK);
        for (int i = 0; i < ORDER_N; i++)
            assert_false(tact_actor_alive(c[i].actor));
    }
    /* The on_stop calls came strictly last-started first. */
    int seen = 0;
    uint64_t prev = UINT64_MAX;
    for (int i = 0; i < rt_log_count(); i++) {
        rt_event e = rt_log_get(i);
        if (e.kind != EV_STOP)
            continue;
        assert_true(e.id < prev);
        assert_int_equal(e.value, 10); /* everything queued before the stop was handled */
        prev = e.id;
        seen++;
    }
    assert_int_equal(seen, ORDER_N);
    assert_int_equal(atomic_load(&order_violations), 0);
    assert_int_equal(atomic_load(&order_lookup_found), 0);
    if (!destroy) {
        /* The system goes on: new actors work, and stop_all again is fine. */
        rt_Counter_ref n = rt_new_counter(sys);
        assert_int_equal(rt_Counter_add(n, 3), TACT_OK);
        assert_int_equal(rt_counter_value(n), 3);
        assert_int_equal(tact_system_stop_all(sys), TACT_OK);
        assert_false(tact_actor_alive(n.actor));
        assert_int_equal(tact_system_stop_all(sys), TACT_OK);
        rt_Counter_ref_release(&n);
        for (int i = 0; i < ORDER_N; i++)
            rt_Counter_ref_release(&c[i]);
        tact_system_destroy(&sys);
    }
    for (int i = 0; i < ORDER_N; i++)
        order_ids[i] = 0;
}

static void stop_all_order(void **state) {
    (void)state;
    check_stop_order(0);
}

static void destroy_order(void **state) {
    (void)state;
    check_stop_order(1);
}

int main(void) {
    rt_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(on_start_before_first_message),
        cmocka_unit_test(on_stop_after_last),
        cmocka_unit_test(stop_semantics),
        cmocka_unit_test(stop_wait_joins_pending_stop),
        cmocka_unit_test(self_stop),
        cmocka_unit_test(failing_tell),
        cmocka_unit_test(failing_on_start),
        cmocka_unit_test(dead_letters_observed),
        cmocka_unit_test(stop_all_order),
        cmocka_unit_test(destroy_order),
    };
    return cmocka_run_group_tests_name("runtime_lifecycle", tests, NULL, NULL);
}
