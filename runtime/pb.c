/* Deep copies and frees of protobuf-c messages, driven by their descriptors,
 * so one piece of code serves every generated message. */
#include <stdlib.h>
#include <string.h>

#include "actor_impl.h"
#include "pb_impl.h"
#include "tact/pb.h"

char *tact_strdup(const char *s) {
    return s ? strdup(s) : NULL;
}

tact_status tact_bytes_copy(ProtobufCBinaryData *dst, ProtobufCBinaryData src) {
    dst->len = 0;
    dst->data = NULL;
    if (src.len == 0)
        return TACT_OK;
    if (!src.data)
        return TACT_EINVAL;
    if (!(dst->data = malloc(src.len)))
        return TACT_ENOMEM;
    memcpy(dst->data, src.data, src.len);
    dst->len = src.len;
    return TACT_OK;
}

tact_status tact_array_copy(void **dst, size_t *dst_n, const void *src, size_t n, size_t elem_size) {
    *dst = NULL;
    *dst_n = 0;
    if (n == 0)
        return TACT_OK;
    if (!src || elem_size == 0 || n > SIZE_MAX / elem_size)
        return TACT_EINVAL;
    if (!(*dst = malloc(n * elem_size)))
        return TACT_ENOMEM;
    memcpy(*dst, src, n * elem_size);
    *dst_n = n;
    return TACT_OK;
}

tact_status tact_pb_new(const ProtobufCMessageDescriptor *d, void **out) {
    if (!d || !out)
        return TACT_EINVAL;
    if (!(*out = malloc(d->sizeof_message)))
        return TACT_ENOMEM;
    protobuf_c_message_init(d, *out);
    return TACT_OK;
}

static bool owns_memory(const ProtobufCFieldDescriptor *f) {
    return f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_BYTES ||
           f->type == PROTOBUF_C_TYPE_MESSAGE;
}

/* Whether field f of msg holds a value: for a member of a oneof, only the
 * member its case names does. */
static bool live(const ProtobufCFieldDescriptor *f, const void *msg) {
    return !(f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) ||
           *(const uint32_t *)((const char *)msg + f->quantifier_offset) == f->id;
}

static size_t elem_size(const ProtobufCFieldDescriptor *f) {
    switch (f->type) {
    case PROTOBUF_C_TYPE_BOOL: return sizeof(protobuf_c_boolean);
    case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64: case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64: case PROTOBUF_C_TYPE_FIXED64: return 8;
    case PROTOBUF_C_TYPE_DOUBLE: return sizeof(double);
    case PROTOBUF_C_TYPE_STRING: case PROTOBUF_C_TYPE_MESSAGE: return sizeof(void *);
    case PROTOBUF_C_TYPE_BYTES: return sizeof(ProtobufCBinaryData);
    default: return 4;
    }
}

/* A string field's value that the message does not own. */
static bool static_string(const ProtobufCFieldDescriptor *f, const char *s) {
    return s == (const char *)f->default_value || s == protobuf_c_empty_string;
}

static void free_value(const ProtobufCFieldDescriptor *f, void *p) {
    switch (f->type) {
    case PROTOBUF_C_TYPE_STRING: {
        char *s = *(char **)p;
        if (s && !static_string(f, s))
            free(s);
        break;
    }
    case PROTOBUF_C_TYPE_BYTES: {
        ProtobufCBinaryData *b = p;
        const ProtobufCBinaryData *def = f->default_value;
        if (b->data && (!def || b->data != def->data))
            free(b->data);
        break;
    }
    case PROTOBUF_C_TYPE_MESSAGE:
        tact_pb_free(f->descriptor, *(void **)p);
        break;
    default:
        break;
    }
}

void *pb_take(const void *desc, void *msg, const void *payload) {
    const ProtobufCMessageDescriptor *d = desc;
    for (unsigned i = 0; d && payload && i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        char *member = (char *)msg + f->offset;
        if (f->label == PROTOBUF_C_LABEL_REPEATED || !owns_memory(f) || !live(f, msg))
            continue;
        if (f->type == PROTOBUF_C_TYPE_BYTES) {
            ProtobufCBinaryData *b = (ProtobufCBinaryData *)member;
            const ProtobufCBinaryData *def = f->default_value;
            if (b->data != payload || (def && b->data == def->data))
                continue;
            b->data = NULL;
            b->len = 0;
            return (void *)payload;
        }
        void **slot = (void **)member;
        if (*slot != payload)
            continue;
        if (f->type == PROTOBUF_C_TYPE_STRING && static_string(f, payload))
            return strdup(payload); /* not the message's to give: a copy is */
        *slot = NULL;
        return (void *)payload;
    }
    return NULL;
}

void pb_free_fields(const void *desc, void *msg) {
    const ProtobufCMessageDescriptor *d = desc;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        char *member = (char *)msg + f->offset;
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t n = *(size_t *)((char *)msg + f->quantifier_offset);
            char *array = *(char **)member;
            if (owns_memory(f))
                for (size_t k = 0; k < n; k++)
                    free_value(f, array + k * elem_size(f));
            free(array);
        } else if (live(f, msg)) {
            free_value(f, member);
        }
    }
}

void tact_pb_free(const ProtobufCMessageDescriptor *d, void *msg) {
    if (!msg)
        return;
    pb_free_fields(d, msg);
    free(msg);
}

/* Copies one value of field f from src to dst (both point at the value). */
static tact_status copy_value(const ProtobufCFieldDescriptor *f, void *dst, const void *src) {
    switch (f->type) {
    case PROTOBUF_C_TYPE_STRING: {
        const char *s = *(char *const *)src;
        if (!s || s == (const char *)f->default_value || s == protobuf_c_empty_string) {
            *(const char **)dst = s;
            return TACT_OK;
        }
        return (*(char **)dst = strdup(s)) ? TACT_OK : TACT_ENOMEM;
    }
    case PROTOBUF_C_TYPE_BYTES:
        return tact_bytes_copy(dst, *(const ProtobufCBinaryData *)src);
    case PROTOBUF_C_TYPE_MESSAGE: {
        const void *m = *(void *const *)src;
        *(void **)dst = NULL;
        return m ? tact_pb_dup(f->descriptor, m, dst) : TACT_OK;
    }
    default:
        memcpy(dst, src, elem_size(f));
        return TACT_OK;
    }
}

/* Clears the owning members of a freshly shallow-copied message, so that a
 * failure halfway leaves only what was really copied to free. */
static void clear_owned(const ProtobufCMessageDescriptor *d, void *msg) {
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        char *member = (char *)msg + f->offset;
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            *(size_t *)((char *)msg + f->quantifier_offset) = 0;
            *(void **)member = NULL;
        } else if (owns_memory(f) && live(f, msg)) {
            memset(member, 0, elem_size(f));
        }
    }
}

tact_status pb_copy_into(const void *desc, void *dst_, const void *src) {
    const ProtobufCMessageDescriptor *d = desc;
    char *dst = dst_;
    memcpy(dst, src, d->sizeof_message);
    /* Unknown fields only come from parsing; a copy made here carries none. */
    ((ProtobufCMessage *)dst)->n_unknown_fields = 0;
    ((ProtobufCMessage *)dst)->unknown_fields = NULL;
    clear_owned(d, dst);
    tact_status st = TACT_OK;
    for (unsigned i = 0; i < d->n_fields && st == TACT_OK; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        const char *from = (const char *)src + f->offset;
        char *to = dst + f->offset;
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t n = *(const size_t *)((const char *)src + f->quantifier_offset);
            const char *items = *(char *const *)from;
            if (n == 0)
                continue;
            if (!items) {
                st = TACT_EINVAL;
                break;
            }
            size_t es = elem_size(f);
            char *copy = calloc(n, es);
            if (!copy) {
                st = TACT_ENOMEM;
                break;
            }
            *(char **)to = copy;
            size_t *count = (size_t *)(dst + f->quantifier_offset);
            if (!owns_memory(f)) {
                memcpy(copy, items, n * es);
                *count = n;
                continue;
            }
            for (size_t k = 0; k < n && st == TACT_OK; k++) {
                st = copy_value(f, copy + k * es, items + k * es);
                if (st == TACT_OK)
                    *count = k + 1;
            }
        } else if (owns_memory(f) && live(f, src)) {
            st = copy_value(f, to, from);
        }
    }
    if (st != TACT_OK) {
        pb_free_fields(d, dst);
        protobuf_c_message_init(d, dst);
    }
    return st;
}

tact_status tact_pb_dup(const ProtobufCMessageDescriptor *d, const void *src, void **out) {
    if (!d || !src || !out)
        return TACT_EINVAL;
    if (!(*out = malloc(d->sizeof_message)))
        return TACT_ENOMEM;
    tact_status st = pb_copy_into(d, *out, src);
    if (st != TACT_OK) {
        free(*out);
        *out = NULL;
    }
    return st;
}

tact_status tact_ref_to_id(tact_system *sys, tact_actor *a, uint64_t *id) {
    if (!a)
        return TACT_EINVAL;
    if (!sys) /* the target's system is destroyed: a send to a dead actor */
        return TACT_EDEAD;
    if (a->sys != sys)
        return TACT_EXSYSTEM;
    *id = a->id;
    return TACT_OK;
}
