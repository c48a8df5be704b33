/* Finding actors: ids, names, lookups, lists, broadcast, stop-all, and the
 * independence of two systems' registries. */
#include <pthread.h>
#include <string.h>

#include "rt_common.h"

static tact_spawn_opts named(const char *name) {
    tact_spawn_opts o = TACT_SPAWN_OPTS_INIT;
    o.name = name;
    return o;
}

/* -- ids ----------------------------------------------------------------------- */

static void ids_unique_increasing_never_reused(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    enum { N = 300 };
    tact_actor *all[N];
    uint64_t prev = 0;
    for (int i = 0; i < N; i++) {
        tact_actor *a = NULL;
        if (i % 3 == 0) {
            rt_Counter_ref c = rt_new_counter(sys);
            a = c.actor;
        } else if (i % 3 == 1) {
            rt_Echo_ref e;
            assert_int_equal(rt_Echo_spawn(sys, &rt_echo_impl, NULL, &e), TACT_OK);
            a = e.actor;
        } else {
            rt_Adder_ref ad;
            assert_int_equal(rt_Adder_spawn(sys, &rt_adder_impl, NULL, &ad), TACT_OK);
            a = ad.actor;
        }
        uint64_t id = tact_actor_id(a);
        assert_int_not_equal(id, 0);
        assert_true(id > prev); /* increasing in spawn order */
        prev = id;
        all[i] = a;
        /* Stop every other one at once: dead actors' ids are never handed out again. */
        if (i % 2)
            assert_int_equal(tact_actor_stop_wait(a, 10000), TACT_OK);
    }
    for (int i = 0; i < N; i++)
        for (int k = i + 1; k < N; k++)
            assert_int_not_equal(tact_actor_id(all[i]), tact_actor_id(all[k]));
    /* After a stop-all too. */
    assert_int_equal(tact_system_stop_all(sys), TACT_OK);
    rt_Counter_ref later = rt_new_counter(sys);
    assert_true(tact_actor_id(later.actor) > prev);
    rt_Counter_ref_release(&later);
    for (int i = 0; i < N; i++)
        tact_actor_release(all[i]);
    tact_system_destroy(&sys);
}

/* -- names ---------------------------------------------------------------------- */

static void names_find_and_reuse(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    tact_spawn_opts o = named("worker");
    rt_Counter_ref a, b = {NULL};
    assert_int_equal(rt_Counter_spawn(sys, &rt_counter_impl, &o, &a), TACT_OK);
    assert_string_equal(tact_actor_name(a.actor), "worker");

    /* Found by name, as a new reference to the same actor. */
    rt_Counter_ref found = {NULL};
    assert_int_equal(rt_Counter_find(sys, "worker", &found), TACT_OK);
    assert_ptr_equal(found.actor, a.actor);
    assert_int_equal(rt_Counter_add(found, 3), TACT_OK);
    rt_Counter_ref_release(&found);
    assert_int_equal(rt_counter_value(a), 3); /* a still valid after releasing found */
    tact_actor *raw = NULL;
    assert_int_equal(tact_system_find_name(sys, "worker", NULL, &raw), TACT_OK);
    assert_ptr_equal(raw, a.actor);
    tact_actor_release(raw);
    assert_int_equal(tact_system_find_name(sys, "worker", &rt_Counter_type, &raw), TACT_OK);
    tact_actor_release(raw);

    /* The wrong type, an unknown name: not found. */
    rt_Echo_ref e = {NULL};
    assert_int_equal(rt_Echo_find(sys, "worker", &e), TACT_ENOTFOUND);
    assert_null(e.actor);
    assert_int_equal(tact_system_find_name(sys, "worker", &rt_Echo_type, &raw), TACT_ENOTFOUND);
    assert_int_equal(rt_Counter_find(sys, "nobody", &found), TACT_ENOTFOUND);
    assert_int_equal(rt_Counter_find(sys, "", &found), TACT_ENOTFOUND);
    assert_int_equal(rt_Counter_find(sys, "Worker", &found), TACT_ENOTFOUND);
    assert_int_equal(rt_Counter_find(sys, NULL, &found), TACT_EINVAL);
    assert_int_equal(rt_Counter_find(NULL, "worker", &found), TACT_EINVAL);
    assert_int_equal(tact_system_find_name(sys, "worker", NULL, NULL), TACT_EINVAL);

    /* Names are unique per system, whatever the type. */
    assert_int_equal(rt_Counter_spawn(sys, &rt_counter_hooks_impl, &o, &b), TACT_ENAMETAKEN);
    assert_null(b.actor);
    assert_int_equal(rt_Echo_spawn(sys, &rt_echo_impl, &o, &e), TACT_ENAMETAKEN);
    assert_null(e.actor);

    /* A stopping actor: not found any more, but its name is still taken until it is dead. */
    rt_gate_close();
    assert_int_equal(rt_Counter_gate_tell(a), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    assert_int_equal(rt_Counter_stop(a), TACT_OK);
    assert_false(tact_actor_alive(a.actor));
    assert_int_equal(rt_Counter_find(sys, "worker", &found), TACT_ENOTFOUND);
    assert_int_equal(rt_Counter_spawn(sys, &rt_counter_impl, &o, &b), TACT_ENAMETAKEN);
    assert_null(b.actor);
    assert_int_equal(tact_actor_wait(a.actor, 0), TACT_ETIMEDOUT); /* really not dead yet */
    rt_gate_open();
    assert_int_equal(tact_actor_wait(a.actor, 10000), TACT_OK);

    /* Dead (a reference still held): the name is free again. */
    assert_int_equal(rt_Counter_spawn(sys, &rt_counter_impl, &o, &b), TACT_OK);
    assert_int_equal(rt_Counter_find(sys, "worker", &found), TACT_OK);
    assert_ptr_equal(found.actor, b.actor);
    assert_int_not_equal(tact_actor_id(b.actor), tact_actor_id(a.actor));
    rt_Counter_ref_release(&found);
    /* The old reference keeps its name string readable. */
    assert_string_equal(tact_actor_name(a.actor), "worker");
    /* And the name may go to another type once free. */
    assert_int_equal(rt_Counter_stop_wait(b, 10000), TACT_OK);
    assert_int_equal(rt_Echo_spawn(sys, &rt_echo_impl, &o, &e), TACT_OK);
    rt_Echo_ref fe = {NULL};
    assert_int_equal(rt_Echo_find(sys, "worker", &fe), TACT_OK);
    assert_ptr_equal(fe.actor, e.actor);
    rt_Echo_ref_release(&fe);
    rt_Echo_ref_release(&e);
    assert_int_equal(rt_Counter_find(sys, "worker", &found), TACT_ENOTFOUND);

    /* Unnamed actors have no name. */
    rt_Counter_ref anon = rt_new_counter(sys);
    assert_null(tact_actor_name(anon.actor));
    rt_Counter_ref_release(&anon);
    rt_Counter_ref_release(&a);
    rt_Counter_ref_release(&b);
    tact_system_destroy(&sys);
}

/* -- lookup by id ------------------------------------------------------------------------ */

static void lookup_by_id(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref c = rt_new_counter(sys);
    rt_Echo_ref e;
    assert_int_equal(rt_Echo_spawn(sys, &rt_echo_impl, NULL, &e), TACT_OK);
    uint64_t cid = tact_actor_id(c.actor), eid = tact_actor_id(e.actor);

    rt_Counter_ref fc = {NULL};
    rt_Echo_ref fe = {NULL};
    assert_int_equal(rt_Counter_lookup(sys, cid, &fc), TACT_OK);
    assert_ptr_equal(fc.actor, c.actor);
    rt_Counter_ref_release(&fc);
    assert_int_equal(rt_Echo_lookup(sys, eid, &fe), TACT_OK);
    assert_ptr_equal(fe.actor, e.actor);
    rt_Echo_ref_release(&fe);
    /* By id with the wrong type: not found. */
    assert_int_equal(rt_Echo_lookup(sys, cid, &fe), TACT_ENOTFOUND);
    assert_null(fe.actor);
    assert_int_equal(rt_Counter_lookup(sys, eid, &fc), TACT_ENOTFOUND);
    assert_null(fc.actor);
    tact_actor *raw = NULL;
    assert_int_equal(tact_system_find_id(sys, eid, &rt_Counter_type, &raw), TACT_ENOTFOUND);
    assert_int_equal(tact_system_find_id(sys, eid, NULL, &raw), TACT_OK);
    assert_ptr_equal(raw, e.actor);
    tact_actor_release(raw);
    /* Misses. */
    assert_int_equal(rt_Counter_lookup(sys, 0, &fc), TACT_ENOTFOUND);
    assert_int_equal(rt_Counter_lookup(sys, eid + 1000, &fc), TACT_ENOTFOUND);
    assert_int_equal(rt_Counter_lookup(sys, UINT64_MAX, &fc), TACT_ENOTFOUND);
    assert_int_equal(tact_system_find_id(sys, UINT64_MAX - 1, NULL, &raw), TACT_ENOTFOUND);
    assert_int_equal(rt_Counter_lookup(sys, cid, NULL), TACT_EINVAL);
    assert_int_equal(rt_Counter_lookup(NULL, cid, &fc), TACT_EINVAL);

    /* Not found once a stop is requested, though the actor is not dead yet. */
    rt_gate_close();
    assert_int_equal(rt_Counter_gate_tell(c), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    assert_int_equal(rt_Counter_stop(c), TACT_OK);
    assert_int_equal(rt_Counter_lookup(sys, cid, &fc), TACT_ENOTFOUND);
    assert_null(fc.actor);
    assert_int_equal(tact_system_find_id(sys, cid, NULL, &raw), TACT_ENOTFOUND);
    tact_actor **list = NULL;
    size_t n = 99;
    assert_int_equal(tact_system_list(sys, &rt_Counter_type, &list, &n), TACT_OK);
    assert_int_equal(n, 0);
    tact_actor_list_free(list, n);
    size_t told = 99;
    assert_int_equal(rt_Counter_add_broadcast(sys, 1, &told), TACT_OK);
    assert_int_equal(told, 0);
    rt_gate_open();
    assert_int_equal(tact_actor_wait(c.actor, 10000), TACT_OK);
    assert_int_equal(rt_Counter_lookup(sys, cid, &fc), TACT_ENOTFOUND);
    rt_Counter_ref_release(&c);
    rt_Echo_ref_release(&e);
    tact_system_destroy(&sys);
}

/* -- lists ---------------------------------------------------------------------------- */

static void list_by_type_and_all(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    tact_actor **list = NULL;
    size_t n = 99;
    assert_int_equal(tact_system_list(sys, NULL, &list, &n), TACT_OK);
    assert_int_equal(n, 0); /* the runtime's own actors are never listed */
    tact_actor_list_free(list, n);

    enum { N = 12 };
    tact_actor *spawned[N];
    for (int i = 0; i < N; i++) {
        if (i % 3 == 1) {
            rt_Echo_ref e;
            assert_int_equal(rt_Echo_spawn(sys, &rt_echo_impl, NULL, &e), TACT_OK);
            spawned[i] = e.actor;
        } else {
            /* Two implementations of one type: "by type" is the IDL type. */
            rt_Counter_ref c;
            assert_int_equal(
                rt_Counter_spawn(sys, i % 2 ? &rt_counter_hooks_impl : &rt_counter_impl, NULL, &c),
                TACT_OK);
            spawned[i] = c.actor;
        }
    }
    assert_int_equal(tact_system_list(sys, NULL, &list, &n), TACT_OK);
    assert_int_equal(n, N);
    for (int i = 0; i < N; i++)
        assert_ptr_equal(list[i], spawned[i]); /* spawn order */
    tact_actor_list_free(list, n);

    assert_int_equal(tact_system_list(sys, &rt_Counter_type, &list, &n), TACT_OK);
    assert_int_equal(n, N - N / 3);
    size_t k = 0;
    for (int i = 0; i < N; i++)
        if (i % 3 != 1) {
            assert_ptr_equal(list[k], spawned[i]);
            k++;
        }
    tact_actor **counters = list;
    size_t ncounters = n;

    assert_int_equal(tact_system_list(sys, &rt_Echo_type, &list, &n), TACT_OK);
    assert_int_equal(n, N / 3);
    tact_actor_list_free(list, n);
    assert_int_equal(tact_system_list(sys, &rt_Node_type, &list, &n), TACT_OK);
    assert_int_equal(n, 0);
    tact_actor_list_free(list, n);

    /* A stopped actor drops out of new lists. */
    assert_int_equal(tact_actor_stop_wait(spawned[0], 10000), TACT_OK);
    assert_int_equal(tact_system_list(sys, &rt_Counter_type, &list, &n), TACT_OK);
    assert_int_equal(n, ncounters - 1);
    assert_ptr_equal(list[0], spawned[2]);
    tact_actor_list_free(list, n);

    /* The references of a list stay valid until it is freed, whatever happens
     * to the actors and to every other reference. */
    assert_int_equal(tact_system_stop_all(sys), TACT_OK);
    for (int i = 0; i < N; i++)
        tact_actor_release(spawned[i]);
    for (size_t i = 0; i < ncounters; i++) {
        assert_int_not_equal(tact_actor_id(counters[i]), 0);
        assert_false(tact_actor_alive(counters[i]));
        assert_ptr_equal(tact_actor_type_of(counters[i]), &rt_Counter_type);
        rt_Counter_ref r = {counters[i]};
        assert_int_equal(rt_Counter_add(r, 1), TACT_EDEAD);
    }
    tact_actor_list_free(counters, ncounters);
    assert_int_equal(tact_system_list(sys, NULL, &list, &n), TACT_OK);
    assert_int_equal(n, 0);
    tact_actor_list_free(list, n);
    assert_int_equal(tact_system_list(NULL, NULL, &list, &n), TACT_EINVAL);
    assert_int_equal(tact_system_list(sys, NULL, NULL, &n), TACT_EINVAL);
    tact_actor_list_free(NULL, 0);
    tact_system_destroy(&sys);
}

/* -- broadcast ---------------------------------------------------------------------- */

static void broadcast_tells_every_live_actor_of_type(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_dead_letters dl = {0};
    tact_system_on_dead_letter(sys, rt_dead_letter_fn, &dl);
    size_t told = 99;
    assert_int_equal(rt_Counter_add_broadcast(sys, 1, &told), TACT_OK);
    assert_int_equal(told, 0); /* nobody to tell */

    long n = rt_scaled(200, 20);
    rt_Counter_ref *c = calloc((size_t)n, sizeof *c);
    assert_non_null(c);
    for (long i = 0; i < n; i++)
        assert_int_equal(
            rt_Counter_spawn(sys, i % 2 ? &rt_counter_hooks_impl : &rt_counter_impl, NULL, &c[i]),
            TACT_OK);
    rt_Echo_ref e[3];
    for (int i = 0; i < 3; i++)
        assert_int_equal(rt_Echo_spawn(sys, &rt_echo_impl, NULL, &e[i]), TACT_OK);
    /* One stopping (stop requested, still busy) and one dead counter: not told. */
    rt_Counter_ref stopping = rt_new_counter(sys), dead = rt_new_counter(sys);
    rt_gate_close();
    assert_int_equal(rt_Counter_gate_tell(stopping), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    assert_int_equal(rt_Counter_stop(stopping), TACT_OK);
    assert_int_equal(rt_Counter_stop_wait(dead, 10000), TACT_OK);

    for (int round = 1; round <= 20; round++) {
        assert_int_equal(rt_Counter_add_broadcast(sys, 1, &told), TACT_OK);
        assert_int_equal(told, (size_t)n);
        /* Enqueued before it returned: an ask sent now comes after it. */
        long i = (round * 37) % n;
        assert_int_equal(rt_counter_value(c[i]), round);
    }
    for (long i = 0; i < n; i++)
        assert_int_equal(rt_counter_value(c[i]), 20);
    /* Neither the stopping nor the dead one was sent anything (no dead letters). */
    assert_int_equal(atomic_load(&dl.count), 0);
    rt_gate_open();
    assert_int_equal(tact_actor_wait(stopping.actor, 10000), TACT_OK);
    assert_int_equal(atomic_load(&dl.count), 0);

    /* Another type: its own broadcast, string arguments copied for each receiver. */
    assert_int_equal(rt_Echo_store_broadcast(sys, "to each his own", &told), TACT_OK);
    assert_int_equal(told, 3);
    for (int i = 0; i < 3; i++) {
        rt_Echo_stored_future *f;
        assert_int_equal(rt_Echo_stored(e[i], &f), TACT_OK);
        const char *s = NULL;
        assert_int_equal(rt_Echo_stored_future_get(f, 10000, &s), TACT_OK);
        assert_string_equal(s, "to each his own");
        rt_Echo_stored_future_free(f);
    }
    /* The counters saw nothing of it. */
    assert_int_equal(rt_counter_value(c[0]), 20);
    assert_int_equal(rt_Echo_store_broadcast(sys, NULL, &told), TACT_EINVAL);
    assert_int_equal(rt_Counter_add_broadcast(NULL, 1, &told), TACT_EINVAL);
    assert_int_equal(rt_Counter_add_broadcast(sys, 1, NULL), TACT_OK); /* told may be NULL */
    assert_int_equal(rt_counter_value(c[n - 1]), 21);

    for (long i = 0; i < n; i++)
        rt_Counter_ref_release(&c[i]);
    free(c);
    for (int i = 0; i < 3; i++)
        rt_Echo_ref_release(&e[i]);
    rt_Counter_ref_release(&stopping);
    rt_Counter_ref_release(&dead);
    tact_system_destroy(&sys);
}

/* A broadcast racing with spawns and stops from other threads: every live
 * counter that was told gets exactly the messages it was told. */
typedef struct churn_arg {
    tact_system *sys;
    _Atomic int stop;
    long spawned;
} churn_arg;

/* Spawns counters and stops each one after the next is spawned: a few live at a time. */
static void *churn(void *p) {
    churn_arg *a = p;
    rt_Counter_ref prev = {NULL};
    while (!atomic_load(&a->stop) && a->spawned < 20000) {
        rt_Counter_ref c;
        if (rt_Counter_spawn(a->sys, &rt_counter_impl, NULL, &c) != TACT_OK)
            break;
        a->spawned++;
        rt_Counter_stop(prev);
        rt_Counter_ref_release(&prev);
        prev = c;
    }
    rt_Counter_ref_release(&prev);
    return NULL;
}

static void broadcast_during_churn(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref fixed[4];
    for (int i = 0; i < 4; i++)
        fixed[i] = rt_new_counter(sys);
    churn_arg a = {sys, 0, 0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, churn, &a), 0);
    long rounds = rt_scaled(200, 20);
    for (long r = 0; r < rounds; r++) {
        size_t told = 0;
        assert_int_equal(rt_Counter_add_broadcast(sys, 1, &told), TACT_OK);
        assert_true(told >= 4);
    }
    atomic_store(&a.stop, 1);
    pthread_join(t, NULL);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(rt_counter_value(fixed[i]), rounds);
        rt_Counter_ref_release(&fixed[i]);
    }
    tact_system_destroy(&sys);
}

/* -- two systems -------------------------------------------------------------------------- */

static void two_systems_independent(void **state) {
    (void)state;
    tact_system *a = rt_system(1), *b = rt_system(1);
    tact_spawn_opts o = named("same");
    rt_Counter_ref ca, cb;
    assert_int_equal(rt_Counter_spawn(a, &rt_counter_impl, &o, &ca), TACT_OK);
    assert_int_equal(rt_Counter_spawn(b, &rt_counter_impl, &o, &cb), TACT_OK); /* not taken in b */
    rt_Counter_ref f;
    assert_int_equal(rt_Counter_find(a, "same", &f), TACT_OK);
    assert_ptr_equal(f.actor, ca.actor);
    rt_Counter_ref_release(&f);
    assert_int_equal(rt_Counter_find(b, "same", &f), TACT_OK);
    assert_ptr_equal(f.actor, cb.actor);
    rt_Counter_ref_release(&f);
    /* Ids are per system: an id of a, looked up in b, is never a's actor. */
    tact_actor *raw = NULL;
    tact_status st = tact_system_find_id(b, tact_actor_id(ca.actor), NULL, &raw);
    if (st == TACT_OK) {
        assert_ptr_equal(tact_actor_system(raw), b);
        tact_actor_release(raw);
    } else {
        assert_int_equal(st, TACT_ENOTFOUND);
    }
    rt_Counter_ref more[3];
    for (int i = 0; i < 3; i++)
        more[i] = rt_new_counter(a);
    tact_actor **list;
    size_t n;
    assert_int_equal(tact_system_list(a, NULL, &list, &n), TACT_OK);
    assert_int_equal(n, 4);
    for (size_t i = 0; i < n; i++)
        assert_ptr_equal(tact_actor_system(list[i]), a);
    tact_actor_list_free(list, n);
    assert_int_equal(tact_system_list(b, NULL, &list, &n), TACT_OK);
    assert_int_equal(n, 1);
    assert_ptr_equal(list[0], cb.actor);
    tact_actor_list_free(list, n);
    /* Broadcast in a reaches a's counters only. */
    size_t told = 0;
    assert_int_equal(rt_Counter_add_broadcast(a, 5, &told), TACT_OK);
    assert_int_equal(told, 4);
    assert_int_equal(rt_counter_value(ca), 5);
    assert_int_equal(rt_counter_value(cb), 0);
    /* Stop-all in a leaves b alone; the name in a is free again, b's is still taken. */
    assert_int_equal(tact_system_stop_all(a), TACT_OK);
    assert_false(tact_actor_alive(ca.actor));
    assert_true(tact_actor_alive(cb.actor));
    assert_int_equal(rt_Counter_add(cb, 1), TACT_OK);
    assert_int_equal(rt_counter_value(cb), 1);
    rt_Counter_ref again = {NULL};
    assert_int_equal(rt_Counter_spawn(b, &rt_counter_impl, &o, &again), TACT_ENAMETAKEN);
    assert_int_equal(rt_Counter_spawn(a, &rt_counter_impl, &o, &again), TACT_OK);
    rt_Counter_ref_release(&again);
    for (int i = 0; i < 3; i++)
        rt_Counter_ref_release(&more[i]);
    rt_Counter_ref_release(&ca);
    rt_Counter_ref_release(&cb);
    tact_system_destroy(&a);
    tact_system_destroy(&b);
}

/* -- stop all ------------------------------------------------------------------------- */

enum { ORDER_N = 8, ORDER_QUEUED = 5 };
static tact_actor *order_actors[ORDER_N];
static _Atomic int order_in_stop;
static _Atomic int order_overlaps;
static _Atomic int order_early_stops; /* an earlier actor already stopped during a later's on_stop */
static rt_Counter_impl order_impl;

static tact_status order_on_stop(tact_ctx *ctx, void *self) {
    if (atomic_fetch_add(&order_in_stop, 1) != 0)
        atomic_fetch_add(&order_overlaps, 1);
    uint64_t id = tact_actor_id(tact_ctx_self(ctx));
    /* Every actor started before this one must still accept messages: it is
     * stopped only once this one is dead. */
    for (int i = 0; i < ORDER_N; i++)
        if (order_actors[i] && tact_actor_id(order_actors[i]) < id &&
            !tact_actor_alive(order_actors[i]))
            atomic_fetch_add(&order_early_stops, 1);
    rt_sleep_ms(2); /* widens the window for an overlap */
    tact_status st = rt_counter_on_stop(ctx, self);
    atomic_fetch_sub(&order_in_stop, 1);
    return st;
}

static void stop_all_last_started_first(void **state) {
    (void)state;
    rt_log_reset();
    order_impl = rt_counter_hooks_impl;
    order_impl.on_stop = order_on_stop;
    atomic_store(&order_overlaps, 0);
    atomic_store(&order_early_stops, 0);
    tact_system *sys = rt_system(2);
    rt_Counter_ref c[ORDER_N];
    rt_Counter_add_get_future *f[ORDER_N][ORDER_QUEUED];
    for (int i = 0; i < ORDER_N; i++) {
        char name[16];
        snprintf(name, sizeof name, "order%d", i);
        tact_spawn_opts o = named(name);
        assert_int_equal(rt_Counter_spawn(sys, &order_impl, &o, &c[i]), TACT_OK);
        order_actors[i] = c[i].actor;
    }
    for (int i = 0; i < ORDER_N; i++) {
        assert_int_equal(rt_Counter_slow(c[i], 3, NULL), TACT_OK);
        for (int k = 0; k < ORDER_QUEUED; k++)
            assert_int_equal(rt_Counter_add_get(c[i], 1, &f[i][k]), TACT_OK);
    }
    assert_int_equal(tact_system_stop_all(sys), TACT_OK);
    /* Every actor is dead when it returns. */
    for (int i = 0; i < ORDER_N; i++) {
        assert_false(tact_actor_alive(c[i].actor));
        assert_int_equal(tact_actor_wait(c[i].actor, 0), TACT_OK);
    }
    /* The on_stop hooks ran one at a time, last started first, each after the
     * messages queued before its stop (1 slow + ORDER_QUEUED adds). */
    assert_int_equal(atomic_load(&order_overlaps), 0);
    assert_int_equal(atomic_load(&order_early_stops), 0);
    int seen = 0;
    uint64_t prev = UINT64_MAX;
    for (int i = 0; i < rt_log_count(); i++) {
        rt_event ev = rt_log_get(i);
        if (ev.kind != EV_STOP)
            continue;
        assert_true(ev.id < prev);
        prev = ev.id;
        assert_int_equal(ev.value, 1 + ORDER_QUEUED);
        seen++;
    }
    assert_int_equal(seen, ORDER_N);
    for (int i = 0; i < ORDER_N; i++) {
        for (int k = 0; k < ORDER_QUEUED; k++) {
            int64_t v = -1;
            assert_int_equal(rt_Counter_add_get_future_get(f[i][k], 0, &v), TACT_OK);
            assert_int_equal(v, k + 1);
            rt_Counter_add_get_future_free(f[i][k]);
        }
    }
    for (int i = 0; i < ORDER_N; i++)
        order_actors[i] = NULL;

    /* The system stays usable: spawn again, names free again, find, stop-all again. */
    rt_Counter_ref d;
    tact_spawn_opts o = named("order3");
    assert_int_equal(rt_Counter_spawn(sys, &rt_counter_impl, &o, &d), TACT_OK);
    assert_int_equal(rt_Counter_add(d, 2), TACT_OK);
    assert_int_equal(rt_counter_value(d), 2);
    rt_Counter_ref found;
    assert_int_equal(rt_Counter_find(sys, "order3", &found), TACT_OK);
    assert_ptr_equal(found.actor, d.actor);
    rt_Counter_ref_release(&found);
    assert_int_equal(tact_system_stop_all(sys), TACT_OK);
    assert_false(tact_actor_alive(d.actor));
    assert_int_equal(tact_system_stop_all(sys), TACT_OK); /* nothing left: harmless */
    rt_Counter_ref_release(&d);
    for (int i = 0; i < ORDER_N; i++)
        rt_Counter_ref_release(&c[i]);
    rt_Counter_ref e = rt_new_counter(sys);
    assert_int_equal(rt_counter_value(e), 0);
    rt_Counter_ref_release(&e);
    tact_system_destroy(&sys);
}

int main(void) {
    rt_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ids_unique_increasing_never_reused),
        cmocka_unit_test(names_find_and_reuse),
        cmocka_unit_test(lookup_by_id),
        cmocka_unit_test(list_by_type_and_all),
        cmocka_unit_test(broadcast_tells_every_live_actor_of_type),
        cmocka_unit_test(broadcast_during_churn),
        cmocka_unit_test(two_systems_independent),
        cmocka_unit_test(stop_all_last_started_first),
    };
    return cmocka_run_group_tests_name("runtime_registry", tests, NULL, NULL);
}
