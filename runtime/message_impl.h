/* A message's envelope: the header before its request struct (message.c). */
#ifndef TACT_MESSAGE_IMPL_H
#define TACT_MESSAGE_IMPL_H

#include <stddef.h>

#include <protobuf-c/protobuf-c.h>

#include "mpsc.h"
#include "tact/tact.h"

/* Runtime-internal message kinds, beside the public ask and tell. */
enum { TACT_METHOD_CONT = 101 };

typedef struct tact_timer tact_timer;

struct tact_msg {
    mpsc_node node; /* first: the mailbox links messages through it */
    const tact_method *method;
    union {
        tact_future *future; /* an ask's future (counted) */
        tact_timer *timer;   /* a tell sent by a timer (counted), else NULL */
    };
    /* the request message follows, aligned for any type */
};

/* Where a message's request struct starts. */
#define TACT_MSG_ALIGN _Alignof(max_align_t)
#define TACT_MSG_HEADER ((sizeof(struct tact_msg) + TACT_MSG_ALIGN - 1) & ~(TACT_MSG_ALIGN - 1))
static inline void *msg_request(tact_msg *m) {
    return (char *)m + TACT_MSG_HEADER;
}

/* The block size of a message for method (envelope and request). */
static inline size_t msg_size(const tact_method *method) {
    const ProtobufCMessageDescriptor *d = method->request;
    return TACT_MSG_HEADER + (d ? d->sizeof_message : 0);
}

/* A new unsent message with a deep copy of m's request; NULL when out of memory. */
tact_msg *msg_clone(tact_system *sys, const tact_msg *m);

#endif
