/* Deferred replies: an ask's answer taken out of its handler, answered later
 * by the same actor or forwarded to another.
 *
 * A reply holds the future's completer reference (the one a message would
 * hold). The runtime keeps every unanswered reply in a table by holding actor,
 * so that an actor that dies holding replies fails them (TACT_EDEAD) and no
 * asker is left waiting. Only the holder touches a reply (checked: the calling
 * thread must be running that actor), so a reply is never used while its
 * holder's death frees it. */
#include <protobuf-c/protobuf-c.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor_impl.h"
#include "future_impl.h"
#include "pb_impl.h"
#include "reply_impl.h"
#include "system_impl.h"

struct tact_reply {
    tact_future *f;     /* the completer's reference */
    tact_actor *holder; /* not counted: its death takes the reply out first */
    struct tact_reply *prev, *next; /* in its bucket */
};

/* Unanswered replies, hashed by holder, under one lock: taken twice per
 * deferred reply (defer, answer) and once per death while any reply is held
 * anywhere. */
enum { BUCKETS = 64 };
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static struct bucket {
    tact_reply *head;
} table[BUCKETS];
static _Atomic size_t held; /* replies in the table, for a death's fast path */

static struct bucket *bucket_of(const tact_actor *a) {
    uintptr_t h = (uintptr_t)a;
    return &table[(h >> 4 ^ h >> 12) % BUCKETS];
}

static void unlink_locked(struct bucket *b, tact_reply *r) {
    if (r->prev)
        r->prev->next = r->next;
    else
        b->head = r->next;
    if (r->next)
        r->next->prev = r->prev;
    atomic_fetch_sub_explicit(&held, 1, memory_order_relaxed);
}

/* Takes r out of the table and frees it; returns its future (still counted). */
static tact_future *take(tact_reply *r) {
    pthread_mutex_lock(&table_lock);
    unlink_locked(bucket_of(r->holder), r);
    pthread_mutex_unlock(&table_lock);
    tact_future *f = r->f;
    free(r);
    return f;
}

/* Whether the calling thread runs r's holder: only then may r be used. */
static bool in_holder(const tact_reply *r) {
    sched_thread *t = sched_self();
    return t && atomic_load_explicit(&t->current, memory_order_relaxed) == r->holder;
}

bool reply_types_match(const ProtobufCMessageDescriptor *a, const ProtobufCMessageDescriptor *b) {
    if (a == b)
        return true;
    /* Every ask has reply messages of its own; two with the same .actor reply
     * type have the same fields, so one's struct can be read as the other's. */
    if (!a || !b || a->n_fields != b->n_fields || a->sizeof_message != b->sizeof_message)
        return false;
    for (unsigned i = 0; i < a->n_fields; i++) {
        const ProtobufCFieldDescriptor *x = &a->fields[i], *y = &b->fields[i];
        if (x->label != y->label || x->type != y->type || x->offset != y->offset ||
            x->quantifier_offset != y->quantifier_offset || x->descriptor != y->descriptor ||
            strcmp(x->name, y->name) != 0)
            return false;
    }
    return true;
}

tact_status tact_reply_defer(tact_ctx *ctx, const tact_method *method, tact_reply **out) {
    if (out)
        *out = NULL;
    if (!ctx || !method || !out || !ctx->ask || ctx->ask_method != method)
        return TACT_EINVAL;
    tact_reply *r = malloc(sizeof *r);
    if (!r)
        return TACT_ENOMEM;
    /* The dispatch code may have put a fresh reply message there for the
     * handler to fill: the storage starts empty for whoever answers. */
    const ProtobufCMessageDescriptor *d = method->reply;
    if (!(method->flags & TACT_METHOD_FLAT_REPLY))
        pb_free_fields(d, future_reply_storage(ctx->ask));
    protobuf_c_message_init(d, future_reply_storage(ctx->ask));
    r->f = ctx->ask;
    r->holder = ctx->actor;
    r->prev = NULL;
    ctx->ask = NULL;
    ctx->deferred = true;
    struct bucket *b = bucket_of(r->holder);
    pthread_mutex_lock(&table_lock);
    r->next = b->head;
    if (b->head)
        b->head->prev = r;
    b->head = r;
    atomic_fetch_add_explicit(&held, 1, memory_order_relaxed);
    pthread_mutex_unlock(&table_lock);
    *out = r;
    return TACT_OK;
}

int tact_reply_deferred(const tact_ctx *ctx) {
    return ctx && ctx->deferred;
}

tact_system *tact_reply_system(const tact_reply *r) {
    return r ? future_system(r->f) : NULL; /* held by a live actor of it */
}

/* Fails the ask of a reply already taken out of the table, because the answer
 * was unusable: the asker must not wait for one that will never come. */
static tact_status fail_unusable(tact_future *f, tact_status code, const char *why) {
    future_complete(f, TACT_EHANDLER, code, why ? strdup(why) : NULL);
    return code;
}

tact_status tact_reply_send(tact_reply *r, void *msg) {
    if (!r || !in_holder(r))
        return TACT_EINVAL;
    tact_future *f = take(r);
    const ProtobufCMessageDescriptor *d = tact_future_method(f)->reply;
    ProtobufCMessage *m = msg;
    if (!m || !reply_types_match(d, m->descriptor)) {
        if (m) { /* handed over on every path: freed, and left empty */
            pb_free_fields(m->descriptor, m);
            protobuf_c_message_init(m->descriptor, m);
        }
        return fail_unusable(f, TACT_EINVAL, "deferred reply of the wrong type");
    }
    /* Moved, not copied: the fields after the header are the same layout. */
    void *dst = future_reply_storage(f);
    memcpy((char *)dst + sizeof(ProtobufCMessage), (char *)m + sizeof(ProtobufCMessage),
           d->sizeof_message - sizeof(ProtobufCMessage));
    protobuf_c_message_init(m->descriptor, m);
    return future_complete(f, TACT_OK, TACT_OK, NULL);
}

tact_status tact_reply_fail(tact_reply *r, tact_status code, const char *fmt, ...) {
    if (!r || !in_holder(r))
        return TACT_EINVAL;
    if (code == TACT_OK)
        code = TACT_EINVAL; /* a failure must not read as success */
    char *text = NULL;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        if (vasprintf(&text, fmt, ap) < 0)
            text = NULL; /* out of memory: the code still gets through */
        va_end(ap);
    }
    return future_complete(take(r), TACT_EHANDLER, code, text);
}

tact_status tact_reply_forward(tact_reply *r, tact_actor *to, tact_msg *m) {
    if (!r || !in_holder(r)) {
        tact_msg_free(m);
        return TACT_EINVAL;
    }
    tact_future *f = take(r);
    if (!to) { /* a NULL reference reads as a dead actor, as for any send */
        tact_msg_free(m);
        tact_status st = future_complete(f, TACT_EDEAD, TACT_EDEAD, NULL);
        return st == TACT_OK ? TACT_EDEAD : st;
    }
    const tact_method *mm = m ? m->method : NULL;
    if (!mm || mm->kind != TACT_METHOD_ASK ||
        !reply_types_match(tact_future_method(f)->reply, mm->reply)) {
        tact_msg_free(m);
        return fail_unusable(f, TACT_EINVAL, "forwarded to a method of another reply type");
    }
    if (tact_actor_system(to) != future_system(f)) {
        tact_msg_free(m);
        return fail_unusable(f, TACT_EXSYSTEM, "forwarded to an actor of another system");
    }
    if (future_claimed(f)) { /* cancelled or past its deadline: nobody waits for it */
        tact_msg_free(m);
        return future_complete(f, TACT_ECANCELED, TACT_ECANCELED, NULL);
    }
    return actor_ask_with(to, m, f);
}

void reply_actor_died(tact_actor *a) {
    /* Relaxed is enough: this actor's own defers happened before its death
     * (its runs are ordered), and nobody else answers its replies. */
    if (atomic_load_explicit(&held, memory_order_relaxed) == 0)
        return;
    struct bucket *b = bucket_of(a);
    tact_reply *mine = NULL;
    pthread_mutex_lock(&table_lock);
    for (tact_reply *r = b->head, *next; r; r = next) {
        next = r->next;
        if (r->holder == a) {
            unlink_locked(b, r);
            r->next = mine;
            mine = r;
        }
    }
    pthread_mutex_unlock(&table_lock);
    /* Completed outside the lock: callbacks run here, and may defer. */
    while (mine) {
        tact_reply *next = mine->next;
        future_complete(mine->f, TACT_EDEAD, TACT_EDEAD, NULL);
        free(mine);
        mine = next;
    }
}
