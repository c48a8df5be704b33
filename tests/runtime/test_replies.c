/* Deferred replies and forwarding (tact/reply.h and the generated _defer,
 * _reply_send, _reply_fail, _forward), the one-line _call, and typed replies
 * out of then/all/any. */
#include <string.h>

#include "rt_common.h"

enum { T_MS = 10000, MAX_HELD = 16, MAX_WORKERS = 8 };

/* -- the dispatcher ------------------------------------------------------------ */

typedef struct disp {
    rt_Counter_ref workers[MAX_WORKERS];
    int n_workers, next;
    rt_Dispatcher_hold_reply *held[MAX_HELD];
    int64_t held_n[MAX_HELD];
    int n_held;
    rt_Dispatcher_hold_text_reply *text[MAX_HELD];
    char *text_s[MAX_HELD];
    int n_text;
    bool answer_on_stop;
    tact_status tell_defer;
    int64_t jobs, target;
    rt_Dispatcher_wait_all_reply *waiter;
} disp;

/* A held reply, for the test to misuse from its own thread. */
static rt_Dispatcher_hold_reply *_Atomic stray;

static rt_Counter_ref next_worker(disp *d) {
    rt_Counter_ref none = {NULL};
    return d->n_workers ? d->workers[d->next++ % d->n_workers] : none;
}

static tact_status d_add_worker(tact_ctx *ctx, void *self, rt_Counter_ref w) {
    disp *d = self;
    if (d->n_workers == MAX_WORKERS)
        return tact_ctx_fail(ctx, TACT_EINVAL, "too many workers");
    d->workers[d->n_workers++] = rt_Counter_ref_dup(w);
    return TACT_OK;
}

static tact_status d_submit(tact_ctx *ctx, void *self, int64_t n, int64_t *reply) {
    (void)reply;
    rt_Dispatcher_submit_reply *r;
    tact_status st = rt_Dispatcher_submit_defer(ctx, &r);
    if (st != TACT_OK)
        return st;
    /* The compiler checks that add_get answers what submit must: an int64. */
    rt_Counter_add_get_forward(next_worker(self), n, r);
    return TACT_OK;
}

static tact_status then_answer(tact_ctx *ctx, void *self, tact_future *f, void *arg) {
    (void)ctx;
    (void)self;
    rt_Dispatcher_submit_then_reply *r = arg;
    int64_t v;
    tact_status st = rt_Counter_add_get_future_get(rt_Counter_add_get_future_from(f), 0, &v);
    if (st != TACT_OK)
        rt_Dispatcher_submit_then_reply_fail(r, st, "worker: %s", tact_strerror(st));
    else
        rt_Dispatcher_submit_then_reply_send(r, 1000 + v);
    return TACT_OK;
}

static tact_status d_submit_then(tact_ctx *ctx, void *self, int64_t n, int64_t *reply) {
    (void)reply;
    rt_Dispatcher_submit_then_reply *r;
    tact_status st = rt_Dispatcher_submit_then_defer(ctx, &r);
    if (st != TACT_OK)
        return st;
    rt_Counter_add_get_future *f;
    st = rt_Counter_add_get(next_worker(self), n, &f);
    if (st == TACT_OK)
        st = tact_future_then_in(rt_Counter_add_get_future_base(f), ctx, then_answer, r);
    rt_Counter_add_get_future_free(f);
    if (st != TACT_OK)
        rt_Dispatcher_submit_then_reply_fail(r, st, "could not ask the worker");
    return TACT_OK;
}

static tact_status d_hold(tact_ctx *ctx, void *self, int64_t n, int64_t *reply) {
    (void)reply;
    disp *d = self;
    if (d->n_held == MAX_HELD)
        return tact_ctx_fail(ctx, TACT_EINVAL, "too many held");
    tact_status st = rt_Dispatcher_hold_defer(ctx, &d->held[d->n_held]);
    if (st != TACT_OK)
        return st;
    atomic_store(&stray, d->held[d->n_held]);
    d->held_n[d->n_held++] = n;
    return TACT_OK;
}

static tact_status d_relay(tact_ctx *ctx, void *self, rt_Dispatcher_ref next, int64_t n,
                           int64_t *reply) {
    (void)self;
    (void)reply;
    rt_Dispatcher_relay_reply *r;
    tact_status st = rt_Dispatcher_relay_defer(ctx, &r);
    if (st != TACT_OK)
        return st;
    rt_Dispatcher_hold_forward(next, n, r);
    return TACT_OK;
}

static tact_status d_hold_text(tact_ctx *ctx, void *self, const char *s, char **reply) {
    (void)reply;
    disp *d = self;
    if (d->n_text == MAX_HELD)
        return tact_ctx_fail(ctx, TACT_EINVAL, "too many held");
    d->text_s[d->n_text] = tact_strdup(s);
    return rt_Dispatcher_hold_text_defer(ctx, &d->text[d->n_text++]);
}

static tact_status d_release(tact_ctx *ctx, void *self, int32_t code, int64_t *reply) {
    (void)ctx;
    disp *d = self;
    int64_t taken = 0;
    for (int i = 0; i < d->n_held; i++) {
        tact_status st = code ? rt_Dispatcher_hold_reply_fail(d->held[i], code, "released with %d", (int)code)
                              : rt_Dispatcher_hold_reply_send(d->held[i], d->held_n[i]);
        taken += st == TACT_OK;
    }
    for (int i = 0; i < d->n_text; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s!", d->text_s[i]);
        taken += rt_Dispatcher_hold_text_reply_send(d->text[i], buf) == TACT_OK;
        free(d->text_s[i]);
    }
    d->n_held = d->n_text = 0;
    atomic_store(&stray, NULL);
    *reply = taken;
    return TACT_OK;
}

static tact_status d_answer_on_stop(tact_ctx *ctx, void *self, bool on) {
    (void)ctx;
    ((disp *)self)->answer_on_stop = on;
    return TACT_OK;
}

static tact_status d_misuse_tell(tact_ctx *ctx, void *self) {
    rt_Dispatcher_hold_reply *r;
    ((disp *)self)->tell_defer = rt_Dispatcher_hold_defer(ctx, &r);
    return TACT_OK;
}

static tact_status d_misuse(tact_ctx *ctx, void *self, int64_t *reply) {
    disp *d = self;
    rt_Dispatcher_hold_reply *other;
    rt_Dispatcher_misuse_reply *r, *again;
    *reply = -100; /* not seen by the asker once deferred */
    if (d->tell_defer != TACT_EINVAL)
        return tact_ctx_fail(ctx, 1, "defer in a tell: %d", d->tell_defer);
    if (rt_Dispatcher_hold_defer(ctx, &other) != TACT_EINVAL) /* another method's */
        return tact_ctx_fail(ctx, 2, "another method's defer accepted");
    if (rt_Dispatcher_misuse_defer(ctx, NULL) != TACT_EINVAL ||
        tact_reply_defer(NULL, NULL, NULL) != TACT_EINVAL)
        return tact_ctx_fail(ctx, 3, "NULL accepted");
    if (rt_Dispatcher_misuse_defer(ctx, &r) != TACT_OK)
        return tact_ctx_fail(ctx, 4, "defer refused");
    int64_t answer = 7;
    if (rt_Dispatcher_misuse_defer(ctx, &again) != TACT_EINVAL || !tact_reply_deferred(ctx))
        answer = -5;
    if (tact_reply_send(NULL, NULL) != TACT_EINVAL || tact_reply_system(NULL) != NULL ||
        tact_reply_system(rt_Dispatcher_misuse_reply_base(r)) != tact_ctx_system(ctx))
        answer = -6;
    /* Answered in the handler that deferred it: allowed, and what the handler
     * returns afterwards no longer reaches the asker. */
    if (rt_Dispatcher_misuse_reply_send(r, answer) != TACT_OK)
        return TACT_ENOMEM;
    return tact_ctx_fail(ctx, 9, "not seen");
}

static tact_status d_mismatch(tact_ctx *ctx, void *self, rt_Echo_ref e, int64_t *reply) {
    (void)self;
    (void)reply;
    rt_Dispatcher_mismatch_reply *r;
    tact_status st = rt_Dispatcher_mismatch_defer(ctx, &r);
    if (st != TACT_OK)
        return st;
    /* Without the cast this does not compile: echo answers a string. */
    st = rt_Echo_echo_forward(e, "x", (rt_Echo_echo_reply *)(void *)r);
    return st == TACT_EINVAL ? TACT_OK : tact_ctx_fail(ctx, 1, "forward: %d", st);
}

static tact_status d_gate(tact_ctx *ctx, void *self, int64_t *reply) {
    (void)self;
    *reply = 0;
    return rt_gate_wait(ctx);
}

static void answer_waiter(disp *d) {
    if (d->waiter && d->jobs >= d->target) {
        rt_Dispatcher_wait_all_reply_send(d->waiter, d->jobs);
        d->waiter = NULL;
    }
}

static tact_status d_job_done(tact_ctx *ctx, void *self) {
    (void)ctx;
    disp *d = self;
    d->jobs++;
    answer_waiter(d);
    return TACT_OK;
}

static tact_status d_wait_all(tact_ctx *ctx, void *self, int64_t n, int64_t *reply) {
    disp *d = self;
    if (d->waiter)
        return tact_ctx_fail(ctx, TACT_EINVAL, "one waiter at a time");
    if (d->jobs >= n) {
        *reply = d->jobs;
        return TACT_OK;
    }
    d->target = n;
    tact_status st = rt_Dispatcher_wait_all_defer(ctx, &d->waiter);
    if (st != TACT_OK)
        d->waiter = NULL;
    return st;
}

static tact_status d_doc(tact_ctx *ctx, void *self, const char *title, rt_Doc *reply) {
    (void)self;
    (void)reply; /* freed by the defer: the answer goes through the reply */
    rt_Dispatcher_doc_reply *r;
    tact_status st = rt_Dispatcher_doc_defer(ctx, &r);
    if (st != TACT_OK)
        return st;
    rt_Leaf leaf = rt_Leaf_INIT;
    rt_Leaf *leaves[] = {&leaf};
    leaf.name = "leaf";
    rt_Doc d = rt_Doc_INIT;
    d.title = (char *)title;
    d.n_leaves = 1;
    d.leaves = leaves;
    return rt_Dispatcher_doc_reply_send(r, &d); /* copied */
}

static tact_status d_on_stop(tact_ctx *ctx, void *self) {
    (void)ctx;
    disp *d = self;
    for (int i = 0; d->answer_on_stop && i < d->n_held; i++)
        rt_Dispatcher_hold_reply_send(d->held[i], 10 * d->held_n[i]);
    for (int i = 0; i < d->n_text; i++)
        free(d->text_s[i]);
    for (int i = 0; i < d->n_workers; i++)
        rt_Counter_ref_release(&d->workers[i]);
    atomic_store(&stray, NULL);
    return TACT_OK;
}

static const rt_Dispatcher_impl disp_impl = {
    .state_size = sizeof(disp),
    .on_stop = d_on_stop,
    .add_worker = d_add_worker,
    .submit = d_submit,
    .submit_then = d_submit_then,
    .hold = d_hold,
    .relay = d_relay,
    .hold_text = d_hold_text,
    .release = d_release,
    .answer_on_stop = d_answer_on_stop,
    .misuse_tell = d_misuse_tell,
    .misuse = d_misuse,
    .mismatch = d_mismatch,
    .gate = d_gate,
    .job_done = d_job_done,
    .wait_all = d_wait_all,
    .doc = d_doc,
};

/* The jobs' results: written so that the spin is not optimised away. */
static _Atomic uint64_t job_sum;

static tact_status j_run(tact_ctx *ctx, void *self, rt_Dispatcher_ref done_to, int64_t spin) {
    (void)ctx;
    (void)self;
    uint64_t x = 0; /* unsigned: it wraps */
    for (int64_t i = 0; i < spin; i++)
        x += (uint64_t)i ^ (x >> 3);
    atomic_fetch_add_explicit(&job_sum, x, memory_order_relaxed);
    return rt_Dispatcher_job_done(done_to);
}

static const rt_Jobber_impl jobber_impl = {.run = j_run};

static rt_Dispatcher_ref new_dispatcher(tact_system *sys, int workers, rt_Counter_ref *out) {
    rt_Dispatcher_ref d;
    assert_int_equal(rt_Dispatcher_spawn(sys, &disp_impl, NULL, &d), TACT_OK);
    for (int i = 0; i < workers; i++) {
        out[i] = rt_new_counter(sys);
        assert_int_equal(rt_Dispatcher_add_worker_call(d, out[i], T_MS), TACT_OK);
    }
    return d;
}

/* -- forwarding ------------------------------------------------------------------ */

/* The worker's answer reaches the asker without the dispatcher: a forwarded
 * ask costs the dispatcher one message, an answer through a continuation two. */
static void forward_bypasses_the_dispatcher(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref w[2];
    rt_Dispatcher_ref d = new_dispatcher(sys, 2, w);

    tact_actor_stats_t before, after;
    assert_int_equal(tact_actor_stats(d.actor, &before), TACT_OK);
    int64_t v = 0;
    assert_int_equal(rt_Dispatcher_submit_call(d, 5, T_MS, &v), TACT_OK);
    assert_int_equal(v, 5); /* worker 0 went from 0 to 5 */
    assert_int_equal(tact_actor_stats(d.actor, &after), TACT_OK);
    assert_int_equal(after.handled, before.handled + 1);
    assert_int_equal(rt_Dispatcher_submit_then_call(d, 0, T_MS, &v), TACT_OK);
    assert_int_equal(v, 1000); /* worker 1, still at 0 */
    assert_int_equal(tact_actor_stats(d.actor, &before), TACT_OK);
    assert_int_equal(before.handled, after.handled + 2);
    rt_Dispatcher_submit_future *f;
    assert_int_equal(rt_Dispatcher_submit(d, 0, &f), TACT_OK); /* worker 0 */
    assert_int_equal(rt_Dispatcher_submit_future_get(f, T_MS, &v), TACT_OK);
    assert_int_equal(v, 5);
    rt_Dispatcher_submit_future_free(f);

    /* Round robin over both workers, many in flight at once. */
    enum { N = 200 };
    rt_Dispatcher_submit_future *fs[N];
    for (int i = 0; i < N; i++)
        assert_int_equal(rt_Dispatcher_submit(d, 1, &fs[i]), TACT_OK);
    for (int i = 0; i < N; i++) {
        assert_int_equal(rt_Dispatcher_submit_future_get(fs[i], T_MS, &v), TACT_OK);
        rt_Dispatcher_submit_future_free(fs[i]);
    }
    assert_int_equal(rt_counter_value(w[0]), 5 + N / 2);
    assert_int_equal(rt_counter_value(w[1]), N / 2);
    /* next: worker 1 */

    /* A dead worker: the asker learns it, the dispatcher goes on. */
    assert_int_equal(rt_Counter_stop_wait(w[0], T_MS), TACT_OK);
    assert_int_equal(rt_Dispatcher_submit_call(d, 1, T_MS, &v), TACT_OK); /* worker 1's turn */
    assert_int_equal(v, N / 2 + 1);
    assert_int_equal(rt_Dispatcher_submit_call(d, 1, T_MS, &v), TACT_EDEAD); /* worker 0's */

    /* Another reply type, forced past the compiler: refused at run time. */
    rt_Echo_ref e;
    assert_int_equal(rt_Echo_spawn(sys, &rt_echo_impl, NULL, &e), TACT_OK);
    rt_Dispatcher_mismatch_future *mf;
    assert_int_equal(rt_Dispatcher_mismatch(d, e, &mf), TACT_OK);
    assert_int_equal(rt_Dispatcher_mismatch_future_get(mf, T_MS, &v), TACT_EHANDLER);
    tact_status code;
    assert_int_equal(tact_future_error(rt_Dispatcher_mismatch_future_base(mf), &code, NULL),
                     TACT_EHANDLER);
    assert_int_equal(code, TACT_EINVAL);
    rt_Dispatcher_mismatch_future_free(mf);

    /* Forwarded to an actor that defers it in turn: it holds the reply, and
     * its answer, later, goes to the first asker. */
    rt_Dispatcher_ref d2 = new_dispatcher(sys, 0, w);
    rt_Dispatcher_relay_future *rf;
    assert_int_equal(rt_Dispatcher_relay(d, d2, 77, &rf), TACT_OK);
    assert_int_equal(rt_Dispatcher_relay_future_get(rf, 50, &v), TACT_ETIMEDOUT);
    int64_t taken = 0;
    assert_int_equal(rt_Dispatcher_release_call(d2, 0, T_MS, &taken), TACT_OK);
    assert_int_equal(taken, 1);
    assert_int_equal(rt_Dispatcher_relay_future_get(rf, T_MS, &v), TACT_OK);
    assert_int_equal(v, 77);
    rt_Dispatcher_relay_future_free(rf);
    rt_Dispatcher_ref_release(&d2);

    rt_Echo_ref_release(&e);
    for (int i = 0; i < 2; i++)
        rt_Counter_ref_release(&w[i]);
    rt_Dispatcher_ref_release(&d);
    tact_system_destroy(&sys);
}

/* -- deferring -------------------------------------------------------------------- */

static void defer_and_answer_later(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref w[1];
    rt_Dispatcher_ref d = new_dispatcher(sys, 1, w);

    /* From a continuation after the dispatcher's own ask. */
    int64_t v = 0;
    assert_int_equal(rt_Dispatcher_submit_then_call(d, 3, T_MS, &v), TACT_OK);
    assert_int_equal(v, 1003);

    /* Held across messages, answered by a later one, in any order. */
    rt_Dispatcher_hold_future *h1, *h2;
    rt_Dispatcher_hold_text_future *ht;
    assert_int_equal(rt_Dispatcher_hold(d, 1, &h1), TACT_OK);
    assert_int_equal(rt_Dispatcher_hold(d, 2, &h2), TACT_OK);
    assert_int_equal(rt_Dispatcher_hold_text(d, "hi", &ht), TACT_OK);
    assert_int_equal(rt_Dispatcher_hold_future_get(h1, 50, &v), TACT_ETIMEDOUT); /* not yet */
    assert_false(tact_future_done(rt_Dispatcher_hold_future_base(h1)));
    /* Only the holding actor may answer: from here it is refused and kept. */
    tact_reply *s = rt_Dispatcher_hold_reply_base(atomic_load(&stray));
    assert_int_equal(tact_reply_fail(s, 1, "from outside"), TACT_EINVAL);
    int64_t taken = 0;
    assert_int_equal(rt_Dispatcher_release_call(d, 0, T_MS, &taken), TACT_OK);
    assert_int_equal(taken, 3);
    assert_int_equal(rt_Dispatcher_hold_future_get(h1, T_MS, &v), TACT_OK);
    assert_int_equal(v, 1);
    assert_int_equal(rt_Dispatcher_hold_future_get(h2, T_MS, &v), TACT_OK);
    assert_int_equal(v, 2);
    const char *text = NULL;
    assert_int_equal(rt_Dispatcher_hold_text_future_get(ht, T_MS, &text), TACT_OK);
    assert_string_equal(text, "hi!");
    rt_Dispatcher_hold_future_free(h1);
    rt_Dispatcher_hold_future_free(h2);
    rt_Dispatcher_hold_text_future_free(ht);

    /* Failed later: the asker gets the code and the text. */
    assert_int_equal(rt_Dispatcher_hold(d, 3, &h1), TACT_OK);
    assert_int_equal(rt_Dispatcher_release_call(d, 42, T_MS, &taken), TACT_OK);
    assert_int_equal(taken, 1);
    assert_int_equal(rt_Dispatcher_hold_future_get(h1, T_MS, &v), TACT_EHANDLER);
    tact_status code;
    const char *why;
    assert_int_equal(tact_future_error(rt_Dispatcher_hold_future_base(h1), &code, &why),
                     TACT_EHANDLER);
    assert_int_equal(code, 42);
    assert_string_equal(why, "released with 42");
    rt_Dispatcher_hold_future_free(h1);

    /* The refusals of defer, and an answer given in the deferring handler. */
    assert_int_equal(rt_Dispatcher_misuse_tell(d), TACT_OK);
    assert_int_equal(rt_Dispatcher_misuse_call(d, T_MS, &v), TACT_OK);
    assert_int_equal(v, 7);

    rt_Counter_ref_release(&w[0]);
    assert_int_equal(rt_Dispatcher_stop_wait(d, T_MS), TACT_OK);
    rt_Dispatcher_ref_release(&d);
    tact_system_destroy(&sys);
}

/* Deadlines and cancel apply: the late answer is dropped and its sender told. */
static void deadline_and_cancel_drop_the_late_answer(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref w[1];
    rt_Dispatcher_ref d = new_dispatcher(sys, 1, w);

    rt_Dispatcher_hold_future *late, *cancelled, *kept;
    assert_int_equal(rt_Dispatcher_hold(d, 1, &late), TACT_OK);
    assert_int_equal(rt_Dispatcher_hold(d, 2, &cancelled), TACT_OK);
    assert_int_equal(rt_Dispatcher_hold(d, 3, &kept), TACT_OK);
    assert_int_equal(tact_future_set_deadline(rt_Dispatcher_hold_future_base(late), 20), TACT_OK);
    int64_t v;
    assert_int_equal(rt_Dispatcher_hold_future_get(late, T_MS, &v), TACT_ETIMEDOUT);
    assert_true(tact_future_done(rt_Dispatcher_hold_future_base(late)));
    assert_int_equal(tact_future_cancel(rt_Dispatcher_hold_future_base(cancelled)), TACT_OK);
    int64_t taken = -1;
    assert_int_equal(rt_Dispatcher_release_call(d, 0, T_MS, &taken), TACT_OK);
    assert_int_equal(taken, 1); /* only the third was still waited for */
    assert_int_equal(rt_Dispatcher_hold_future_get(late, 0, &v), TACT_ETIMEDOUT);
    assert_int_equal(rt_Dispatcher_hold_future_get(cancelled, 0, &v), TACT_ECANCELED);
    assert_int_equal(rt_Dispatcher_hold_future_get(kept, 0, &v), TACT_OK);
    assert_int_equal(v, 3);
    rt_Dispatcher_hold_future_free(late);
    rt_Dispatcher_hold_future_free(cancelled);
    rt_Dispatcher_hold_future_free(kept);

    /* A forwarded ask past its deadline is skipped by the worker. */
    rt_gate_close();
    rt_Counter_gate_future *g;
    assert_int_equal(rt_Counter_gate(w[0], &g), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, T_MS));
    rt_Dispatcher_submit_future *f;
    assert_int_equal(rt_Dispatcher_submit(d, 100, &f), TACT_OK);
    assert_int_equal(tact_future_set_deadline(rt_Dispatcher_submit_future_base(f), 20), TACT_OK);
    assert_int_equal(rt_Dispatcher_submit_future_get(f, T_MS, &v), TACT_ETIMEDOUT);
    rt_gate_open();
    assert_int_equal(rt_Counter_gate_future_get(g, T_MS, NULL), TACT_OK);
    rt_Counter_gate_future_free(g);
    assert_int_equal(rt_counter_value(w[0]), 0);
    rt_Dispatcher_submit_future_free(f);

    rt_Counter_ref_release(&w[0]);
    rt_Dispatcher_ref_release(&d);
    tact_system_destroy(&sys);
}

/* An actor that dies holding replies fails them: no asker is left waiting. Its
 * on_stop may still answer them. */
static void death_fails_held_replies(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref w[1];
    for (int answer = 0; answer < 2; answer++) {
        rt_Dispatcher_ref d = new_dispatcher(sys, 1, w);
        assert_int_equal(rt_Dispatcher_answer_on_stop(d, answer), TACT_OK);
        rt_Dispatcher_hold_future *h;
        rt_Dispatcher_hold_text_future *ht;
        assert_int_equal(rt_Dispatcher_hold(d, 4, &h), TACT_OK);
        assert_int_equal(rt_Dispatcher_hold_text(d, "x", &ht), TACT_OK);
        assert_int_equal(rt_Dispatcher_stop_wait(d, T_MS), TACT_OK);
        int64_t v = 0;
        const char *text;
        assert_int_equal(rt_Dispatcher_hold_future_get(h, T_MS, &v), answer ? TACT_OK : TACT_EDEAD);
        if (answer)
            assert_int_equal(v, 40);
        assert_int_equal(rt_Dispatcher_hold_text_future_get(ht, T_MS, &text), TACT_EDEAD);
        rt_Dispatcher_hold_future_free(h);
        rt_Dispatcher_hold_text_future_free(ht);
        rt_Dispatcher_ref_release(&d);
        rt_Counter_ref_release(&w[0]);
    }

    /* A continuation that never runs because its actor stopped first. */
    rt_Dispatcher_ref d = new_dispatcher(sys, 1, w);
    rt_gate_close();
    rt_Counter_gate_future *g;
    assert_int_equal(rt_Counter_gate(w[0], &g), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, T_MS));
    rt_Dispatcher_submit_then_future *f;
    assert_int_equal(rt_Dispatcher_submit_then(d, 1, &f), TACT_OK);
    assert_int_equal(rt_Dispatcher_stop_wait(d, T_MS), TACT_OK);
    int64_t v;
    assert_int_equal(rt_Dispatcher_submit_then_future_get(f, T_MS, &v), TACT_EDEAD);
    rt_gate_open();
    assert_int_equal(rt_Counter_gate_future_get(g, T_MS, NULL), TACT_OK);
    rt_Counter_gate_future_free(g);
    rt_Dispatcher_submit_then_future_free(f);
    rt_Counter_ref_release(&w[0]);
    rt_Dispatcher_ref_release(&d);

    /* And system destroy with a reply still held. */
    d = new_dispatcher(sys, 1, w);
    rt_Dispatcher_hold_future *h;
    assert_int_equal(rt_Dispatcher_hold(d, 5, &h), TACT_OK);
    assert_int_equal(rt_Dispatcher_release_call(d, 0, T_MS, &v), TACT_OK);
    assert_int_equal(rt_Dispatcher_hold(d, 6, NULL), TACT_OK); /* still held at the end */
    rt_Counter_ref_release(&w[0]);
    rt_Dispatcher_ref_release(&d);
    tact_system_destroy(&sys);
    assert_int_equal(rt_Dispatcher_hold_future_get(h, 0, &v), TACT_OK);
    rt_Dispatcher_hold_future_free(h);
}

/* A plain thread waits for "all done" with one ask, no latch. */
static void main_thread_waits_for_all_done(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref none[1];
    rt_Dispatcher_ref d = new_dispatcher(sys, 0, none);
    enum { JOBBERS = 4, JOBS = 100 };
    rt_Jobber_ref j[JOBBERS];
    for (int i = 0; i < JOBBERS; i++)
        assert_int_equal(rt_Jobber_spawn(sys, &jobber_impl, NULL, &j[i]), TACT_OK);
    for (int k = 0; k < JOBS; k++)
        assert_int_equal(rt_Jobber_run(j[k % JOBBERS], d, 1000), TACT_OK);
    int64_t done = 0;
    /* No worker to forward to: the asker learns it, nobody hangs. */
    assert_int_equal(rt_Dispatcher_submit_call(d, 1, T_MS, &done), TACT_EDEAD);
    assert_int_equal(rt_Dispatcher_wait_all_call(d, JOBS, 30000, &done), TACT_OK);
    assert_int_equal(done, JOBS);
    /* Already done: answered at once. */
    assert_int_equal(rt_Dispatcher_wait_all_call(d, JOBS, T_MS, &done), TACT_OK);
    for (int i = 0; i < JOBBERS; i++)
        rt_Jobber_ref_release(&j[i]);
    rt_Dispatcher_ref_release(&d);
    tact_system_destroy(&sys);
}

/* -- the one-line call --------------------------------------------------------------- */

static void call_in_one_line(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref c = rt_new_counter(sys);
    int64_t v = 0;
    assert_int_equal(rt_Counter_add_get_call(c, 4, T_MS, &v), TACT_OK);
    assert_int_equal(v, 4);
    assert_int_equal(rt_Counter_add_get_call(c, 1, T_MS, NULL), TACT_OK); /* reply not wanted */
    assert_int_equal(rt_Counter_nothing_call(c, T_MS), TACT_OK);

    /* A failure: the status; the value is left alone. */
    v = -1;
    assert_int_equal(rt_Counter_fail_call(c, 5, "no", 1, T_MS, &v), TACT_EHANDLER);
    assert_int_equal(v, -1);

    /* Given up: TACT_ETIMEDOUT within a generous bound, and the ask cancelled. */
    rt_gate_close();
    rt_Counter_gate_future *g;
    assert_int_equal(rt_Counter_gate(c, &g), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, T_MS));
    int64_t t0 = rt_now_ms();
    assert_int_equal(rt_Counter_add_get_call(c, 100, 50, &v), TACT_ETIMEDOUT);
    assert_true(rt_now_ms() - t0 < 5 * 1000);
    rt_gate_open();
    assert_int_equal(rt_Counter_gate_future_get(g, T_MS, NULL), TACT_OK);
    rt_Counter_gate_future_free(g);
    assert_int_equal(rt_counter_value(c), 5); /* the add of 100 was skipped */

    /* Owned replies are the caller's copies. */
    rt_Echo_ref e;
    assert_int_equal(rt_Echo_spawn(sys, &rt_echo_impl, NULL, &e), TACT_OK);
    char *s = NULL;
    assert_int_equal(rt_Echo_echo_call(e, "hello", T_MS, &s), TACT_OK);
    assert_string_equal(s, "hello");
    free(s);
    rt_Counter_ref w[1];
    rt_Dispatcher_ref d = new_dispatcher(sys, 1, w);
    rt_Doc *doc = NULL;
    assert_int_equal(rt_Dispatcher_doc_call(d, "t", T_MS, &doc), TACT_OK);
    assert_non_null(doc);
    assert_string_equal(doc->title, "t");
    assert_int_equal(doc->n_leaves, 1);
    assert_string_equal(doc->leaves[0]->name, "leaf");
    tact_pb_free(&rt_Doc_descriptor, doc);
    rt_Counter_ref_release(&w[0]);
    rt_Dispatcher_ref_release(&d);

    /* A dead actor. */
    rt_Counter_ref none = {NULL};
    assert_int_equal(rt_Counter_add_get_call(none, 1, T_MS, &v), TACT_EDEAD);
    rt_Echo_ref_release(&e);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

/* -- typed replies out of then, all and any ------------------------------------------ */

static tact_status then_add_ten(tact_future *done, void *arg, tact_future **next) {
    (void)done;
    rt_Counter_add_get_future *f;
    tact_status st = rt_Counter_add_get(*(rt_Counter_ref *)arg, 10, &f);
    *next = rt_Counter_add_get_future_base(f);
    return st;
}

static void typed_combinators(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref c = rt_new_counter(sys);
    rt_Echo_ref e;
    assert_int_equal(rt_Echo_spawn(sys, &rt_echo_impl, NULL, &e), TACT_OK);

    /* then: the reply of the step it ends with, typed. */
    rt_Counter_add_get_future *f;
    assert_int_equal(rt_Counter_add_get(c, 1, &f), TACT_OK);
    tact_future *out;
    assert_int_equal(tact_future_then(rt_Counter_add_get_future_base(f), then_add_ten, &c, &out),
                     TACT_OK);
    int64_t v = 0;
    assert_int_equal(rt_Counter_add_get_future_get(rt_Counter_add_get_future_from(out), T_MS, &v),
                     TACT_OK);
    assert_int_equal(v, 11);
    /* read as another reply type: refused, never misread */
    const char *s = NULL;
    assert_int_equal(rt_Echo_echo_future_get(rt_Echo_echo_future_from(out), T_MS, &s), TACT_EINVAL);
    /* a method with the same reply type reads it */
    assert_int_equal(rt_Counter_get_future_get(rt_Counter_get_future_from(out), 0, &v), TACT_OK);
    assert_int_equal(v, 11);
    tact_future_free(out);
    rt_Counter_add_get_future_free(f);

    /* all and any over typed futures of different methods, no array by hand. */
    rt_Echo_echo_future *ef;
    rt_Counter_get_future *gf;
    assert_int_equal(rt_Echo_echo(e, "e", &ef), TACT_OK);
    assert_int_equal(rt_Counter_get(c, &gf), TACT_OK);
    assert_int_equal(tact_future_all_of(&out, ef, gf), TACT_OK);
    assert_int_equal(tact_future_wait(out, T_MS), TACT_OK);
    assert_int_equal(rt_Counter_get_future_get(rt_Counter_get_future_from(out), 0, &v),
                     TACT_EINVAL); /* all has no reply of its own: read the inputs */
    assert_int_equal(rt_Counter_get_future_get(gf, 0, &v), TACT_OK);
    assert_int_equal(v, 11);
    tact_future_free(out);
    assert_int_equal(tact_future_any_of(&out, gf), TACT_OK);
    assert_int_equal(rt_Counter_get_future_get(rt_Counter_get_future_from(out), T_MS, &v), TACT_OK);
    assert_int_equal(v, 11);
    tact_future_free(out);
    assert_int_equal(tact_future_any_of(&out, ef, gf), TACT_OK);
    assert_int_equal(tact_future_wait(out, T_MS), TACT_OK);
    /* any: whichever came first, read through its own type */
    if (tact_future_source(out) == rt_Echo_echo_future_base(ef)) {
        assert_int_equal(rt_Echo_echo_future_get(rt_Echo_echo_future_from(out), 0, &s), TACT_OK);
        assert_string_equal(s, "e");
    } else {
        assert_int_equal(rt_Counter_get_future_get(rt_Counter_get_future_from(out), 0, &v), TACT_OK);
    }
    tact_future_free(out);
    assert_null(rt_Counter_get_future_from(rt_Echo_echo_future_base(ef))); /* an ask of another method */
    assert_null(rt_Counter_get_future_from(NULL));
    assert_int_equal(tact_future_all_ptrs(NULL, 1, &out), TACT_EINVAL);
    rt_Echo_echo_future_free(ef);
    rt_Counter_get_future_free(gf);

    rt_Echo_ref_release(&e);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

int main(void) {
    rt_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(forward_bypasses_the_dispatcher),
        cmocka_unit_test(defer_and_answer_later),
        cmocka_unit_test(deadline_and_cancel_drop_the_late_answer),
        cmocka_unit_test(death_fails_held_replies),
        cmocka_unit_test(main_thread_waits_for_all_done),
        cmocka_unit_test(call_in_one_line),
        cmocka_unit_test(typed_combinators),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
