/* The global run queue (runtime/gqueue.c) on its own: every actor pushed is
 * handed out exactly once across the lock-free ring and
 * its overflow, with producers and consumers at once (run it under
 * ThreadSanitizer too). Actors are stand-in pointers: the queue never looks
 * inside them. */
#include <pthread.h>

#include "gqueue.h"
#include "rt_common.h"

enum { THREADS = 2 };

static char items[400000];
static _Atomic int seen[400000];

static tact_actor *item(long i) {
    return (tact_actor *)(void *)&items[i];
}

static void mark(tact_actor *a) {
    long i = (char *)(void *)a - items;
    assert_true(i >= 0 && i < (long)sizeof items);
    atomic_fetch_add(&seen[i], 1);
}

static void reset(void) {
    for (size_t i = 0; i < sizeof items; i++)
        atomic_store(&seen[i], 0);
}

static void assert_each_once(long n) {
    for (long i = 0; i < n; i++)
        if (atomic_load(&seen[i]) != 1)
            fail_msg("item %ld handed out %d times", i, atomic_load(&seen[i]));
}

/* More than the ring holds: the rest goes through the overflow, and all comes back. */
static void fifo_and_overflow(void **state) {
    (void)state;
    reset();
    gqueue q;
    assert_int_equal(gqueue_init(&q), 0);
    assert_null(gqueue_pop(&q));
    long n = 40000;
    for (long i = 0; i < n; i++)
        gqueue_push(&q, item(i));
    assert_int_equal(gqueue_count(&q), n);
    tact_actor *a;
    long popped = 0;
    while ((a = gqueue_pop(&q))) {
        mark(a);
        popped++;
    }
    assert_int_equal(popped, n);
    assert_int_equal(gqueue_count(&q), 0);
    assert_each_once(n);
    gqueue_destroy(&q, NULL);
}

typedef struct ctx {
    gqueue *q;
    long from, to;
    _Atomic long *done;
    long total;
} ctx;

static void *producer(void *arg) {
    ctx *c = arg;
    for (long i = c->from; i < c->to; i++)
        gqueue_push(c->q, item(i));
    return NULL;
}

static void *consumer(void *arg) {
    ctx *c = arg;
    while (atomic_load(c->done) < c->total) {
        tact_actor *a = gqueue_pop(c->q);
        if (a) {
            mark(a);
            atomic_fetch_add(c->done, 1);
        }
    }
    return NULL;
}

static void concurrent_exactly_once(void **state) {
    (void)state;
    reset();
    gqueue q;
    assert_int_equal(gqueue_init(&q), 0);
    long n = rt_scaled(400000, 20000);
    _Atomic long done = 0;
    pthread_t p[THREADS], c[THREADS];
    ctx pc[THREADS], cc = {&q, 0, 0, &done, n};
    for (int i = 0; i < THREADS; i++) {
        pc[i] = (ctx){&q, n / THREADS * i, n / THREADS * (i + 1), &done, n};
        assert_int_equal(pthread_create(&p[i], NULL, producer, &pc[i]), 0);
        assert_int_equal(pthread_create(&c[i], NULL, consumer, &cc), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(p[i], NULL);
        pthread_join(c[i], NULL);
    }
    assert_int_equal(atomic_load(&done), n);
    assert_int_equal(gqueue_count(&q), 0);
    assert_null(gqueue_pop(&q));
    assert_each_once(n);
    gqueue_destroy(&q, NULL);
}

int main(void) {
    rt_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fifo_and_overflow),
        cmocka_unit_test(concurrent_exactly_once),
    };
    return cmocka_run_group_tests_name("runtime_gqueue", tests, NULL, NULL);
}
