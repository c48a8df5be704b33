/* Copying values into messages, for the generated proxies and for users who
 * build messages by hand. Every message is a protobuf-c struct; the runtime
 * never serializes one for a local send, it copies (isolation: the receiver
 * never sees memory the sender can still change).
 *
 * Ownership: what these functions allocate belongs to the message it is
 * stored in and is freed with it (tact_pb_free). All are thread-safe. */
#ifndef TACT_PB_H
#define TACT_PB_H

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>
#include <stdint.h>

#include "actor.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

TACT_API_BEGIN

/* A heap copy of s; NULL if s is NULL or memory ran out. */
char *tact_strdup(const char *s);

/* Copies src's bytes into dst (dst->data becomes a heap copy; empty stays NULL).
 * Errors: TACT_ENOMEM (dst is left empty). */
tact_status tact_bytes_copy(ProtobufCBinaryData *dst, ProtobufCBinaryData src);

/* Copies n elements of elem_size bytes into a new heap array *dst and sets
 * *dst_n (0 and NULL for n == 0). Errors: TACT_EINVAL (src NULL with n > 0),
 * TACT_ENOMEM. */
tact_status tact_array_copy(void **dst, size_t *dst_n, const void *src, size_t n, size_t elem_size);

/* A new message of type d with its defaults. Errors: TACT_EINVAL, TACT_ENOMEM. */
tact_status tact_pb_new(const ProtobufCMessageDescriptor *d, void **out);

/* A deep copy of src (of type d): strings, bytes, arrays and sub-messages are
 * copied too. Errors: TACT_EINVAL, TACT_ENOMEM (nothing is left allocated). */
tact_status tact_pb_dup(const ProtobufCMessageDescriptor *d, const void *src, void **out);

/* Frees a message and everything it owns (as protobuf_c_message_free_unpacked
 * does, for messages built from heap pieces). NULL is accepted. */
void tact_pb_free(const ProtobufCMessageDescriptor *d, void *msg);

/* The id to store for an actor reference sent to an actor of system sys.
 * Errors: TACT_EINVAL (a is NULL), TACT_EDEAD (sys is NULL: the target's
 * system is destroyed, see tact_actor_system), TACT_EXSYSTEM (a belongs to
 * another system). */
tact_status tact_ref_to_id(tact_system *sys, tact_actor *a, uint64_t *id);

TACT_API_END

#ifdef __cplusplus
}
#endif
#endif
