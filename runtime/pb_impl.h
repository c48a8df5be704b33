/* Walking protobuf-c messages by their descriptors (pb.c): the deep copy,
 * free and take behind messages, replies and tact_ctx_take. */
#ifndef TACT_PB_IMPL_H
#define TACT_PB_IMPL_H

#include "tact/status.h"

/* Frees what a protobuf-c message owns (not the message's own memory). */
void pb_free_fields(const void *desc, void *msg);
/* Hands over the string, bytes or message that a non-repeated field of msg
 * holds at payload, clearing the field: see tact_ctx_take. */
void *pb_take(const void *desc, void *msg, const void *payload);
/* Deep-copies src into the uninitialised message memory dst. On failure dst
 * holds an empty message. Errors: TACT_EINVAL, TACT_ENOMEM. */
tact_status pb_copy_into(const void *desc, void *dst, const void *src);

#endif
