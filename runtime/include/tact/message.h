/* The send path as generated code drives it. Users do not call these; the
 * typed proxies do. A message is an envelope and a protobuf-c request struct
 * in one allocation: local sends copy arguments in and never serialize.
 */
#ifndef TACT_MESSAGE_H
#define TACT_MESSAGE_H

#include <stddef.h>

#include "actor.h"
#include "future.h"

#ifdef __cplusplus
extern "C" {
#endif

TACT_API_BEGIN

typedef struct tact_msg tact_msg;

typedef enum tact_method_kind { TACT_METHOD_ASK, TACT_METHOD_TELL } tact_method_kind;

/* tact_method.flags: what the runtime may skip for this method. */
enum {
    TACT_METHOD_FLAT_REQUEST = 1, /* the request owns no memory (no strings, bytes, arrays, messages) */
    TACT_METHOD_FLAT_REPLY = 2,   /* the same for the reply */
};

/* One method of an actor type, described by generated code. */
struct tact_method {
    const char *name; /* as in the .actor file */
    tact_method_kind kind;
    const void *request; /* ProtobufCMessageDescriptor of the request */
    const void *reply;   /* ProtobufCMessageDescriptor of the reply; NULL for a tell */
    /* Calls the implementation's handler with the request's fields; an ask's
     * reply is written into reply (a zeroed, initialised reply message). */
    tact_status (*invoke)(tact_ctx *ctx, const void *impl, void *self, const void *request,
                          void *reply);
    unsigned flags; /* TACT_METHOD_FLAT_REQUEST, TACT_METHOD_FLAT_REPLY */
    /* The actor type the method belongs to: a send to an actor of another
     * type is refused with TACT_ETYPE. */
    const struct tact_actor_type *actor;
};

/* Allocates a message for method with its request initialised to defaults.
 * *request points at it for the caller to fill in; fields that own memory
 * (strings, bytes, repeated, sub-messages) must be heap copies the message then owns.
 * Errors: TACT_ENOMEM. */
tact_status tact_msg_new(const tact_method *method, void **request, tact_msg **out);

/* The same, for a message to an actor of sys: a thread outside sys's pool then
 * reuses the message blocks sys's workers gave back (cheaper than malloc). */
tact_status tact_msg_new_in(tact_system *sys, const tact_method *method, void **request,
                            tact_msg **out);

/* Frees a message that was never sent (and what its request owns). */
void tact_msg_free(tact_msg *m);

/* Sends a tell. Consumes m on every path. Never blocks.
 * Errors: TACT_EINVAL, TACT_ETYPE (a is not of m's method's actor type),
 * TACT_EDEAD (counted as a dead letter). */
tact_status tact_actor_tell(tact_actor *a, tact_msg *m);

/* Sends an ask; on success *out (if out is not NULL) is a future for the reply that
 * the caller frees. Consumes m on every path. Never blocks.
 * Errors: TACT_EINVAL, TACT_ETYPE (a is not of m's method's actor type),
 * TACT_EDEAD (counted as a dead letter), TACT_ENOMEM. */
tact_status tact_actor_ask(tact_actor *a, tact_msg *m, tact_future **out);

/* Tells every live actor of the given type: a copy of m each (m is consumed on
 * every path). Every message is enqueued before it returns; *told (may be NULL)
 * is how many actors were told. Errors: TACT_EINVAL (m not a tell),
 * TACT_ETYPE (m's method is not one of type's), TACT_ENOMEM. */
tact_status tact_system_broadcast(tact_system *sys, const tact_actor_type *type, tact_msg *m,
                                  size_t *told);

TACT_API_END

#ifdef __cplusplus
}
#endif
#endif
