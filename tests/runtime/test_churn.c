/* Memory after churn: a daemon that spawns, uses and stops actors for weeks
 * must come back near its idle footprint. 10^6 actors (times
 * TACT_STRESS_SCALE) go through a live system in five batches; afterwards, with the
 * system still alive and idle, the process may be at most 64 MiB above where
 * it started (resident set, /proc/self/statm). Not built under sanitizers,
 * whose shadow memory and quarantines make the resident set meaningless. */
#include <stdio.h>
#include <unistd.h>

#include "rt_common.h"

static long rss_bytes(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    assert_non_null(f);
    long size = 0, resident = 0;
    assert_int_equal(fscanf(f, "%ld %ld", &size, &resident), 2);
    fclose(f);
    return resident * sysconf(_SC_PAGESIZE);
}

/* One batch: spawn n Counters, tell and ask each, stop them all, wait for
 * every death, drop the references. */
static void churn_batch(tact_system *sys, rt_Counter_ref *refs, rt_Counter_add_get_future **fs,
                        long n) {
    for (long i = 0; i < n; i++)
        assert_int_equal(rt_Counter_spawn(sys, &rt_counter_impl, NULL, &refs[i]), TACT_OK);
    for (long i = 0; i < n; i++) {
        assert_int_equal(rt_Counter_add(refs[i], 2), TACT_OK);
        assert_int_equal(rt_Counter_add_get(refs[i], 1, &fs[i]), TACT_OK);
    }
    for (long i = 0; i < n; i++) {
        int64_t v = -1;
        assert_int_equal(rt_Counter_add_get_future_get(fs[i], 30000, &v), TACT_OK);
        assert_int_equal(v, 3);
        rt_Counter_add_get_future_free(fs[i]);
        assert_int_equal(tact_actor_stop(refs[i].actor), TACT_OK);
    }
    for (long i = 0; i < n; i++) {
        assert_int_equal(tact_actor_wait(refs[i].actor, 30000), TACT_OK);
        rt_Counter_ref_release(&refs[i]);
    }
}

static void rss_back_near_start_after_churn(void **state) {
    (void)state;
    /* Large batches: 2 * 10^5 actors alive at once leave most of their blocks
     * in malloc's free lists when they go (without trimming: ~150 MiB). */
    long batch = rt_scaled(200000, 1000), total = 5 * batch;
    tact_system *sys = rt_system(0);
    rt_Counter_ref *refs = calloc((size_t)batch, sizeof *refs);
    rt_Counter_add_get_future **fs = calloc((size_t)batch, sizeof *fs);
    assert_non_null(refs);
    assert_non_null(fs);
    /* The start: the system up and its threads' first allocations made. */
    churn_batch(sys, refs, fs, 100);
    rt_sleep_ms(100);
    long start = rss_bytes();
    for (long done = 0; done < total; done += batch)
        churn_batch(sys, refs, fs, batch);
    /* Idle: the workers park, and give back what they hold on the way. */
    rt_sleep_ms(300);
    long grown = rss_bytes() - start;
    print_message("%ld actors churned: resident set %+.1f MiB\n", total,
                  (double)grown / (1 << 20));
    assert_true(grown <= 64L << 20);
    /* Still alive and usable. */
    rt_Counter_ref c = rt_new_counter(sys);
    assert_int_equal(rt_counter_value(c), 0);
    rt_Counter_ref_release(&c);
    free(refs);
    free(fs);
    tact_system_destroy(&sys);
}

int main(void) {
    rt_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rss_back_near_start_after_churn),
    };
    return cmocka_run_group_tests_name("runtime_churn", tests, NULL, NULL);
}
