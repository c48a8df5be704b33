/* How .actor types appear in the generated C: as handler and proxy
 * parameters, in the protoc-c structs, and as replies. */
#ifndef TACTC_CTYPE_MAP_H
#define TACTC_CTYPE_MAP_H

#include <stdbool.h>

#include "ast.h"
#include "buf.h"

typedef enum ctype_kind { CT_NUMBER, CT_BOOL, CT_STRING, CT_BYTES, CT_ENUM, CT_MESSAGE, CT_ACTOR } ctype_kind;

ctype_kind ctype_kind_of(const idl_type *t);

/* The type of one value as a parameter: "int64_t", "const char *",
 * "ProtobufCBinaryData", "bank_Kind", "const bank_Entry *", "bank_Account_ref". */
char *ctype_value(const idl_type *t);

/* A parameter declaration for a field with its label:
 * "int64_t a", "const int64_t *a" (optional), "size_t n_a, const int64_t *a". */
void ctype_param(buf *b, const idl_field *f);

/* The C arguments that pass field f of the request struct `req` to a handler:
 * "req->a", "req->has_a ? &req->a : NULL", "req->n_a, req->a". Actor
 * references are first resolved into locals named tact_a_<name> (see
 * ctype_handler_prepare). */
void ctype_handler_arg(buf *b, const idl_field *f);
/* Statements before and after the handler call for fields that need them
 * (actor references, looked up by id). `sys` is an expression for the system. */
void ctype_handler_prepare(buf *b, const idl_field *f, const char *sys);
void ctype_handler_cleanup(buf *b, const idl_field *f);

/* The failure labels a generated body jumps to, noted as the jumps are
 * printed, so that the body gets each label it uses and no other. tact_inval
 * and tact_nomem set tact_st; tact_fail expects it set. */
typedef struct ctype_jumps {
    bool inval, nomem, fail;
} ctype_jumps;

/* Statements that copy parameter f into `req->`, jumping to one of j's
 * labels on failure. `sys` is an expression for the target's system. */
void ctype_store(buf *b, const idl_field *f, const char *sys, ctype_jumps *j);

/* The parameter a handler gets for its reply ("int64_t *reply") and the one a
 * future's get hands the reply out through ("int64_t *reply"). */
void ctype_reply_handler_param(buf *b, const idl_type *t);
void ctype_reply_get_param(buf *b, const idl_type *t);

#endif
