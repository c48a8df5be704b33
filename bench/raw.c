/* pingpong and tell on the runtime's raw send path: hand-written actor types
 * and methods, tact_actor_spawn, tact_msg_new + tact_actor_tell, no generated
 * proxy or dispatch stub in between. Only the protobuf-c request structs (and
 * their descriptors, which tact_msg_new needs for the size and defaults) come
 * from bench.actor. The difference to "pingpong" and "tell" is what the
 * generated proxies cost. */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

static tact_status raw_start(tact_ctx *ctx, const void *impl, void *self, const void *args) {
    (void)ctx, (void)impl, (void)self, (void)args;
    return TACT_OK;
}

static void raw_failure(tact_ctx *ctx, const void *impl, void *self, tact_status code,
                        const char *message) {
    (void)ctx, (void)impl, (void)self;
    fprintf(stderr, "tact_bench: raw actor failed: %s (%d)\n", message, code);
}

static int raw_wants_start(const void *impl) {
    (void)impl;
    return 0;
}

/* -- pingpong ----------------------------------------------------------------------- */

typedef struct rponger {
    tact_actor *peer; /* the pinger, owned */
} rponger;

typedef struct rpinger {
    tact_actor *peer; /* the ponger, owned */
    int32_t n;
    bench_latch *done;
} rpinger;

static tact_status rpong_invoke(tact_ctx *, const void *, void *, const void *, void *);
static const tact_actor_type rponger_type, rpinger_type; /* defined below */
static tact_status rping_invoke(tact_ctx *, const void *, void *, const void *, void *);
static tact_status rgo_invoke(tact_ctx *, const void *, void *, const void *, void *);
static tact_status rlink_invoke(tact_ctx *, const void *, void *, const void *, void *);

static const tact_method rping_method = {"ping", TACT_METHOD_TELL,
                                         &bench__ponger__ping_request__descriptor, NULL,
                                         rping_invoke, TACT_METHOD_FLAT_REQUEST, &rponger_type};
static const tact_method rpong_method = {"pong", TACT_METHOD_TELL,
                                         &bench__pinger__pong_request__descriptor, NULL,
                                         rpong_invoke, TACT_METHOD_FLAT_REQUEST, &rpinger_type};
static const tact_method rgo_method = {"go", TACT_METHOD_TELL,
                                       &bench__pinger__go_request__descriptor, NULL, rgo_invoke,
                                       TACT_METHOD_FLAT_REQUEST, &rpinger_type};

/* The raw sends: what a generated proxy does, minus its checks and its
 * typed wrapper. */
static tact_status raw_ping(tact_actor *to, int32_t k) {
    Bench__Ponger__PingRequest *req;
    tact_msg *m;
    tact_status st = tact_msg_new(&rping_method, (void **)&req, &m);
    if (st != TACT_OK)
        return st;
    req->k = k;
    return tact_actor_tell(to, m);
}

static tact_status raw_pong(tact_ctx *ctx, tact_actor *to, int32_t k) {
    (void)ctx;
    Bench__Pinger__PongRequest *req;
    tact_msg *m;
    tact_status st = tact_msg_new(&rpong_method, (void **)&req, &m);
    if (st != TACT_OK)
        return st;
    req->k = k;
    return tact_actor_tell(to, m);
}

static const tact_method rlink_method = {"link", TACT_METHOD_TELL,
                                         &bench__ponger__link_request__descriptor, NULL,
                                         rlink_invoke, TACT_METHOD_FLAT_REQUEST, &rponger_type};

static tact_status rlink_invoke(tact_ctx *ctx, const void *impl, void *self, const void *request,
                                void *reply) {
    (void)impl, (void)reply;
    const Bench__Ponger__LinkRequest *req = request;
    return tact_system_find_id(tact_ctx_system(ctx), req->peer, NULL, &((rponger *)self)->peer);
}

static tact_status rping_invoke(tact_ctx *ctx, const void *impl, void *self, const void *request,
                                void *reply) {
    (void)ctx, (void)impl, (void)reply;
    const Bench__Ponger__PingRequest *req = request;
    return raw_pong(ctx, ((rponger *)self)->peer, req->k);
}

static tact_status rpong_invoke(tact_ctx *ctx, const void *impl, void *self, const void *request,
                                void *reply) {
    (void)impl, (void)reply;
    const Bench__Pinger__PongRequest *req = request;
    rpinger *p = self;
    if (req->k + 1 < p->n)
        return raw_ping(p->peer, req->k + 1);
    bench_latch_report(p->done, 0, req->k + 1);
    return tact_ctx_stop(ctx);
}

static tact_status rgo_invoke(tact_ctx *ctx, const void *impl, void *self, const void *request,
                              void *reply) {
    (void)ctx, (void)impl, (void)request, (void)reply;
    return raw_ping(((rpinger *)self)->peer, 0);
}

static tact_status rponger_stop(tact_ctx *ctx, const void *impl, void *self) {
    (void)ctx, (void)impl;
    tact_actor_release(((rponger *)self)->peer);
    return TACT_OK;
}

static tact_status rpinger_stop(tact_ctx *ctx, const void *impl, void *self) {
    (void)ctx, (void)impl;
    tact_actor_release(((rpinger *)self)->peer);
    return TACT_OK;
}

static const tact_actor_type rponger_type = {"bench.RawPonger", raw_start, rponger_stop,
                                             raw_failure, raw_wants_start, NULL, NULL};
static const tact_actor_type rpinger_type = {"bench.RawPinger", raw_start, rpinger_stop,
                                             raw_failure, raw_wants_start, NULL, NULL};
static const char raw_impl; /* the runtime wants a non-NULL implementation pointer */

void bench_pingpong_raw(long n, int quiet) {
    tact_system *sys = bench_system();
    bench_latch done;
    bench_latch_init(&done, 1);
    double t0 = bench_now_ns();
    tact_actor *b, *a;
    bench_check(tact_actor_spawn(sys, &rponger_type, &raw_impl, sizeof(rponger), NULL, NULL, &b),
                "spawn raw ponger");
    rpinger ainit = {tact_actor_retain(b), (int32_t)n, &done};
    tact_spawn_opts ao = TACT_SPAWN_OPTS_INIT;
    ao.init_state = &ainit;
    bench_check(tact_actor_spawn(sys, &rpinger_type, &raw_impl, sizeof(rpinger), NULL, &ao, &a),
                "spawn raw pinger");
    /* The ponger learns its pinger through a link message, as an id (what the
     * generated code sends for an actor-typed parameter). */
    Bench__Ponger__LinkRequest *lreq;
    tact_msg *lm;
    bench_check(tact_msg_new(&rlink_method, (void **)&lreq, &lm), "msg_new link");
    lreq->peer = tact_actor_id(a);
    bench_check(tact_actor_tell(b, lm), "link");
    tact_msg *m;
    void *req;
    bench_check(tact_msg_new(&rgo_method, &req, &m), "msg_new go");
    bench_check(tact_actor_tell(a, m), "go");
    bench_latch_wait(&done);
    double dt = bench_now_ns() - t0;
    if (done.value != n)
        bench_fail("pingpong-raw: round trips");
    if (!quiet)
        printf("tact pingpong-raw %.1f ns/roundtrip\n", dt / (double)n);
    tact_actor_release(a);
    tact_actor_release(b);
    tact_system_destroy(&sys);
    bench_latch_destroy(&done);
}

/* -- tell ----------------------------------------------------------------------------- */

typedef struct rcounter {
    long count, total;
    bench_latch *done;
} rcounter;

typedef struct rsender {
    tact_actor *to; /* owned */
} rsender;

static tact_status radd_invoke(tact_ctx *, const void *, void *, const void *, void *);
static const tact_actor_type rcounter_type, rsender_type; /* defined below */
static tact_status rsend_invoke(tact_ctx *, const void *, void *, const void *, void *);

static const tact_method radd_method = {"add", TACT_METHOD_TELL,
                                        &bench__counter__add_request__descriptor, NULL,
                                        radd_invoke, TACT_METHOD_FLAT_REQUEST, &rcounter_type};
static const tact_method rsend_method = {"go", TACT_METHOD_TELL,
                                         &bench__sender__go_request__descriptor, NULL,
                                         rsend_invoke, TACT_METHOD_FLAT_REQUEST, &rsender_type};

static tact_status radd_invoke(tact_ctx *ctx, const void *impl, void *self, const void *request,
                               void *reply) {
    (void)impl, (void)request, (void)reply;
    rcounter *c = self;
    if (++c->count == c->total) {
        bench_latch_report(c->done, 0, c->count);
        return tact_ctx_stop(ctx);
    }
    return TACT_OK;
}

static tact_status rsend_invoke(tact_ctx *ctx, const void *impl, void *self, const void *request,
                                void *reply) {
    (void)impl, (void)reply;
    const Bench__Sender__GoRequest *req = request;
    tact_actor *to = ((rsender *)self)->to;
    for (int64_t i = 0; i < req->m; i++) {
        Bench__Counter__AddRequest *add;
        tact_msg *m;
        tact_status st = tact_msg_new(&radd_method, (void **)&add, &m);
        if (st != TACT_OK)
            return st;
        add->x = (int32_t)i;
        if ((st = tact_actor_tell(to, m)) != TACT_OK)
            return st;
    }
    return tact_ctx_stop(ctx);
}

static tact_status rsender_stop(tact_ctx *ctx, const void *impl, void *self) {
    (void)ctx, (void)impl;
    tact_actor_release(((rsender *)self)->to);
    return TACT_OK;
}

static tact_status rcounter_stop(tact_ctx *ctx, const void *impl, void *self) {
    (void)ctx, (void)impl, (void)self;
    return TACT_OK;
}

static const tact_actor_type rcounter_type = {"bench.RawCounter", raw_start, rcounter_stop,
                                              raw_failure, raw_wants_start, NULL, NULL};
static const tact_actor_type rsender_type = {"bench.RawSender", raw_start, rsender_stop,
                                             raw_failure, raw_wants_start, NULL, NULL};

void bench_tell_raw(long s, long m, int quiet) {
    tact_system *sys = bench_system();
    bench_latch done;
    bench_latch_init(&done, 1);
    rcounter cinit = {0, s * m, &done};
    tact_spawn_opts co = TACT_SPAWN_OPTS_INIT;
    co.init_state = &cinit;
    tact_actor *rcv;
    bench_check(tact_actor_spawn(sys, &rcounter_type, &raw_impl, sizeof(rcounter), NULL, &co, &rcv),
                "spawn raw counter");
    tact_actor **senders = calloc((size_t)s, sizeof *senders);
    if (!senders)
        bench_fail("tell-raw: out of memory");
    double t0 = bench_now_ns();
    for (long i = 0; i < s; i++) {
        rsender sinit = {tact_actor_retain(rcv)};
        tact_spawn_opts so = TACT_SPAWN_OPTS_INIT;
        so.init_state = &sinit;
        bench_check(tact_actor_spawn(sys, &rsender_type, &raw_impl, sizeof(rsender), NULL, &so,
                                     &senders[i]),
                    "spawn raw sender");
        Bench__Sender__GoRequest *req;
        tact_msg *msg;
        bench_check(tact_msg_new(&rsend_method, (void **)&req, &msg), "msg_new go");
        req->m = m;
        bench_check(tact_actor_tell(senders[i], msg), "go");
    }
    bench_latch_wait(&done);
    double dt = bench_now_ns() - t0;
    if (done.value != s * m)
        bench_fail("tell-raw: count");
    if (!quiet)
        printf("tact tell-raw %.0f msg/s\n", (double)(s * m) / (dt / 1e9));
    for (long i = 0; i < s; i++)
        tact_actor_release(senders[i]);
    free(senders);
    tact_actor_release(rcv);
    tact_system_destroy(&sys);
    bench_latch_destroy(&done);
}
