/* Timers: a tell after a delay, periodic ticks, cancel, free, ticks to dead
 * actors, bad arguments, many timers, cleanup by system destroy.
 *
 * Timing checks are lower bounds only ("not before the delay"): a loaded
 * machine may deliver late, never early. */
#include <pthread.h>
#include <string.h>

#include "rt_common.h"

/* Slack for "not before": the clocks are read in whole milliseconds. */
enum { SLACK_MS = 2 };

/* -- Ticker: counts ticks, records when each was handled ------------------------ */

enum { TICK_TIMES = 64, MANY_TAGS = 1000 };

typedef struct ticker {
    int64_t ticks;
    int64_t times[TICK_TIMES]; /* rt_now_ms() of the first ticks */
} ticker;

/* Set by a test right after tact_timer_cancel() returns; a tick whose handler
 * starts after that (with the watched tag) is a violation. */
static _Atomic int cancel_returned;
static _Atomic int64_t watched_tag = -1;
static _Atomic int late_ticks;
/* How often each tag in [0, MANY_TAGS) was handled. */
static _Atomic int tag_seen[MANY_TAGS];
static _Atomic long total_ticks;

static tact_status t_tick(tact_ctx *ctx, void *self, int64_t tag) {
    (void)ctx;
    if (atomic_load(&cancel_returned) && tag == atomic_load(&watched_tag))
        atomic_fetch_add(&late_ticks, 1);
    ticker *t = self;
    if (t->ticks < TICK_TIMES)
        t->times[t->ticks] = rt_now_ms();
    t->ticks++;
    if (tag >= 0 && tag < MANY_TAGS)
        atomic_fetch_add(&tag_seen[tag], 1);
    atomic_fetch_add(&total_ticks, 1);
    return TACT_OK;
}
static tact_status t_ticks(tact_ctx *ctx, void *self, int64_t *reply) {
    (void)ctx;
    *reply = ((ticker *)self)->ticks;
    return TACT_OK;
}
/* Where t_gate copies the tick times to, when set (by tick_times()). */
static int64_t *copy_dst;
static int copy_n;

static tact_status t_gate(tact_ctx *ctx, void *self, int64_t *reply) {
    ticker *t = self;
    if (copy_dst) {
        if (t->ticks < copy_n)
            return tact_ctx_fail(ctx, TACT_EINVAL, "only %lld ticks", (long long)t->ticks);
        memcpy(copy_dst, t->times, sizeof *copy_dst * (size_t)copy_n);
    }
    tact_status st = rt_gate_wait(ctx);
    *reply = t->ticks;
    return st;
}

static const rt_Ticker_impl ticker_impl = {
    .state_size = sizeof(ticker), .tick = t_tick, .ticks = t_ticks, .gate = t_gate};

static rt_Ticker_ref new_ticker(tact_system *sys) {
    rt_Ticker_ref t = {NULL};
    assert_int_equal(rt_Ticker_spawn(sys, &ticker_impl, NULL, &t), TACT_OK);
    return t;
}

static int64_t ticks_of(rt_Ticker_ref t) {
    rt_Ticker_ticks_future *f;
    assert_int_equal(rt_Ticker_ticks(t, &f), TACT_OK);
    int64_t v = -1;
    assert_int_equal(rt_Ticker_ticks_future_get(f, 10000, &v), TACT_OK);
    rt_Ticker_ticks_future_free(f);
    return v;
}

/* Polls the tick count until it reaches n (10 s at most). */
static int wait_ticks(rt_Ticker_ref t, int64_t n) {
    return RT_WAIT_UNTIL(ticks_of(t) >= n, 10000);
}

/* Copies the handling times of the first n ticks into out (read in the actor,
 * through its gate handler, with the gate open). */
static void tick_times(tact_system *sys, rt_Ticker_ref t, int64_t *out, int n);

/* -- a delay ------------------------------------------------------------------- */

static void one_shot_after_delay(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Ticker_ref t = new_ticker(sys);
    int64_t delays[] = {0, 30, 120};
    for (size_t i = 0; i < sizeof delays / sizeof *delays; i++) {
        int64_t before = ticks_of(t);
        int64_t start = rt_now_ms();
        tact_timer *tm = NULL;
        assert_int_equal(rt_Ticker_tick_after(t, delays[i], 0, 1, &tm), TACT_OK);
        assert_non_null(tm);
        assert_true(wait_ticks(t, before + 1));
        int64_t when[TICK_TIMES];
        tick_times(sys, t, when, (int)before + 1);
        assert_true(when[before] - start >= delays[i] - SLACK_MS);
        tact_timer_free(tm);
    }
    /* A one-shot timer fires once: nothing more over several of its delays. */
    int64_t n = ticks_of(t);
    rt_sleep_ms(150);
    assert_int_equal(ticks_of(t), n);
    rt_Ticker_ref_release(&t);
    tact_system_destroy(&sys);
}

/* -- periodic ------------------------------------------------------------------- */

static void periodic_ticks(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    struct {
        int64_t delay, period;
    } cases[] = {{30, 40}, {0, 25}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        rt_Ticker_ref t = new_ticker(sys);
        int64_t start = rt_now_ms();
        tact_timer *tm = NULL;
        assert_int_equal(rt_Ticker_tick_after(t, cases[c].delay, cases[c].period, 7, &tm),
                         TACT_OK);
        enum { K = 5 };
        assert_true(wait_ticks(t, K));
        assert_int_equal(tact_timer_cancel(tm), TACT_OK);
        int64_t when[K];
        tick_times(sys, t, when, K);
        /* Tick k (from 0) not before delay + k periods: the first periodic tick
         * comes one period after the first. */
        for (int k = 0; k < K; k++)
            assert_true(when[k] - start >= cases[c].delay + k * cases[c].period - SLACK_MS);
        for (int k = 1; k < K; k++)
            assert_true(when[k] >= when[k - 1]);
        rt_Ticker_ref_release(&t);
    }
    tact_system_destroy(&sys);
}

/* -- cancel ---------------------------------------------------------------------- */

/* After tact_timer_cancel() returns no tick handler starts, and the count stays
 * stable over many periods. Repeated with 1 ms periods to hit the races. */
static void cancel_stops_ticks(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    long rounds = rt_scaled(30, 5);
    for (long r = 0; r < rounds; r++) {
        rt_Ticker_ref t = new_ticker(sys);
        atomic_store(&cancel_returned, 0);
        atomic_store(&watched_tag, 1000000 + r);
        tact_timer *tm = NULL;
        assert_int_equal(rt_Ticker_tick_after(t, 0, 1, 1000000 + r, &tm), TACT_OK);
        assert_true(wait_ticks(t, 3));
        assert_int_equal(tact_timer_cancel(tm), TACT_OK);
        atomic_store(&cancel_returned, 1);
        int64_t c1 = ticks_of(t);
        if (r % 10 == 0) { /* a wait of many periods now and then */
            rt_sleep_ms(30);
            assert_int_equal(ticks_of(t), c1);
        }
        assert_int_equal(atomic_load(&late_ticks), 0);
        rt_Ticker_ref_release(&t);
    }
    atomic_store(&watched_tag, -1);
    tact_system_destroy(&sys);
}

/* A cancel that comes while the timer thread is sending a tick (unlocked,
 * between taking the timer from the heap and its tell) must not free the timer
 * under it: cancels at every point of a 1 ms period, for ThreadSanitizer and
 * ASan to see. */
static void cancel_races_fire(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Ticker_ref t = new_ticker(sys);
    long rounds = rt_scaled(400, 100);
    for (long r = 0; r < rounds; r++) {
        tact_timer *tm = NULL;
        assert_int_equal(rt_Ticker_tick_after(t, 0, 1, r, &tm), TACT_OK);
        struct timespec d = {0, (r % 25) * 50000}; /* 0 to 1.2 ms */
        nanosleep(&d, NULL);
        assert_int_equal(tact_timer_cancel(tm), TACT_OK);
    }
    rt_Ticker_ref_release(&t);
    tact_system_destroy(&sys);
}

/* Ticks queued while the actor is busy are skipped once the timer is cancelled. */
static void cancel_skips_queued_ticks(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Ticker_ref t = new_ticker(sys);
    rt_gate_close();
    rt_Ticker_gate_future *g;
    assert_int_equal(rt_Ticker_gate(t, &g), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    atomic_store(&cancel_returned, 0);
    atomic_store(&watched_tag, 555);
    tact_timer *tm = NULL;
    assert_int_equal(rt_Ticker_tick_after(t, 0, 2, 555, &tm), TACT_OK);
    tact_actor_stats_t st = {0, 0};
    assert_true(RT_WAIT_UNTIL(
        (tact_actor_stats(t.actor, &st) == TACT_OK && st.queued >= 3), 10000));
    assert_int_equal(tact_timer_cancel(tm), TACT_OK);
    atomic_store(&cancel_returned, 1);
    rt_gate_open();
    int64_t v = -1;
    assert_int_equal(rt_Ticker_gate_future_get(g, 10000, &v), TACT_OK);
    assert_int_equal(v, 0);
    rt_Ticker_gate_future_free(g);
    assert_int_equal(ticks_of(t), 0); /* every queued tick was skipped */
    assert_int_equal(atomic_load(&late_ticks), 0);
    atomic_store(&watched_tag, -1);
    rt_Ticker_ref_release(&t);
    tact_system_destroy(&sys);
}

/* -- dead actors ---------------------------------------------------------------------- */

static void tick_to_dead_actor(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_dead_letters dl = {0};
    tact_system_on_dead_letter(sys, rt_dead_letter_fn, &dl);

    /* One-shot: the actor dies before the tick comes. */
    rt_Ticker_ref t = new_ticker(sys);
    uint64_t id = tact_actor_id(t.actor);
    tact_timer *tm = NULL;
    assert_int_equal(rt_Ticker_tick_after(t, 40, 0, 1, &tm), TACT_OK);
    assert_int_equal(rt_Ticker_stop_wait(t, 10000), TACT_OK);
    assert_true(RT_WAIT_UNTIL(atomic_load(&dl.count) >= 1, 10000));
    assert_int_equal(atomic_load(&dl.count), 1);
    assert_int_equal(tact_system_dead_letters(sys), 1);
    assert_int_equal(atomic_load(&dl.last_id), id);
    assert_int_equal(atomic_load(&dl.last_reason), TACT_EDEAD);
    char method[64];
    rt_dead_letters_last_method(&dl, method, sizeof method);
    assert_string_equal(method, "tick");
    tact_timer_free(tm);
    rt_Ticker_ref_release(&t);

    /* Periodic: a tick after the death is a dead letter and the timer stops by itself. */
    t = new_ticker(sys);
    id = tact_actor_id(t.actor);
    assert_int_equal(rt_Ticker_tick_after(t, 0, 5, 2, &tm), TACT_OK);
    assert_true(wait_ticks(t, 2));
    assert_int_equal(rt_Ticker_stop_wait(t, 10000), TACT_OK);
    assert_true(RT_WAIT_UNTIL(atomic_load(&dl.count) >= 2, 10000));
    assert_int_equal(atomic_load(&dl.last_id), id);
    rt_dead_letters_last_method(&dl, method, sizeof method);
    assert_string_equal(method, "tick");
    rt_sleep_ms(20);
    uint64_t n = atomic_load(&dl.count);
    rt_sleep_ms(100); /* twenty periods */
    assert_int_equal(atomic_load(&dl.count), n);
    assert_int_equal(tact_system_dead_letters(sys), n);
    /* Cancelling the stopped timer is harmless. */
    assert_int_equal(tact_timer_cancel(tm), TACT_OK);

    /* A timer for an actor that is already dead is refused. */
    tm = (tact_timer *)1;
    assert_int_equal(rt_Ticker_tick_after(t, 0, 0, 3, &tm), TACT_EDEAD);
    rt_Ticker_ref_release(&t);
    tact_system_destroy(&sys);
}

/* -- free ------------------------------------------------------------------------ */

static void free_lets_timer_run(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Ticker_ref t = new_ticker(sys);
    tact_timer *tm = NULL;
    assert_int_equal(rt_Ticker_tick_after(t, 30, 0, 1, &tm), TACT_OK);
    tact_timer_free(tm); /* before it fired */
    assert_true(wait_ticks(t, 1));
    /* A periodic one goes on after its handle is freed, until its actor dies. */
    rt_Ticker_ref p = new_ticker(sys);
    assert_int_equal(rt_Ticker_tick_after(p, 0, 3, 1, &tm), TACT_OK);
    tact_timer_free(tm);
    assert_true(wait_ticks(p, 4));
    rt_dead_letters dl = {0};
    tact_system_on_dead_letter(sys, rt_dead_letter_fn, &dl);
    assert_int_equal(rt_Ticker_stop_wait(p, 10000), TACT_OK);
    /* And stops by itself then (a periodic timer with no handle left). */
    assert_true(RT_WAIT_UNTIL(atomic_load(&dl.count) >= 1, 10000));
    rt_sleep_ms(20);
    uint64_t n = atomic_load(&dl.count);
    rt_sleep_ms(60);
    assert_int_equal(atomic_load(&dl.count), n);
    /* NULL out: the same as freeing the handle at once. */
    assert_int_equal(rt_Ticker_tick_after(t, 5, 0, 1, NULL), TACT_OK);
    assert_true(wait_ticks(t, 2));
    tact_timer_free(NULL);
    rt_Ticker_ref_release(&t);
    rt_Ticker_ref_release(&p);
    tact_system_destroy(&sys);
}

/* -- bad arguments ------------------------------------------------------------------ */

static tact_status raw_invoke(tact_ctx *ctx, const void *impl, void *self, const void *request,
                              void *reply) {
    (void)ctx, (void)impl, (void)self, (void)request, (void)reply;
    atomic_fetch_add(&total_ticks, 1000000);
    return TACT_OK;
}
static const tact_method raw_tell = {"raw_tell", TACT_METHOD_TELL,
                                     &rt__ticker__ticks_request__descriptor, NULL, raw_invoke,
                                     TACT_METHOD_FLAT_REQUEST, &rt_Ticker_type};
static const tact_method raw_ask = {"raw_ask",
                                    TACT_METHOD_ASK,
                                    &rt__ticker__ticks_request__descriptor,
                                    &rt__ticker__ticks_reply__descriptor,
                                    raw_invoke,
                                    TACT_METHOD_FLAT_REQUEST | TACT_METHOD_FLAT_REPLY,
                                    &rt_Ticker_type};

static tact_msg *raw_msg(const tact_method *m) {
    void *req = NULL;
    tact_msg *msg = NULL;
    assert_int_equal(tact_msg_new(m, &req, &msg), TACT_OK);
    return msg;
}

static void bad_arguments(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    rt_Ticker_ref t = new_ticker(sys);
    tact_timer *tm = NULL;
    assert_int_equal(rt_Ticker_tick_after(t, -1, 0, 1, &tm), TACT_EINVAL);
    assert_int_equal(rt_Ticker_tick_after(t, 0, -5, 1, &tm), TACT_EINVAL);
    assert_int_equal(rt_Ticker_tick_after(t, -1, -1, 1, NULL), TACT_EINVAL);
    rt_Ticker_ref none = {NULL};
    assert_int_equal(rt_Ticker_tick_after(none, 0, 0, 1, &tm), TACT_EDEAD);
    /* The untyped call: NULL actor, NULL message, an ask; each message is consumed. */
    long before = atomic_load(&total_ticks);
    assert_int_equal(tact_timer_start(NULL, raw_msg(&raw_tell), 0, 0, &tm), TACT_EINVAL);
    assert_int_equal(tact_timer_start(t.actor, NULL, 0, 0, &tm), TACT_EINVAL);
    assert_int_equal(tact_timer_start(t.actor, raw_msg(&raw_ask), 0, 0, &tm), TACT_EINVAL);
    assert_int_equal(tact_timer_start(t.actor, raw_msg(&raw_ask), 10, 10, NULL), TACT_EINVAL);
    assert_int_equal(tact_timer_start(t.actor, raw_msg(&raw_tell), -3, 0, &tm), TACT_EINVAL);
    assert_int_equal(tact_timer_cancel(NULL), TACT_EINVAL);
    tact_timer_free(NULL);
    /* None of the refused ones ever fires. */
    rt_sleep_ms(30);
    assert_int_equal(ticks_of(t), 0);
    assert_int_equal(atomic_load(&total_ticks), before);
    /* A well-formed untyped timer works. */
    assert_int_equal(tact_timer_start(t.actor, raw_msg(&raw_tell), 1, 0, &tm), TACT_OK);
    assert_true(RT_WAIT_UNTIL(atomic_load(&total_ticks) == before + 1000000, 10000));
    tact_timer_free(tm);
    rt_Ticker_ref_release(&t);
    tact_system_destroy(&sys);
}

/* -- many ----------------------------------------------------------------------------- */

static void many_timers_fire_once(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    enum { T = 4 };
    rt_Ticker_ref t[T];
    for (int i = 0; i < T; i++)
        t[i] = new_ticker(sys);
    for (int i = 0; i < MANY_TAGS; i++)
        atomic_store(&tag_seen[i], 0);
    tact_timer *keep[MANY_TAGS / 4];
    int nkeep = 0;
    for (int i = 0; i < MANY_TAGS; i++) {
        int64_t delay = (i * 7) % 60;
        if (i % 4 == 0) {
            assert_int_equal(rt_Ticker_tick_after(t[i % T], delay, 0, i, &keep[nkeep]), TACT_OK);
            nkeep++;
        } else if (i % 4 == 1) {
            tact_timer *tm;
            assert_int_equal(rt_Ticker_tick_after(t[i % T], delay, 0, i, &tm), TACT_OK);
            tact_timer_free(tm);
        } else {
            assert_int_equal(rt_Ticker_tick_after(t[i % T], delay, 0, i, NULL), TACT_OK);
        }
    }
    int64_t sum = 0;
    assert_true(RT_WAIT_UNTIL(
        (sum = ticks_of(t[0]) + ticks_of(t[1]) + ticks_of(t[2]) + ticks_of(t[3])) >= MANY_TAGS,
        20000));
    rt_sleep_ms(80); /* longer than the longest delay: nothing fires twice */
    sum = 0;
    for (int i = 0; i < T; i++)
        sum += ticks_of(t[i]);
    assert_int_equal(sum, MANY_TAGS);
    for (int i = 0; i < MANY_TAGS; i++)
        if (atomic_load(&tag_seen[i]) != 1)
            fail_msg("tag %d handled %d times", i, atomic_load(&tag_seen[i]));
    /* Cancelling a one-shot timer that has fired is harmless. */
    for (int i = 0; i < nkeep; i++)
        assert_int_equal(tact_timer_cancel(keep[i]), TACT_OK);
    for (int i = 0; i < T; i++)
        rt_Ticker_ref_release(&t[i]);
    tact_system_destroy(&sys);
}

/* -- destroy ------------------------------------------------------------------------- */

/* Pending timers (far in the future, periodic, freed handles) are cleaned up by
 * destroy: it returns, and ASan/valgrind find no leak. */
static void destroy_cleans_timers(void **state) {
    (void)state;
    for (int round = 0; round < 3; round++) {
        tact_system *sys = rt_system(2);
        rt_Ticker_ref t = new_ticker(sys), u = new_ticker(sys);
        for (int i = 0; i < 100; i++) {
            tact_timer *tm;
            assert_int_equal(rt_Ticker_tick_after(t, 3600 * 1000, 0, i, &tm), TACT_OK);
            tact_timer_free(tm);
            assert_int_equal(rt_Ticker_tick_after(u, 3600 * 1000, 60 * 1000, i, NULL), TACT_OK);
        }
        assert_int_equal(rt_Ticker_tick_after(t, 0, 1, -1, NULL), TACT_OK);
        assert_int_equal(rt_Ticker_tick_after(u, 1, 2, -1, NULL), TACT_OK);
        if (round == 1)
            assert_true(wait_ticks(t, 3));
        rt_Ticker_ref_release(&t);
        rt_Ticker_ref_release(&u);
        tact_system_destroy(&sys);
        assert_null(sys);
    }
    /* A system whose only timer was cancelled. */
    tact_system *sys = rt_system(1);
    rt_Ticker_ref t = new_ticker(sys);
    tact_timer *tm;
    assert_int_equal(rt_Ticker_tick_after(t, 1000, 1000, 1, &tm), TACT_OK);
    assert_int_equal(tact_timer_cancel(tm), TACT_OK);
    rt_Ticker_ref_release(&t);
    tact_system_destroy(&sys);
}

/* -- helpers ------------------------------------------------------------------------- */

static void tick_times(tact_system *sys, rt_Ticker_ref t, int64_t *out, int n) {
    (void)sys;
    assert_true(n <= TICK_TIMES);
    copy_dst = out; /* published to the handler by the send below */
    copy_n = n;
    rt_gate_open();
    rt_Ticker_gate_future *f;
    assert_int_equal(rt_Ticker_gate(t, &f), TACT_OK);
    assert_int_equal(rt_Ticker_gate_future_get(f, 10000, NULL), TACT_OK);
    rt_Ticker_gate_future_free(f);
    copy_dst = NULL;
}

int main(void) {
    rt_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_shot_after_delay),
        cmocka_unit_test(periodic_ticks),
        cmocka_unit_test(cancel_stops_ticks),
        cmocka_unit_test(cancel_races_fire),
        cmocka_unit_test(cancel_skips_queued_ticks),
        cmocka_unit_test(tick_to_dead_actor),
        cmocka_unit_test(free_lets_timer_run),
        cmocka_unit_test(bad_arguments),
        cmocka_unit_test(many_timers_fire_once),
        cmocka_unit_test(destroy_cleans_timers),
    };
    return cmocka_run_group_tests_name("runtime_timers", tests, NULL, NULL);
}
