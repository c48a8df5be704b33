/* tact_reply: the answer to an ask, kept past the handler (a deferred reply).
 *
 * A handler that cannot answer before it returns (a dispatcher waiting for a
 * worker, a proxy) defers: it takes the reply and returns, and the actor goes
 * on with its next message. The reply is then answered exactly once, later,
 * from the same actor (a continuation, a later handler, on_stop), or forwarded:
 * sent on to another actor as an ask whose answer goes straight to the
 * original asker.
 *
 * Users reach these through the typed functions tactc generates per ask
 * (pkg_Actor_method_defer, _reply_send, _reply_fail, and _forward on the
 * method that takes a forwarded ask): those check the reply's type at compile
 * time, these at run time. docs/runtime.md, "Deferred replies", has the rules. */
#ifndef TACT_REPLY_H
#define TACT_REPLY_H

#include "actor.h"
#include "future.h"
#include "message.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

TACT_API_BEGIN

typedef struct tact_reply tact_reply;

/* Takes over the answer of the ask whose handler runs with ctx, whose method
 * must be `method` (generated code passes its own). The handler may then
 * return without answering; what it returns no longer reaches the asker, and
 * it must not touch its `reply` argument any more. *out is the reply, held by
 * the actor until answered: if the actor dies first (after on_stop or
 * on_failure, which may still answer it) the asker gets TACT_EDEAD.
 * Call it from the handler, at most once. Never blocks.
 * Errors: TACT_EINVAL (NULL, not in an ask's handler, deferred already, or
 * another method), TACT_ENOMEM (the ask is not deferred). */
tact_status tact_reply_defer(tact_ctx *ctx, const tact_method *method, tact_reply **out);

/* Non-zero once the handler running with ctx has deferred its reply
 * (generated dispatch code then leaves the reply alone). */
int tact_reply_deferred(const tact_ctx *ctx);

/* Answers with msg, a reply message of the ask's reply type (a protobuf-c
 * struct, usually on the caller's stack): what its fields own (heap strings,
 * bytes, messages) is handed over on every path, and msg is left empty.
 * Consumes r, except on a call from outside the actor that holds it.
 * Returns TACT_OK, or the status the ask had already completed with
 * (TACT_ECANCELED, TACT_ETIMEDOUT, TACT_EHANDLER, TACT_EDEAD): the answer came
 * too late and was dropped. Never blocks; call it only from the holding actor
 * (its handlers, continuations, on_stop, on_failure).
 * Errors: TACT_EINVAL (NULL; called from another actor or thread: r is kept;
 * msg of another type: the asker fails with TACT_EHANDLER, code TACT_EINVAL). */
tact_status tact_reply_send(tact_reply *r, void *msg);

/* Answers with a failure: the asker's future fails with TACT_EHANDLER, and
 * tact_future_error() gives code (TACT_OK is taken as TACT_EINVAL) and the
 * printf-style text. Consumes r as tact_reply_send() does, and returns as it. */
tact_status tact_reply_fail(tact_reply *r, tact_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Forwards the ask: m, an ask message (built for another method, of any actor
 * type), is sent to `to` carrying r, so that to's answer (or failure, or
 * death) completes the original asker's future directly, without passing back
 * through this actor. The method's reply type must equal the ask's (generated
 * _forward functions check it at compile time; here it is checked at run
 * time). The handler there may answer, defer or forward again. Consumes r
 * (except from outside the holding actor) and m on every path. Never blocks.
 * Returns TACT_OK; TACT_EDEAD (to is dead or NULL: the asker gets TACT_EDEAD too);
 * the status the ask had completed with if it was cancelled or timed out
 * meanwhile (m is dropped). Errors: TACT_EINVAL (NULL, m not an ask, or of
 * another reply type: the asker fails with TACT_EHANDLER, code TACT_EINVAL),
 * TACT_EXSYSTEM (to belongs to another system: the asker fails likewise). */
tact_status tact_reply_forward(tact_reply *r, tact_actor *to, tact_msg *m);

/* The system of the asked actor (where actor references in the reply are
 * resolved). NULL for NULL. */
tact_system *tact_reply_system(const tact_reply *r);

TACT_API_END

#ifdef __cplusplus
}
#endif
#endif
