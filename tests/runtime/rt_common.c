#include "rt_common.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

tact_system *rt_system(unsigned workers) {
    tact_system_opts o = TACT_SYSTEM_OPTS_INIT;
    o.workers = workers;
    tact_system *sys = NULL;
    assert_int_equal(tact_system_new(&o, &sys), TACT_OK);
    assert_non_null(sys);
    return sys;
}

/* -- gate ------------------------------------------------------------------- */

static _Atomic int gate_open = 1;
static _Atomic int gate_entered;

void rt_gate_close(void) {
    atomic_store(&gate_entered, 0);
    atomic_store(&gate_open, 0);
}
void rt_gate_open(void) {
    atomic_store(&gate_open, 1);
}
int rt_gate_entered(void) {
    return atomic_load(&gate_entered);
}

/* Waits for the gate, at most 30 s so that a broken test fails instead of hanging. */
tact_status rt_gate_wait(tact_ctx *ctx) {
    atomic_fetch_add(&gate_entered, 1);
    if (!RT_WAIT_UNTIL(atomic_load(&gate_open), 30000))
        return tact_ctx_fail(ctx, TACT_ETIMEDOUT, "gate never opened");
    return TACT_OK;
}

/* -- event log ---------------------------------------------------------------- */

enum { LOG_MAX = 1 << 16 };
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static rt_event log_events[LOG_MAX];
static int log_n;
static char *last_failure;

void rt_log_reset(void) {
    pthread_mutex_lock(&log_lock);
    log_n = 0;
    free(last_failure);
    last_failure = NULL;
    pthread_mutex_unlock(&log_lock);
}

void rt_log(int kind, uint64_t id, int64_t value) {
    pthread_mutex_lock(&log_lock);
    if (log_n < LOG_MAX)
        log_events[log_n++] = (rt_event){kind, id, value};
    pthread_mutex_unlock(&log_lock);
}

int rt_log_count(void) {
    pthread_mutex_lock(&log_lock);
    int n = log_n;
    pthread_mutex_unlock(&log_lock);
    return n;
}

rt_event rt_log_get(int i) {
    pthread_mutex_lock(&log_lock);
    rt_event e = i < log_n ? log_events[i] : (rt_event){0, 0, 0};
    pthread_mutex_unlock(&log_lock);
    return e;
}

int rt_log_count_of(int kind, uint64_t id) {
    int n = 0;
    pthread_mutex_lock(&log_lock);
    for (int i = 0; i < log_n; i++)
        n += log_events[i].kind == kind && log_events[i].id == id;
    pthread_mutex_unlock(&log_lock);
    return n;
}

char *rt_last_failure_text(void) {
    pthread_mutex_lock(&log_lock);
    char *s = last_failure ? strdup(last_failure) : NULL;
    pthread_mutex_unlock(&log_lock);
    return s;
}

/* -- dead letters --------------------------------------------------------------- */

static pthread_mutex_t dl_lock = PTHREAD_MUTEX_INITIALIZER;

void rt_dead_letter_fn(void *arg, uint64_t id, const char *method, tact_status reason) {
    rt_dead_letters *d = arg;
    pthread_mutex_lock(&dl_lock);
    snprintf(d->last_method, sizeof d->last_method, "%s", method ? method : "(null)");
    atomic_store(&d->last_id, id);
    atomic_store(&d->last_reason, reason);
    atomic_fetch_add(&d->count, 1);
    pthread_mutex_unlock(&dl_lock);
}

void rt_dead_letters_last_method(rt_dead_letters *d, char *out, size_t n) {
    pthread_mutex_lock(&dl_lock);
    snprintf(out, n, "%s", d->last_method);
    pthread_mutex_unlock(&dl_lock);
}

/* -- Counter ------------------------------------------------------------------- */

static uint64_t self_id(tact_ctx *ctx) {
    return tact_actor_id(tact_ctx_self(ctx));
}

static void first(tact_ctx *ctx, rt_counter *c) {
    if (c->handled++ == 0)
        rt_log(EV_FIRST, self_id(ctx), 0);
}

static tact_status c_add(tact_ctx *ctx, void *self, int64_t n) {
    rt_counter *c = self;
    first(ctx, c);
    c->count += n;
    return TACT_OK;
}
static tact_status c_get(tact_ctx *ctx, void *self, int64_t *reply) {
    rt_counter *c = self;
    first(ctx, c);
    *reply = c->count;
    return TACT_OK;
}
static tact_status c_add_get(tact_ctx *ctx, void *self, int64_t n, int64_t *reply) {
    rt_counter *c = self;
    first(ctx, c);
    c->count += n;
    *reply = c->count;
    return TACT_OK;
}
static tact_status c_seq(tact_ctx *ctx, void *self, uint32_t sender, uint64_t n) {
    rt_counter *c = self;
    first(ctx, c);
    if (sender >= RT_MAX_SENDERS || c->next[sender] != n)
        c->seq_errors++;
    if (sender < RT_MAX_SENDERS)
        c->next[sender] = n + 1;
    c->count++;
    return TACT_OK;
}
static tact_status c_seq_errors(tact_ctx *ctx, void *self, int64_t *reply) {
    (void)ctx;
    *reply = ((rt_counter *)self)->seq_errors;
    return TACT_OK;
}
static tact_status c_seq_next(tact_ctx *ctx, void *self, uint32_t sender, uint64_t *reply) {
    (void)ctx;
    *reply = sender < RT_MAX_SENDERS ? ((rt_counter *)self)->next[sender] : 0;
    return TACT_OK;
}
static tact_status c_slow(tact_ctx *ctx, void *self, int32_t ms, int64_t *reply) {
    rt_counter *c = self;
    first(ctx, c);
    rt_sleep_ms(ms);
    *reply = c->count;
    return TACT_OK;
}
static tact_status c_fail(tact_ctx *ctx, void *self, int32_t code, const char *text, int32_t times,
                          int64_t *reply) {
    (void)reply;
    first(ctx, self);
    if (times <= 0)
        return code;
    size_t len = strlen(text);
    char *buf = malloc(len * (size_t)times + 1);
    if (!buf)
        return TACT_ENOMEM;
    for (int32_t i = 0; i < times; i++)
        memcpy(buf + len * (size_t)i, text, len);
    buf[len * (size_t)times] = 0;
    tact_status st = tact_ctx_fail(ctx, code, "%s", buf);
    free(buf);
    return st;
}
static tact_status c_fail_tell(tact_ctx *ctx, void *self, int32_t code, const char *text) {
    first(ctx, self);
    return tact_ctx_fail(ctx, code, "%s", text);
}
static tact_status c_nothing(tact_ctx *ctx, void *self) {
    first(ctx, self);
    return TACT_OK;
}
static tact_status c_stop_self(tact_ctx *ctx, void *self, int32_t *reply) {
    first(ctx, self);
    *reply = tact_ctx_stop(ctx);
    return TACT_OK;
}
static tact_status c_gate(tact_ctx *ctx, void *self, int64_t *reply) {
    rt_counter *c = self;
    first(ctx, c);
    tact_status st = rt_gate_wait(ctx);
    *reply = c->count;
    return st;
}
static tact_status c_gate_tell(tact_ctx *ctx, void *self) {
    first(ctx, self);
    return rt_gate_wait(ctx);
}

tact_status rt_counter_on_start(tact_ctx *ctx, void *self) {
    (void)self;
    rt_log(EV_START, self_id(ctx), 0);
    return TACT_OK;
}
tact_status rt_counter_on_stop(tact_ctx *ctx, void *self) {
    rt_log(EV_STOP, self_id(ctx), ((rt_counter *)self)->handled);
    return TACT_OK;
}
void rt_counter_on_failure(tact_ctx *ctx, void *self, tact_status code, const char *message) {
    (void)self;
    pthread_mutex_lock(&log_lock);
    free(last_failure);
    last_failure = message ? strdup(message) : NULL;
    pthread_mutex_unlock(&log_lock);
    rt_log(EV_FAIL, self_id(ctx), code);
}

#define COUNTER_HANDLERS                                                                           \
    .state_size = sizeof(rt_counter), .add = c_add, .get = c_get, .add_get = c_add_get,            \
    .seq = c_seq, .seq_errors = c_seq_errors, .seq_next = c_seq_next, .slow = c_slow,              \
    .fail = c_fail, .fail_tell = c_fail_tell, .nothing = c_nothing, .stop_self = c_stop_self,      \
    .gate = c_gate, .gate_tell = c_gate_tell

const rt_Counter_impl rt_counter_impl = {COUNTER_HANDLERS};
const rt_Counter_impl rt_counter_hooks_impl = {
    COUNTER_HANDLERS,
    .on_start = rt_counter_on_start,
    .on_stop = rt_counter_on_stop,
    .on_failure = rt_counter_on_failure,
};

rt_Counter_ref rt_new_counter(tact_system *sys) {
    rt_Counter_ref c = {NULL};
    assert_int_equal(rt_Counter_spawn(sys, &rt_counter_impl, NULL, &c), TACT_OK);
    assert_non_null(c.actor);
    return c;
}

int64_t rt_counter_value(rt_Counter_ref c) {
    rt_Counter_get_future *f = NULL;
    assert_int_equal(rt_Counter_get(c, &f), TACT_OK);
    int64_t v = -1;
    assert_int_equal(rt_Counter_get_future_get(f, TACT_FOREVER, &v), TACT_OK);
    rt_Counter_get_future_free(f);
    return v;
}

/* -- Echo ------------------------------------------------------------------------ */

typedef struct echo {
    char *stored;
} echo;

static tact_status e_echo(tact_ctx *ctx, void *self, const char *s, char **reply) {
    (void)ctx, (void)self;
    return (*reply = strdup(s)) ? TACT_OK : TACT_ENOMEM;
}
static tact_status e_opt(tact_ctx *ctx, void *self, const char *prefix, const char *s,
                         const int32_t *n, char **reply) {
    (void)ctx, (void)self;
    char num[16] = "-";
    if (n)
        snprintf(num, sizeof num, "%d", (int)*n);
    size_t len = strlen(prefix) + (s ? strlen(s) : 1) + strlen(num) + 3;
    char *out = malloc(len);
    if (!out)
        return TACT_ENOMEM;
    snprintf(out, len, "%s|%s|%s", prefix, s ? s : "-", num);
    *reply = out;
    return TACT_OK;
}
static tact_status e_store(tact_ctx *ctx, void *self, const char *s) {
    (void)ctx;
    echo *e = self;
    free(e->stored);
    e->stored = strdup(s); /* handlers borrow their arguments: keep a copy */
    return TACT_OK;
}
static tact_status e_stored(tact_ctx *ctx, void *self, char **reply) {
    (void)ctx;
    echo *e = self;
    return (*reply = strdup(e->stored ? e->stored : "")) ? TACT_OK : TACT_ENOMEM;
}
static tact_status e_on_stop(tact_ctx *ctx, void *self) {
    (void)ctx;
    echo *e = self;
    free(e->stored);
    e->stored = NULL;
    return TACT_OK;
}

const rt_Echo_impl rt_echo_impl = {
    .state_size = sizeof(echo),
    .on_stop = e_on_stop,
    .echo = e_echo,
    .opt = e_opt,
    .store = e_store,
    .stored = e_stored,
};

/* -- Starter ------------------------------------------------------------------------ */

typedef struct starter {
    char *name;
    int64_t start;
} starter;

static tact_status s_on_start(tact_ctx *ctx, void *self, const char *name, int64_t start) {
    starter *s = self;
    s->name = strdup(name);
    s->start = start;
    rt_log(EV_START, self_id(ctx), start);
    return TACT_OK;
}
static tact_status s_on_stop(tact_ctx *ctx, void *self) {
    starter *s = self;
    rt_log(EV_STOP, self_id(ctx), s->start);
    free(s->name);
    s->name = NULL;
    return TACT_OK;
}
static tact_status s_value(tact_ctx *ctx, void *self, int64_t *reply) {
    (void)ctx;
    *reply = ((starter *)self)->start;
    return TACT_OK;
}
static tact_status s_name(tact_ctx *ctx, void *self, char **reply) {
    (void)ctx;
    starter *s = self;
    return (*reply = strdup(s->name ? s->name : "(on_start did not run)")) ? TACT_OK : TACT_ENOMEM;
}

const rt_Starter_impl rt_starter_impl = {
    .state_size = sizeof(starter),
    .on_start = s_on_start,
    .on_stop = s_on_stop,
    .value = s_value,
    .name = s_name,
};

/* -- Adder and Bookkeeper ---------------------------------------------------------- */

_Atomic long rt_adder_calls;

static tact_status a_add_one(tact_ctx *ctx, void *self, int64_t i, int64_t *reply) {
    (void)ctx, (void)self;
    atomic_fetch_add(&rt_adder_calls, 1);
    *reply = i + 1;
    return TACT_OK;
}

const rt_Adder_impl rt_adder_impl = {.state_size = 0, .add_one = a_add_one};

typedef struct bookkeeper {
    rt_Adder_ref adder;
} bookkeeper;

static tact_status b_on_start(tact_ctx *ctx, void *self, rt_Adder_ref adder) {
    (void)ctx;
    if (!adder.actor)
        return tact_ctx_fail(ctx, TACT_EINVAL, "no adder");
    ((bookkeeper *)self)->adder = rt_Adder_ref_dup(adder);
    return TACT_OK;
}
static tact_status b_on_stop(tact_ctx *ctx, void *self) {
    (void)ctx;
    rt_Adder_ref_release(&((bookkeeper *)self)->adder);
    return TACT_OK;
}
static tact_status b_count_to(tact_ctx *ctx, void *self, int64_t target, int64_t *reply) {
    bookkeeper *b = self;
    int64_t i = 0;
    while (i < target) {
        rt_Adder_add_one_future *f;
        tact_status st = rt_Adder_add_one(b->adder, i, &f);
        if (st != TACT_OK)
            return tact_ctx_fail(ctx, st, "add_one(%lld) refused", (long long)i);
        int64_t next = -1;
        st = rt_Adder_add_one_future_get(f, TACT_FOREVER, &next);
        rt_Adder_add_one_future_free(f);
        if (st != TACT_OK)
            return tact_ctx_fail(ctx, st, "add_one(%lld) failed", (long long)i);
        if (next != i + 1)
            return tact_ctx_fail(ctx, TACT_EINVAL, "add_one(%lld) gave %lld", (long long)i,
                                 (long long)next);
        i = next;
    }
    *reply = i;
    return TACT_OK;
}

const rt_Bookkeeper_impl rt_bookkeeper_impl = {
    .state_size = sizeof(bookkeeper),
    .on_start = b_on_start,
    .on_stop = b_on_stop,
    .count_to = b_count_to,
};

/* -- Node ---------------------------------------------------------------------------- */

typedef struct node {
    rt_Node_ref next;
} node;

static tact_status n_set_next(tact_ctx *ctx, void *self, rt_Node_ref next) {
    node *n = self;
    if (!next.actor)
        return tact_ctx_fail(ctx, TACT_EINVAL, "next is not a live Node");
    rt_Node_ref_release(&n->next);
    n->next = rt_Node_ref_dup(next);
    return TACT_OK;
}
static tact_status n_chain(tact_ctx *ctx, void *self, int32_t depth, int64_t *reply) {
    node *n = self;
    if (depth <= 0) {
        *reply = 0;
        return TACT_OK;
    }
    rt_Node_chain_future *f;
    tact_status st = rt_Node_chain(n->next, depth - 1, &f);
    if (st != TACT_OK)
        return tact_ctx_fail(ctx, st, "chain refused at depth %d", (int)depth);
    int64_t v = -1;
    st = rt_Node_chain_future_get(f, TACT_FOREVER, &v);
    rt_Node_chain_future_free(f);
    if (st != TACT_OK)
        return tact_ctx_fail(ctx, st, "chain failed at depth %d", (int)depth);
    *reply = v + 1;
    return TACT_OK;
}
static tact_status n_ask_self(tact_ctx *ctx, void *self, int32_t *reply) {
    (void)self;
    rt_Node_chain_future *f;
    tact_status st = rt_Node_chain(rt_Node_self(ctx), 0, &f);
    if (st != TACT_OK)
        return tact_ctx_fail(ctx, st, "ask to self refused");
    *reply = rt_Node_chain_future_get(f, 10000, NULL);
    rt_Node_chain_future_free(f);
    return TACT_OK;
}
static tact_status n_ping(tact_ctx *ctx, void *self, int32_t hops, int32_t *reply) {
    node *n = self;
    if (hops <= 0) {
        *reply = 0;
        return TACT_OK;
    }
    rt_Node_ping_future *f;
    tact_status st = rt_Node_ping(n->next, hops - 1, &f);
    if (st != TACT_OK)
        return tact_ctx_fail(ctx, st, "ping refused");
    int32_t v = -100;
    /* 20 s: a missed cycle shows as a timeout, not a hang. */
    st = rt_Node_ping_future_get(f, 20000, &v);
    rt_Node_ping_future_free(f);
    *reply = st == TACT_OK ? v : st;
    return TACT_OK;
}
static tact_status n_wait_self(tact_ctx *ctx, void *self, int32_t *reply) {
    (void)self;
    *reply = tact_actor_wait(tact_ctx_self(ctx), 1000);
    return TACT_OK;
}
static tact_status n_on_stop(tact_ctx *ctx, void *self) {
    (void)ctx;
    rt_Node_ref_release(&((node *)self)->next);
    return TACT_OK;
}

const rt_Node_impl rt_node_impl = {
    .state_size = sizeof(node),
    .on_stop = n_on_stop,
    .set_next = n_set_next,
    .chain = n_chain,
    .ask_self = n_ask_self,
    .ping = n_ping,
    .wait_self = n_wait_self,
};

/* -- Sink and Flooder (test_flow) ------------------------------------------------ */

typedef struct sink {
    int64_t taken, max_depth;
} sink;

static tact_status s_take(tact_ctx *ctx, void *self, int64_t x) {
    (void)x;
    sink *s = self;
    if (s->taken++ % 64 == 0) {
        tact_actor_stats_t st;
        if (tact_actor_stats(tact_ctx_self(ctx), &st) == TACT_OK && (int64_t)st.queued > s->max_depth)
            s->max_depth = (int64_t)st.queued;
    }
    return TACT_OK;
}
static tact_status s_taken(tact_ctx *ctx, void *self, int64_t *reply) {
    (void)ctx;
    *reply = ((sink *)self)->taken;
    return TACT_OK;
}
static tact_status s_max_depth(tact_ctx *ctx, void *self, int64_t *reply) {
    (void)ctx;
    *reply = ((sink *)self)->max_depth;
    return TACT_OK;
}
static tact_status s_gate(tact_ctx *ctx, void *self) {
    (void)self;
    return rt_gate_wait(ctx);
}

const rt_Sink_impl rt_sink_impl = {.state_size = sizeof(sink),
                                   .take = s_take,
                                   .taken = s_taken,
                                   .max_depth = s_max_depth,
                                   .gate = s_gate};

static tact_status f_flood(tact_ctx *ctx, void *self, rt_Sink_ref to, int64_t n, int32_t *reply) {
    (void)ctx, (void)self;
    *reply = 0;
    for (int64_t i = 0; i < n && *reply == 0; i++)
        *reply = rt_Sink_take(to, i);
    return TACT_OK;
}
static tact_status f_flood_self(tact_ctx *ctx, void *self, int64_t n, int32_t *reply) {
    (void)self;
    *reply = 0;
    for (int64_t i = 0; i < n && *reply == 0; i++)
        *reply = rt_Flooder_tick(rt_Flooder_self(ctx));
    return TACT_OK;
}
static tact_status f_tick(tact_ctx *ctx, void *self) {
    (void)ctx;
    ++*(int64_t *)self;
    return TACT_OK;
}
static tact_status f_ticks(tact_ctx *ctx, void *self, int64_t *reply) {
    (void)ctx;
    *reply = *(int64_t *)self;
    return TACT_OK;
}

const rt_Flooder_impl rt_flooder_impl = {.state_size = sizeof(int64_t),
                                         .flood = f_flood,
                                         .flood_self = f_flood_self,
                                         .tick = f_tick,
                                         .ticks = f_ticks};
