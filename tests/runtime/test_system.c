/* Systems: creation, workers, several at once, destroy with live actors,
 * bad arguments, ids and names. */
#include <string.h>
#include <unistd.h>

#include "rt_common.h"

static void new_destroy_default(void **state) {
    (void)state;
    tact_system *sys = NULL;
    assert_int_equal(tact_system_new(NULL, &sys), TACT_OK);
    assert_non_null(sys);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    assert_int_equal(tact_system_workers(sys), cores > 0 ? (unsigned)cores : 1u);
    rt_Counter_ref c = rt_new_counter(sys);
    assert_int_equal(rt_Counter_add(c, 5), TACT_OK);
    assert_int_equal(rt_counter_value(c), 5);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
    assert_null(sys);

    /* opts with workers = 0 is the default too. */
    tact_system_opts o = TACT_SYSTEM_OPTS_INIT;
    assert_int_equal(tact_system_new(&o, &sys), TACT_OK);
    assert_int_equal(tact_system_workers(sys), cores > 0 ? (unsigned)cores : 1u);
    tact_system_destroy(&sys);
}

static void explicit_workers(void **state) {
    (void)state;
    unsigned counts[] = {1, 2, 3, 8};
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) {
        tact_system *sys = rt_system(counts[i]);
        assert_int_equal(tact_system_workers(sys), counts[i]);
        rt_Counter_ref c[4];
        for (int k = 0; k < 4; k++)
            c[k] = rt_new_counter(sys);
        for (int n = 0; n < 100; n++)
            for (int k = 0; k < 4; k++)
                assert_int_equal(rt_Counter_add(c[k], k + 1), TACT_OK);
        for (int k = 0; k < 4; k++) {
            assert_int_equal(rt_counter_value(c[k]), 100 * (k + 1));
            rt_Counter_ref_release(&c[k]);
        }
        tact_system_destroy(&sys);
    }
}

static void two_systems(void **state) {
    (void)state;
    tact_system *a = rt_system(2), *b = rt_system(1);
    rt_Counter_ref ca = rt_new_counter(a), cb = rt_new_counter(b);
    assert_ptr_equal(tact_actor_system(ca.actor), a);
    assert_ptr_equal(tact_actor_system(cb.actor), b);
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(rt_Counter_add(ca, 1), TACT_OK);
        assert_int_equal(rt_Counter_add(cb, 2), TACT_OK);
    }
    assert_int_equal(rt_counter_value(ca), 1000);
    assert_int_equal(rt_counter_value(cb), 2000);

    /* A reference belongs to one system: sending one to another's actor is refused. */
    rt_Node_ref na, nb;
    assert_int_equal(rt_Node_spawn(a, &rt_node_impl, NULL, &na), TACT_OK);
    assert_int_equal(rt_Node_spawn(b, &rt_node_impl, NULL, &nb), TACT_OK);
    rt_Node_set_next_future *f = NULL;
    assert_int_equal(rt_Node_set_next(na, nb, &f), TACT_EXSYSTEM);
    assert_null(f);

    /* Destroying one leaves the other working. */
    rt_Counter_ref_release(&ca);
    rt_Node_ref_release(&na);
    tact_system_destroy(&a);
    assert_int_equal(rt_Counter_add(cb, 1), TACT_OK);
    assert_int_equal(rt_counter_value(cb), 2001);
    rt_Counter_ref_release(&cb);
    rt_Node_ref_release(&nb);
    tact_system_destroy(&b);
}

/* destroy with live actors: queued messages are handled, every actor gets
 * on_stop, pending futures complete and outlive the system. */
static void destroy_with_live_actors(void **state) {
    (void)state;
    rt_log_reset();
    tact_system *sys = rt_system(2);
    enum { N = 10, ASKS = 20 };
    rt_Counter_ref c[N];
    uint64_t ids[N];
    rt_Counter_add_get_future *f[N][ASKS];
    for (int i = 0; i < N; i++) {
        assert_int_equal(rt_Counter_spawn(sys, &rt_counter_hooks_impl, NULL, &c[i]), TACT_OK);
        ids[i] = tact_actor_id(c[i].actor);
        assert_int_equal(rt_Counter_slow(c[i], 2, NULL), TACT_OK);
        for (int k = 0; k < ASKS; k++)
            assert_int_equal(rt_Counter_add_get(c[i], 1, &f[i][k]), TACT_OK);
    }
    /* An echo whose reply string must survive the system. */
    rt_Echo_ref e;
    assert_int_equal(rt_Echo_spawn(sys, &rt_echo_impl, NULL, &e), TACT_OK);
    rt_Echo_echo_future *ef;
    assert_int_equal(rt_Echo_echo(e, "outlives the system", &ef), TACT_OK);
    /* A failing tell kills this one; the asks queued behind it fail with dead actor. */
    rt_Counter_ref dying;
    assert_int_equal(rt_Counter_spawn(sys, &rt_counter_hooks_impl, NULL, &dying), TACT_OK);
    rt_gate_close();
    assert_int_equal(rt_Counter_gate_tell(dying), TACT_OK);
    assert_int_equal(rt_Counter_fail_tell(dying, 5, "down"), TACT_OK);
    rt_Counter_get_future *dead_f;
    assert_int_equal(rt_Counter_get(dying, &dead_f), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    rt_gate_open();

    for (int i = 0; i < N; i++)
        rt_Counter_ref_release(&c[i]);
    rt_Echo_ref_release(&e);
    rt_Counter_ref_release(&dying);
    tact_system_destroy(&sys);
    assert_null(sys);

    for (int i = 0; i < N; i++) {
        for (int k = 0; k < ASKS; k++) {
            assert_true(tact_future_done(rt_Counter_add_get_future_base(f[i][k])));
            int64_t v = -1;
            assert_int_equal(rt_Counter_add_get_future_get(f[i][k], 0, &v), TACT_OK);
            assert_int_equal(v, k + 1);
            rt_Counter_add_get_future_free(f[i][k]);
        }
        assert_int_equal(rt_log_count_of(EV_STOP, ids[i]), 1);
    }
    const char *s = NULL;
    assert_int_equal(rt_Echo_echo_future_get(ef, 0, &s), TACT_OK);
    assert_string_equal(s, "outlives the system");
    rt_Echo_echo_future_free(ef);
    assert_int_equal(rt_Counter_get_future_get(dead_f, 0, NULL), TACT_EDEAD);
    rt_Counter_get_future_free(dead_f);
}

/* An idle system with many idle actors, destroyed without stopping them. */
static void destroy_many_idle(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    for (int i = 0; i < 2000; i++) {
        rt_Counter_ref c = rt_new_counter(sys);
        if (i % 3 == 0)
            assert_int_equal(rt_Counter_add(c, 1), TACT_OK);
        rt_Counter_ref_release(&c); /* the system keeps the actor alive */
    }
    tact_system_destroy(&sys);
}

static void bad_arguments(void **state) {
    (void)state;
    assert_int_equal(tact_system_new(NULL, NULL), TACT_EINVAL);
    tact_system_opts huge = {100000};
    tact_system *sys = (tact_system *)1;
    assert_int_equal(tact_system_new(&huge, &sys), TACT_EINVAL);
    tact_system_destroy(NULL);
    tact_system *none = NULL;
    tact_system_destroy(&none);
    assert_int_equal(tact_system_stop_all(NULL), TACT_EINVAL);
    assert_int_equal(tact_system_workers(NULL), 0);
    assert_int_equal(tact_system_dead_letters(NULL), 0);
    tact_system_on_dead_letter(NULL, rt_dead_letter_fn, NULL);
    tact_actor *a = (tact_actor *)1;
    assert_int_equal(tact_system_find_id(NULL, 1, NULL, &a), TACT_EINVAL);
    assert_int_equal(tact_actor_stop(NULL), TACT_EINVAL);
    assert_int_equal(tact_actor_wait(NULL, 0), TACT_EINVAL);
    assert_int_equal(tact_actor_stop_wait(NULL, 0), TACT_EINVAL);
    assert_null(tact_actor_retain(NULL));
    tact_actor_release(NULL);
    assert_int_equal(tact_actor_id(NULL), 0);
    assert_int_equal(tact_actor_alive(NULL), 0);
    assert_int_equal(tact_future_wait(NULL, 0), TACT_EINVAL);
    assert_int_equal(tact_future_cancel(NULL), TACT_EINVAL);
    assert_int_equal(tact_future_error(NULL, NULL, NULL), TACT_EINVAL);
    assert_int_equal(tact_future_done(NULL), 0);
    assert_null(tact_future_reply(NULL));
    tact_future_free(NULL);
    assert_int_equal(tact_actor_tell(NULL, NULL), TACT_EINVAL);
    assert_int_equal(tact_actor_ask(NULL, NULL, NULL), TACT_EINVAL);
    assert_int_equal(tact_msg_new(NULL, NULL, NULL), TACT_EINVAL);
    tact_msg_free(NULL);
    assert_null(tact_ctx_self(NULL));
    assert_null(tact_ctx_system(NULL));
    assert_int_equal(tact_ctx_stop(NULL), TACT_EINVAL);
    assert_int_not_equal(tact_ctx_fail(NULL, 3, "x"), TACT_OK);
    assert_int_equal(tact_ctx_fail(NULL, TACT_OK, "x") != TACT_OK, 1);

    /* Status strings: never NULL. */
    for (int s = -20; s <= 20; s++)
        assert_non_null(tact_strerror(s));
    assert_string_not_equal(tact_strerror(TACT_EDEAD), tact_strerror(TACT_ETIMEDOUT));

    sys = rt_system(1);
    rt_Counter_ref c = {(tact_actor *)1};
    assert_int_equal(rt_Counter_spawn(NULL, &rt_counter_impl, NULL, &c), TACT_EINVAL);
    assert_null(c.actor);
    assert_int_equal(rt_Counter_spawn(sys, NULL, NULL, &c), TACT_EINVAL);
    /* No reference wanted: the actor belongs to the system (test_refs.c). */
    assert_int_equal(rt_Counter_spawn(sys, &rt_counter_impl, NULL, NULL), TACT_OK);
    assert_int_equal(rt_Starter_spawn(sys, &rt_starter_impl, "x", 1, NULL, NULL), TACT_OK);
    assert_int_equal(tact_actor_spawn(sys, NULL, &rt_counter_impl, 8, NULL, NULL, &a),
                     TACT_EINVAL);
    assert_int_equal(tact_system_find_id(sys, 1, NULL, NULL), TACT_EINVAL);

    /* Proxies on a NULL reference. */
    rt_Counter_ref null_ref = {NULL};
    rt_Counter_get_future *f = (rt_Counter_get_future *)1;
    assert_int_equal(rt_Counter_add(null_ref, 1), TACT_EDEAD);
    assert_int_equal(rt_Counter_get(null_ref, &f), TACT_EDEAD);
    assert_null(f);
    assert_int_equal(rt_Counter_stop(null_ref), TACT_EDEAD);
    /* A NULL string where one is required. */
    rt_Echo_ref e;
    assert_int_equal(rt_Echo_spawn(sys, &rt_echo_impl, NULL, &e), TACT_OK);
    rt_Echo_echo_future *ef = (rt_Echo_echo_future *)1;
    assert_int_equal(rt_Echo_echo(e, NULL, &ef), TACT_EINVAL);
    assert_null(ef);
    assert_int_equal(rt_Echo_store(e, NULL), TACT_EINVAL);
    /* Typed get with a NULL reply pointer is fine. */
    assert_int_equal(rt_Echo_echo(e, "x", &ef), TACT_OK);
    assert_int_equal(rt_Echo_echo_future_get(ef, TACT_FOREVER, NULL), TACT_OK);
    rt_Echo_echo_future_free(ef);
    rt_Echo_ref_release(&e);
    tact_system_destroy(&sys);
}

static void ids_and_lookup(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    enum { N = 50 };
    rt_Counter_ref c[N];
    for (int i = 0; i < N; i++) {
        c[i] = rt_new_counter(sys);
        assert_int_not_equal(tact_actor_id(c[i].actor), 0);
        for (int k = 0; k < i; k++)
            assert_int_not_equal(tact_actor_id(c[i].actor), tact_actor_id(c[k].actor));
        assert_ptr_equal(tact_actor_type_of(c[i].actor), &rt_Counter_type);
        assert_string_equal(tact_actor_type_of(c[i].actor)->name, "rt.Counter");
    }
    rt_Counter_ref found;
    uint64_t id = tact_actor_id(c[7].actor);
    assert_int_equal(rt_Counter_lookup(sys, id, &found), TACT_OK);
    assert_ptr_equal(found.actor, c[7].actor);
    rt_Counter_ref_release(&found);
    rt_Echo_ref wrong;
    assert_int_equal(rt_Echo_lookup(sys, id, &wrong), TACT_ENOTFOUND);
    assert_int_equal(rt_Counter_lookup(sys, 999999, &found), TACT_ENOTFOUND);
    assert_int_equal(rt_Counter_stop_wait(c[7], TACT_FOREVER), TACT_OK);
    assert_int_equal(rt_Counter_lookup(sys, id, &found), TACT_ENOTFOUND);
    /* Ids are never reused. */
    rt_Counter_ref again = rt_new_counter(sys);
    for (int i = 0; i < N; i++)
        assert_int_not_equal(tact_actor_id(again.actor), tact_actor_id(c[i].actor));
    rt_Counter_ref_release(&again);
    for (int i = 0; i < N; i++)
        rt_Counter_ref_release(&c[i]);
    tact_system_destroy(&sys);
}

static void names_and_init_state(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    tact_spawn_opts o = TACT_SPAWN_OPTS_INIT;
    char name[16] = "alpha";
    o.name = name;
    rt_Counter_ref a, b = {NULL};
    assert_int_equal(rt_Counter_spawn(sys, &rt_counter_impl, &o, &a), TACT_OK);
    strcpy(name, "zzzzz"); /* the name was copied */
    o.name = "alpha";
    assert_int_equal(rt_Counter_spawn(sys, &rt_counter_impl, &o, &b), TACT_ENAMETAKEN);
    assert_null(b.actor);
    assert_int_equal(rt_Counter_stop_wait(a, TACT_FOREVER), TACT_OK);
    assert_int_equal(rt_Counter_spawn(sys, &rt_counter_impl, &o, &b), TACT_OK);
    rt_Counter_ref_release(&a);
    rt_Counter_ref_release(&b);

    /* init_state is copied into the state before anything runs. */
    rt_counter init = {.count = 40};
    tact_spawn_opts io = TACT_SPAWN_OPTS_INIT;
    io.init_state = &init;
    rt_Counter_ref c;
    assert_int_equal(rt_Counter_spawn(sys, &rt_counter_impl, &io, &c), TACT_OK);
    init.count = 0;
    assert_int_equal(rt_Counter_add(c, 2), TACT_OK);
    assert_int_equal(rt_counter_value(c), 42);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

int main(void) {
    rt_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(new_destroy_default),
        cmocka_unit_test(explicit_workers),
        cmocka_unit_test(two_systems),
        cmocka_unit_test(destroy_with_live_actors),
        cmocka_unit_test(destroy_many_idle),
        cmocka_unit_test(bad_arguments),
        cmocka_unit_test(ids_and_lookup),
        cmocka_unit_test(names_and_init_state),
    };
    return cmocka_run_group_tests_name("runtime_system", tests, NULL, NULL);
}
