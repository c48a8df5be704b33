/* tell and ask: scalar and string replies, optional parameters, many asks in
 * flight, per-sender order, many senders, isolation, dead targets. */
#include <pthread.h>
#include <string.h>

#include "rt_common.h"

static void scalar_replies(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref c = rt_new_counter(sys);
    int64_t expect = 0;
    for (int i = 1; i <= 50; i++) {
        rt_Counter_add_get_future *f;
        assert_int_equal(rt_Counter_add_get(c, i, &f), TACT_OK);
        expect += i;
        int64_t v = -1;
        assert_int_equal(rt_Counter_add_get_future_get(f, TACT_FOREVER, &v), TACT_OK);
        assert_int_equal(v, expect);
        rt_Counter_add_get_future_free(f);
    }
    /* Negative values and tells mixed with asks. */
    assert_int_equal(rt_Counter_add(c, -expect - 7), TACT_OK);
    assert_int_equal(rt_counter_value(c), -7);
    /* An ask with no reply value. */
    rt_Counter_nothing_future *nf;
    assert_int_equal(rt_Counter_nothing(c, &nf), TACT_OK);
    assert_int_equal(rt_Counter_nothing_future_get(nf, TACT_FOREVER), TACT_OK);
    rt_Counter_nothing_future_free(nf);
    /* An ask whose future is not wanted. */
    assert_int_equal(rt_Counter_add_get(c, 7, NULL), TACT_OK);
    assert_int_equal(rt_counter_value(c), 0);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

static void string_replies(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Echo_ref e;
    assert_int_equal(rt_Echo_spawn(sys, &rt_echo_impl, NULL, &e), TACT_OK);
    const char *inputs[] = {"hello", "", "with\nnewline and \xc3\xa9 utf-8"};
    for (size_t i = 0; i < 3; i++) {
        rt_Echo_echo_future *f;
        assert_int_equal(rt_Echo_echo(e, inputs[i], &f), TACT_OK);
        const char *r1 = NULL, *r2 = NULL;
        assert_int_equal(rt_Echo_echo_future_get(f, TACT_FOREVER, &r1), TACT_OK);
        assert_non_null(r1);
        assert_string_equal(r1, inputs[i]);
        assert_ptr_not_equal(r1, inputs[i]);
        /* Owned by the future: a second read gives the same string. */
        assert_int_equal(rt_Echo_echo_future_get(f, 0, &r2), TACT_OK);
        assert_ptr_equal(r1, r2);
        rt_Echo_echo_future_free(f);
    }
    /* A large string (1 MiB). */
    size_t n = 1 << 20;
    char *big = malloc(n + 1);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)('a' + i % 26);
    big[n] = 0;
    rt_Echo_echo_future *f;
    assert_int_equal(rt_Echo_echo(e, big, &f), TACT_OK);
    const char *r = NULL;
    assert_int_equal(rt_Echo_echo_future_get(f, TACT_FOREVER, &r), TACT_OK);
    assert_int_equal(strlen(r), n);
    assert_memory_equal(r, big, n);
    rt_Echo_echo_future_free(f);
    free(big);
    rt_Echo_ref_release(&e);
    tact_system_destroy(&sys);
}

static void optional_params(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Echo_ref e;
    assert_int_equal(rt_Echo_spawn(sys, &rt_echo_impl, NULL, &e), TACT_OK);
    int32_t five = 5, zero = 0;
    struct {
        const char *s;
        const int32_t *n;
        const char *want;
    } cases[] = {
        {NULL, NULL, "p|-|-"},
        {"x", NULL, "p|x|-"},
        {NULL, &five, "p|-|5"},
        {"x", &five, "p|x|5"},
        {"", &zero, "p||0"}, /* present but empty/zero is not absent */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        rt_Echo_opt_future *f;
        assert_int_equal(rt_Echo_opt(e, "p", cases[i].s, cases[i].n, &f), TACT_OK);
        const char *r = NULL;
        assert_int_equal(rt_Echo_opt_future_get(f, TACT_FOREVER, &r), TACT_OK);
        assert_string_equal(r, cases[i].want);
        rt_Echo_opt_future_free(f);
    }
    rt_Echo_ref_release(&e);
    tact_system_destroy(&sys);
}

static void many_asks_in_flight(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref c = rt_new_counter(sys);
    enum { N = 20000 };
    rt_Counter_add_get_future **f = calloc(N, sizeof *f);
    assert_non_null(f);
    for (int i = 0; i < N; i++)
        assert_int_equal(rt_Counter_add_get(c, 1, &f[i]), TACT_OK);
    /* Read them backwards: the order of gets does not matter. */
    for (int i = N - 1; i >= 0; i--) {
        int64_t v = -1;
        assert_int_equal(rt_Counter_add_get_future_get(f[i], TACT_FOREVER, &v), TACT_OK);
        assert_int_equal(v, i + 1); /* and they were handled in the order sent */
        rt_Counter_add_get_future_free(f[i]);
    }
    free(f);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

static void check_seq(rt_Counter_ref c, uint32_t sender, uint64_t want_next) {
    rt_Counter_seq_errors_future *ef;
    assert_int_equal(rt_Counter_seq_errors(c, &ef), TACT_OK);
    int64_t errors = -1;
    assert_int_equal(rt_Counter_seq_errors_future_get(ef, TACT_FOREVER, &errors), TACT_OK);
    rt_Counter_seq_errors_future_free(ef);
    assert_int_equal(errors, 0);
    rt_Counter_seq_next_future *nf;
    assert_int_equal(rt_Counter_seq_next(c, sender, &nf), TACT_OK);
    uint64_t next = 0;
    assert_int_equal(rt_Counter_seq_next_future_get(nf, TACT_FOREVER, &next), TACT_OK);
    rt_Counter_seq_next_future_free(nf);
    assert_int_equal(next, want_next);
}

typedef struct sender_arg {
    rt_Counter_ref c;
    uint32_t sender;
    long n;
    long refused;
} sender_arg;

static void *send_seq(void *p) {
    sender_arg *a = p;
    for (long i = 0; i < a->n; i++)
        if (rt_Counter_seq(a->c, a->sender, (uint64_t)i) != TACT_OK)
            a->refused++;
    return NULL;
}

static void fifo_one_sender(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref c = rt_new_counter(sys);
    sender_arg a = {c, 3, 100000, 0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, send_seq, &a), 0);
    pthread_join(t, NULL);
    assert_int_equal(a.refused, 0);
    check_seq(c, 3, 100000);
    assert_int_equal(rt_counter_value(c), 100000);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

static void many_senders(void **state) {
    (void)state;
    tact_system *sys = rt_system(4);
    rt_Counter_ref c = rt_new_counter(sys);
    enum { T = 8 };
    long per = 20000;
    sender_arg a[T];
    pthread_t t[T];
    for (int i = 0; i < T; i++) {
        a[i] = (sender_arg){c, (uint32_t)i, per, 0};
        assert_int_equal(pthread_create(&t[i], NULL, send_seq, &a[i]), 0);
    }
    for (int i = 0; i < T; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(a[i].refused, 0);
    }
    assert_int_equal(rt_counter_value(c), T * per);
    for (int i = 0; i < T; i++)
        check_seq(c, (uint32_t)i, (uint64_t)per); /* per-sender order held */
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

/* The sender changes its buffer right after sending: the receiver sees the original. */
static void isolation(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Echo_ref e;
    assert_int_equal(rt_Echo_spawn(sys, &rt_echo_impl, NULL, &e), TACT_OK);
    for (int round = 0; round < 200; round++) {
        char buf[64];
        snprintf(buf, sizeof buf, "original-%d", round);
        assert_int_equal(rt_Echo_store(e, buf), TACT_OK);
        memset(buf, 'X', sizeof buf - 1);
        buf[sizeof buf - 1] = 0;
        rt_Echo_stored_future *f;
        assert_int_equal(rt_Echo_stored(e, &f), TACT_OK);
        const char *r = NULL;
        assert_int_equal(rt_Echo_stored_future_get(f, TACT_FOREVER, &r), TACT_OK);
        char want[64];
        snprintf(want, sizeof want, "original-%d", round);
        assert_string_equal(r, want);
        rt_Echo_stored_future_free(f);
    }
    /* A heap buffer freed right after the send. */
    char *heap = strdup("freed by the sender");
    assert_int_equal(rt_Echo_store(e, heap), TACT_OK);
    free(heap);
    rt_Echo_stored_future *f;
    assert_int_equal(rt_Echo_stored(e, &f), TACT_OK);
    const char *r = NULL;
    assert_int_equal(rt_Echo_stored_future_get(f, TACT_FOREVER, &r), TACT_OK);
    assert_string_equal(r, "freed by the sender");
    rt_Echo_stored_future_free(f);
    rt_Echo_ref_release(&e);
    tact_system_destroy(&sys);
}

static void dead_target(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref c = rt_new_counter(sys);
    assert_int_equal(rt_Counter_stop_wait(c, TACT_FOREVER), TACT_OK);
    assert_false(tact_actor_alive(c.actor));
    uint64_t before = tact_system_dead_letters(sys);
    assert_int_equal(rt_Counter_add(c, 1), TACT_EDEAD);
    rt_Counter_get_future *f = (rt_Counter_get_future *)1;
    assert_int_equal(rt_Counter_get(c, &f), TACT_EDEAD);
    assert_null(f);
    assert_int_equal(tact_system_dead_letters(sys), before + 2);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

int main(void) {
    rt_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scalar_replies),
        cmocka_unit_test(string_replies),
        cmocka_unit_test(optional_params),
        cmocka_unit_test(many_asks_in_flight),
        cmocka_unit_test(fifo_one_sender),
        cmocka_unit_test(many_senders),
        cmocka_unit_test(isolation),
        cmocka_unit_test(dead_target),
    };
    return cmocka_run_group_tests_name("runtime_messages", tests, NULL, NULL);
}
