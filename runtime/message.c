/* Message envelopes, and freeing what protobuf-c messages own. */
#include <protobuf-c/protobuf-c.h>
#include <stdlib.h>

#include "internal.h"

tact_status tact_msg_new(const tact_method *method, void **request, tact_msg **out) {
    if (!method || !request || !out)
        return TACT_EINVAL;
    const ProtobufCMessageDescriptor *d = method->request;
    tact_msg *m = malloc(TACT_MSG_HEADER + d->sizeof_message);
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
    if (m->future)
        future_release(m->future);
    pb_free_fields(m->method->request, msg_request(m));
    free(m);
}
