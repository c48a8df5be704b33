/* More on actors and messages: pinned actors, per-actor stats, zero-copy
 * (_give) sends, properties, actor-typed arguments, deep-copy isolation of
 * message-typed arguments. */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "rt_common.h"

/* -- Doc helpers ------------------------------------------------------------------ */

static void leaf_digest(FILE *out, const rt_Leaf *l) {
    fprintf(out, "<%s", l->name ? l->name : "(null)");
    for (size_t i = 0; i < l->n_tags; i++)
        fprintf(out, ",%s", l->tags[i]);
    fputc('>', out);
}

/* Every string of d (and the blob) joined with '|': a heap string. */
static char *doc_digest(const rt_Doc *d) {
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (!out)
        return NULL;
    if (!d) {
        fputs("(no doc)", out);
    } else {
        fprintf(out, "%s", d->title ? d->title : "(null)");
        for (size_t i = 0; i < d->n_lines; i++)
            fprintf(out, "|%s", d->lines[i]);
        for (size_t i = 0; i < d->n_leaves; i++) {
            fputc('|', out);
            leaf_digest(out, d->leaves[i]);
        }
        fputs("|main:", out);
        if (d->main)
            leaf_digest(out, d->main);
        fputs("|blob:", out);
        fwrite(d->blob.data ? (const char *)d->blob.data : "", 1, d->blob.len, out);
    }
    fclose(out);
    return buf;
}

static char *xstrdup(const char *s) {
    char *p = strdup(s);
    assert_non_null(p);
    return p;
}

static rt_Leaf *heap_leaf(const char *name, int ntags) {
    rt_Leaf *l = malloc(sizeof *l);
    assert_non_null(l);
    *l = (rt_Leaf)rt_Leaf_INIT;
    l->name = xstrdup(name);
    l->n_tags = (size_t)ntags;
    l->tags = ntags ? malloc(sizeof *l->tags * (size_t)ntags) : NULL;
    for (int i = 0; i < ntags; i++) {
        char t[32];
        snprintf(t, sizeof t, "%s-tag%d", name, i);
        l->tags[i] = xstrdup(t);
    }
    return l;
}

/* A Doc built wholly from heap pieces, for _give. */
static rt_Doc *heap_doc(const char *title) {
    rt_Doc *d = malloc(sizeof *d);
    assert_non_null(d);
    *d = (rt_Doc)rt_Doc_INIT;
    d->title = xstrdup(title);
    d->n_lines = 3;
    d->lines = malloc(sizeof *d->lines * 3);
    for (int i = 0; i < 3; i++) {
        char s[32];
        snprintf(s, sizeof s, "%s-line%d", title, i);
        d->lines[i] = xstrdup(s);
    }
    d->n_leaves = 2;
    d->leaves = malloc(sizeof *d->leaves * 2);
    d->leaves[0] = heap_leaf("a", 2);
    d->leaves[1] = heap_leaf("b", 0);
    d->main = heap_leaf("m", 1);
    d->blob.len = 4;
    d->blob.data = malloc(4);
    memcpy(d->blob.data, "blob", 4);
    return d;
}

static char *expected_heap_digest(const char *title) {
    rt_Doc *d = heap_doc(title);
    char *s = doc_digest(d);
    tact_pb_free(&rt_Doc_descriptor, d);
    return s;
}

/* -- Box ---------------------------------------------------------------------- */

typedef struct box {
    int64_t level;
    int64_t sum;
    rt_Doc *kept;
    char *stored;
} box;

static tact_status b_get_level(tact_ctx *ctx, void *self, int64_t *reply) {
    (void)ctx;
    *reply = ((box *)self)->level;
    return TACT_OK;
}
static tact_status b_set_level(tact_ctx *ctx, void *self, int64_t value) {
    (void)ctx;
    ((box *)self)->level = value;
    return TACT_OK;
}
static tact_status b_bump(tact_ctx *ctx, void *self) {
    (void)ctx;
    box *b = self;
    b->sum += b->level;
    return TACT_OK;
}
static tact_status b_sum(tact_ctx *ctx, void *self, int64_t *reply) {
    (void)ctx;
    *reply = ((box *)self)->sum;
    return TACT_OK;
}
static tact_status b_gate(tact_ctx *ctx, void *self, int64_t *reply) {
    (void)self;
    *reply = 0;
    return rt_gate_wait(ctx);
}
static tact_status b_digest(tact_ctx *ctx, void *self, const rt_Doc *d, char **reply) {
    (void)ctx, (void)self;
    return (*reply = doc_digest(d)) ? TACT_OK : TACT_ENOMEM;
}
static tact_status b_keep(tact_ctx *ctx, void *self, const rt_Doc *d) {
    box *b = self;
    void *copy = NULL;
    /* Handlers borrow their arguments: keep a copy. */
    tact_status st = tact_pb_dup(&rt_Doc_descriptor, d, &copy);
    if (st != TACT_OK)
        return tact_ctx_fail(ctx, st, "dup failed");
    tact_pb_free(&rt_Doc_descriptor, b->kept);
    b->kept = copy;
    return TACT_OK;
}
static tact_status b_kept(tact_ctx *ctx, void *self, rt_Doc *reply) {
    box *b = self;
    if (!b->kept)
        return tact_ctx_fail(ctx, TACT_ENOTFOUND, "nothing kept");
    const rt_Doc *k = b->kept;
    /* The reply is a pre-made message: fill it with heap pieces. */
    reply->title = tact_strdup(k->title);
    reply->n_lines = k->n_lines;
    reply->lines = calloc(k->n_lines ? k->n_lines : 1, sizeof *reply->lines);
    for (size_t i = 0; i < k->n_lines; i++)
        reply->lines[i] = tact_strdup(k->lines[i]);
    reply->n_leaves = k->n_leaves;
    reply->leaves = calloc(k->n_leaves ? k->n_leaves : 1, sizeof *reply->leaves);
    for (size_t i = 0; i < k->n_leaves; i++) {
        void *l = NULL;
        if (tact_pb_dup(&rt_Leaf_descriptor, k->leaves[i], &l) != TACT_OK)
            return tact_ctx_fail(ctx, TACT_ENOMEM, "dup failed");
        reply->leaves[i] = l;
    }
    if (k->main) {
        void *l = NULL;
        if (tact_pb_dup(&rt_Leaf_descriptor, k->main, &l) != TACT_OK)
            return tact_ctx_fail(ctx, TACT_ENOMEM, "dup failed");
        reply->main = l;
    }
    return tact_bytes_copy(&reply->blob, k->blob);
}
static char *join3(const char *s, ProtobufCBinaryData b, const rt_Doc *d) {
    char *dd = doc_digest(d);
    if (!dd)
        return NULL;
    size_t n = strlen(s) + b.len + strlen(dd) + 3;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s|%.*s|%s", s, (int)b.len, b.data ? (const char *)b.data : "", dd);
    free(dd);
    return out;
}
static tact_status b_take(tact_ctx *ctx, void *self, const char *s, ProtobufCBinaryData b,
                          const rt_Doc *d, char **reply) {
    (void)ctx, (void)self;
    return (*reply = join3(s, b, d)) ? TACT_OK : TACT_ENOMEM;
}
static tact_status b_take_tell(tact_ctx *ctx, void *self, const char *s, const rt_Doc *d) {
    (void)ctx;
    box *bx = self;
    ProtobufCBinaryData none = {0, NULL};
    free(bx->stored);
    bx->stored = join3(s, none, d);
    return bx->stored ? TACT_OK : TACT_ENOMEM;
}
static tact_status b_stored(tact_ctx *ctx, void *self, char **reply) {
    (void)ctx;
    box *b = self;
    return (*reply = tact_strdup(b->stored ? b->stored : "")) ? TACT_OK : TACT_ENOMEM;
}
static tact_status b_read_byte(tact_ctx *ctx, void *self, int32_t fd, int32_t *reply) {
    (void)self;
    unsigned char c;
    ssize_t n;
    do
        n = read(fd, &c, 1);
    while (n < 0);
    if (n != 1)
        return tact_ctx_fail(ctx, TACT_ESYS, "read returned %zd", n);
    *reply = c;
    return TACT_OK;
}
static tact_status b_poke(tact_ctx *ctx, void *self, rt_Counter_ref c, int64_t n) {
    (void)self;
    if (!c.actor) /* the counter was gone when the message arrived */
        return tact_ctx_fail(ctx, 99, "no counter");
    return rt_Counter_add(c, n);
}
static tact_status b_poke_ask(tact_ctx *ctx, void *self, rt_Counter_ref c, int64_t n,
                              int32_t *reply) {
    (void)ctx, (void)self;
    *reply = rt_Counter_add(c, n);
    return TACT_OK;
}
static tact_status b_on_stop(tact_ctx *ctx, void *self) {
    (void)ctx;
    box *b = self;
    tact_pb_free(&rt_Doc_descriptor, b->kept);
    free(b->stored);
    b->kept = NULL;
    b->stored = NULL;
    return TACT_OK;
}
static void b_on_failure(tact_ctx *ctx, void *self, tact_status code, const char *message) {
    b_on_stop(ctx, self);
    rt_counter_on_failure(ctx, self, code, message);
}

static const rt_Box_impl box_impl = {
    .state_size = sizeof(box),
    .on_stop = b_on_stop,
    .on_failure = b_on_failure,
    .get_level = b_get_level,
    .set_level = b_set_level,
    .bump = b_bump,
    .sum = b_sum,
    .gate = b_gate,
    .digest = b_digest,
    .keep = b_keep,
    .kept = b_kept,
    .take = b_take,
    .take_tell = b_take_tell,
    .stored = b_stored,
    .read_byte = b_read_byte,
    .poke = b_poke,
    .poke_ask = b_poke_ask,
};

static rt_Box_ref new_box(tact_system *sys, int pinned) {
    tact_spawn_opts o = TACT_SPAWN_OPTS_INIT;
    o.pinned = pinned;
    rt_Box_ref b = {NULL};
    assert_int_equal(rt_Box_spawn(sys, &box_impl, &o, &b), TACT_OK);
    return b;
}

static int64_t box_sum(rt_Box_ref b) {
    rt_Box_sum_future *f;
    assert_int_equal(rt_Box_sum(b, &f), TACT_OK);
    int64_t v = -1;
    assert_int_equal(rt_Box_sum_future_get(f, 10000, &v), TACT_OK);
    rt_Box_sum_future_free(f);
    return v;
}

/* -- pinned ---------------------------------------------------------------------- */

/* On a one-worker system a pinned actor blocked in read() does not hold up the
 * others: another actor keeps answering meanwhile. */
static void pinned_read_does_not_stall_pool(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    rt_Box_ref pinned = new_box(sys, 1);
    rt_Counter_ref other = rt_new_counter(sys);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    rt_Box_read_byte_future *rf;
    assert_int_equal(rt_Box_read_byte(pinned, fds[0], &rf), TACT_OK);
    tact_actor_stats_t st;
    assert_true(RT_WAIT_UNTIL(
        (tact_actor_stats(pinned.actor, &st) == TACT_OK && st.handled == 1), 10000));
    for (int i = 0; i < 200; i++) {
        rt_Counter_add_get_future *f;
        assert_int_equal(rt_Counter_add_get(other, 1, &f), TACT_OK);
        int64_t v = -1;
        assert_int_equal(rt_Counter_add_get_future_get(f, 10000, &v), TACT_OK);
        assert_int_equal(v, i + 1);
        rt_Counter_add_get_future_free(f);
    }
    assert_false(tact_future_done(rt_Box_read_byte_future_base(rf))); /* still in read() */
    assert_int_equal(write(fds[1], "A", 1), 1);
    int32_t byte = -1;
    assert_int_equal(rt_Box_read_byte_future_get(rf, 10000, &byte), TACT_OK);
    assert_int_equal(byte, 'A');
    rt_Box_read_byte_future_free(rf);

    /* The pinned actor is an actor like any other: properties, order, stop. */
    assert_int_equal(rt_Box_set_level(pinned, 3, NULL), TACT_OK);
    for (int i = 0; i < 10; i++)
        assert_int_equal(rt_Box_bump(pinned), TACT_OK);
    assert_int_equal(box_sum(pinned), 30);
    assert_int_equal(rt_Box_stop_wait(pinned, 10000), TACT_OK);
    assert_int_equal(rt_Box_bump(pinned), TACT_EDEAD);
    close(fds[0]);
    close(fds[1]);
    rt_Box_ref_release(&pinned);
    rt_Counter_ref_release(&other);
    tact_system_destroy(&sys);
}

/* The same with a handler that sleeps (the gate polls with nanosleep), and
 * several pinned actors blocked at once; then a destroy with pinned actors alive. */
static void pinned_sleepers_do_not_stall_pool(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    enum { P = 3 };
    rt_Counter_ref pinned[P];
    rt_Counter_gate_future *g[P];
    tact_spawn_opts o = TACT_SPAWN_OPTS_INIT;
    o.pinned = 1;
    rt_gate_close();
    for (int i = 0; i < P; i++) {
        assert_int_equal(rt_Counter_spawn(sys, &rt_counter_impl, &o, &pinned[i]), TACT_OK);
        assert_int_equal(rt_Counter_gate(pinned[i], &g[i]), TACT_OK);
    }
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == P, 10000));
    rt_Counter_ref other = rt_new_counter(sys);
    for (int i = 0; i < 100; i++)
        assert_int_equal(rt_Counter_add(other, 1), TACT_OK);
    rt_Counter_get_future *f;
    assert_int_equal(rt_Counter_get(other, &f), TACT_OK);
    int64_t v = -1;
    assert_int_equal(rt_Counter_get_future_get(f, 10000, &v), TACT_OK);
    assert_int_equal(v, 100);
    rt_Counter_get_future_free(f);
    for (int i = 0; i < P; i++)
        assert_false(tact_future_done(rt_Counter_gate_future_base(g[i])));
    rt_gate_open();
    for (int i = 0; i < P; i++) {
        assert_int_equal(rt_Counter_gate_future_get(g[i], 10000, NULL), TACT_OK);
        rt_Counter_gate_future_free(g[i]);
    }
    /* A pinned actor blocking on a future (Bookkeeper/Adder) works too. */
    rt_Adder_ref adder;
    assert_int_equal(rt_Adder_spawn(sys, &rt_adder_impl, NULL, &adder), TACT_OK);
    rt_Bookkeeper_ref bk;
    assert_int_equal(rt_Bookkeeper_spawn(sys, &rt_bookkeeper_impl, adder, &o, &bk), TACT_OK);
    rt_Bookkeeper_count_to_future *cf;
    assert_int_equal(rt_Bookkeeper_count_to(bk, 50, &cf), TACT_OK);
    assert_int_equal(rt_Bookkeeper_count_to_future_get(cf, 10000, &v), TACT_OK);
    assert_int_equal(v, 50);
    rt_Bookkeeper_count_to_future_free(cf);
    rt_Bookkeeper_ref_release(&bk);
    rt_Adder_ref_release(&adder);
    for (int i = 0; i < P; i++)
        rt_Counter_ref_release(&pinned[i]);
    rt_Counter_ref_release(&other);
    tact_system_destroy(&sys); /* pinned actors alive: stopped, threads joined */
}

/* -- stats -------------------------------------------------------------------------- */

static void actor_stats(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Counter_ref c = rt_new_counter(sys);
    tact_actor_stats_t st = {99, 99};
    assert_int_equal(tact_actor_stats(c.actor, &st), TACT_OK);
    assert_int_equal(st.handled, 0);
    assert_int_equal(st.queued, 0);

    rt_gate_close();
    rt_Counter_gate_future *g;
    assert_int_equal(rt_Counter_gate(c, &g), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    for (int i = 0; i < 10; i++)
        assert_int_equal(rt_Counter_add(c, 1), TACT_OK);
    /* While the gate blocks the handler: one taken, ten waiting. */
    assert_int_equal(tact_actor_stats(c.actor, &st), TACT_OK);
    assert_int_equal(st.handled, 1);
    assert_int_equal(st.queued, 10);
    rt_Counter_add_get_future *af;
    assert_int_equal(rt_Counter_add_get(c, 1, &af), TACT_OK);
    assert_int_equal(tact_actor_stats(c.actor, &st), TACT_OK);
    assert_int_equal(st.queued, 11);
    rt_gate_open();
    int64_t v = -1;
    assert_int_equal(rt_Counter_add_get_future_get(af, 10000, &v), TACT_OK);
    assert_int_equal(v, 11);
    rt_Counter_add_get_future_free(af);
    assert_int_equal(rt_Counter_gate_future_get(g, 10000, NULL), TACT_OK);
    rt_Counter_gate_future_free(g);
    /* gate + 10 adds + add_get, and nothing waiting. */
    assert_true(RT_WAIT_UNTIL(
        (tact_actor_stats(c.actor, &st) == TACT_OK && st.handled == 12), 10000));
    assert_int_equal(st.queued, 0);
    assert_int_equal(rt_counter_value(c), 11);
    assert_int_equal(tact_actor_stats(c.actor, &st), TACT_OK);
    assert_int_equal(st.handled, 13);
    assert_int_equal(st.queued, 0);
    /* A dead actor keeps its counts; refused sends are not counted. (The stop
     * request itself goes through the mailbox and may count as one.) */
    assert_int_equal(rt_Counter_stop_wait(c, 10000), TACT_OK);
    assert_int_equal(tact_actor_stats(c.actor, &st), TACT_OK);
    uint64_t handled_at_death = st.handled;
    assert_true(handled_at_death == 13 || handled_at_death == 14);
    assert_int_equal(st.queued, 0);
    assert_int_equal(rt_Counter_add(c, 1), TACT_EDEAD);
    assert_int_equal(tact_actor_stats(c.actor, &st), TACT_OK);
    assert_int_equal(st.handled, handled_at_death);
    assert_int_equal(st.queued, 0);
    assert_int_equal(tact_actor_stats(NULL, &st), TACT_EINVAL);
    assert_int_equal(tact_actor_stats(c.actor, NULL), TACT_EINVAL);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

/* -- zero copy ------------------------------------------------------------------------ */

static ProtobufCBinaryData heap_bytes(const char *s) {
    ProtobufCBinaryData b;
    b.len = strlen(s);
    b.data = malloc(b.len);
    assert_non_null(b.data);
    memcpy(b.data, s, b.len);
    return b;
}

/* Ownership is handed over on every path: the test frees nothing it gave, and
 * ASan/valgrind see neither a leak nor a double free. */
static void give_hands_ownership_over(void **state) {
    (void)state;
    rt_log_reset();
    tact_system *sys = rt_system(2);
    rt_dead_letters dl = {0};
    tact_system_on_dead_letter(sys, rt_dead_letter_fn, &dl);
    rt_Box_ref b = new_box(sys, 0);

    /* Delivered: the receiver sees exactly what was given. */
    rt_Box_take_future *tf;
    assert_int_equal(rt_Box_take_give(b, xstrdup("given"), heap_bytes("raw"), heap_doc("d1"), &tf),
                     TACT_OK);
    const char *s = NULL;
    assert_int_equal(rt_Box_take_future_get(tf, 10000, &s), TACT_OK);
    char *dd = expected_heap_digest("d1");
    char want[512];
    snprintf(want, sizeof want, "given|raw|%s", dd);
    assert_string_equal(s, want);
    rt_Box_take_future_free(tf);
    rt_Box_digest_future *df;
    assert_int_equal(rt_Box_digest_give(b, heap_doc("d1"), &df), TACT_OK);
    assert_int_equal(rt_Box_digest_future_get(df, 10000, &s), TACT_OK);
    assert_string_equal(s, dd);
    rt_Box_digest_future_free(df);
    free(dd);
    /* No future wanted. */
    assert_int_equal(rt_Box_keep_give(b, heap_doc("kept"), NULL), TACT_OK);
    assert_int_equal(rt_Box_take_tell_give(b, xstrdup("told"), heap_doc("d2")), TACT_OK);
    rt_Box_stored_future *sf;
    assert_int_equal(rt_Box_stored(b, &sf), TACT_OK);
    assert_int_equal(rt_Box_stored_future_get(sf, 10000, &s), TACT_OK);
    dd = expected_heap_digest("d2");
    snprintf(want, sizeof want, "told||%s", dd);
    free(dd);
    assert_string_equal(s, want);
    rt_Box_stored_future_free(sf);
    /* Empty bytes and an empty Doc. */
    rt_Doc *empty = malloc(sizeof *empty);
    *empty = (rt_Doc)rt_Doc_INIT;
    empty->title = xstrdup("");
    ProtobufCBinaryData none = {0, NULL};
    assert_int_equal(rt_Box_take_give(b, xstrdup(""), none, empty, &tf), TACT_OK);
    assert_int_equal(rt_Box_take_future_get(tf, 10000, &s), TACT_OK);
    assert_string_equal(s, "||" "|main:|blob:");
    rt_Box_take_future_free(tf);

    /* Many, unread futures freed at once. */
    for (int i = 0; i < 200; i++) {
        assert_int_equal(rt_Box_take_give(b, xstrdup("x"), heap_bytes("y"), heap_doc("z"), &tf),
                         TACT_OK);
        rt_Box_take_future_free(tf);
    }

    /* A NULL reference and a dead target: refused, and the runtime frees what it was given. */
    rt_Box_ref none_ref = {NULL};
    tf = (rt_Box_take_future *)1;
    assert_int_equal(
        rt_Box_take_give(none_ref, xstrdup("lost"), heap_bytes("lost"), heap_doc("lost"), &tf),
        TACT_EDEAD);
    assert_null(tf);
    assert_int_equal(rt_Box_take_tell_give(none_ref, xstrdup("lost"), heap_doc("lost")),
                     TACT_EDEAD);
    assert_int_equal(rt_Box_stop_wait(b, 10000), TACT_OK);
    uint64_t before = atomic_load(&dl.count);
    assert_int_equal(rt_Box_take_give(b, xstrdup("dead"), heap_bytes("dead"), heap_doc("dead"), &tf),
                     TACT_EDEAD);
    assert_null(tf);
    assert_int_equal(rt_Box_take_give(b, xstrdup("dead"), heap_bytes("dead"), heap_doc("dead"),
                                      NULL),
                     TACT_EDEAD);
    assert_int_equal(rt_Box_take_tell_give(b, xstrdup("dead"), heap_doc("dead")), TACT_EDEAD);
    assert_int_equal(rt_Box_digest_give(b, heap_doc("dead"), NULL), TACT_EDEAD);
    assert_int_equal(atomic_load(&dl.count), before + 4);
    /* A required string given as NULL: refused, the rest still freed. */
    rt_Box_ref b2 = new_box(sys, 0);
    assert_int_equal(rt_Box_take_give(b2, NULL, heap_bytes("b"), heap_doc("n"), &tf), TACT_EINVAL);
    assert_int_equal(rt_Box_digest_give(b2, NULL, NULL), TACT_EINVAL);

    /* Queued behind a failing tell: the asks fail with dead actor and the tells
     * become dead letters; everything given is freed by the runtime. */
    rt_gate_close();
    rt_Box_gate_future *g;
    assert_int_equal(rt_Box_gate(b2, &g), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    rt_Counter_ref gone = rt_new_counter(sys);
    assert_int_equal(rt_Box_poke(b2, gone, 1), TACT_OK); /* fails: gone is dead by then */
    assert_int_equal(rt_Counter_stop_wait(gone, 10000), TACT_OK);
    rt_Box_take_future *queued[3];
    for (int i = 0; i < 3; i++) {
        assert_int_equal(rt_Box_take_tell_give(b2, xstrdup("q"), heap_doc("q")), TACT_OK);
        assert_int_equal(
            rt_Box_take_give(b2, xstrdup("q"), heap_bytes("q"), heap_doc("q"), &queued[i]),
            TACT_OK);
        assert_int_equal(rt_Box_keep_give(b2, heap_doc("q"), NULL), TACT_OK);
    }
    before = atomic_load(&dl.count);
    rt_gate_open();
    assert_int_equal(rt_Box_gate_future_get(g, 10000, NULL), TACT_OK);
    rt_Box_gate_future_free(g);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(rt_Box_take_future_get(queued[i], 10000, NULL), TACT_EDEAD);
        rt_Box_take_future_free(queued[i]);
    }
    assert_int_equal(tact_actor_wait(b2.actor, 10000), TACT_OK);
    assert_int_equal(rt_log_count_of(EV_FAIL, tact_actor_id(b2.actor)), 1);
    assert_int_equal(atomic_load(&dl.count), before + 9);

    /* The same for a Counter's string _give (fail_tell_give, fail_give). */
    rt_Counter_ref c;
    assert_int_equal(rt_Counter_spawn(sys, &rt_counter_hooks_impl, NULL, &c), TACT_OK);
    rt_gate_close();
    assert_int_equal(rt_Counter_gate_tell(c), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    assert_int_equal(rt_Counter_fail_tell_give(c, 4, xstrdup("failing tell, given")), TACT_OK);
    rt_Counter_fail_future *cf;
    assert_int_equal(rt_Counter_fail_give(c, 1, xstrdup("never handled"), 1, &cf), TACT_OK);
    assert_int_equal(rt_Counter_fail_tell_give(c, 5, xstrdup("never handled")), TACT_OK);
    rt_gate_open();
    assert_int_equal(rt_Counter_fail_future_get(cf, 10000, NULL), TACT_EDEAD);
    rt_Counter_fail_future_free(cf);
    assert_int_equal(tact_actor_wait(c.actor, 10000), TACT_OK);
    char *text = rt_last_failure_text();
    assert_non_null(text);
    assert_string_equal(text, "failing tell, given");
    free(text);

    rt_Counter_ref_release(&c);
    rt_Counter_ref_release(&gone);
    rt_Box_ref_release(&b);
    rt_Box_ref_release(&b2);
    tact_system_destroy(&sys);
}

/* Given payloads still queued when the system is destroyed are freed too. */
static void give_pending_at_destroy(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    rt_Box_ref b = new_box(sys, 0);
    rt_gate_close();
    rt_Box_gate_future *g;
    assert_int_equal(rt_Box_gate(b, &g), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    rt_Box_take_future *tf;
    assert_int_equal(rt_Box_take_give(b, xstrdup("s"), heap_bytes("b"), heap_doc("d"), &tf),
                     TACT_OK);
    for (int i = 0; i < 20; i++)
        assert_int_equal(rt_Box_take_tell_give(b, xstrdup("t"), heap_doc("t")), TACT_OK);
    rt_gate_open();
    rt_Box_ref_release(&b);
    tact_system_destroy(&sys);
    /* Queued before the stop: handled, and the future outlives the system. */
    assert_int_equal(rt_Box_take_future_get(tf, 0, NULL), TACT_OK);
    rt_Box_take_future_free(tf);
    assert_int_equal(rt_Box_gate_future_get(g, 0, NULL), TACT_OK);
    rt_Box_gate_future_free(g);
}

/* -- properties -------------------------------------------------------------------------- */

static void property_ordered_and_answered(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Box_ref b = new_box(sys, 0);
    rt_Box_set_level_future *s1, *s2;
    assert_int_equal(rt_Box_set_level(b, 10, &s1), TACT_OK);
    assert_int_equal(rt_Box_bump(b), TACT_OK);
    assert_int_equal(rt_Box_set_level(b, 100, &s2), TACT_OK);
    assert_int_equal(rt_Box_bump(b), TACT_OK);
    rt_Box_get_level_future *gl;
    assert_int_equal(rt_Box_get_level(b, &gl), TACT_OK);
    int64_t v = -1;
    assert_int_equal(rt_Box_get_level_future_get(gl, 10000, &v), TACT_OK);
    assert_int_equal(v, 100);
    rt_Box_get_level_future_free(gl);
    assert_int_equal(rt_Box_set_level_future_get(s1, 10000), TACT_OK);
    assert_int_equal(rt_Box_set_level_future_get(s2, 10000), TACT_OK);
    rt_Box_set_level_future_free(s1);
    rt_Box_set_level_future_free(s2);
    assert_int_equal(box_sum(b), 110);

    /* Many interleaved sets and tells from one sender, without reading the futures. */
    long n = rt_scaled(2000, 100);
    for (long i = 1; i <= n; i++) {
        assert_int_equal(rt_Box_set_level(b, i, NULL), TACT_OK);
        assert_int_equal(rt_Box_bump(b), TACT_OK);
    }
    assert_int_equal(box_sum(b), 110 + n * (n + 1) / 2);

    /* Answered with dead actor when it is never handled (queued behind a failing tell). */
    rt_gate_close();
    rt_Box_gate_future *g;
    assert_int_equal(rt_Box_gate(b, &g), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    rt_Counter_ref gone = rt_new_counter(sys);
    assert_int_equal(rt_Box_poke(b, gone, 1), TACT_OK);
    assert_int_equal(rt_Counter_stop_wait(gone, 10000), TACT_OK);
    assert_int_equal(rt_Box_set_level(b, 5, &s1), TACT_OK);
    assert_int_equal(rt_Box_get_level(b, &gl), TACT_OK);
    rt_gate_open();
    assert_int_equal(rt_Box_set_level_future_get(s1, 10000), TACT_EDEAD);
    assert_int_equal(rt_Box_get_level_future_get(gl, 10000, NULL), TACT_EDEAD);
    rt_Box_set_level_future_free(s1);
    rt_Box_get_level_future_free(gl);
    rt_Box_gate_future_free(g);
    assert_int_equal(tact_actor_wait(b.actor, 10000), TACT_OK);
    /* Refused at once on a dead actor. */
    s1 = (rt_Box_set_level_future *)1;
    assert_int_equal(rt_Box_set_level(b, 6, &s1), TACT_EDEAD);
    assert_null(s1);
    rt_Counter_ref_release(&gone);
    rt_Box_ref_release(&b);
    tact_system_destroy(&sys);
}

/* -- actor-typed arguments ------------------------------------------------------------------ */

static void actor_typed_arguments(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Box_ref b = new_box(sys, 0);
    rt_Counter_ref c = rt_new_counter(sys);
    /* The receiver uses the reference it was passed. */
    assert_int_equal(rt_Box_poke(b, c, 5), TACT_OK);
    rt_Box_poke_ask_future *pf;
    assert_int_equal(rt_Box_poke_ask(b, c, 7, &pf), TACT_OK);
    int32_t st = -100;
    assert_int_equal(rt_Box_poke_ask_future_get(pf, 10000, &st), TACT_OK);
    assert_int_equal(st, TACT_OK);
    rt_Box_poke_ask_future_free(pf);
    /* Its tell was sent before it answered: an ask that starts now comes after it. */
    assert_int_equal(rt_counter_value(c), 12);

    /* The message does not keep the actor alive: a reference to an actor dead
     * by the time the message is handled arrives as a NULL reference. */
    rt_Counter_ref d = rt_new_counter(sys);
    rt_gate_close();
    rt_Box_gate_future *g;
    assert_int_equal(rt_Box_gate(b, &g), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    assert_int_equal(rt_Box_poke_ask(b, d, 1, &pf), TACT_OK);
    assert_int_equal(rt_Counter_stop_wait(d, 10000), TACT_OK);
    rt_gate_open();
    assert_int_equal(rt_Box_poke_ask_future_get(pf, 10000, &st), TACT_OK);
    assert_int_equal(st, TACT_EDEAD);
    rt_Box_poke_ask_future_free(pf);
    rt_Box_gate_future_free(g);

    /* A reference of another system is refused, and nothing is sent. */
    tact_system *other = rt_system(1);
    rt_Counter_ref foreign = rt_new_counter(other);
    assert_int_equal(rt_Box_poke(b, foreign, 1), TACT_EXSYSTEM);
    pf = (rt_Box_poke_ask_future *)1;
    assert_int_equal(rt_Box_poke_ask(b, foreign, 1, &pf), TACT_EXSYSTEM);
    assert_null(pf);
    assert_int_equal(rt_Box_poke_after(b, 0, 0, foreign, 1, NULL), TACT_EXSYSTEM);
    size_t told = 9;
    assert_int_equal(rt_Box_poke_broadcast(sys, foreign, 1, &told), TACT_EXSYSTEM);
    rt_Bookkeeper_ref bk = {NULL};
    rt_Adder_ref foreign_adder;
    assert_int_equal(rt_Adder_spawn(other, &rt_adder_impl, NULL, &foreign_adder), TACT_OK);
    assert_int_equal(rt_Bookkeeper_spawn(sys, &rt_bookkeeper_impl, foreign_adder, NULL, &bk),
                     TACT_EXSYSTEM);
    assert_null(bk.actor);
    assert_int_equal(rt_counter_value(foreign), 0);
    assert_true(tact_actor_alive(b.actor)); /* nothing reached the box */
    assert_int_equal(rt_counter_value(c), 12);
    uint64_t id = 0;
    assert_int_equal(tact_ref_to_id(sys, foreign.actor, &id), TACT_EXSYSTEM);
    assert_int_equal(tact_ref_to_id(sys, c.actor, &id), TACT_OK);
    assert_int_equal(id, tact_actor_id(c.actor));
    assert_int_equal(tact_ref_to_id(sys, NULL, &id), TACT_EINVAL);

    rt_Adder_ref_release(&foreign_adder);
    rt_Counter_ref_release(&foreign);
    tact_system_destroy(&other);
    rt_Counter_ref_release(&c);
    rt_Counter_ref_release(&d);
    rt_Box_ref_release(&b);
    tact_system_destroy(&sys);
}

/* -- deep copy isolation ---------------------------------------------------------------------- */

static void message_arguments_deep_copied(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Box_ref b = new_box(sys, 0);

    /* A Doc on the stack whose every piece the sender changes right after sending. */
    char title[32] = "the title";
    char l0[16] = "line zero", l1[16] = "line one";
    char *lines[2] = {l0, l1};
    char n0[16] = "leaf0", t00[16] = "tag00", t01[16] = "tag01";
    char *tags0[2] = {t00, t01};
    rt_Leaf leaf0 = rt_Leaf_INIT;
    leaf0.name = n0;
    leaf0.n_tags = 2;
    leaf0.tags = tags0;
    char n1[16] = "leaf1", t10[16] = "tag10";
    char *tags1[1] = {t10};
    rt_Leaf leaf1 = rt_Leaf_INIT;
    leaf1.name = n1;
    leaf1.n_tags = 1;
    leaf1.tags = tags1;
    rt_Leaf *leaves[2] = {&leaf0, &leaf1};
    char mn[16] = "mainleaf", mt[16] = "maintag";
    char *mtags[1] = {mt};
    rt_Leaf mainleaf = rt_Leaf_INIT;
    mainleaf.name = mn;
    mainleaf.n_tags = 1;
    mainleaf.tags = mtags;
    uint8_t blob[8] = "bytes!!";
    rt_Doc doc = rt_Doc_INIT;
    doc.title = title;
    doc.n_lines = 2;
    doc.lines = lines;
    doc.n_leaves = 2;
    doc.leaves = leaves;
    doc.main = &mainleaf;
    doc.blob.len = 7;
    doc.blob.data = blob;
    char *want = doc_digest(&doc);
    assert_non_null(want);

    rt_gate_close();
    rt_Box_gate_future *g;
    assert_int_equal(rt_Box_gate(b, &g), TACT_OK);
    assert_true(RT_WAIT_UNTIL(rt_gate_entered() == 1, 10000));
    rt_Box_digest_future *df;
    rt_Box_keep_future *kf;
    rt_Box_take_future *tf;
    assert_int_equal(rt_Box_digest(b, &doc, &df), TACT_OK);
    assert_int_equal(rt_Box_keep(b, &doc, &kf), TACT_OK);
    ProtobufCBinaryData raw = {7, blob};
    assert_int_equal(rt_Box_take(b, l0, raw, &doc, &tf), TACT_OK);
    assert_int_equal(rt_Box_take_tell(b, title, &doc), TACT_OK);
    size_t told = 0;
    assert_int_equal(rt_Box_take_tell_broadcast(sys, title, &doc, &told), TACT_OK);
    assert_int_equal(told, 1);
    char *want_take = NULL, *want_tell = NULL;
    {
        size_t n = strlen(want) + 64;
        want_take = malloc(n);
        snprintf(want_take, n, "line zero|bytes!!|%s", want);
        want_tell = malloc(n);
        snprintf(want_tell, n, "the title||%s", want);
    }
    /* Change everything, in place and by pointer, while the box is blocked. */
    char *bufs[] = {title, l0, l1, n0, t00, t01, n1, t10, mn, mt};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
        memset(bufs[i], 'Z', strlen(bufs[i]));
    memset(blob, 'Q', 7);
    static char other[] = "other";
    lines[1] = other;
    tags0[0] = other;
    leaves[1] = &leaf0;
    doc.n_lines = 1;
    leaf0.n_tags = 1;
    rt_gate_open();

    const char *s = NULL;
    assert_int_equal(rt_Box_digest_future_get(df, 10000, &s), TACT_OK);
    assert_string_equal(s, want);
    assert_int_equal(rt_Box_keep_future_get(kf, 10000), TACT_OK);
    assert_int_equal(rt_Box_take_future_get(tf, 10000, &s), TACT_OK);
    assert_string_equal(s, want_take);
    rt_Box_stored_future *sf;
    assert_int_equal(rt_Box_stored(b, &sf), TACT_OK);
    assert_int_equal(rt_Box_stored_future_get(sf, 10000, &s), TACT_OK);
    assert_string_equal(s, want_tell);
    rt_Box_stored_future_free(sf);

    /* The kept copy comes back whole, as a message reply the future owns. */
    rt_Box_kept_future *kept;
    assert_int_equal(rt_Box_kept(b, &kept), TACT_OK);
    const rt_Doc *back = NULL;
    assert_int_equal(rt_Box_kept_future_get(kept, 10000, &back), TACT_OK);
    assert_non_null(back);
    char *got = doc_digest(back);
    assert_string_equal(got, want);
    free(got);
    assert_ptr_not_equal(back->title, title);
    assert_ptr_not_equal(back->lines, lines);
    assert_ptr_not_equal(back->leaves[0], &leaf0);
    /* The reply outlives the actor and the system; read twice, same memory. */
    const rt_Doc *again = NULL;
    assert_int_equal(rt_Box_kept_future_get(kept, 0, &again), TACT_OK);
    assert_ptr_equal(again, back);

    rt_Box_digest_future_free(df);
    rt_Box_keep_future_free(kf);
    rt_Box_take_future_free(tf);
    rt_Box_gate_future_free(g);
    rt_Box_ref_release(&b);
    tact_system_destroy(&sys);
    got = doc_digest(back);
    assert_string_equal(got, want);
    free(got);
    rt_Box_kept_future_free(kept);
    free(want);
    free(want_take);
    free(want_tell);
}


/* -- mailbox: no message left stranded ---------------------------------------------- */

/* A sender's burst racing with the receiver going idle: every burst ends with
 * an ask that must be answered. A message left in the mailbox of an actor no
 * thread will run shows as an ask that never completes (a later send would
 * unstick it, so the wait is bounded and the miss counted). */
typedef struct burst_arg {
    tact_system *sys;
    long rounds;
    long stranded;
} burst_arg;

static void *burster(void *p) {
    burst_arg *a = p;
    for (long i = 0; i < a->rounds; i++) {
        rt_Counter_ref c;
        if (rt_Counter_spawn(a->sys, &rt_counter_hooks_impl, NULL, &c) != TACT_OK)
            break;
        for (int k = 0; k < 3; k++)
            rt_Counter_add(c, 1);
        rt_Counter_get_future *f;
        if (rt_Counter_get(c, &f) == TACT_OK) {
            int64_t v = -1;
            if (rt_Counter_get_future_get(f, 2000, &v) != TACT_OK) {
                a->stranded++;
                rt_Counter_add(c, 0); /* unsticks it */
                rt_Counter_get_future_get(f, TACT_FOREVER, &v);
            }
            rt_Counter_get_future_free(f);
        }
        rt_Counter_stop(c);
        rt_Counter_ref_release(&c);
    }
    return NULL;
}

static void mailbox_nothing_stranded(void **state) {
    (void)state;
    tact_system *sys = rt_system(0);
    enum { T = 4 };
    burst_arg a[T];
    pthread_t t[T];
    for (int i = 0; i < T; i++) {
        a[i] = (burst_arg){sys, rt_scaled(10000, 500), 0};
        assert_int_equal(pthread_create(&t[i], NULL, burster, &a[i]), 0);
    }
    long stranded = 0;
    for (int i = 0; i < T; i++) {
        pthread_join(t[i], NULL);
        stranded += a[i].stranded;
    }
    tact_system_destroy(&sys);
    if (stranded)
        fail_msg("%ld asks stranded in a mailbox (see mpsc_empty)", stranded);
}

int main(void) {
    rt_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pinned_read_does_not_stall_pool),
        cmocka_unit_test(pinned_sleepers_do_not_stall_pool),
        cmocka_unit_test(actor_stats),
        cmocka_unit_test(give_hands_ownership_over),
        cmocka_unit_test(give_pending_at_destroy),
        cmocka_unit_test(property_ordered_and_answered),
        cmocka_unit_test(actor_typed_arguments),
        cmocka_unit_test(message_arguments_deep_copied),
        cmocka_unit_test(mailbox_nothing_stranded),
    };
    return cmocka_run_group_tests_name("runtime_actors_more", tests, NULL, NULL);
}
