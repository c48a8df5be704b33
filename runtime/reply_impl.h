/* Deferred replies (reply.c): what the runner and futures need of them. */
#ifndef TACT_REPLY_IMPL_H
#define TACT_REPLY_IMPL_H

#include <stdbool.h>

#include <protobuf-c/protobuf-c.h>

#include "tact/tact.h"

/* Whether two reply types have one layout (the same .actor type), so that a
 * reply written for one may be read as the other. */
bool reply_types_match(const ProtobufCMessageDescriptor *a, const ProtobufCMessageDescriptor *b);
/* The actor is dying, its hooks have run: fails the replies it still holds
 * with TACT_EDEAD. Runner only. */
void reply_actor_died(tact_actor *a);

#endif
