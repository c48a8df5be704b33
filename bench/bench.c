/* tact_bench: the six workloads of the peer benchmarks (../shared/peers),
 * written as a tact user would write them: bench.actor, generated proxies,
 * one implementation table per actor type.
 *
 * Usage: tact_bench WORKLOAD [params]    prints "tact WORKLOAD VALUE UNIT"
 *   pingpong [N=200000]          ns/roundtrip     pingpong-raw [N]   (runtime's raw send path)
 *   ask [N=200000]               ns/call
 *   tell [S=2] [M=1000000]       msg/s            tell-raw [S] [M]   (runtime's raw send path)
 *   spawn [K=1000000]            ns/spawn and spawn-mem bytes/actor
 *   forkjoin [K=10000] [M=100]   msg/s
 *   ring [R=1000] [T=1000000]    ns/hop
 *   idle [SECONDS=2]             CPU time an idle system burns (ms of CPU per s)
 *   smoke                        every workload with small parameters
 * Each workload checks its result and exits 1 (message on stderr) if the work
 * was not done. TACT_BENCH_WORKERS=n overrides the number of worker threads. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench.h"

/* -- helpers ------------------------------------------------------------------ */

double bench_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

long bench_rss_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kb = atol(line + 6);
            break;
        }
    fclose(f);
    return kb;
}

_Noreturn void bench_fail(const char *what) {
    fprintf(stderr, "tact_bench: verification failed: %s\n", what);
    exit(1);
}

void bench_check(tact_status st, const char *what) {
    if (st != TACT_OK) {
        fprintf(stderr, "tact_bench: %s: %s\n", what, tact_strerror(st));
        exit(1);
    }
}

tact_system *bench_system(void) {
    tact_system_opts opts = TACT_SYSTEM_OPTS_INIT;
    const char *w = getenv("TACT_BENCH_WORKERS");
    if (w && *w)
        opts.workers = (unsigned)atoi(w);
    tact_system *sys;
    bench_check(tact_system_new(&opts, &sys), "tact_system_new");
    return sys;
}

void bench_latch_init(bench_latch *l, long target) {
    pthread_mutex_init(&l->mu, NULL);
    pthread_cond_init(&l->cv, NULL);
    l->count = 0;
    l->target = target;
    l->acc = 0;
    l->value = 0;
}

void bench_latch_report(bench_latch *l, double acc, long value) {
    pthread_mutex_lock(&l->mu);
    l->acc += acc;
    l->value += value;
    if (++l->count == l->target)
        pthread_cond_signal(&l->cv);
    pthread_mutex_unlock(&l->mu);
}

void bench_latch_wait(bench_latch *l) {
    pthread_mutex_lock(&l->mu);
    while (l->count < l->target)
        pthread_cond_wait(&l->cv, &l->mu);
    pthread_mutex_unlock(&l->mu);
}

void bench_latch_destroy(bench_latch *l) {
    pthread_mutex_destroy(&l->mu);
    pthread_cond_destroy(&l->cv);
}

static long arg(int argc, char **argv, int i, long dflt) {
    return argc > i ? atol(argv[i]) : dflt;
}

static tact_spawn_opts with_state(const void *init) {
    tact_spawn_opts o = TACT_SPAWN_OPTS_INIT;
    o.init_state = init;
    return o;
}

/* -- 1. pingpong ------------------------------------------------------------------
 * A (Pinger) sends B (Ponger) ping(k); B answers pong(k) to A; A sends ping(k+1)
 * on the pong, N round trips; A reports to the main thread. */

typedef struct ponger {
    bench_Pinger_ref peer;
} ponger;

static tact_status ponger_link(tact_ctx *ctx, void *self, bench_Pinger_ref peer) {
    (void)ctx;
    ((ponger *)self)->peer = bench_Pinger_ref_dup(peer);
    return TACT_OK;
}

static tact_status ponger_ping(tact_ctx *ctx, void *self, int32_t k) {
    (void)ctx;
    return bench_Pinger_pong(((ponger *)self)->peer, k);
}

static tact_status ponger_stop(tact_ctx *ctx, void *self) {
    (void)ctx;
    bench_Pinger_ref_release(&((ponger *)self)->peer);
    return TACT_OK;
}

static const bench_Ponger_impl ponger_impl = {
    .state_size = sizeof(ponger),
    .on_stop = ponger_stop,
    .link = ponger_link,
    .ping = ponger_ping,
};

typedef struct pinger {
    bench_Ponger_ref peer; /* owned */
    int32_t n;
    bench_latch *done;
} pinger;

static tact_status pinger_go(tact_ctx *ctx, void *self) {
    (void)ctx;
    return bench_Ponger_ping(((pinger *)self)->peer, 0);
}

static tact_status pinger_pong(tact_ctx *ctx, void *self, int32_t k) {
    pinger *p = self;
    if (k + 1 < p->n)
        return bench_Ponger_ping(p->peer, k + 1);
    bench_latch_report(p->done, 0, k + 1);
    return tact_ctx_stop(ctx);
}

static tact_status pinger_stop(tact_ctx *ctx, void *self) {
    (void)ctx;
    bench_Ponger_ref_release(&((pinger *)self)->peer);
    return TACT_OK;
}

static const bench_Pinger_impl pinger_impl = {
    .state_size = sizeof(pinger),
    .on_stop = pinger_stop,
    .go = pinger_go,
    .pong = pinger_pong,
};

static void bench_pingpong(long n, int quiet) {
    tact_system *sys = bench_system();
    bench_latch done;
    bench_latch_init(&done, 1);
    double t0 = bench_now_ns();
    bench_Ponger_ref b;
    bench_check(bench_Ponger_spawn(sys, &ponger_impl, NULL, &b), "spawn ponger");
    pinger init = {bench_Ponger_ref_dup(b), (int32_t)n, &done};
    tact_spawn_opts o = with_state(&init);
    bench_Pinger_ref a;
    bench_check(bench_Pinger_spawn(sys, &pinger_impl, &o, &a), "spawn pinger");
    bench_check(bench_Ponger_link(b, a), "link");
    bench_check(bench_Pinger_go(a), "go");
    bench_latch_wait(&done);
    double dt = bench_now_ns() - t0;
    if (done.value != n)
        bench_fail("pingpong: round trips");
    if (!quiet)
        printf("tact pingpong %.1f ns/roundtrip\n", dt / (double)n);
    bench_Pinger_ref_release(&a);
    bench_Ponger_ref_release(&b);
    tact_system_destroy(&sys);
    bench_latch_destroy(&done);
}

/* -- 2. ask -------------------------------------------------------------------------
 * The main thread asks inc(i) N times, waiting for each answer. */

static tact_status incr_inc(tact_ctx *ctx, void *self, int64_t x, int64_t *reply) {
    (void)ctx;
    (void)self;
    *reply = x + 1;
    return TACT_OK;
}

static const bench_Incr_impl incr_impl = {.inc = incr_inc};

static void bench_ask(long n, int quiet) {
    tact_system *sys = bench_system();
    bench_Incr_ref srv;
    bench_check(bench_Incr_spawn(sys, &incr_impl, NULL, &srv), "spawn incr");
    long sum = 0;
    double t0 = bench_now_ns();
    for (long i = 0; i < n; i++) {
        bench_Incr_inc_future *f;
        int64_t r;
        bench_check(bench_Incr_inc(srv, i, &f), "ask inc");
        bench_check(bench_Incr_inc_future_get(f, TACT_FOREVER, &r), "inc reply");
        bench_Incr_inc_future_free(f);
        sum += r;
    }
    double dt = bench_now_ns() - t0;
    if (sum != n * (n + 1) / 2)
        bench_fail("ask: sum of replies");
    if (!quiet)
        printf("tact ask %.1f ns/call\n", dt / (double)n);
    bench_Incr_ref_release(&srv);
    tact_system_destroy(&sys);
}

/* -- 3. tell ------------------------------------------------------------------------
 * S Sender actors each send M add() to one Counter, which reports at S*M. */

typedef struct counter {
    long count, total;
    bench_latch *done;
} counter;

static tact_status counter_add(tact_ctx *ctx, void *self, int32_t x) {
    (void)x;
    counter *c = self;
    if (++c->count == c->total) {
        bench_latch_report(c->done, 0, c->count);
        return tact_ctx_stop(ctx);
    }
    return TACT_OK;
}

static const bench_Counter_impl counter_impl = {.state_size = sizeof(counter), .add = counter_add};

typedef struct sender {
    bench_Counter_ref to; /* owned */
} sender;

static tact_status sender_go(tact_ctx *ctx, void *self, int64_t m) {
    sender *s = self;
    for (int64_t i = 0; i < m; i++) {
        tact_status st = bench_Counter_add(s->to, (int32_t)i);
        if (st != TACT_OK)
            return st;
    }
    return tact_ctx_stop(ctx);
}

static tact_status sender_stop(tact_ctx *ctx, void *self) {
    (void)ctx;
    bench_Counter_ref_release(&((sender *)self)->to);
    return TACT_OK;
}

static const bench_Sender_impl sender_impl = {
    .state_size = sizeof(sender), .on_stop = sender_stop, .go = sender_go};

static void bench_tell(long s, long m, int quiet) {
    tact_system *sys = bench_system();
    bench_latch done;
    bench_latch_init(&done, 1);
    counter cinit = {0, s * m, &done};
    tact_spawn_opts co = with_state(&cinit);
    bench_Counter_ref rcv;
    bench_check(bench_Counter_spawn(sys, &counter_impl, &co, &rcv), "spawn counter");
    bench_Sender_ref *senders = calloc((size_t)s, sizeof *senders);
    if (!senders)
        bench_fail("tell: out of memory");
    double t0 = bench_now_ns();
    for (long i = 0; i < s; i++) {
        sender sinit = {bench_Counter_ref_dup(rcv)};
        tact_spawn_opts so = with_state(&sinit);
        bench_check(bench_Sender_spawn(sys, &sender_impl, &so, &senders[i]), "spawn sender");
        bench_check(bench_Sender_go(senders[i], m), "go");
    }
    bench_latch_wait(&done);
    double dt = bench_now_ns() - t0;
    if (done.value != s * m)
        bench_fail("tell: count");
    if (!quiet)
        printf("tact tell %.0f msg/s\n", (double)(s * m) / (dt / 1e9));
    for (long i = 0; i < s; i++)
        bench_Sender_ref_release(&senders[i]);
    free(senders);
    bench_Counter_ref_release(&rcv);
    tact_system_destroy(&sys);
    bench_latch_destroy(&done);
}

/* -- 4. spawn -----------------------------------------------------------------------
 * K idle actors (state: a pointer to the latch), references kept in an array;
 * then each is told to quit and reports. */

typedef struct idle {
    bench_latch *done;
} idle;

static tact_status idle_quit(tact_ctx *ctx, void *self) {
    bench_latch_report(((idle *)self)->done, 0, 1);
    return tact_ctx_stop(ctx);
}

static const bench_Idle_impl idle_impl = {.state_size = sizeof(idle), .quit = idle_quit};

static void bench_spawn(long k, int quiet) {
    tact_system *sys = bench_system();
    bench_latch done;
    bench_latch_init(&done, k);
    /* Allocated (not touched) before the first RSS read, like CAF's reserve(). */
    bench_Idle_ref *xs = malloc((size_t)k * sizeof *xs);
    if (!xs)
        bench_fail("spawn: out of memory");
    idle init = {&done};
    tact_spawn_opts o = with_state(&init);
    long rss0 = bench_rss_kb();
    double t0 = bench_now_ns();
    for (long i = 0; i < k; i++)
        bench_check(bench_Idle_spawn(sys, &idle_impl, &o, &xs[i]), "spawn idle");
    double dt = bench_now_ns() - t0;
    long rss1 = bench_rss_kb();
    for (long i = 0; i < k; i++)
        bench_check(bench_Idle_quit(xs[i]), "quit");
    bench_latch_wait(&done);
    if (done.value != k)
        bench_fail("spawn: stopped count");
    if (!quiet) {
        printf("tact spawn %.1f ns/spawn\n", dt / (double)k);
        printf("tact spawn-mem %.0f bytes/actor\n", (double)(rss1 - rss0) * 1024.0 / (double)k);
    }
    for (long i = 0; i < k; i++)
        bench_Idle_ref_release(&xs[i]);
    free(xs);
    tact_system_destroy(&sys);
    bench_latch_destroy(&done);
}

/* -- 5. forkjoin ----------------------------------------------------------------------
 * Savina's Fork Join (throughput): K workers; M rounds of one work(37.2) to every
 * worker; each computes s = sin(theta), acc += s*s and reports acc after M. */

typedef struct worker {
    long count, m;
    double acc;
    bench_latch *done;
} worker;

static tact_status worker_work(tact_ctx *ctx, void *self, double theta) {
    worker *w = self;
    double s = sin(theta);
    w->acc += s * s;
    if (++w->count == w->m) {
        bench_latch_report(w->done, w->acc, 1);
        return tact_ctx_stop(ctx);
    }
    return TACT_OK;
}

static const bench_Worker_impl worker_impl = {.state_size = sizeof(worker), .work = worker_work};

static void bench_forkjoin(long k, long m, int quiet) {
    tact_system *sys = bench_system();
    bench_latch done;
    bench_latch_init(&done, k);
    bench_Worker_ref *ws = malloc((size_t)k * sizeof *ws);
    if (!ws)
        bench_fail("forkjoin: out of memory");
    worker init = {0, m, 0, &done};
    tact_spawn_opts o = with_state(&init);
    for (long i = 0; i < k; i++)
        bench_check(bench_Worker_spawn(sys, &worker_impl, &o, &ws[i]), "spawn worker");
    double t0 = bench_now_ns();
    for (long j = 0; j < m; j++)
        for (long i = 0; i < k; i++)
            bench_check(bench_Worker_work(ws[i], 37.2), "work");
    bench_latch_wait(&done);
    double dt = bench_now_ns() - t0;
    double s = sin(37.2);
    if (done.value != k || fabs(done.acc - (double)(k * m) * s * s) > 1e-6 * (double)(k * m))
        bench_fail("forkjoin: sum");
    if (!quiet)
        printf("tact forkjoin %.0f msg/s\n", (double)(k * m) / (dt / 1e9));
    for (long i = 0; i < k; i++)
        bench_Worker_ref_release(&ws[i]);
    free(ws);
    tact_system_destroy(&sys);
    bench_latch_destroy(&done);
}

/* -- 6. ring --------------------------------------------------------------------------
 * Savina's Thread Ring: R nodes, a token with a hop counter T passed on until 0;
 * the holder at 0 reports its position, which must be T mod R. */

typedef struct ring_node {
    bench_RingNode_ref next; /* owned */
    long id;
    bench_latch *done;
} ring_node;

static tact_status ring_link(tact_ctx *ctx, void *self, bench_RingNode_ref next) {
    (void)ctx;
    ((ring_node *)self)->next = bench_RingNode_ref_dup(next);
    return TACT_OK;
}

static tact_status ring_token(tact_ctx *ctx, void *self, int32_t left) {
    (void)ctx;
    ring_node *r = self;
    if (left == 0) {
        bench_latch_report(r->done, 0, r->id);
        return TACT_OK;
    }
    return bench_RingNode_token(r->next, left - 1);
}

static tact_status ring_stop(tact_ctx *ctx, void *self) {
    (void)ctx;
    bench_RingNode_ref_release(&((ring_node *)self)->next);
    return TACT_OK;
}

static const bench_RingNode_impl ring_impl = {
    .state_size = sizeof(ring_node), .on_stop = ring_stop, .link = ring_link, .token = ring_token};

static void bench_ring(long r, long t, int quiet) {
    tact_system *sys = bench_system();
    bench_latch done;
    bench_latch_init(&done, 1);
    bench_RingNode_ref *nodes = malloc((size_t)r * sizeof *nodes);
    if (!nodes)
        bench_fail("ring: out of memory");
    for (long i = 0; i < r; i++) {
        ring_node init = {{NULL}, i, &done};
        tact_spawn_opts o = with_state(&init);
        bench_check(bench_RingNode_spawn(sys, &ring_impl, &o, &nodes[i]), "spawn node");
    }
    for (long i = 0; i < r; i++)
        bench_check(bench_RingNode_link(nodes[i], nodes[(i + 1) % r]), "link");
    double t0 = bench_now_ns();
    bench_check(bench_RingNode_token(nodes[0], (int32_t)t), "token");
    bench_latch_wait(&done);
    double dt = bench_now_ns() - t0;
    if (done.value != t % r)
        bench_fail("ring: token position");
    if (!quiet)
        printf("tact ring %.1f ns/hop\n", dt / (double)t);
    for (long i = 0; i < r; i++)
        bench_RingNode_ref_release(&nodes[i]);
    free(nodes);
    tact_system_destroy(&sys);
    bench_latch_destroy(&done);
}

/* -- idle CPU -----------------------------------------------------------------------
 * A system that has just done some work, then nothing: its workers must spin
 * briefly and park. Reports the process's CPU time (user + system) over the
 * idle period, in ms of CPU per second of wall time. */

static double cpu_ms(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static void bench_idle(long seconds, int quiet) {
    tact_system *sys = bench_system();
    bench_Incr_ref srv;
    bench_check(bench_Incr_spawn(sys, &incr_impl, NULL, &srv), "spawn incr");
    for (int64_t i = 0; i < 1000; i++) { /* wake every worker up first */
        bench_Incr_inc_future *f;
        int64_t r;
        bench_check(bench_Incr_inc(srv, i, &f), "ask inc");
        bench_check(bench_Incr_inc_future_get(f, TACT_FOREVER, &r), "inc reply");
        bench_Incr_inc_future_free(f);
        if (r != i + 1)
            bench_fail("idle: reply");
    }
    double c0 = cpu_ms(), t0 = bench_now_ns();
    struct timespec ts = {seconds, 0};
    while (nanosleep(&ts, &ts) != 0)
        ;
    double used = cpu_ms() - c0, wall_s = (bench_now_ns() - t0) / 1e9;
    if (!quiet)
        printf("tact idle-cpu %.2f ms/s\n", used / wall_s);
    if (used / wall_s > 50)
        bench_fail("idle: an idle system burns CPU (more than 5% of a core)");
    bench_Incr_ref_release(&srv);
    tact_system_destroy(&sys);
}

/* -- main ---------------------------------------------------------------------------- */

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s pingpong|pingpong-raw|ask|tell|tell-raw|spawn|forkjoin|ring|"
                        "idle|smoke [params]\n",
                argv[0]);
        return 2;
    }
    const char *w = argv[1];
    if (strcmp(w, "pingpong") == 0)
        bench_pingpong(arg(argc, argv, 2, 200000), 0);
    else if (strcmp(w, "pingpong-raw") == 0)
        bench_pingpong_raw(arg(argc, argv, 2, 200000), 0);
    else if (strcmp(w, "ask") == 0)
        bench_ask(arg(argc, argv, 2, 200000), 0);
    else if (strcmp(w, "tell") == 0)
        bench_tell(arg(argc, argv, 2, 2), arg(argc, argv, 3, 1000000), 0);
    else if (strcmp(w, "tell-raw") == 0)
        bench_tell_raw(arg(argc, argv, 2, 2), arg(argc, argv, 3, 1000000), 0);
    else if (strcmp(w, "spawn") == 0)
        bench_spawn(arg(argc, argv, 2, 1000000), 0);
    else if (strcmp(w, "forkjoin") == 0)
        bench_forkjoin(arg(argc, argv, 2, 10000), arg(argc, argv, 3, 100), 0);
    else if (strcmp(w, "ring") == 0)
        bench_ring(arg(argc, argv, 2, 1000), arg(argc, argv, 3, 1000000), 0);
    else if (strcmp(w, "idle") == 0)
        bench_idle(arg(argc, argv, 2, 2), 0);
    else if (strcmp(w, "smoke") == 0) {
        /* Every workload, small, verified, quietly: for ctest. */
        bench_pingpong(1000, 1);
        bench_pingpong_raw(1000, 1);
        bench_ask(1000, 1);
        bench_tell(2, 10000, 1);
        bench_tell_raw(2, 10000, 1);
        bench_spawn(10000, 1);
        bench_forkjoin(100, 10, 1);
        bench_ring(10, 1000, 1);
        printf("tact_bench smoke: all workloads verified\n");
    } else {
        fprintf(stderr, "tact_bench: unknown workload %s\n", w);
        return 2;
    }
    return 0;
}
