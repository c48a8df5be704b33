/* Futures: timeouts, repeated reads, unread futures, cancel, handler failures. */
#include <pthread.h>
#include <string.h>

#include "rt_common.h"

static void get_timeout_then_success(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref c = rt_new_counter(sys);
    rt_gate_close();
    rt_Counter_gate_future *f;
    assert_int_equal(rt_Counter_gate(c, &f), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    int64_t v = -1;
    /* A wait that runs out says so and leaves the future pending and usable. */
    assert_int_equal(rt_Counter_gate_future_get(f, 0, &v), TACT_ETIMEDOUT);
    assert_int_equal(rt_Counter_gate_future_get(f, 20, &v), TACT_ETIMEDOUT);
    assert_int_equal(v, -1);
    assert_false(tact_future_done(rt_Counter_gate_future_base(f)));
    assert_null(tact_future_reply(rt_Counter_gate_future_base(f)));
    assert_int_equal(rt_Counter_add(c, 9), TACT_OK); /* queued behind the gate */
    rt_gate_open();
    assert_int_equal(rt_Counter_gate_future_get(f, TACT_FOREVER, &v), TACT_OK);
    assert_int_equal(v, 0);
    assert_true(tact_future_done(rt_Counter_gate_future_base(f)));
    assert_ptr_equal(tact_future_system(rt_Counter_gate_future_base(f)), sys);
    rt_Counter_gate_future_free(f);
    assert_int_equal(rt_counter_value(c), 9);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

static void get_forever_on_slow(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    rt_Counter_ref c = rt_new_counter(sys);
    assert_int_equal(rt_Counter_add(c, 3), TACT_OK);
    rt_Counter_slow_future *f;
    assert_int_equal(rt_Counter_slow(c, 50, &f), TACT_OK);
    int64_t v = -1;
    assert_int_equal(rt_Counter_slow_future_get(f, TACT_FOREVER, &v), TACT_OK);
    assert_int_equal(v, 3);
    rt_Counter_slow_future_free(f);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

static void read_twice(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref c = rt_new_counter(sys);
    rt_Counter_add_get_future *f;
    assert_int_equal(rt_Counter_add_get(c, 11, &f), TACT_OK);
    int64_t a = 0, b = 0;
    assert_int_equal(rt_Counter_add_get_future_get(f, TACT_FOREVER, &a), TACT_OK);
    const void *r1 = tact_future_reply(rt_Counter_add_get_future_base(f));
    assert_int_equal(rt_Counter_add_get_future_get(f, TACT_FOREVER, &b), TACT_OK);
    assert_int_equal(rt_Counter_add_get_future_get(f, 0, &b), TACT_OK);
    assert_ptr_equal(tact_future_reply(rt_Counter_add_get_future_base(f)), r1);
    assert_int_equal(a, 11);
    assert_int_equal(b, 11);
    tact_status code = 123;
    const char *text = (const char *)1;
    assert_int_equal(tact_future_error(rt_Counter_add_get_future_base(f), &code, &text), TACT_OK);
    assert_null(text);
    rt_Counter_add_get_future_free(f);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

/* Futures nobody reads are freed all the same (valgrind and ASan check). */
static void free_unread(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Echo_ref e;
    assert_int_equal(rt_Echo_spawn(sys, &rt_echo_impl, NULL, &e), TACT_OK);
    rt_Echo_echo_future *last = NULL;
    for (int i = 0; i < 1000; i++) {
        rt_Echo_echo_future *f;
        assert_int_equal(rt_Echo_echo(e, "a string reply to leak if unfreed", &f), TACT_OK);
        if (i % 2)
            rt_Echo_echo_future_free(f); /* at once: likely before the handler ran */
        else {
            rt_Echo_echo_future_free(last);
            last = f; /* after completion, without reading */
        }
    }
    assert_int_equal(rt_Echo_echo_future_get(last, TACT_FOREVER, NULL), TACT_OK);
    rt_Echo_echo_future_free(last);
    /* Failed and unread. */
    rt_Counter_ref c = rt_new_counter(sys);
    for (int i = 0; i < 100; i++) {
        rt_Counter_fail_future *f;
        assert_int_equal(rt_Counter_fail(c, 1, "unread failure text", 3, &f), TACT_OK);
        rt_Counter_fail_future_free(f);
    }
    assert_int_equal(rt_counter_value(c), 0);
    rt_Counter_ref_release(&c);
    rt_Echo_ref_release(&e);
    tact_system_destroy(&sys);
}

static void cancel_before_handler(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref c = rt_new_counter(sys);
    rt_gate_close();
    rt_Counter_gate_future *g;
    assert_int_equal(rt_Counter_gate(c, &g), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    rt_Counter_add_get_future *f1, *f2;
    assert_int_equal(rt_Counter_add_get(c, 100, &f1), TACT_OK);
    assert_int_equal(rt_Counter_add_get(c, 1, &f2), TACT_OK);
    assert_int_equal(tact_future_cancel(rt_Counter_add_get_future_base(f1)), TACT_OK);
    assert_true(tact_future_done(rt_Counter_add_get_future_base(f1)));
    assert_int_equal(rt_Counter_add_get_future_get(f1, 0, NULL), TACT_ECANCELED);
    assert_null(tact_future_reply(rt_Counter_add_get_future_base(f1)));
    /* Cancelling again leaves it as it is. */
    assert_int_equal(tact_future_cancel(rt_Counter_add_get_future_base(f1)), TACT_ECANCELED);
    rt_gate_open();
    int64_t v = -1;
    assert_int_equal(rt_Counter_add_get_future_get(f2, TACT_FOREVER, &v), TACT_OK);
    assert_int_equal(v, 1); /* the cancelled add of 100 was skipped */
    assert_int_equal(rt_Counter_add_get_future_get(f1, TACT_FOREVER, NULL), TACT_ECANCELED);
    /* Cancelling a completed future leaves it complete and reports how. */
    assert_int_equal(tact_future_cancel(rt_Counter_add_get_future_base(f2)), TACT_OK);
    assert_int_equal(rt_Counter_add_get_future_get(f2, 0, &v), TACT_OK);
    assert_int_equal(v, 1);
    rt_Counter_add_get_future_free(f1);
    rt_Counter_add_get_future_free(f2);
    assert_int_equal(rt_Counter_gate_future_get(g, TACT_FOREVER, NULL), TACT_OK);
    rt_Counter_gate_future_free(g);
    assert_int_equal(rt_counter_value(c), 1);
    /* Cancelled and freed before the handler would run: skipped, no leak. */
    rt_gate_close();
    assert_int_equal(rt_Counter_gate(c, &g), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    for (int i = 0; i < 100; i++) {
        rt_Counter_add_get_future *f;
        assert_int_equal(rt_Counter_add_get(c, 1000, &f), TACT_OK);
        assert_int_equal(tact_future_cancel(rt_Counter_add_get_future_base(f)), TACT_OK);
        rt_Counter_add_get_future_free(f);
    }
    rt_gate_open();
    assert_int_equal(rt_Counter_gate_future_get(g, TACT_FOREVER, NULL), TACT_OK);
    rt_Counter_gate_future_free(g);
    assert_int_equal(rt_counter_value(c), 1);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

static void handler_failure_code_and_text(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref c = rt_new_counter(sys);
    rt_Counter_fail_future *f;
    assert_int_equal(rt_Counter_fail(c, 42, "boom", 1, &f), TACT_OK);
    int64_t v = -1;
    assert_int_equal(rt_Counter_fail_future_get(f, TACT_FOREVER, &v), TACT_EHANDLER);
    assert_int_equal(v, -1);
    assert_null(tact_future_reply(rt_Counter_fail_future_base(f)));
    tact_status code = 0;
    const char *text = NULL;
    assert_int_equal(tact_future_error(rt_Counter_fail_future_base(f), &code, &text), TACT_EHANDLER);
    assert_int_equal(code, 42);
    assert_string_equal(text, "boom");
    /* NULL out-parameters are allowed. */
    assert_int_equal(tact_future_error(rt_Counter_fail_future_base(f), NULL, NULL), TACT_EHANDLER);
    rt_Counter_fail_future_free(f);

    /* A long text (> 4 KB) arrives whole. */
    const char *piece = "0123456789abcdef";
    int times = 1000; /* 16,000 characters */
    assert_int_equal(rt_Counter_fail(c, 7, piece, times, &f), TACT_OK);
    assert_int_equal(rt_Counter_fail_future_get(f, TACT_FOREVER, NULL), TACT_EHANDLER);
    assert_int_equal(tact_future_error(rt_Counter_fail_future_base(f), &code, &text), TACT_EHANDLER);
    assert_int_equal(code, 7);
    assert_non_null(text);
    assert_int_equal(strlen(text), strlen(piece) * (size_t)times);
    for (int i = 0; i < times; i++)
        assert_memory_equal(text + i * 16, piece, 16);
    rt_Counter_fail_future_free(f);

    /* A runtime code passed on by a handler stays the code, so the root cause shows. */
    assert_int_equal(rt_Counter_fail(c, TACT_ETIMEDOUT, "", 0, &f), TACT_OK);
    assert_int_equal(rt_Counter_fail_future_get(f, TACT_FOREVER, NULL), TACT_EHANDLER);
    assert_int_equal(tact_future_error(rt_Counter_fail_future_base(f), &code, &text), TACT_EHANDLER);
    assert_int_equal(code, TACT_ETIMEDOUT);
    assert_non_null(text);
    rt_Counter_fail_future_free(f);
    assert_int_equal(rt_Counter_fail(c, TACT_EDEAD, "passed on", 1, &f), TACT_OK);
    assert_int_equal(rt_Counter_fail_future_get(f, TACT_FOREVER, NULL), TACT_EHANDLER);
    assert_int_equal(tact_future_error(rt_Counter_fail_future_base(f), &code, &text), TACT_EHANDLER);
    assert_int_equal(code, TACT_EDEAD);
    assert_string_equal(text, "passed on");
    rt_Counter_fail_future_free(f);

    /* After failed asks the actor goes on. */
    assert_true(tact_actor_alive(c.actor));
    assert_int_equal(rt_Counter_add(c, 2), TACT_OK);
    assert_int_equal(rt_counter_value(c), 2);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

typedef struct waiter_arg {
    rt_Counter_gate_future *f;
    tact_status st;
    int64_t v;
} waiter_arg;

static void *waiter(void *p) {
    waiter_arg *a = p;
    a->st = rt_Counter_gate_future_get(a->f, TACT_FOREVER, &a->v);
    return NULL;
}

/* Several threads wait on one future; all see the same answer. */
static void many_waiters(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref c = rt_new_counter(sys);
    assert_int_equal(rt_Counter_add(c, 4), TACT_OK);
    rt_gate_close();
    rt_Counter_gate_future *f;
    assert_int_equal(rt_Counter_gate(c, &f), TACT_OK);
    enum { T = 6 };
    waiter_arg a[T];
    pthread_t t[T];
    for (int i = 0; i < T; i++) {
        a[i] = (waiter_arg){f, -100, -1};
        assert_int_equal(pthread_create(&t[i], NULL, waiter, &a[i]), 0);
    }
    rt_sleep_ms(20); /* not synchronisation: just gives the waiters time to sleep */
    rt_gate_open();
    for (int i = 0; i < T; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(a[i].st, TACT_OK);
        assert_int_equal(a[i].v, 4);
    }
    rt_Counter_gate_future_free(f);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

int main(void) {
    rt_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(get_timeout_then_success),
        cmocka_unit_test(get_forever_on_slow),
        cmocka_unit_test(read_twice),
        cmocka_unit_test(free_unread),
        cmocka_unit_test(cancel_before_handler),
        cmocka_unit_test(handler_failure_code_and_text),
        cmocka_unit_test(many_waiters),
    };
    return cmocka_run_group_tests_name("runtime_futures", tests, NULL, NULL);
}
