/* tact_allping: N peers, each rallying with every other one: a message
 * carries its sender as an actor-typed field, which the receiver's dispatch
 * stub resolves by id before the handler answers it. Measures what passing
 * references costs (the id lookup ran under the system-wide lock once).
 *
 * Usage: tact_allping [N=32] [HOPS=200]   prints "tact allping NS ns/msg"
 * TACT_BENCH_WORKERS=n overrides the number of worker threads. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "allping.tact.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t all_done = PTHREAD_COND_INITIALIZER;
static long rallies_left;
static _Atomic long unresolved;

static tact_status hit(tact_ctx *ctx, void *self, allping_Peer_ref from, int32_t left) {
    (void)self;
    if (!from.actor) {
        unresolved++;
    } else if (left > 0) {
        return allping_Peer_hit(from, allping_Peer_self(ctx), left - 1);
    }
    pthread_mutex_lock(&lock);
    if (--rallies_left == 0)
        pthread_cond_signal(&all_done);
    pthread_mutex_unlock(&lock);
    return TACT_OK;
}

static const allping_Peer_impl peer_impl = {.hit = hit};

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 32, hops = argc > 2 ? atol(argv[2]) : 200;
    if (n < 2 || hops < 1 || hops > INT32_MAX) {
        fprintf(stderr, "usage: tact_allping [N>=2] [HOPS>=1]\n");
        return 2;
    }
    tact_system_opts o = TACT_SYSTEM_OPTS_INIT;
    if (getenv("TACT_BENCH_WORKERS"))
        o.workers = (unsigned)atoi(getenv("TACT_BENCH_WORKERS"));
    tact_system *sys;
    allping_Peer_ref *p = calloc((size_t)n, sizeof *p);
    if (!p || tact_system_new(&o, &sys) != TACT_OK)
        return 1;
    for (long i = 0; i < n; i++)
        if (allping_Peer_spawn(sys, &peer_impl, NULL, &p[i]) != TACT_OK)
            return 1;
    rallies_left = n * (n - 1);
    double t0 = now_ns();
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++)
            if (i != j && allping_Peer_hit(p[i], p[j], (int32_t)hops - 1) != TACT_OK)
                return 1;
    pthread_mutex_lock(&lock);
    while (rallies_left > 0)
        pthread_cond_wait(&all_done, &lock);
    pthread_mutex_unlock(&lock);
    double ns = now_ns() - t0;
    if (unresolved) {
        fprintf(stderr, "tact_allping: %ld references did not resolve\n", (long)unresolved);
        return 1;
    }
    printf("tact allping %.1f ns/msg (%ld peers, %ld msgs)\n", ns / (double)(n * (n - 1) * hops),
           n, n * (n - 1) * hops);
    for (long i = 0; i < n; i++)
        allping_Peer_ref_release(&p[i]);
    free(p);
    tact_system_destroy(&sys);
    return 0;
}
