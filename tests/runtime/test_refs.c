/* References: kept past their system's destruction, not wanted at all (a
 * spawn without one), and resolved from ids without the system's lock while
 * their actors die. Run under valgrind too (runtime_refs_valgrind). */
#include <pthread.h>
#include <string.h>

#include "refs.tact.h"
#include "rt_common.h"

/* -- references that outlive their system ------------------------------------- */

static void refs_outlive_their_system(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref c = rt_new_counter(sys);
    assert_int_equal(rt_Counter_add(c, 5), TACT_OK);
    assert_int_equal(rt_counter_value(c), 5);
    rt_Counter_ref dup = rt_Counter_ref_dup(c);
    tact_spawn_opts opts = TACT_SPAWN_OPTS_INIT;
    opts.name = "keeper";
    rt_Echo_ref e;
    assert_int_equal(rt_Echo_spawn(sys, &rt_echo_impl, &opts, &e), TACT_OK);
    /* A periodic timer's handle, kept too. */
    tact_timer *timer;
    assert_int_equal(rt_Counter_add_after(c, 3600 * 1000, 3600 * 1000, 1, &timer), TACT_OK);
    /* A future answered before the destruction stays readable after it. */
    rt_Counter_get_future *done;
    assert_int_equal(rt_Counter_get(c, &done), TACT_OK);
    assert_int_equal(tact_future_wait(rt_Counter_get_future_base(done), TACT_FOREVER), TACT_OK);
    uint64_t id = tact_actor_id(c.actor);
    tact_actor_stats_t before;
    assert_int_equal(tact_actor_stats(c.actor, &before), TACT_OK);

    rt_Node_ref node;
    assert_int_equal(rt_Node_spawn(sys, &rt_node_impl, NULL, &node), TACT_OK);

    tact_system_destroy(&sys);
    assert_null(sys);

    /* Sends, asks and stops: the actor is dead. */
    assert_int_equal(rt_Counter_add(c, 1), TACT_EDEAD);
    rt_Counter_get_future *f = (rt_Counter_get_future *)1;
    assert_int_equal(rt_Counter_get(c, &f), TACT_EDEAD);
    assert_null(f);
    assert_int_equal(rt_Counter_get(dup, NULL), TACT_EDEAD);
    assert_int_equal(rt_Echo_store(e, "late"), TACT_EDEAD);
    /* Messages that carry references: to a dead actor as well, whatever they carry. */
    tact_system *other = rt_system(1);
    rt_Node_ref live;
    assert_int_equal(rt_Node_spawn(other, &rt_node_impl, NULL, &live), TACT_OK);
    assert_int_equal(rt_Node_set_next(node, live, NULL), TACT_EDEAD);
    assert_int_equal(rt_Node_set_next(node, node, NULL), TACT_EDEAD);
    /* Carried to a live actor: it belongs to another system (a gone one). */
    assert_int_equal(rt_Node_set_next(live, node, NULL), TACT_EXSYSTEM);
    rt_Node_ref_release(&live);
    tact_system_destroy(&other);
    rt_Node_ref_release(&node);
    assert_int_equal(rt_Counter_stop(c), TACT_EDEAD);
    assert_int_equal(rt_Counter_stop_wait(c, TACT_FOREVER), TACT_EDEAD);
    /* Waiting for its death: it is dead, whatever the timeout. */
    assert_int_equal(tact_actor_wait(c.actor, 0), TACT_OK);
    assert_int_equal(tact_actor_wait(c.actor, TACT_FOREVER), TACT_OK);
    /* What a reference says about its actor stays true. */
    assert_int_equal(tact_actor_id(c.actor), id);
    assert_false(tact_actor_alive(c.actor));
    assert_ptr_equal(tact_actor_type_of(c.actor), &rt_Counter_type);
    assert_string_equal(tact_actor_name(e.actor), "keeper");
    tact_actor_stats_t after;
    assert_int_equal(tact_actor_stats(c.actor, &after), TACT_OK);
    assert_int_equal(after.handled, before.handled);
    assert_int_equal(after.queued, 0);
    /* Its system is gone: no system to look anything up in. */
    assert_null(tact_actor_system(c.actor));
    rt_Counter_ref found = {(tact_actor *)1};
    assert_int_equal(rt_Counter_lookup(tact_actor_system(c.actor), id, &found), TACT_EINVAL);
    assert_null(found.actor);
    /* No new timers; the old one can still be cancelled. */
    assert_int_equal(rt_Counter_add_after(c, 1, 0, 1, NULL), TACT_EDEAD);
    assert_int_equal(tact_timer_cancel(timer), TACT_OK);
    /* The future kept its answer. */
    int64_t v = 0;
    assert_int_equal(rt_Counter_get_future_get(done, 0, &v), TACT_OK);
    assert_int_equal(v, 5);
    rt_Counter_get_future_free(done);
    /* Duplicated and released in any order; the last release frees the memory
     * (valgrind and the sanitizers check that nothing is left). */
    rt_Counter_ref again = rt_Counter_ref_dup(dup);
    assert_ptr_equal(again.actor, c.actor);
    rt_Counter_ref_release(&c);
    rt_Echo_ref_release(&e);
    assert_int_equal(rt_Counter_add(dup, 1), TACT_EDEAD);
    rt_Counter_ref_release(&dup);
    assert_int_equal(tact_actor_wait(again.actor, 10), TACT_OK);
    rt_Counter_ref_release(&again);
}

typedef struct releaser {
    rt_Counter_ref *refs;
    size_t n;
} releaser;

static void *release_all(void *arg) {
    releaser *r = arg;
    for (size_t i = 0; i < r->n; i++)
        rt_Counter_ref_release(&r->refs[i]);
    return NULL;
}

/* References released by another thread while the system is being destroyed:
 * the last of them, whichever thread holds it, frees what is left. */
static void refs_released_during_destroy(void **state) {
    (void)state;
    long rounds = rt_scaled(20, 3);
    enum { N = 64 };
    for (long r = 0; r < rounds; r++) {
        tact_system *sys = rt_system(2);
        rt_Counter_ref refs[N];
        for (size_t i = 0; i < N; i++) {
            refs[i] = rt_new_counter(sys);
            assert_int_equal(rt_Counter_add(refs[i], 1), TACT_OK);
        }
        releaser rel = {refs, N};
        pthread_t tid;
        assert_int_equal(pthread_create(&tid, NULL, release_all, &rel), 0);
        tact_system_destroy(&sys);
        pthread_join(tid, NULL);
    }
}

/* -- spawning without a reference --------------------------------------------- */

typedef struct parent_state {
    int unused;
} parent_state;

static const rf_Child_impl child_impl;

static tact_status parent_start(tact_ctx *ctx, void *self, const char *child) {
    (void)self;
    tact_status st = rt_gate_wait(ctx);
    if (st != TACT_OK)
        return st;
    tact_spawn_opts opts = TACT_SPAWN_OPTS_INIT;
    opts.name = child;
    return rf_Child_spawn(tact_ctx_system(ctx), &child_impl, &opts, NULL);
}

static tact_status parent_ready(tact_ctx *ctx, void *self, int32_t *reply) {
    (void)ctx, (void)self;
    *reply = 1;
    return TACT_OK;
}

static tact_status parent_spawn_child(tact_ctx *ctx, void *self, const char *name,
                                      int32_t *reply) {
    (void)self;
    tact_spawn_opts opts = TACT_SPAWN_OPTS_INIT;
    opts.name = name;
    *reply = rf_Child_spawn(tact_ctx_system(ctx), &child_impl, &opts, NULL);
    return TACT_OK;
}

static const rf_Parent_impl parent_impl = {.state_size = sizeof(parent_state),
                                           .on_start = parent_start,
                                           .ready = parent_ready,
                                           .spawn_child = parent_spawn_child};

static tact_status child_ping(tact_ctx *ctx, void *self, int32_t *reply) {
    (void)ctx, (void)self;
    *reply = 7;
    return TACT_OK;
}

static tact_status child_me(tact_ctx *ctx, void *self, rf_Child_ref *reply) {
    (void)self;
    *reply = rf_Child_self(ctx); /* borrowed: the reply carries its id */
    return TACT_OK;
}

static const rf_Child_impl child_impl = {rf_Child_HANDLERS(child_ping, child_me)};

/* A future outlives its system: read after tact_system_destroy, an actor-typed
 * reply resolves to a NULL reference (its actor is gone) and the future names
 * no system, rather than a freed one being looked in (valgrind: invalid read). */
static void future_outlives_its_system(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    rf_Child_ref c;
    assert_int_equal(rf_Child_spawn(sys, &child_impl, NULL, &c), TACT_OK);
    rf_Child_me_future *f;
    assert_int_equal(rf_Child_me(c, &f), TACT_OK);
    rf_Child_ref me;
    assert_int_equal(rf_Child_me_future_get(f, TACT_FOREVER, &me), TACT_OK);
    assert_ptr_equal(me.actor, c.actor);
    rf_Child_ref_release(&me);
    assert_ptr_equal(tact_future_system(rf_Child_me_future_base(f)), sys);
    tact_system_destroy(&sys);
    assert_null(tact_future_system(rf_Child_me_future_base(f)));
    me.actor = (tact_actor *)1;
    assert_int_equal(rf_Child_me_future_get(f, 0, &me), TACT_OK);
    assert_null(me.actor);
    rf_Child_me_future_free(f);
    rf_Child_ref_release(&c);
}

static int32_t ping(tact_system *sys, const char *name) {
    rf_Child_ref c;
    assert_int_equal(rf_Child_find(sys, name, &c), TACT_OK);
    rf_Child_ping_future *f;
    assert_int_equal(rf_Child_ping(c, &f), TACT_OK);
    int32_t v = 0;
    assert_int_equal(rf_Child_ping_future_get(f, TACT_FOREVER, &v), TACT_OK);
    rf_Child_ping_future_free(f);
    rf_Child_ref_release(&c);
    return v;
}

static void spawn_without_a_reference(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_gate_close();
    int entered = rt_gate_entered();
    rf_Parent_ref p;
    assert_int_equal(rf_Parent_spawn(sys, &parent_impl, "first", NULL, &p), TACT_OK);
    /* on_start has begun but not spawned yet: the child is not there. */
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() > entered, 10000));
    rf_Child_ref c = {(tact_actor *)1};
    assert_int_equal(rf_Child_find(sys, "first", &c), TACT_ENOTFOUND);
    assert_null(c.actor);
    rt_gate_open();
    /* Once any answer from the parent is in, its on_start has run. */
    rf_Parent_ready_future *rf;
    assert_int_equal(rf_Parent_ready(p, &rf), TACT_OK);
    int32_t one = 0;
    assert_int_equal(rf_Parent_ready_future_get(rf, TACT_FOREVER, &one), TACT_OK);
    rf_Parent_ready_future_free(rf);
    assert_int_equal(one, 1);
    assert_int_equal(ping(sys, "first"), 7);
    /* From a handler, and from a plain thread. */
    rf_Parent_spawn_child_future *sf;
    assert_int_equal(rf_Parent_spawn_child(p, "second", &sf), TACT_OK);
    int32_t st = -1;
    assert_int_equal(rf_Parent_spawn_child_future_get(sf, TACT_FOREVER, &st), TACT_OK);
    rf_Parent_spawn_child_future_free(sf);
    assert_int_equal(st, TACT_OK);
    tact_spawn_opts opts = TACT_SPAWN_OPTS_INIT;
    opts.name = "third";
    assert_int_equal(rf_Child_spawn(sys, &child_impl, &opts, NULL), TACT_OK);
    assert_int_equal(ping(sys, "second"), 7);
    assert_int_equal(ping(sys, "third"), 7);
    /* The children belong to the system, not to the parent. */
    assert_int_equal(rf_Parent_stop_wait(p, TACT_FOREVER), TACT_OK);
    rf_Parent_ref_release(&p);
    assert_int_equal(ping(sys, "first"), 7);
    /* Stopped through a reference found by name: then freed. */
    assert_int_equal(rf_Child_find(sys, "third", &c), TACT_OK);
    assert_int_equal(rf_Child_stop_wait(c, TACT_FOREVER), TACT_OK);
    rf_Child_ref_release(&c);
    assert_int_equal(rf_Child_find(sys, "third", &c), TACT_ENOTFOUND);
    /* The others stop with the system (valgrind: nothing leaks). */
    tact_system_destroy(&sys);
}

/* -- lookups by id ------------------------------------------------------------ */

static void lookups_of_unknown_and_dead_ids(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    rt_Counter_ref c = rt_new_counter(sys);
    uint64_t id = tact_actor_id(c.actor);
    const uint64_t unknown[] = {0, id + 1, id + 100000, UINT64_MAX / 2, UINT64_MAX};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        rt_Counter_ref r = {(tact_actor *)1};
        assert_int_equal(rt_Counter_lookup(sys, unknown[i], &r), TACT_ENOTFOUND);
        assert_null(r.actor);
    }
    rt_Counter_ref r;
    assert_int_equal(rt_Counter_lookup(sys, id, &r), TACT_OK);
    assert_ptr_equal(r.actor, c.actor);
    rt_Counter_ref_release(&r);
    rt_Echo_ref wrong = {(tact_actor *)1};
    assert_int_equal(rt_Echo_lookup(sys, id, &wrong), TACT_ENOTFOUND);
    assert_null(wrong.actor);
    /* Dead, still referenced: not found. Then freed: not found either. */
    assert_int_equal(rt_Counter_stop_wait(c, TACT_FOREVER), TACT_OK);
    assert_int_equal(rt_Counter_lookup(sys, id, &r), TACT_ENOTFOUND);
    assert_null(r.actor);
    rt_Counter_ref_release(&c);
    assert_int_equal(rt_Counter_lookup(sys, id, &r), TACT_ENOTFOUND);
    assert_null(r.actor);
    tact_system_destroy(&sys);
}

/* Plain threads look up random ids while the main thread spawns, stops and
 * releases actors: every lookup finds the actor with that id, alive, or
 * nothing (ThreadSanitizer and ASan check the memory). */
typedef struct looker {
    tact_system *sys;
    _Atomic uint64_t *max_id;
    _Atomic int *stop;
    _Atomic long found;
    long wrong; /* a lookup that returned anything else */
    unsigned seed;
} looker;

static void *look_up(void *arg) {
    looker *l = arg;
    while (!atomic_load(l->stop)) {
        uint64_t max = atomic_load(l->max_id);
        uint64_t id = max ? 1 + (uint64_t)rand_r(&l->seed) % max : 0;
        tact_actor *a = (tact_actor *)1;
        tact_status st = tact_system_find_id(l->sys, id, NULL, &a);
        tact_actor_stats_t stats;
        if (st == TACT_OK && tact_actor_id(a) == id && tact_actor_stats(a, &stats) == TACT_OK) {
            tact_actor_release(a);
            l->found++;
        } else if (st != TACT_ENOTFOUND || a) {
            l->wrong++;
        }
    }
    return NULL;
}

static void lookups_race_deaths(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    enum { THREADS = 3, LIVE = 600 };
    _Atomic uint64_t max_id = 0;
    _Atomic int stop = 0;
    looker lk[THREADS];
    pthread_t tid[THREADS];
    for (unsigned i = 0; i < THREADS; i++) {
        lk[i] = (looker){.sys = sys, .max_id = &max_id, .stop = &stop, .seed = i + 1};
        assert_int_equal(pthread_create(&tid[i], NULL, look_up, &lk[i]), 0);
    }
    /* Churn through many pages of ids, so that pages and directories are
     * freed and replaced under the readers too. */
    long total = rt_scaled(20000, 2000);
    rt_Counter_ref live[LIVE] = {{NULL}};
    for (long n = 0; n < total; n++) {
        size_t k = (size_t)n % LIVE;
        if (live[k].actor) {
            rt_Counter_stop(live[k]); /* dies and is freed on a worker meanwhile */
            rt_Counter_ref_release(&live[k]);
        }
        assert_int_equal(rt_Counter_spawn(sys, &rt_counter_impl, NULL, &live[k]), TACT_OK);
        atomic_store(&max_id, tact_actor_id(live[k].actor));
    }
    /* Lookups did find actors (live ones are left to find, however the
     * threads were scheduled meanwhile). */
    assert_true(RT_WAIT_UNTIL(atomic_load(&lk[0].found) > 0, 60000));
    atomic_store(&stop, 1);
    for (unsigned i = 0; i < THREADS; i++) {
        pthread_join(tid[i], NULL);
        assert_int_equal(lk[i].wrong, 0);
    }
    for (size_t k = 0; k < LIVE; k++)
        rt_Counter_ref_release(&live[k]);
    tact_system_destroy(&sys);
}

/* Ids carried in messages, resolved by the dispatch stubs on the workers,
 * while their actors stop and are freed. */
static tact_status peer_hit(tact_ctx *ctx, void *self, rf_Peer_ref from) {
    (void)ctx;
    if (from.actor && tact_actor_type_of(from.actor) == &rf_Peer_type)
        ++*(int64_t *)self;
    return TACT_OK;
}

static tact_status peer_resolved(tact_ctx *ctx, void *self, int64_t *reply) {
    (void)ctx;
    *reply = *(int64_t *)self;
    return TACT_OK;
}

static const rf_Peer_impl peer_impl = {
    .state_size = sizeof(int64_t), .hit = peer_hit, .resolved = peer_resolved};

static void ids_in_messages_race_deaths(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    enum { N = 32 };
    rf_Peer_ref sink;
    assert_int_equal(rf_Peer_spawn(sys, &peer_impl, NULL, &sink), TACT_OK);
    long rounds = rt_scaled(400, 40);
    for (long r = 0; r < rounds; r++) {
        rf_Peer_ref p[N];
        for (size_t i = 0; i < N; i++)
            assert_int_equal(rf_Peer_spawn(sys, &peer_impl, NULL, &p[i]), TACT_OK);
        /* Each names a sender about to die: resolved or not, never a freed one. */
        for (size_t i = 0; i < N; i++)
            assert_int_equal(rf_Peer_hit(p[(i + 1) % N], p[i]), TACT_OK);
        for (size_t i = 0; i < N; i++) {
            assert_int_equal(rf_Peer_hit(sink, p[i]), TACT_OK);
            rf_Peer_stop(p[i]);
            rf_Peer_ref_release(&p[i]);
        }
    }
    rf_Peer_resolved_future *f;
    assert_int_equal(rf_Peer_resolved(sink, &f), TACT_OK);
    int64_t resolved = -1;
    assert_int_equal(rf_Peer_resolved_future_get(f, TACT_FOREVER, &resolved), TACT_OK);
    rf_Peer_resolved_future_free(f);
    assert_true(resolved >= 0 && resolved <= rounds * N);
    rf_Peer_ref_release(&sink);
    tact_system_destroy(&sys);
}

int main(void) {
    rt_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(refs_outlive_their_system),
        cmocka_unit_test(future_outlives_its_system),
        cmocka_unit_test(refs_released_during_destroy),
        cmocka_unit_test(spawn_without_a_reference),
        cmocka_unit_test(lookups_of_unknown_and_dead_ids),
        cmocka_unit_test(lookups_race_deaths),
        cmocka_unit_test(ids_in_messages_race_deaths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
