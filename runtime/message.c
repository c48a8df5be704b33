/* Message envelopes, and who owns what they carry. */
#include <protobuf-c/protobuf-c.h>
#include <stdlib.h>

#include "actor_impl.h"
#include "future_impl.h"
#include "message_impl.h"
#include "pb_impl.h"
#include "system_impl.h"

tact_status tact_msg_new(const tact_method *method, void **request, tact_msg **out) {
    return tact_msg_new_in(NULL, method, request, out);
}

tact_status tact_msg_new_in(tact_system *sys, const tact_method *method, void **request,
                            tact_msg **out) {
    if (!method || !request || !out)
        return TACT_EINVAL;
    const ProtobufCMessageDescriptor *d = method->request;
    tact_msg *m = pool_alloc(sys ? &sys->sched.depot : NULL, msg_size(method));
    if (!m) {
        *out = NULL;
        *request = NULL;
        return TACT_ENOMEM;
    }
    m->method = method;
    m->future = NULL;
    protobuf_c_message_init(d, msg_request(m));
    *request = msg_request(m);
    *out = m;
    return TACT_OK;
}

void tact_msg_free(tact_msg *m) {
    if (!m)
        return;
    switch ((int)m->method->kind) {
    case TACT_METHOD_ASK:
        if (m->future)
            future_release(m->future);
        break;
    case TACT_METHOD_TELL:
        if (m->timer)
            timer_release(m->timer);
        break;
    case TACT_METHOD_CONT:
        cont_free(m);
        return;
    }
    if (!(m->method->flags & TACT_METHOD_FLAT_REQUEST))
        pb_free_fields(m->method->request, msg_request(m));
    pool_free(NULL, m, msg_size(m->method));
}

tact_msg *msg_clone(tact_system *sys, const tact_msg *m) {
    tact_msg *c = pool_alloc(&sys->sched.depot, msg_size(m->method));
    if (!c)
        return NULL;
    c->method = m->method;
    c->future = NULL;
    if (pb_copy_into(m->method->request, msg_request(c), msg_request((tact_msg *)m)) != TACT_OK) {
        pool_free(&sys->sched.depot, c, msg_size(m->method));
        return NULL;
    }
    return c;
}

void *tact_ctx_take(tact_ctx *ctx, const void *payload) {
    if (!ctx)
        return NULL;
    if (ctx->msg) /* a continuation's method has no request (NULL): nothing found */
        return pb_take(ctx->msg->method->request, msg_request(ctx->msg), payload);
    /* A hook: only on_start has something to take, the spawn arguments, which
     * the actor holds until on_start returns. */
    tact_actor *a = ctx->actor;
    if (!a->extra || !a->extra->start_args)
        return NULL;
    return pb_take(a->type->start_args, a->extra->start_args, payload);
}
