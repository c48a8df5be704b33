/* What an implementation and a reference must be to be used: a table with a
 * NULL handler is refused at spawn (naming the handler), an untyped actor
 * becomes a typed reference only if it is of that type, a send to an actor of
 * another type is refused; and a handler may keep a payload it was sent
 * (tact_ctx_take) instead of copying it. */
#include <pthread.h>
#include <string.h>

#include "rt_common.h"

static char *xstrdup(const char *s) {
    char *c = strdup(s);
    assert_non_null(c);
    return c;
}

/* -- missing handlers ---------------------------------------------------------------- */

static size_t count_of_type(tact_system *sys, const tact_actor_type *type) {
    tact_actor **list;
    size_t n;
    assert_int_equal(tact_system_list(sys, type, &list, &n), TACT_OK);
    tact_actor_list_free(list, n);
    return n;
}

/* The first send used to succeed and the actor to die of it; now the spawn
 * itself fails and says which handler is missing. */
static void spawn_refuses_a_missing_handler(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    rt_Counter_impl partial = rt_counter_impl;
    partial.seq_errors = NULL;
    rt_Counter_ref c = {(tact_actor *)&partial};
    assert_int_equal(rt_Counter_spawn(sys, &partial, NULL, &c), TACT_ENOTIMPL);
    assert_null(c.actor);
    assert_string_equal(tact_error_text(), "rt.Counter.seq_errors is not implemented");
    assert_string_equal(tact_strerror(TACT_ENOTIMPL), "a handler is not implemented");
    /* An empty table: the first handler in the order of the .actor file. */
    static const rt_Counter_impl bare = {.state_size = sizeof(rt_counter)};
    assert_int_equal(rt_Counter_spawn(sys, &bare, NULL, &c), TACT_ENOTIMPL);
    assert_string_equal(tact_error_text(), "rt.Counter.add is not implemented");
    /* Nothing was registered (and, for ASan, nothing leaked). */
    assert_int_equal(count_of_type(sys, &rt_Counter_type), 0);
    tact_spawn_opts o = TACT_SPAWN_OPTS_INIT;
    o.name = "partial";
    assert_int_equal(rt_Counter_spawn(sys, &partial, &o, &c), TACT_ENOTIMPL);
    rt_Counter_ref found;
    assert_int_equal(rt_Counter_find(sys, "partial", &found), TACT_ENOTFOUND);
    /* The hooks are optional: a table with every handler and no hook spawns. */
    assert_int_equal(rt_Counter_spawn(sys, &rt_counter_impl, &o, &c), TACT_OK);
    /* Any other failed spawn sets the text too. */
    rt_Counter_ref twin;
    assert_int_equal(rt_Counter_spawn(sys, &rt_counter_impl, &o, &twin), TACT_ENAMETAKEN);
    assert_string_equal(tact_error_text(), "spawn rt.Counter: name already taken");
    assert_int_equal(rt_Counter_stop_wait(c, 10000), TACT_OK);
    rt_Counter_ref_release(&c);
    tact_system_destroy(&sys);
}

static void *read_error_text(void *arg) {
    (void)arg;
    return (void *)tact_error_text();
}

/* The text is the failing thread's own: another thread's spawn does not change it. */
static void error_text_per_thread(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    static const rt_Counter_impl bare = {.state_size = 0};
    rt_Counter_ref c;
    assert_int_equal(rt_Counter_spawn(sys, &bare, NULL, &c), TACT_ENOTIMPL);
    pthread_t t;
    void *other = NULL;
    assert_int_equal(pthread_create(&t, NULL, read_error_text, NULL), 0);
    assert_int_equal(pthread_join(t, &other), 0);
    assert_string_equal((const char *)other, "");
    assert_string_equal(tact_error_text(), "rt.Counter.add is not implemented");
    tact_system_destroy(&sys);
}

/* -- typed references from untyped actors ---------------------------------------------- */

static void from_actor_checks_the_type(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    rt_Counter_ref c = rt_new_counter(sys);
    rt_Echo_ref e;
    assert_int_equal(rt_Echo_spawn(sys, &rt_echo_impl, NULL, &e), TACT_OK);
    tact_actor **list;
    size_t n;
    assert_int_equal(tact_system_list(sys, NULL, &list, &n), TACT_OK);
    assert_int_equal(n, 2);
    int counters = 0;
    for (size_t i = 0; i < n; i++) {
        rt_Counter_ref r = {(tact_actor *)list};
        tact_status st = rt_Counter_from_actor(list[i], &r);
        if (list[i] == c.actor) {
            assert_int_equal(st, TACT_OK);
            assert_ptr_equal(r.actor, c.actor);
            /* Borrowed: usable while the list holds its reference. */
            assert_int_equal(rt_Counter_add(r, 5), TACT_OK);
            counters++;
        } else {
            assert_int_equal(st, TACT_ETYPE);
            assert_null(r.actor);
        }
    }
    assert_int_equal(counters, 1);
    tact_actor_list_free(list, n); /* releases what the list held, and no more */
    assert_int_equal(rt_counter_value(c), 5);
    rt_Counter_ref r = {(tact_actor *)list};
    assert_int_equal(rt_Counter_from_actor(NULL, &r), TACT_EINVAL);
    assert_null(r.actor);
    assert_int_equal(rt_Counter_from_actor(c.actor, NULL), TACT_EINVAL);
    rt_Counter_ref_release(&c);
    rt_Echo_ref_release(&e);
    tact_system_destroy(&sys);
}

static tact_status never_invoked(tact_ctx *ctx, const void *impl, void *self, const void *request,
                                 void *reply) {
    (void)impl, (void)self, (void)request, (void)reply;
    return tact_ctx_fail(ctx, TACT_EINVAL, "a Counter method ran");
}
/* Counter's add, as generic code would describe it. */
static const tact_method raw_add = {"add", TACT_METHOD_TELL, &rt__counter__add_request__descriptor,
                                    NULL, never_invoked, TACT_METHOD_FLAT_REQUEST,
                                    &rt_Counter_type};

static tact_msg *raw_add_msg(void) {
    void *req;
    tact_msg *m;
    assert_int_equal(tact_msg_new(&raw_add, &req, &m), TACT_OK);
    return m;
}

/* A reference forged by hand for an actor of another type: every send is
 * refused (it used to run the wrong method on the actor and return OK). */
static void send_to_another_type_refused(void **state) {
    (void)state;
    tact_system *sys = rt_system(1);
    rt_Echo_ref e;
    assert_int_equal(rt_Echo_spawn(sys, &rt_echo_impl, NULL, &e), TACT_OK);
    uint64_t dead_letters = tact_system_dead_letters(sys);
    rt_Counter_ref forged = {e.actor};
    assert_int_equal(rt_Counter_add(forged, 1), TACT_ETYPE);
    rt_Counter_get_future *f = (rt_Counter_get_future *)&forged;
    assert_int_equal(rt_Counter_get(forged, &f), TACT_ETYPE);
    assert_null(f);
    tact_timer *tm = (tact_timer *)&forged;
    assert_int_equal(rt_Counter_add_after(forged, 0, 0, 1, &tm), TACT_ETYPE);
    assert_null(tm);
    assert_int_equal(tact_actor_tell(e.actor, raw_add_msg()), TACT_ETYPE);
    assert_int_equal(tact_actor_ask(e.actor, raw_add_msg(), NULL), TACT_ETYPE);
    size_t told = 1;
    assert_int_equal(tact_system_broadcast(sys, &rt_Echo_type, raw_add_msg(), &told), TACT_ETYPE);
    assert_int_equal(told, 0);
    /* A payload the refused message carried is freed (ASan: no leak). */
    rt_Echo_ref forged_echo;
    rt_Counter_ref c = rt_new_counter(sys);
    forged_echo.actor = c.actor;
    assert_int_equal(rt_Echo_store(forged_echo, "not for a Counter"), TACT_ETYPE);
    /* Not dead letters, and both actors are untouched. */
    assert_int_equal(tact_system_dead_letters(sys), dead_letters);
    rt_Echo_echo_future *ef;
    assert_int_equal(rt_Echo_echo(e, "still an echo", &ef), TACT_OK);
    const char *s = NULL;
    assert_int_equal(rt_Echo_echo_future_get(ef, 10000, &s), TACT_OK);
    assert_string_equal(s, "still an echo");
    rt_Echo_echo_future_free(ef);
    assert_int_equal(rt_counter_value(c), 0);
    /* A dead actor of another type: the type is the first thing wrong. */
    assert_int_equal(rt_Echo_stop_wait(e, 10000), TACT_OK);
    assert_int_equal(rt_Counter_add(forged, 1), TACT_ETYPE);
    rt_Counter_ref_release(&c);
    rt_Echo_ref_release(&e);
    tact_system_destroy(&sys);
}

/* -- keeping a payload -------------------------------------------------------------------- */

typedef struct keeper {
    char *tag;
    char *s;
    uint8_t *b;
    size_t n;
    rt_Doc *d;
    char problems[256]; /* the checks of tact_ctx_take that failed */
} keeper;

static void k_note(keeper *k, const char *what) {
    strncat(k->problems, what, sizeof k->problems - strlen(k->problems) - 1);
}

/* What the keeper owns is freed here, once, by the user's code. */
static void k_drop(keeper *k) {
    free(k->tag);
    free(k->s);
    free(k->b);
    tact_pb_free(&rt_Doc_descriptor, k->d);
    k->tag = k->s = NULL;
    k->b = NULL;
    k->d = NULL;
}

static tact_status k_on_start(tact_ctx *ctx, void *self, const char *tag) {
    keeper *k = self;
    k->tag = tact_ctx_take(ctx, tag);
    if (k->tag != tag)
        k_note(k, " tag");
    return TACT_OK;
}

static tact_status k_on_stop(tact_ctx *ctx, void *self) {
    (void)ctx;
    k_drop(self);
    return TACT_OK;
}

static void k_on_failure(tact_ctx *ctx, void *self, tact_status code, const char *message) {
    (void)ctx, (void)code, (void)message;
    k_drop(self);
}

static tact_status k_keep(tact_ctx *ctx, void *self, const char *s, ProtobufCBinaryData b,
                          const rt_Doc *d, uint64_t *reply) {
    keeper *k = self;
    free(k->s);
    k->s = tact_ctx_take(ctx, s);
    if (k->s != s)
        k_note(k, " s");
    if (tact_ctx_take(ctx, s))
        k_note(k, " s-twice");
    if (tact_ctx_take(ctx, &b) || tact_ctx_take(ctx, k))
        k_note(k, " not-a-payload");
    free(k->b);
    k->b = NULL;
    k->n = 0;
    if (b.len) {
        k->b = tact_ctx_take(ctx, b.data);
        k->n = b.len;
        if (k->b != b.data)
            k_note(k, " b");
    }
    tact_pb_free(&rt_Doc_descriptor, k->d);
    k->d = NULL;
    if (d) {
        if (tact_ctx_take(ctx, d->title))
            k_note(k, " inside-d");
        k->d = tact_ctx_take(ctx, d);
        if (k->d != d)
            k_note(k, " d");
    }
    *reply = (uint64_t)(uintptr_t)k->s;
    return TACT_OK;
}

static tact_status k_keep_tell(tact_ctx *ctx, void *self, const char *s) {
    keeper *k = self;
    free(k->s);
    k->s = tact_ctx_take(ctx, s);
    if (k->s != s)
        k_note(k, " told");
    return TACT_OK;
}

static tact_status k_pass(tact_ctx *ctx, void *self, const char *s) {
    (void)ctx, (void)self, (void)s;
    return TACT_OK;
}

static tact_status k_held(tact_ctx *ctx, void *self, char **reply) {
    keeper *k = self;
    if (tact_ctx_take(ctx, k->s))
        k_note(k, " not-this-message");
    if (asprintf(reply, "%s|%s|%.*s|%s|%s", k->tag ? k->tag : "-", k->s ? k->s : "-", (int)k->n,
                 k->b ? (const char *)k->b : "", k->d ? k->d->title : "-",
                 k->problems[0] ? k->problems : "ok") < 0)
        return TACT_ENOMEM;
    return TACT_OK;
}

static const rt_Keeper_impl keeper_impl = {
    .state_size = sizeof(keeper),
    .on_start = k_on_start,
    .on_stop = k_on_stop,
    .on_failure = k_on_failure,
    rt_Keeper_HANDLERS(k_keep, k_keep_tell, k_pass, k_held),
};

static char *held(rt_Keeper_ref k) {
    rt_Keeper_held_future *f;
    assert_int_equal(rt_Keeper_held(k, &f), TACT_OK);
    const char *s = NULL;
    assert_int_equal(rt_Keeper_held_future_get(f, 10000, &s), TACT_OK);
    char *copy = xstrdup(s);
    rt_Keeper_held_future_free(f);
    return copy;
}

static void assert_held(rt_Keeper_ref k, const char *want) {
    char *s = held(k);
    assert_string_equal(s, want);
    free(s);
}

static ProtobufCBinaryData heap_bytes(const char *s) {
    ProtobufCBinaryData b = {strlen(s), (uint8_t *)xstrdup(s)};
    return b;
}

static rt_Doc *heap_doc(const char *title) {
    rt_Doc *d;
    assert_int_equal(tact_pb_new(&rt_Doc_descriptor, (void **)&d), TACT_OK);
    d->title = xstrdup(title);
    return d;
}

/* What a handler takes is the sender's very buffer (given) or the message's
 * copy, and is freed once, by the handler's code; what it does not take the
 * runtime frees. ASan/valgrind check the "once". */
static void take_keeps_a_payload(void **state) {
    (void)state;
    tact_system *sys = rt_system(2);
    rt_Keeper_ref k;
    assert_int_equal(rt_Keeper_spawn(sys, &keeper_impl, "tag", NULL, &k), TACT_OK);

    /* Given: zero copy from the sender's malloc to the handler's free. */
    char *given = xstrdup("given");
    uint64_t kept = 0;
    rt_Keeper_keep_future *f;
    assert_int_equal(rt_Keeper_keep_give(k, given, heap_bytes("raw"), heap_doc("d1"), &f), TACT_OK);
    assert_int_equal(rt_Keeper_keep_future_get(f, 10000, &kept), TACT_OK);
    rt_Keeper_keep_future_free(f);
    assert_true(kept == (uint64_t)(uintptr_t)given);
    assert_held(k, "tag|given|raw|d1|ok");

    /* Copied: the handler keeps the message's copy, not the caller's memory. */
    const char copied[] = "copied";
    ProtobufCBinaryData none = {0, NULL};
    assert_int_equal(rt_Keeper_keep(k, copied, none, NULL, &f), TACT_OK);
    assert_int_equal(rt_Keeper_keep_future_get(f, 10000, &kept), TACT_OK);
    rt_Keeper_keep_future_free(f);
    assert_true(kept != 0 && kept != (uint64_t)(uintptr_t)copied);
    assert_held(k, "tag|copied||-|ok");

    /* Not taken: the runtime frees it as always. */
    assert_int_equal(rt_Keeper_pass_give(k, xstrdup("passed")), TACT_OK);
    assert_int_equal(rt_Keeper_keep_tell_give(k, xstrdup("told")), TACT_OK);
    assert_held(k, "tag|told||-|ok");

    /* A broadcast gives each receiver its own copy to take. */
    rt_Keeper_ref k2;
    assert_int_equal(rt_Keeper_spawn(sys, &keeper_impl, "two", NULL, &k2), TACT_OK);
    size_t told = 0;
    assert_int_equal(rt_Keeper_keep_tell_broadcast(sys, "everyone", &told), TACT_OK);
    assert_int_equal(told, 2);
    assert_held(k, "tag|everyone||-|ok");
    assert_held(k2, "two|everyone||-|ok");

    /* Outside a handler's message there is nothing to take. */
    assert_null(tact_ctx_take(NULL, copied));

    assert_int_equal(rt_Keeper_stop_wait(k, 10000), TACT_OK);
    rt_Keeper_ref_release(&k);
    rt_Keeper_ref_release(&k2);
    tact_system_destroy(&sys); /* k2's on_stop frees what it kept */
}

int main(void) {
    rt_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spawn_refuses_a_missing_handler),
        cmocka_unit_test(error_text_per_thread),
        cmocka_unit_test(from_actor_checks_the_type),
        cmocka_unit_test(send_to_another_type_refused),
        cmocka_unit_test(take_keeps_a_payload),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
