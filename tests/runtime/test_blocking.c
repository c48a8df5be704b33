/* Blocking on futures inside handlers: Pykka's Bookkeeper on one worker,
 * self-asks and cycles fail with TACT_EDEADLK, 1,000 nested blocked handlers. */
#include <stdio.h>
#include <string.h>

#include "rt_common.h"

static void bookkeeper_one_worker(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    rt_Adder_ref adder;
    assert_int_equal(rt_Adder_spawn(sys, &rt_adder_impl, NULL, &adder), TACT_OK);
    rt_Bookkeeper_ref bk;
    assert_int_equal(rt_Bookkeeper_spawn(sys, &rt_bookkeeper_impl, adder, NULL, &bk), TACT_OK);
    atomic_store(&rt_adder_calls, 0);
    int64_t targets[] = {10, 1000};
    long calls = 0;
    for (int i = 0; i < 2; i++) {
        rt_Bookkeeper_count_to_future *f;
        assert_int_equal(rt_Bookkeeper_count_to(bk, targets[i], &f), TACT_OK);
        int64_t v = -1;
        tact_status st = rt_Bookkeeper_count_to_future_get(f, 30000, &v);
        if (st == TACT_EHANDLER) {
            const char *text = NULL;
            tact_future_error(rt_Bookkeeper_count_to_future_base(f), NULL, &text);
            print_error("count_to failed: %s\n", text);
        }
        assert_int_equal(st, TACT_OK);
        assert_int_equal(v, targets[i]);
        rt_Bookkeeper_count_to_future_free(f);
        calls += targets[i];
        assert_int_equal(atomic_load(&rt_adder_calls), calls);
    }
    rt_Bookkeeper_ref_release(&bk);
    rt_Adder_ref_release(&adder);
    tact_system_destroy(&sys);
}

/* Several Bookkeepers at once share one Adder, on one worker. */
static void bookkeepers_concurrent(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    rt_Adder_ref adder;
    assert_int_equal(rt_Adder_spawn(sys, &rt_adder_impl, NULL, &adder), TACT_OK);
    enum { B = 16 };
    rt_Bookkeeper_ref bk[B];
    rt_Bookkeeper_count_to_future *f[B];
    for (int i = 0; i < B; i++) {
        assert_int_equal(rt_Bookkeeper_spawn(sys, &rt_bookkeeper_impl, adder, NULL, &bk[i]),
                         TACT_OK);
        assert_int_equal(rt_Bookkeeper_count_to(bk[i], 200 + i, &f[i]), TACT_OK);
    }
    for (int i = 0; i < B; i++) {
        int64_t v = -1;
        assert_int_equal(rt_Bookkeeper_count_to_future_get(f[i], 30000, &v), TACT_OK);
        assert_int_equal(v, 200 + i);
        rt_Bookkeeper_count_to_future_free(f[i]);
        rt_Bookkeeper_ref_release(&bk[i]);
    }
    rt_Adder_ref_release(&adder);
    tact_system_destroy(&sys);
}

static void ask_self_deadlock(void **state) {
    (void)state;
    unsigned workers[] = {1, 4};
    for (int w = 0; w < 2; w++) {
        tact_system *sys = rt_system(workers[w]);
        rt_Node_ref n;
        assert_int_equal(rt_Node_spawn(sys, &rt_node_impl, NULL, &n), TACT_OK);
        rt_Node_ask_self_future *f;
        assert_int_equal(rt_Node_ask_self(n, &f), TACT_OK);
        int32_t st = 0;
        assert_int_equal(rt_Node_ask_self_future_get(f, 30000, &st), TACT_OK);
        assert_int_equal(st, TACT_EDEADLK);
        rt_Node_ask_self_future_free(f);
        /* The actor goes on, and handles its own ask afterwards. */
        rt_Node_chain_future *cf;
        assert_int_equal(rt_Node_chain(n, 0, &cf), TACT_OK);
        assert_int_equal(rt_Node_chain_future_get(cf, 30000, NULL), TACT_OK);
        rt_Node_chain_future_free(cf);
        rt_Node_ref_release(&n);
        tact_system_destroy(&sys);
    }
}

/* Builds a ring of n Nodes: node i's next is node (i+1) % n (or a chain when ring is 0). */
static void link_nodes(rt_Node_ref *nodes, int n, int ring) {
    for (int i = 0; i < n; i++) {
        if (!ring && i == n - 1)
            break;
        rt_Node_set_next_future *f;
        assert_int_equal(rt_Node_set_next(nodes[i], nodes[(i + 1) % n], &f), TACT_OK);
        assert_int_equal(rt_Node_set_next_future_get(f, TACT_FOREVER), TACT_OK);
        rt_Node_set_next_future_free(f);
    }
}

/* A's handler blocks on B, B's on A (ring of 2), or longer rings: the get
 * that closes the cycle fails with TACT_EDEADLK, and the others get answers. */
static void cycle_deadlock(void **state) {
    (void)state;
    int sizes[] = {2, 3, 5};
    unsigned workers[] = {1, 4};
    for (int w = 0; w < 2; w++)
        for (int s = 0; s < 3; s++) {
            int n = sizes[s];
            tact_system *sys = rt_system(workers[w]);
            rt_Node_ref nodes[5];
            for (int i = 0; i < n; i++)
                assert_int_equal(rt_Node_spawn(sys, &rt_node_impl, NULL, &nodes[i]), TACT_OK);
            link_nodes(nodes, n, 1);
            /* ping(n): node 0 -> 1 -> ... -> n-1 -> node 0 (ping 0): the last get closes the cycle. */
            rt_Node_ping_future *f;
            assert_int_equal(rt_Node_ping(nodes[0], n, &f), TACT_OK);
            int32_t v = 0;
            assert_int_equal(rt_Node_ping_future_get(f, 30000, &v), TACT_OK);
            assert_int_equal(v, TACT_EDEADLK);
            rt_Node_ping_future_free(f);
            /* No false alarm: a chain of the same length, not closed, answers 0. */
            assert_int_equal(rt_Node_ping(nodes[0], n - 1, &f), TACT_OK);
            v = -100;
            assert_int_equal(rt_Node_ping_future_get(f, 30000, &v), TACT_OK);
            assert_int_equal(v, 0);
            rt_Node_ping_future_free(f);
            for (int i = 0; i < n; i++)
                rt_Node_ref_release(&nodes[i]);
            tact_system_destroy(&sys); /* the ring's refs are released by on_stop */
        }
}

static long vm_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmSize: %ld kB", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

/* 1,000 handlers blocked in get at once, nested, on one worker. */
static void nested_thousand(void **state) {
    (void)state;
    enum { N = 1000 };
    tact_system *sys = rt_system(1);
    rt_Node_ref *nodes = calloc(N, sizeof *nodes);
    assert_non_null(nodes);
    for (int i = 0; i < N; i++)
        assert_int_equal(rt_Node_spawn(sys, &rt_node_impl, NULL, &nodes[i]), TACT_OK);
    link_nodes(nodes, N, 0);
    /* Three rounds (fewer when TACT_STRESS_SCALE is small: sanitizers make
     * each of the 1,000 handoff threads slow to start). */
    long rounds = rt_scaled(3, 1);
    for (long round = 0; round < rounds; round++) {
        rt_Node_chain_future *f;
        assert_int_equal(rt_Node_chain(nodes[0], N - 1, &f), TACT_OK);
        int64_t v = -1;
        assert_int_equal(rt_Node_chain_future_get(f, 60000, &v), TACT_OK);
        assert_int_equal(v, N - 1);
        rt_Node_chain_future_free(f);
    }
    for (int i = 0; i < N; i++)
        rt_Node_ref_release(&nodes[i]);
    free(nodes);
    tact_system_destroy(&sys);
}

/* Handlers that block hand their processor to another thread; once the burst
 * is over those threads must be reclaimed (joined), not left as exited-but-
 * unjoined threads whose stacks stay mapped. Rounds of 200 nested blocked
 * handlers: the address space must not grow round after round. */
static void blocking_threads_reclaimed(void **state) {
    (void)state;
    enum { N = 200, ROUNDS = 5 };
    tact_system *sys = rt_system(1);
    rt_Node_ref nodes[N];
    for (int i = 0; i < N; i++)
        assert_int_equal(rt_Node_spawn(sys, &rt_node_impl, NULL, &nodes[i]), TACT_OK);
    link_nodes(nodes, N, 0);
    long vm[ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
        rt_Node_chain_future *f;
        assert_int_equal(rt_Node_chain(nodes[0], N - 1, &f), TACT_OK);
        int64_t v = -1;
        assert_int_equal(rt_Node_chain_future_get(f, 60000, &v), TACT_OK);
        assert_int_equal(v, N - 1);
        rt_Node_chain_future_free(f);
        vm[round] = vm_kb();
    }
    print_message("    VmSize after round 1: %ld MB, after round %d: %ld MB\n", vm[0] / 1024,
                  ROUNDS, vm[ROUNDS - 1] / 1024);
    /* Allow 1 GB of slack; each leaked round costs ~1.5 GB (192 stacks of 8 MB). */
    assert_true(vm[ROUNDS - 1] - vm[0] < 1024L * 1024L);
    for (int i = 0; i < N; i++)
        rt_Node_ref_release(&nodes[i]);
    tact_system_destroy(&sys);
}

int main(void) {
    rt_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bookkeeper_one_worker),
        cmocka_unit_test(bookkeepers_concurrent),
        cmocka_unit_test(ask_self_deadlock),
        cmocka_unit_test(cycle_deadlock),
        cmocka_unit_test(nested_thousand),
        cmocka_unit_test(blocking_threads_reclaimed),
    };
    return cmocka_run_group_tests_name("runtime_blocking", tests, NULL, NULL);
}
