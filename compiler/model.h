/* What the back ends generate from, derived once from the checked tree: an
 * actor's methods with properties expanded into their get_ and set_ asks, and
 * the C and protobuf-c names of everything. */
#ifndef TACTC_MODEL_H
#define TACTC_MODEL_H

#include <stdbool.h>

#include "ast.h"

typedef struct gen_method {
    const idl_member *member; /* where it comes from (location, doc) */
    char *name;               /* "add"; "get_x" and "set_x" for property x */
    bool ask;                 /* false: a tell */
    idl_field *params;        /* the member's, or the property setter's own */
    const idl_type *reply;    /* NULL: no reply value */
    char *camel;              /* "Add": names its protobuf messages AddRequest, AddReply */
    char *c;                  /* "bank_Account_add" */
} gen_method;

typedef struct gen_actor {
    const idl_decl *decl;
    char *c;      /* "bank_Account" */
    char *pb;     /* "Bank__Account" */
    char *pb_low; /* "bank__account" */
    gen_method *methods;
    int n_methods;
} gen_actor;

typedef struct gen_file {
    const idl_file *file;
    char *stem;   /* "bank" for dir/bank.actor */
    char *prefix; /* "bank" for package bank, "a_b" for a.b */
    gen_actor *actors;
    int n_actors;
} gen_file;

gen_file *gen_file_new(const idl_file *f);
void gen_file_free(gen_file *g);

/* The C name of a declaration ("bank_Entry"), its protoc-c struct or enum type
 * ("Bank__Entry") and lower-case name ("bank__entry"). Heap strings. */
char *gen_c_name(const idl_decl *d);
char *gen_pb_name(const idl_decl *d);
char *gen_pb_lower(const idl_decl *d);
/* A nested message of an actor: "Bank__Account__DepositRequest" and its lower form. */
char *gen_pb_nested(const gen_actor *a, const char *nested);
char *gen_pb_nested_lower(const gen_actor *a, const char *nested);


#endif
