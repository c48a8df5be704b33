/* Stress: many actors and messages, stops racing with sends (every message
 * accounted for), per-pair order under contention, spawn/stop churn, many
 * idle actors. Counts scale with TACT_STRESS_SCALE (default 1). */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "rt_common.h"

static uint64_t rnd(uint64_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* -- many actors, many messages ------------------------------------------------ */

typedef struct fan_arg {
    rt_Counter_ref *actors;
    long nactors;
    long nmsgs;
    uint64_t seed;
    long *sent; /* per actor, this thread's */
    long refused;
} fan_arg;

static void *fan_sender(void *p) {
    fan_arg *a = p;
    for (long i = 0; i < a->nmsgs; i++) {
        long k = (long)(rnd(&a->seed) % (uint64_t)a->nactors);
        if (rt_Counter_add(a->actors[k], 1) == TACT_OK)
            a->sent[k]++;
        else
            a->refused++;
    }
    return NULL;
}

static void many_actors_many_messages(void **state) {
    (void)state;
    long nactors = rt_scaled(5000, 50), nmsgs = rt_scaled(2000000, 20000);
    enum { T = 4 };
    tact_system *sys = rt_system(0);
    rt_Counter_ref *actors = calloc((size_t)nactors, sizeof *actors);
    assert_non_null(actors);
    for (long i = 0; i < nactors; i++)
        actors[i] = rt_new_counter(sys);
    fan_arg a[T];
    pthread_t t[T];
    for (int i = 0; i < T; i++) {
        a[i] = (fan_arg){actors, nactors, nmsgs / T, 0x9e3779b97f4a7c15ULL * (uint64_t)(i + 1), NULL, 0};
        a[i].sent = calloc((size_t)nactors, sizeof(long));
        assert_int_equal(pthread_create(&t[i], NULL, fan_sender, &a[i]), 0);
    }
    for (int i = 0; i < T; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(a[i].refused, 0);
    }
    long total = 0;
    for (long k = 0; k < nactors; k++) {
        long want = 0;
        for (int i = 0; i < T; i++)
            want += a[i].sent[k];
        assert_int_equal(rt_counter_value(actors[k]), want);
        total += want;
        rt_Counter_ref_release(&actors[k]);
    }
    assert_int_equal(total, (nmsgs / T) * T);
    for (int i = 0; i < T; i++)
        free(a[i].sent);
    free(actors);
    assert_int_equal(tact_system_dead_letters(sys), 0);
    tact_system_destroy(&sys);
}

/* -- random stops while senders send: every message accounted for ----------------- */

static _Atomic uint8_t *seen;      /* per tell number: times handled */
static _Atomic long asks_handled;  /* add_get handled */
static _Atomic long dl_seq, dl_ask, dl_other;
static _Atomic uint64_t race_progress; /* tells sent so far, all senders */

static tact_status mark_seq(tact_ctx *ctx, void *self, uint32_t sender, uint64_t n) {
    (void)ctx, (void)self, (void)sender;
    atomic_fetch_add(&seen[n], 1);
    return TACT_OK;
}

static tact_status count_add_get(tact_ctx *ctx, void *self, int64_t n, int64_t *reply) {
    (void)ctx;
    rt_counter *c = self;
    c->count += n;
    *reply = c->count;
    atomic_fetch_add(&asks_handled, 1);
    return TACT_OK;
}

static void count_dead_letter(void *arg, uint64_t id, const char *method, tact_status reason) {
    (void)arg, (void)id;
    if (reason != TACT_EDEAD)
        atomic_fetch_add(&dl_other, 1);
    else if (strcmp(method, "seq") == 0)
        atomic_fetch_add(&dl_seq, 1);
    else if (strcmp(method, "add_get") == 0)
        atomic_fetch_add(&dl_ask, 1);
    else
        atomic_fetch_add(&dl_other, 1);
}

typedef struct race_arg {
    rt_Counter_ref *actors;
    long nactors;
    uint64_t first, count; /* tell numbers first .. first+count-1 */
    uint64_t seed;
    uint8_t *refused;      /* per tell number */
    rt_Counter_add_get_future **futures;
    long nfutures, asks_refused;
} race_arg;

static void *race_sender(void *p) {
    race_arg *a = p;
    for (uint64_t i = 0; i < a->count; i++) {
        uint64_t n = a->first + i;
        rt_Counter_ref c = a->actors[rnd(&a->seed) % (uint64_t)a->nactors];
        if (rt_Counter_seq(c, 0, n) != TACT_OK)
            a->refused[n] = 1;
        atomic_fetch_add_explicit(&race_progress, 1, memory_order_relaxed);
        if (i % 8 == 0) {
            rt_Counter_add_get_future *f;
            tact_status st = rt_Counter_add_get(c, 1, &f);
            if (st == TACT_OK)
                a->futures[a->nfutures++] = f;
            else if (st == TACT_EDEAD)
                a->asks_refused++;
            else
                fail_msg("add_get: %s", tact_strerror(st));
        }
    }
    return NULL;
}

typedef struct stopper_arg {
    rt_Counter_ref *actors;
    long nactors;
    uint64_t total;
    _Atomic int *done;
    long stops;
} stopper_arg;

/* Stops three quarters of the actors, spread evenly over the senders' progress. */
static void *stopper(void *p) {
    stopper_arg *a = p;
    uint64_t s = 12345;
    long want = a->nactors * 3 / 4;
    uint64_t step = a->total / (uint64_t)(want + 1);
    for (long k = 1; k <= want && !atomic_load(a->done); k++) {
        while (atomic_load_explicit(&race_progress, memory_order_relaxed) < step * (uint64_t)k &&
               !atomic_load(a->done))
            sched_yield();
        if (rt_Counter_stop(a->actors[rnd(&s) % (uint64_t)a->nactors]) == TACT_OK)
            a->stops++;
    }
    return NULL;
}

static void random_stops_accounting(void **state) {
    (void)state;
    static rt_Counter_impl impl;
    impl = rt_counter_impl;
    impl.seq = mark_seq;
    impl.add_get = count_add_get;
    long nactors = rt_scaled(400, 20);
    uint64_t per = (uint64_t)rt_scaled(150000, 2000);
    enum { T = 4 };
    uint64_t total = per * T;
    seen = calloc(total, sizeof *seen);
    uint8_t *refused = calloc(total, 1);
    assert_non_null(seen);
    assert_non_null(refused);
    atomic_store(&asks_handled, 0);
    atomic_store(&dl_seq, 0);
    atomic_store(&dl_ask, 0);
    atomic_store(&dl_other, 0);

    tact_system *sys = rt_system(0);
    tact_system_on_dead_letter(sys, count_dead_letter, NULL);
    rt_Counter_ref *actors = calloc((size_t)nactors, sizeof *actors);
    for (long i = 0; i < nactors; i++)
        assert_int_equal(rt_Counter_spawn(sys, &impl, NULL, &actors[i]), TACT_OK);

    race_arg a[T];
    pthread_t t[T], st;
    _Atomic int done = 0;
    atomic_store(&race_progress, 0);
    stopper_arg sa = {actors, nactors, total, &done, 0};
    assert_int_equal(pthread_create(&st, NULL, stopper, &sa), 0);
    for (int i = 0; i < T; i++) {
        a[i] = (race_arg){actors, nactors, per * (uint64_t)i, per, 0xdeadbeefULL + (uint64_t)i * 7919,
                          refused, NULL, 0, 0};
        a[i].futures = calloc(per / 8 + 1, sizeof *a[i].futures);
        assert_int_equal(pthread_create(&t[i], NULL, race_sender, &a[i]), 0);
    }
    for (int i = 0; i < T; i++)
        pthread_join(t[i], NULL);
    atomic_store(&done, 1);
    pthread_join(st, NULL);
    assert_int_equal(tact_system_stop_all(sys), TACT_OK); /* the rest are stopped and drained */

    /* Every ask's future completed: handled (ok) or dead. */
    long ok = 0, dead = 0, refused_asks = 0, sent_asks = 0;
    for (int i = 0; i < T; i++) {
        for (long k = 0; k < a[i].nfutures; k++) {
            int64_t v;
            tact_status s = rt_Counter_add_get_future_get(a[i].futures[k], 10000, &v);
            if (s == TACT_OK)
                ok++;
            else if (s == TACT_EDEAD)
                dead++;
            else
                fail_msg("future completed with %s", tact_strerror(s));
            rt_Counter_add_get_future_free(a[i].futures[k]);
        }
        refused_asks += a[i].asks_refused;
        sent_asks += a[i].nfutures + a[i].asks_refused;
        free(a[i].futures);
    }
    assert_int_equal(ok, atomic_load(&asks_handled));
    assert_int_equal(dead + refused_asks, atomic_load(&dl_ask));
    assert_int_equal(ok + dead + refused_asks, sent_asks);

    /* Every tell handled exactly once, or a dead letter; refused ones never handled. */
    uint64_t handled = 0, nrefused = 0;
    for (uint64_t n = 0; n < total; n++) {
        uint8_t s = atomic_load(&seen[n]);
        if (s > 1)
            fail_msg("tell %llu handled %u times", (unsigned long long)n, s);
        if (refused[n] && s)
            fail_msg("tell %llu was refused but handled", (unsigned long long)n);
        handled += s;
        nrefused += refused[n];
    }
    assert_int_equal(handled + (uint64_t)atomic_load(&dl_seq), total);
    assert_true((uint64_t)atomic_load(&dl_seq) >= nrefused);
    assert_int_equal(atomic_load(&dl_other), 0);
    assert_int_equal(tact_system_dead_letters(sys),
                     (uint64_t)(atomic_load(&dl_seq) + atomic_load(&dl_ask)));
    print_message("    %llu tells: %llu handled, %llu refused at send, %ld raced in; %ld stops\n",
                  (unsigned long long)total, (unsigned long long)handled,
                  (unsigned long long)nrefused, atomic_load(&dl_seq) - (long)nrefused, sa.stops);

    for (long i = 0; i < nactors; i++)
        rt_Counter_ref_release(&actors[i]);
    free(actors);
    tact_system_destroy(&sys);
    free((void *)seen);
    free(refused);
}

/* -- per-pair FIFO under contention ---------------------------------------------- */

enum { FIFO_S = 6, FIFO_R = 8 };

typedef struct fifo_arg {
    rt_Counter_ref *recv;
    uint32_t sender;
    long n;
    uint64_t sent[FIFO_R];
} fifo_arg;

static void *fifo_sender(void *p) {
    fifo_arg *a = p;
    uint64_t s = 0x1234567ULL + a->sender;
    for (long i = 0; i < a->n; i++) {
        int r = (int)(rnd(&s) % FIFO_R);
        if (rt_Counter_seq(a->recv[r], a->sender, a->sent[r]) != TACT_OK)
            fail_msg("seq refused");
        a->sent[r]++;
    }
    return NULL;
}

static void fifo_under_contention(void **state) {
    (void)state;
    tact_system *sys = rt_system(0);
    rt_Counter_ref recv[FIFO_R];
    for (int r = 0; r < FIFO_R; r++)
        recv[r] = rt_new_counter(sys);
    fifo_arg a[FIFO_S];
    pthread_t t[FIFO_S];
    long per = rt_scaled(200000, 2000);
    for (int i = 0; i < FIFO_S; i++) {
        memset(&a[i], 0, sizeof a[i]);
        a[i].recv = recv;
        a[i].sender = (uint32_t)i;
        a[i].n = per;
        assert_int_equal(pthread_create(&t[i], NULL, fifo_sender, &a[i]), 0);
    }
    for (int i = 0; i < FIFO_S; i++)
        pthread_join(t[i], NULL);
    for (int r = 0; r < FIFO_R; r++) {
        rt_Counter_seq_errors_future *ef;
        assert_int_equal(rt_Counter_seq_errors(recv[r], &ef), TACT_OK);
        int64_t errors = -1;
        assert_int_equal(rt_Counter_seq_errors_future_get(ef, TACT_FOREVER, &errors), TACT_OK);
        rt_Counter_seq_errors_future_free(ef);
        assert_int_equal(errors, 0);
        for (int i = 0; i < FIFO_S; i++) {
            rt_Counter_seq_next_future *nf;
            assert_int_equal(rt_Counter_seq_next(recv[r], (uint32_t)i, &nf), TACT_OK);
            uint64_t next = 0;
            assert_int_equal(rt_Counter_seq_next_future_get(nf, TACT_FOREVER, &next), TACT_OK);
            rt_Counter_seq_next_future_free(nf);
            assert_int_equal(next, a[i].sent[r]);
        }
        rt_Counter_ref_release(&recv[r]);
    }
    tact_system_destroy(&sys);
}

/* -- spawn/stop churn ------------------------------------------------------------ */

static _Atomic long churn_started, churn_stopped, churn_failed;

static tact_status churn_start(tact_ctx *ctx, void *self) {
    (void)ctx, (void)self;
    atomic_fetch_add(&churn_started, 1);
    return TACT_OK;
}
static tact_status churn_stop(tact_ctx *ctx, void *self) {
    (void)ctx;
    if (((rt_counter *)self)->count != 3)
        atomic_fetch_add(&churn_failed, 1); /* queued messages were not all handled */
    atomic_fetch_add(&churn_stopped, 1);
    return TACT_OK;
}

typedef struct churn_arg {
    tact_system *sys;
    const rt_Counter_impl *impl;
    long n;
    long spawned;
} churn_arg;

static void *churner(void *p) {
    churn_arg *a = p;
    for (long i = 0; i < a->n; i++) {
        rt_Counter_ref c;
        if (rt_Counter_spawn(a->sys, a->impl, NULL, &c) != TACT_OK) {
            fail_msg("spawn failed");
        }
        a->spawned++;
        for (int k = 0; k < 3; k++)
            if (rt_Counter_add(c, 1) != TACT_OK)
                fail_msg("add refused");
        switch (i % 4) {
        case 0: {
            rt_Counter_get_future *f;
            if (rt_Counter_get(c, &f) != TACT_OK)
                fail_msg("get refused");
            int64_t v = -1;
            if (rt_Counter_get_future_get(f, TACT_FOREVER, &v) != TACT_OK || v != 3)
                fail_msg("get gave %lld", (long long)v);
            rt_Counter_get_future_free(f);
            if (rt_Counter_stop_wait(c, TACT_FOREVER) != TACT_OK)
                fail_msg("stop_wait failed");
            break;
        }
        case 1:
            if (rt_Counter_stop(c) != TACT_OK)
                fail_msg("stop failed");
            break;
        case 2:
            if (rt_Counter_stop_wait(c, TACT_FOREVER) != TACT_OK)
                fail_msg("stop_wait failed");
            break;
        default:
            break; /* left running: the system stops it */
        }
        rt_Counter_ref_release(&c);
    }
    return NULL;
}

static void spawn_stop_churn(void **state) {
    (void)state;
    static rt_Counter_impl impl;
    impl = rt_counter_impl;
    impl.on_start = churn_start;
    impl.on_stop = churn_stop;
    atomic_store(&churn_started, 0);
    atomic_store(&churn_stopped, 0);
    atomic_store(&churn_failed, 0);
    tact_system *sys = rt_system(0);
    enum { T = 4 };
    churn_arg a[T];
    pthread_t t[T];
    for (int i = 0; i < T; i++) {
        a[i] = (churn_arg){sys, &impl, rt_scaled(10000, 200), 0};
        assert_int_equal(pthread_create(&t[i], NULL, churner, &a[i]), 0);
    }
    long spawned = 0;
    for (int i = 0; i < T; i++) {
        pthread_join(t[i], NULL);
        spawned += a[i].spawned;
    }
    tact_system_destroy(&sys);
    assert_int_equal(atomic_load(&churn_started), spawned);
    assert_int_equal(atomic_load(&churn_stopped), spawned);
    assert_int_equal(atomic_load(&churn_failed), 0);
}

/* -- many idle actors ------------------------------------------------------------ */

static long rss_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

static void many_idle_actors(void **state) {
    (void)state;
    long n = rt_scaled(100000, 2000);
    tact_system *sys = rt_system(0);
    rt_Adder_ref *actors = malloc((size_t)n * sizeof *actors);
    assert_non_null(actors);
    long before = rss_kb();
    int64_t t_spawn = rt_now_ms();
    for (long i = 0; i < n; i++)
        assert_int_equal(rt_Adder_spawn(sys, &rt_adder_impl, NULL, &actors[i]), TACT_OK);
    long after = rss_kb();
    /* A million idle actors fit in 256 MB: 268 bytes each (the test's own
     * array of references, 8 bytes each, is counted in too). */
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    if (before > 0 && after > 0) {
        double per = (double)(after - before) * 1024.0 / (double)n;
        print_message("    %ld idle actors: %.0f bytes each\n", n, per);
        assert_true(per <= 268.0 + 8.0);
    }
#else
    (void)before, (void)after;
#endif
    for (long i = 0; i < n; i += n / 100) {
        rt_Adder_add_one_future *f;
        assert_int_equal(rt_Adder_add_one(actors[i], i, &f), TACT_OK);
        int64_t v = -1;
        assert_int_equal(rt_Adder_add_one_future_get(f, TACT_FOREVER, &v), TACT_OK);
        assert_int_equal(v, i + 1);
        rt_Adder_add_one_future_free(f);
    }
    for (long i = 0; i < n; i++)
        rt_Adder_ref_release(&actors[i]);
    free(actors);
    int64_t t0 = rt_now_ms();
    tact_system_destroy(&sys);
    print_message("    spawn %lld ms, destroy %lld ms\n", (long long)(t0 - t_spawn), (long long)(rt_now_ms() - t0));
}

int main(void) {
    print_message("TACT_STRESS_SCALE=%g\n", rt_scale());
    rt_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(many_actors_many_messages),
        cmocka_unit_test(random_stops_accounting),
        cmocka_unit_test(fifo_under_contention),
        cmocka_unit_test(spawn_stop_churn),
        cmocka_unit_test(many_idle_actors),
    };
    return cmocka_run_group_tests_name("runtime_stress", tests, NULL, NULL);
}
