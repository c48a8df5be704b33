/* Future combinators: on_done, then, all, any, deadlines, and continuations
 * inside the asking actor (then_in). */
#include <pthread.h>
#include <string.h>

#include "rt_common.h"

enum { SLACK_MS = 2 };

static int64_t add_get_value(tact_future *f) {
    const Rt__Counter__AddGetReply *r = tact_future_reply(f);
    assert_non_null(r);
    return r->value;
}

/* -- on_done ----------------------------------------------------------------------- */

enum { CB_MAX = 16 };
typedef struct cb_log {
    _Atomic int n;
    int order[CB_MAX];
    _Atomic int calls[CB_MAX];
    tact_status status[CB_MAX];
    pthread_t thread[CB_MAX];
} cb_log;

typedef struct cb_arg {
    cb_log *log;
    int index;
} cb_arg;

static void record_cb(tact_future *f, void *arg) {
    cb_arg *a = arg;
    int slot = atomic_fetch_add(&a->log->n, 1);
    if (slot < CB_MAX)
        a->log->order[slot] = a->index;
    a->log->status[a->index] = tact_future_wait(f, 0);
    a->log->thread[a->index] = pthread_self();
    atomic_fetch_add(&a->log->calls[a->index], 1);
}

static void on_done_order_once(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref c = rt_new_counter(sys);
    static cb_log log;
    memset(&log, 0, sizeof log);
    cb_arg args[CB_MAX];
    for (int i = 0; i < CB_MAX; i++)
        args[i] = (cb_arg){&log, i};

    /* Pending: callbacks run once it completes, in the order they were added. */
    rt_gate_close();
    rt_Counter_gate_future *g;
    assert_int_equal(rt_Counter_gate(c, &g), TACT_OK);
    tact_future *gb = rt_Counter_gate_future_base(g);
    for (int i = 0; i < 5; i++)
        assert_int_equal(tact_future_on_done(gb, record_cb, &args[i]), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    assert_int_equal(atomic_load(&log.n), 0); /* not before it completes */
    rt_gate_open();
    assert_int_equal(rt_Counter_gate_future_get(g, 10000, NULL), TACT_OK);
    /* calls[] is written last in a callback: wait on it before reading the rest. */
    assert_true(RT_WAIT_UNTIL(atomic_load(&log.calls[0]) + atomic_load(&log.calls[1]) +
                                      atomic_load(&log.calls[2]) + atomic_load(&log.calls[3]) +
                                      atomic_load(&log.calls[4]) ==
                                  5,
                              10000));
    assert_int_equal(atomic_load(&log.n), 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(log.order[i], i);
        assert_int_equal(log.status[i], TACT_OK);
    }

    /* Already complete: at once, on the caller's thread, before on_done returns. */
    assert_int_equal(tact_future_on_done(gb, record_cb, &args[5]), TACT_OK);
    assert_int_equal(atomic_load(&log.calls[5]), 1);
    assert_true(pthread_equal(log.thread[5], pthread_self()));
    assert_int_equal(atomic_load(&log.n), 6);
    rt_Counter_gate_future_free(g);

    /* A callback on a future the holder freed before it completed still runs, once. */
    rt_gate_close();
    assert_int_equal(rt_Counter_gate(c, &g), TACT_OK);
    assert_int_equal(tact_future_on_done(rt_Counter_gate_future_base(g), record_cb, &args[6]),
                     TACT_OK);
    rt_Counter_gate_future_free(g);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    rt_gate_open();
    assert_true(RT_WAIT_UNTIL(atomic_load(&log.calls[6]) == 1, 10000));
    assert_int_equal(log.status[6], TACT_OK);

    /* Cancelled and failed futures run their callbacks too, with their status. */
    rt_gate_close();
    assert_int_equal(rt_Counter_gate(c, &g), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    rt_Counter_add_get_future *af;
    assert_int_equal(rt_Counter_add_get(c, 1, &af), TACT_OK);
    assert_int_equal(tact_future_on_done(rt_Counter_add_get_future_base(af), record_cb, &args[7]),
                     TACT_OK);
    assert_int_equal(tact_future_cancel(rt_Counter_add_get_future_base(af)), TACT_OK);
    /* cancel completes it: the callback has run when cancel returns, on this thread */
    assert_int_equal(atomic_load(&log.calls[7]), 1);
    assert_int_equal(log.status[7], TACT_ECANCELED);
    assert_true(pthread_equal(log.thread[7], pthread_self()));
    rt_Counter_fail_future *ff;
    assert_int_equal(rt_Counter_fail(c, 9, "nine", 1, &ff), TACT_OK);
    assert_int_equal(tact_future_on_done(rt_Counter_fail_future_base(ff), record_cb, &args[8]),
                     TACT_OK);
    rt_gate_open();
    assert_int_equal(rt_Counter_fail_future_get(ff, 10000, NULL), TACT_EHANDLER);
    assert_true(RT_WAIT_UNTIL(atomic_load(&log.calls[8]) == 1, 10000));
    assert_int_equal(log.status[8], TACT_EHANDLER);
    rt_Counter_fail_future_free(ff);
    rt_Counter_add_get_future_free(af);
    assert_int_equal(rt_Counter_gate_future_get(g, 10000, NULL), TACT_OK);
    rt_Counter_gate_future_free(g);
    assert_int_equal(rt_counter_value(c), 0); /* the cancelled add was skipped */

    /* Exactly once: nothing runs again later. */
    rt_sleep_ms(20);
    for (int i = 0; i < 9; i++)
        assert_int_equal(atomic_load(&log.calls[i]), 1);
    assert_int_equal(atomic_load(&log.n), 9);

    assert_int_equal(tact_future_on_done(NULL, record_cb, &args[9]), TACT_EINVAL);
    rt_Counter_get_future *gf;
    assert_int_equal(rt_Counter_get(c, &gf), TACT_OK);
    assert_int_equal(tact_future_on_done(rt_Counter_get_future_base(gf), NULL, NULL), TACT_EINVAL);
    rt_Counter_get_future_free(gf);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

/* -- then ----------------------------------------------------------------------------- */

typedef struct then_arg {
    rt_Counter_ref c;
    int64_t n;          /* start add_get(c, n) as the next step, unless 0 */
    int fail_next;      /* start fail(c, fail_next, "next failed") instead */
    tact_status ret;    /* what fn returns */
    _Atomic int calls;
    pthread_t thread;
} then_arg;

static tact_status then_fn(tact_future *done, void *arg, tact_future **next) {
    then_arg *a = arg;
    (void)done;
    a->thread = pthread_self();
    atomic_fetch_add(&a->calls, 1);
    if (a->ret != TACT_OK)
        return a->ret;
    if (a->fail_next) {
        rt_Counter_fail_future *f;
        tact_status st = rt_Counter_fail(a->c, a->fail_next, "next failed", 1, &f);
        if (st != TACT_OK)
            return st;
        *next = rt_Counter_fail_future_base(f);
    } else if (a->n) {
        rt_Counter_add_get_future *f;
        tact_status st = rt_Counter_add_get(a->c, a->n, &f);
        if (st != TACT_OK)
            return st;
        *next = rt_Counter_add_get_future_base(f);
    }
    return TACT_OK;
}

static void then_without_next(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref c = rt_new_counter(sys);
    rt_Counter_add_get_future *f;
    assert_int_equal(rt_Counter_add_get(c, 5, &f), TACT_OK);
    then_arg a = {.c = c};
    tact_future *out = NULL;
    assert_int_equal(tact_future_then(rt_Counter_add_get_future_base(f), then_fn, &a, &out),
                     TACT_OK);
    assert_non_null(out);
    assert_int_equal(tact_future_wait(out, 10000), TACT_OK);
    assert_int_equal(atomic_load(&a.calls), 1);
    /* It completed as f did, with f's reply. */
    assert_int_equal(add_get_value(out), 5);
    assert_ptr_equal(tact_future_source(out), rt_Counter_add_get_future_base(f));
    rt_Counter_add_get_future *typed = rt_Counter_add_get_future_from(tact_future_source(out));
    assert_non_null(typed);
    int64_t v = -1;
    assert_int_equal(rt_Counter_add_get_future_get(typed, 0, &v), TACT_OK);
    assert_int_equal(v, 5);
    assert_null(tact_future_method(out));
    tact_future_free(out);

    /* Already complete: fn runs at once, on the caller's thread. */
    then_arg b = {.c = c};
    assert_int_equal(tact_future_then(rt_Counter_add_get_future_base(f), then_fn, &b, &out),
                     TACT_OK);
    assert_int_equal(atomic_load(&b.calls), 1);
    assert_true(pthread_equal(b.thread, pthread_self()));
    assert_true(tact_future_done(out));
    assert_int_equal(tact_future_wait(out, 0), TACT_OK);
    assert_int_equal(add_get_value(out), 5);
    tact_future_free(out);
    rt_Counter_add_get_future_free(f);

    assert_int_equal(tact_future_then(NULL, then_fn, &b, &out), TACT_EINVAL);
    rt_Counter_get_future *gf;
    assert_int_equal(rt_Counter_get(c, &gf), TACT_OK);
    assert_int_equal(tact_future_then(rt_Counter_get_future_base(gf), NULL, &b, &out), TACT_EINVAL);
    assert_int_equal(tact_future_then(rt_Counter_get_future_base(gf), then_fn, &b, NULL),
                     TACT_EINVAL);
    rt_Counter_get_future_free(gf);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

/* then chains asks: out completes with the result of the last one. */
static void then_chains_asks(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref c = rt_new_counter(sys), d = rt_new_counter(sys);
    rt_gate_close();
    rt_Counter_gate_future *g;
    assert_int_equal(rt_Counter_gate(c, &g), TACT_OK); /* holds the first step back */
    rt_Counter_add_get_future *f1;
    assert_int_equal(rt_Counter_add_get(c, 1, &f1), TACT_OK);
    then_arg a1 = {.c = d, .n = 10}, a2 = {.c = c, .n = 100}, a3 = {.c = d, .n = 1000};
    tact_future *o1, *o2, *o3;
    assert_int_equal(tact_future_then(rt_Counter_add_get_future_base(f1), then_fn, &a1, &o1),
                     TACT_OK);
    assert_int_equal(tact_future_then(o1, then_fn, &a2, &o2), TACT_OK);
    assert_int_equal(tact_future_then(o2, then_fn, &a3, &o3), TACT_OK);
    assert_false(tact_future_done(o3));
    rt_gate_open();
    assert_int_equal(tact_future_wait(o3, 10000), TACT_OK);
    /* c: 1, then 101; d: 10, then 1010 */
    assert_int_equal(add_get_value(o1), 10);
    assert_int_equal(add_get_value(o2), 101);
    assert_int_equal(add_get_value(o3), 1010);
    assert_int_equal(atomic_load(&a1.calls), 1);
    assert_int_equal(atomic_load(&a2.calls), 1);
    assert_int_equal(atomic_load(&a3.calls), 1);
    /* source: the next step's future, typed again. */
    rt_Counter_add_get_future *last = rt_Counter_add_get_future_from(tact_future_source(o3));
    assert_non_null(last);
    int64_t v = -1;
    assert_int_equal(rt_Counter_add_get_future_get(last, 0, &v), TACT_OK);
    assert_int_equal(v, 1010);
    tact_future_free(o3);
    tact_future_free(o2);
    tact_future_free(o1);
    rt_Counter_add_get_future_free(f1);
    rt_Counter_gate_future_free(g);
    assert_int_equal(rt_counter_value(c), 101);
    assert_int_equal(rt_counter_value(d), 1010);

    /* The chain's futures freed early, before anything completed: no leak, no crash. */
    rt_gate_close();
    assert_int_equal(rt_Counter_gate(c, &g), TACT_OK);
    assert_int_equal(rt_Counter_add_get(c, 1, &f1), TACT_OK);
    then_arg b1 = {.c = d, .n = 1};
    assert_int_equal(tact_future_then(rt_Counter_add_get_future_base(f1), then_fn, &b1, &o1),
                     TACT_OK);
    tact_future_free(o1);
    rt_Counter_add_get_future_free(f1);
    rt_gate_open();
    assert_int_equal(rt_Counter_gate_future_get(g, 10000, NULL), TACT_OK);
    rt_Counter_gate_future_free(g);
    assert_true(RT_WAIT_UNTIL(rt_counter_value(d) == 1011, 10000));
    rt_Counter_ref_release(&c);
    rt_Counter_ref_release(&d);
    tact_system_destroy(&sys);
}

static void expect_failure(tact_future *f, tact_status status, tact_status code, const char *text) {
    assert_int_equal(tact_future_wait(f, 10000), status);
    tact_status got_code = 0;
    const char *got_text = NULL;
    assert_int_equal(tact_future_error(f, &got_code, &got_text), status);
    if (status == TACT_EHANDLER) {
        assert_int_equal(got_code, code);
        if (text) {
            assert_non_null(got_text);
            assert_string_equal(got_text, text);
        }
    }
    assert_null(tact_future_reply(f));
}

static void then_failures(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref c = rt_new_counter(sys);

    /* f fails: fn is skipped, the failure (code and text) passes on. */
    rt_Counter_fail_future *ff;
    assert_int_equal(rt_Counter_fail(c, 42, "boom", 1, &ff), TACT_OK);
    then_arg a = {.c = c, .n = 1};
    tact_future *out;
    assert_int_equal(tact_future_then(rt_Counter_fail_future_base(ff), then_fn, &a, &out), TACT_OK);
    expect_failure(out, TACT_EHANDLER, 42, "boom");
    assert_int_equal(atomic_load(&a.calls), 0);
    /* Through two steps. */
    tact_future *out2;
    then_arg a2 = {.c = c, .n = 1};
    assert_int_equal(tact_future_then(out, then_fn, &a2, &out2), TACT_OK);
    expect_failure(out2, TACT_EHANDLER, 42, "boom");
    assert_int_equal(atomic_load(&a2.calls), 0);
    tact_future_free(out2);
    tact_future_free(out);
    rt_Counter_fail_future_free(ff);

    /* A cancelled f: fn skipped, ECANCELED passes on. */
    rt_gate_close();
    rt_Counter_gate_future *g;
    assert_int_equal(rt_Counter_gate(c, &g), TACT_OK);
    rt_Counter_add_get_future *af;
    assert_int_equal(rt_Counter_add_get(c, 1, &af), TACT_OK);
    then_arg b = {.c = c, .n = 1};
    assert_int_equal(tact_future_then(rt_Counter_add_get_future_base(af), then_fn, &b, &out),
                     TACT_OK);
    assert_int_equal(tact_future_cancel(rt_Counter_add_get_future_base(af)), TACT_OK);
    assert_int_equal(tact_future_wait(out, 10000), TACT_ECANCELED);
    assert_int_equal(atomic_load(&b.calls), 0);
    tact_future_free(out);
    rt_Counter_add_get_future_free(af);
    rt_gate_open();
    assert_int_equal(rt_Counter_gate_future_get(g, 10000, NULL), TACT_OK);
    rt_Counter_gate_future_free(g);

    /* fn returns an application code: out fails with TACT_EHANDLER and that code. */
    rt_Counter_add_get_future *ok;
    assert_int_equal(rt_Counter_add_get(c, 0, &ok), TACT_OK);
    then_arg d = {.c = c, .ret = 77};
    assert_int_equal(tact_future_then(rt_Counter_add_get_future_base(ok), then_fn, &d, &out),
                     TACT_OK);
    expect_failure(out, TACT_EHANDLER, 77, NULL);
    assert_int_equal(atomic_load(&d.calls), 1);
    tact_future_free(out);

    /* fn returns a runtime code: out fails with it (the code is kept). */
    then_arg e = {.c = c, .ret = TACT_ENOTFOUND};
    assert_int_equal(tact_future_then(rt_Counter_add_get_future_base(ok), then_fn, &e, &out),
                     TACT_OK);
    tact_status st = tact_future_wait(out, 10000);
    tact_status code = 0;
    tact_future_error(out, &code, NULL);
    assert_true(st == TACT_ENOTFOUND || (st == TACT_EHANDLER && code == TACT_ENOTFOUND));
    tact_future_free(out);

    /* The next step fails: out fails as it did. */
    then_arg n = {.c = c, .fail_next = 13};
    assert_int_equal(tact_future_then(rt_Counter_add_get_future_base(ok), then_fn, &n, &out),
                     TACT_OK);
    expect_failure(out, TACT_EHANDLER, 13, "next failed");
    tact_future_free(out);
    rt_Counter_add_get_future_free(ok);

    /* f fails with dead actor (an ask queued behind a failing tell). */
    rt_gate_close();
    assert_int_equal(rt_Counter_gate_tell(c), TACT_OK);
    assert_int_equal(rt_Counter_fail_tell(c, 3, "down"), TACT_OK);
    assert_int_equal(rt_Counter_add_get(c, 1, &af), TACT_OK);
    then_arg x = {.c = c, .n = 1};
    assert_int_equal(tact_future_then(rt_Counter_add_get_future_base(af), then_fn, &x, &out),
                     TACT_OK);
    rt_gate_open();
    assert_int_equal(tact_future_wait(out, 10000), TACT_EDEAD);
    assert_int_equal(atomic_load(&x.calls), 0);
    tact_future_free(out);
    rt_Counter_add_get_future_free(af);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

/* -- all ----------------------------------------------------------------------------- */

static void all_ok_and_first_failure_in_order(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref c[3];
    for (int i = 0; i < 3; i++)
        c[i] = rt_new_counter(sys);

    rt_Counter_add_get_future *f[3];
    tact_future *fs[3];
    for (int i = 0; i < 3; i++) {
        assert_int_equal(rt_Counter_add_get(c[i], i + 1, &f[i]), TACT_OK);
        fs[i] = rt_Counter_add_get_future_base(f[i]);
    }
    tact_future *out;
    assert_int_equal(tact_future_all(fs, 3, &out), TACT_OK);
    assert_int_equal(tact_future_wait(out, 10000), TACT_OK);
    for (int i = 0; i < 3; i++) {
        assert_true(tact_future_done(fs[i]));
        assert_int_equal(add_get_value(fs[i]), i + 1);
    }
    tact_future_free(out);

    /* Waits for every input: one still pending (behind a gate), one already failed. */
    rt_gate_close();
    rt_Counter_gate_future *g;
    assert_int_equal(rt_Counter_gate(c[1], &g), TACT_OK);
    rt_Counter_fail_future *slow_fail, *fast_fail;
    assert_int_equal(rt_Counter_fail(c[1], 5, "five", 1, &slow_fail), TACT_OK);
    assert_int_equal(rt_Counter_fail(c[2], 6, "six", 1, &fast_fail), TACT_OK);
    tact_future *mixed[3] = {fs[0], rt_Counter_fail_future_base(slow_fail),
                             rt_Counter_fail_future_base(fast_fail)};
    assert_int_equal(tact_future_all(mixed, 3, &out), TACT_OK);
    assert_int_equal(rt_Counter_fail_future_get(fast_fail, 10000, NULL), TACT_EHANDLER);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    assert_false(tact_future_done(out)); /* slow_fail is still pending */
    rt_gate_open();
    /* The first failure in argument order (five), not the first in time (six). */
    expect_failure(out, TACT_EHANDLER, 5, "five");
    tact_future_free(out);

    /* Inputs already complete: done at once. */
    assert_int_equal(tact_future_all(mixed, 3, &out), TACT_OK);
    assert_true(tact_future_done(out));
    expect_failure(out, TACT_EHANDLER, 5, "five");
    tact_future_free(out);
    tact_future *rev[2] = {rt_Counter_fail_future_base(fast_fail), fs[2]};
    assert_int_equal(tact_future_all(rev, 2, &out), TACT_OK);
    expect_failure(out, TACT_EHANDLER, 6, "six");
    tact_future_free(out);

    assert_int_equal(tact_future_all(NULL, 3, &out), TACT_EINVAL);
    assert_int_equal(tact_future_all(fs, 3, NULL), TACT_EINVAL);

    rt_Counter_gate_future_free(g);
    rt_Counter_fail_future_free(slow_fail);
    rt_Counter_fail_future_free(fast_fail);
    for (int i = 0; i < 3; i++) {
        rt_Counter_add_get_future_free(f[i]);
        rt_Counter_ref_release(&c[i]);
    }
    tact_system_destroy(&sys);
}

/* -- any ----------------------------------------------------------------------------- */

static void any_first_to_complete(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref slow = rt_new_counter(sys), fast = rt_new_counter(sys);
    rt_gate_close();
    rt_Counter_gate_future *g;
    assert_int_equal(rt_Counter_gate(slow, &g), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    rt_Counter_add_get_future *sf, *ff;
    assert_int_equal(rt_Counter_add_get(slow, 1, &sf), TACT_OK); /* behind the gate */
    assert_int_equal(rt_Counter_add_get(fast, 3, &ff), TACT_OK);
    tact_future *fs[2] = {rt_Counter_add_get_future_base(sf), rt_Counter_add_get_future_base(ff)};
    tact_future *out;
    assert_int_equal(tact_future_any(fs, 2, &out), TACT_OK);
    assert_int_equal(tact_future_wait(out, 10000), TACT_OK);
    assert_ptr_equal(tact_future_source(out), fs[1]);
    assert_int_equal(add_get_value(out), 3);
    assert_false(tact_future_done(fs[0]));
    tact_future_free(out);

    /* Whatever its status: a failure first wins too. */
    rt_Counter_fail_future *fail;
    assert_int_equal(rt_Counter_fail(fast, 8, "eight", 1, &fail), TACT_OK);
    tact_future *fs2[2] = {fs[0], rt_Counter_fail_future_base(fail)};
    assert_int_equal(tact_future_any(fs2, 2, &out), TACT_OK);
    expect_failure(out, TACT_EHANDLER, 8, "eight");
    assert_ptr_equal(tact_future_source(out), fs2[1]);
    tact_future_free(out);

    /* Both pending: it completes as the one that completes first. */
    rt_Counter_gate_future *g2;
    rt_Counter_ref third = rt_new_counter(sys);
    assert_int_equal(rt_Counter_gate(third, &g2), TACT_OK); /* gate still closed */
    tact_future *fs3[2] = {fs[0], rt_Counter_gate_future_base(g2)};
    assert_int_equal(tact_future_any(fs3, 2, &out), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 2, 10000));
    assert_false(tact_future_done(out));
    rt_gate_open();
    assert_int_equal(tact_future_wait(out, 10000), TACT_OK);
    tact_future *src = tact_future_source(out);
    assert_true(src == fs3[0] || src == fs3[1]);
    assert_true(tact_future_done(src));
    assert_ptr_equal(tact_future_reply(out), tact_future_reply(src));
    tact_future_free(out);

    /* Already complete inputs: done at once, with the first complete one in order. */
    assert_int_equal(rt_Counter_add_get_future_get(sf, 10000, NULL), TACT_OK);
    assert_int_equal(tact_future_any(fs, 2, &out), TACT_OK);
    assert_true(tact_future_done(out));
    tact_future_free(out);
    assert_int_equal(tact_future_any(NULL, 2, &out), TACT_EINVAL);

    rt_Counter_fail_future_free(fail);
    rt_Counter_gate_future_free(g);
    rt_Counter_gate_future_free(g2);
    rt_Counter_add_get_future_free(sf);
    rt_Counter_add_get_future_free(ff);
    rt_Counter_ref_release(&slow);
    rt_Counter_ref_release(&fast);
    rt_Counter_ref_release(&third);
    tact_system_destroy(&sys);
}

/* -- deadlines ------------------------------------------------------------------------ */

static void deadline_slow_handler_times_out(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref c = rt_new_counter(sys);
    assert_int_equal(rt_Counter_add(c, 4), TACT_OK);
    int64_t start = rt_now_ms();
    rt_Counter_slow_future *f;
    assert_int_equal(rt_Counter_slow(c, 200, &f), TACT_OK);
    assert_int_equal(tact_future_set_deadline(rt_Counter_slow_future_base(f), 30), TACT_OK);
    int64_t v = -1;
    assert_int_equal(rt_Counter_slow_future_get(f, TACT_FOREVER, &v), TACT_ETIMEDOUT);
    assert_true(rt_now_ms() - start >= 30 - SLACK_MS);
    /* The future itself completed with the timeout (not just the wait). */
    assert_true(tact_future_done(rt_Counter_slow_future_base(f)));
    assert_int_equal(v, -1);
    /* The late reply is dropped: after the handler has finished, still a timeout. */
    assert_int_equal(rt_counter_value(c), 4);
    assert_int_equal(rt_Counter_slow_future_get(f, 0, &v), TACT_ETIMEDOUT);
    assert_int_equal(v, -1);
    assert_null(tact_future_reply(rt_Counter_slow_future_base(f)));
    rt_Counter_slow_future_free(f);

    /* A deadline that does not pass changes nothing. */
    rt_Counter_add_get_future *af;
    assert_int_equal(rt_Counter_add_get(c, 1, &af), TACT_OK);
    assert_int_equal(tact_future_set_deadline(rt_Counter_add_get_future_base(af), 60000), TACT_OK);
    assert_int_equal(rt_Counter_add_get_future_get(af, 10000, &v), TACT_OK);
    assert_int_equal(v, 5);
    /* On a complete future: harmless. */
    tact_future_set_deadline(rt_Counter_add_get_future_base(af), 0);
    assert_int_equal(rt_Counter_add_get_future_get(af, 0, &v), TACT_OK);
    assert_int_equal(v, 5);
    rt_Counter_add_get_future_free(af);
    assert_int_equal(tact_future_set_deadline(NULL, 10), TACT_EINVAL);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

static void deadline_passed_message_skipped(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref c = rt_new_counter(sys);
    rt_gate_close();
    assert_int_equal(rt_Counter_gate_tell(c), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    rt_Counter_add_get_future *f, *g;
    assert_int_equal(rt_Counter_add_get(c, 100, &f), TACT_OK); /* queued behind the gate */
    assert_int_equal(rt_Counter_add_get(c, 1, &g), TACT_OK);
    assert_int_equal(tact_future_set_deadline(rt_Counter_add_get_future_base(f), 20), TACT_OK);
    static cb_log log;
    memset(&log, 0, sizeof log);
    cb_arg arg = {&log, 0};
    assert_int_equal(tact_future_on_done(rt_Counter_add_get_future_base(f), record_cb, &arg),
                     TACT_OK);
    assert_int_equal(rt_Counter_add_get_future_get(f, TACT_FOREVER, NULL), TACT_ETIMEDOUT);
    assert_true(RT_WAIT_UNTIL(atomic_load(&log.calls[0]) == 1, 10000));
    assert_int_equal(log.status[0], TACT_ETIMEDOUT);
    rt_gate_open();
    int64_t v = -1;
    assert_int_equal(rt_Counter_add_get_future_get(g, 10000, &v), TACT_OK);
    assert_int_equal(v, 1); /* the add of 100 was skipped */
    assert_int_equal(rt_counter_value(c), 1);
    assert_int_equal(rt_Counter_add_get_future_get(f, 0, NULL), TACT_ETIMEDOUT);
    rt_Counter_add_get_future_free(f);
    rt_Counter_add_get_future_free(g);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

/* -- continuations in the actor --------------------------------------------------------- */

typedef struct relay {
    int64_t total;
    int64_t conts;
} relay;

static _Atomic long relay_conts_run;
static _Atomic long relay_wrong_actor;
static _Atomic uint64_t relay_expected_id;

static tact_status cont_add(tact_ctx *ctx, void *self, tact_future *f, void *arg) {
    relay *r = self;
    (void)arg;
    atomic_fetch_add(&relay_conts_run, 1);
    uint64_t want = atomic_load(&relay_expected_id);
    if (want && tact_actor_id(tact_ctx_self(ctx)) != want)
        atomic_fetch_add(&relay_wrong_actor, 1);
    r->conts++;
    rt_Counter_add_get_future *tf = rt_Counter_add_get_future_from(f);
    if (!tf)
        return tact_ctx_fail(ctx, TACT_EINVAL, "not an add_get future");
    int64_t v = 0;
    tact_status st = rt_Counter_add_get_future_get(tf, 0, &v);
    if (st != TACT_OK)
        return tact_ctx_fail(ctx, st, "add_get failed");
    r->total += v; /* the actor's state, without a lock */
    return TACT_OK;
}

static tact_status cont_gate(tact_ctx *ctx, void *self, tact_future *f, void *arg) {
    (void)ctx, (void)f, (void)arg;
    atomic_fetch_add(&relay_conts_run, 1);
    ((relay *)self)->total += 1000;
    return TACT_OK;
}

static tact_status cont_fail(tact_ctx *ctx, void *self, tact_future *f, void *arg) {
    (void)f;
    atomic_fetch_add(&relay_conts_run, 1);
    ((relay *)self)->conts++;
    return tact_ctx_fail(ctx, (tact_status)(intptr_t)arg, "continuation failed");
}

static tact_status r_relay(tact_ctx *ctx, void *self, rt_Counter_ref target, int64_t n) {
    (void)self;
    rt_Counter_add_get_future *f;
    tact_status st = rt_Counter_add_get(target, n, &f);
    if (st != TACT_OK)
        return tact_ctx_fail(ctx, st, "add_get refused");
    st = tact_future_then_in(rt_Counter_add_get_future_base(f), ctx, cont_add, NULL);
    rt_Counter_add_get_future_free(f); /* f stays ours: the continuation keeps its own hold */
    return st;
}
static tact_status r_relay_gate(tact_ctx *ctx, void *self, rt_Counter_ref target) {
    (void)self;
    rt_Counter_gate_future *f;
    tact_status st = rt_Counter_gate(target, &f);
    if (st != TACT_OK)
        return tact_ctx_fail(ctx, st, "gate refused");
    st = tact_future_then_in(rt_Counter_gate_future_base(f), ctx, cont_gate, NULL);
    rt_Counter_gate_future_free(f);
    return st;
}
static tact_status r_relay_fail(tact_ctx *ctx, void *self, rt_Counter_ref target, int32_t code) {
    (void)self;
    rt_Counter_add_get_future *f;
    tact_status st = rt_Counter_add_get(target, 0, &f);
    if (st != TACT_OK)
        return tact_ctx_fail(ctx, st, "add_get refused");
    st = tact_future_then_in(rt_Counter_add_get_future_base(f), ctx, cont_fail,
                             (void *)(intptr_t)code);
    rt_Counter_add_get_future_free(f);
    return st;
}
static tact_status r_bump(tact_ctx *ctx, void *self, int64_t n) {
    (void)ctx;
    ((relay *)self)->total += n;
    return TACT_OK;
}
static tact_status r_total(tact_ctx *ctx, void *self, int64_t *reply) {
    (void)ctx;
    *reply = ((relay *)self)->total;
    return TACT_OK;
}
static tact_status r_conts(tact_ctx *ctx, void *self, int64_t *reply) {
    (void)ctx;
    *reply = ((relay *)self)->conts;
    return TACT_OK;
}
static tact_status r_on_stop(tact_ctx *ctx, void *self) {
    rt_log(EV_STOP, tact_actor_id(tact_ctx_self(ctx)), ((relay *)self)->total);
    return TACT_OK;
}

static const rt_Relay_impl relay_impl = {
    .state_size = sizeof(relay),
    .on_stop = r_on_stop,
    .on_failure = rt_counter_on_failure, /* logs EV_FAIL and keeps the text */
    .relay = r_relay,
    .relay_gate = r_relay_gate,
    .relay_fail = r_relay_fail,
    .bump = r_bump,
    .total = r_total,
    .conts = r_conts,
};

static int64_t relay_ask(rt_Relay_ref r, int which) {
    int64_t v = -1;
    if (which == 0) {
        rt_Relay_total_future *f;
        assert_int_equal(rt_Relay_total(r, &f), TACT_OK);
        assert_int_equal(rt_Relay_total_future_get(f, 10000, &v), TACT_OK);
        rt_Relay_total_future_free(f);
    } else {
        rt_Relay_conts_future *f;
        assert_int_equal(rt_Relay_conts(r, &f), TACT_OK);
        assert_int_equal(rt_Relay_conts_future_get(f, 10000, &v), TACT_OK);
        rt_Relay_conts_future_free(f);
    }
    return v;
}

/* Continuations run in the asking actor, serialized with its handlers: both
 * mutate the same field without a lock (TSan checks), and nothing is lost. */
static void then_in_serialized_with_handlers(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Relay_ref r;
    assert_int_equal(rt_Relay_spawn(sys, &relay_impl, NULL, &r), TACT_OK);
    rt_Counter_ref targets[4];
    for (int i = 0; i < 4; i++)
        targets[i] = rt_new_counter(sys);
    atomic_store(&relay_expected_id, tact_actor_id(r.actor));
    atomic_store(&relay_conts_run, 0);
    atomic_store(&relay_wrong_actor, 0);
    long n = rt_scaled(2000, 100);
    int64_t expect = 0;
    int64_t per_target[4] = {0, 0, 0, 0};
    for (long i = 0; i < n; i++) {
        int t = (int)(i % 4);
        assert_int_equal(rt_Relay_relay(r, targets[t], 1), TACT_OK);
        per_target[t] += 1;
        expect += per_target[t]; /* add_get replies with the target's running count */
        assert_int_equal(rt_Relay_bump(r, 1), TACT_OK);
        expect += 1;
    }
    assert_true(RT_WAIT_UNTIL(relay_ask(r, 1) == n, 20000));
    assert_int_equal(relay_ask(r, 0), expect);
    assert_int_equal(atomic_load(&relay_conts_run), n);
    assert_int_equal(atomic_load(&relay_wrong_actor), 0);
    assert_true(tact_actor_alive(r.actor));
    atomic_store(&relay_expected_id, 0);
    for (int i = 0; i < 4; i++)
        rt_Counter_ref_release(&targets[i]);
    rt_Relay_ref_release(&r);
    tact_system_destroy(&sys);
}

/* A Relay asking a Counter, on 2 workers, with the event log and the count of
 * continuations run reset. */
typedef struct relay_setup {
    tact_system *sys;
    rt_Relay_ref r;
    uint64_t rid;
    rt_Counter_ref target;
} relay_setup;

static relay_setup relay_setup_new(void) {
    relay_setup x;
    rt_log_reset();
    x.sys = rt_system(2);
    assert_int_equal(rt_Relay_spawn(x.sys, &relay_impl, NULL, &x.r), TACT_OK);
    x.rid = tact_actor_id(x.r.actor);
    x.target = rt_new_counter(x.sys);
    atomic_store(&relay_conts_run, 0);
    return x;
}

static void relay_setup_free(relay_setup *x) {
    rt_Counter_ref_release(&x->target);
    rt_Relay_ref_release(&x->r);
    tact_system_destroy(&x->sys);
}

/* The asking actor stopped before the future completed: the continuation is not run. */
static void then_in_not_run_after_stop(void **state) {
    (void)state;
    relay_setup x = relay_setup_new();
    rt_gate_close();
    assert_int_equal(rt_Relay_relay_gate(x.r, x.target), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000)); /* the relay has asked */
    assert_int_equal(rt_Relay_stop_wait(x.r, 10000), TACT_OK);
    rt_gate_open();
    /* The target has answered once it answers the next ask. */
    assert_int_equal(rt_counter_value(x.target), 0);
    rt_sleep_ms(10);
    assert_int_equal(atomic_load(&relay_conts_run), 0);
    assert_int_equal(rt_log_count_of(EV_STOP, x.rid), 1);
    assert_int_equal(rt_log_get(0).value, 0); /* total never changed */

    /* Control: the same with the relay alive does run it. */
    rt_Relay_ref r2;
    assert_int_equal(rt_Relay_spawn(x.sys, &relay_impl, NULL, &r2), TACT_OK);
    rt_gate_close();
    assert_int_equal(rt_Relay_relay_gate(r2, x.target), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    rt_gate_open();
    assert_true(RT_WAIT_UNTIL(relay_ask(r2, 0) == 1000, 10000));
    assert_int_equal(atomic_load(&relay_conts_run), 1);

    rt_Relay_ref_release(&r2);
    relay_setup_free(&x);
}

/* A failing continuation is treated like a failed tell: on_failure, and the actor stops. */
static void then_in_failure_stops_actor(void **state) {
    (void)state;
    relay_setup x = relay_setup_new();
    assert_int_equal(rt_Relay_relay_fail(x.r, x.target, 31), TACT_OK);
    assert_int_equal(tact_actor_wait(x.r.actor, 10000), TACT_OK);
    assert_int_equal(atomic_load(&relay_conts_run), 1);
    assert_int_equal(rt_log_count_of(EV_FAIL, x.rid), 1);
    assert_int_equal(rt_log_count_of(EV_STOP, x.rid), 0); /* on_failure replaces on_stop */
    for (int i = 0; i < rt_log_count(); i++)
        if (rt_log_get(i).kind == EV_FAIL)
            assert_int_equal(rt_log_get(i).value, 31);
    char *text = rt_last_failure_text();
    assert_non_null(text);
    assert_string_equal(text, "continuation failed");
    free(text);
    assert_int_equal(rt_Relay_bump(x.r, 1), TACT_EDEAD);
    assert_false(tact_actor_alive(x.r.actor));
    relay_setup_free(&x);
}

static void then_in_bad_arguments(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    rt_Counter_ref c = rt_new_counter(sys);
    rt_Counter_get_future *f;
    assert_int_equal(rt_Counter_get(c, &f), TACT_OK);
    assert_int_equal(tact_future_then_in(rt_Counter_get_future_base(f), NULL, cont_gate, NULL),
                     TACT_EINVAL);
    assert_int_equal(tact_future_then_in(NULL, NULL, cont_gate, NULL), TACT_EINVAL);
    rt_Counter_get_future_free(f);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

int main(void) {
    rt_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(on_done_order_once),
        cmocka_unit_test(then_without_next),
        cmocka_unit_test(then_chains_asks),
        cmocka_unit_test(then_failures),
        cmocka_unit_test(all_ok_and_first_failure_in_order),
        cmocka_unit_test(any_first_to_complete),
        cmocka_unit_test(deadline_slow_handler_times_out),
        cmocka_unit_test(deadline_passed_message_skipped),
        cmocka_unit_test(then_in_serialized_with_handlers),
        cmocka_unit_test(then_in_not_run_after_stop),
        cmocka_unit_test(then_in_failure_stops_actor),
        cmocka_unit_test(then_in_bad_arguments),
    };
    return cmocka_run_group_tests_name("runtime_combinators", tests, NULL, NULL);
}
