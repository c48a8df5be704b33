/* The checked syntax tree of .actor files: what the parser builds, what
 * idl_program_check() resolves, and the only thing back ends read.
 *
 * Ownership: every node and string belongs to the idl_program that loaded it
 * and is freed by idl_program_free(). Lists keep source order (generated code
 * must be deterministic), so they are singly linked in the order written. */
#ifndef TACT_IDL_AST_H
#define TACT_IDL_AST_H

#include <stddef.h>
#include <stdint.h>

typedef struct idl_loc {
    const char *file; /* the path as given or resolved; owned by the program */
    int line, col;    /* 1-based, col counts bytes */
} idl_loc;

typedef enum idl_scalar {
    IDL_BOOL,
    IDL_INT32,
    IDL_INT64,
    IDL_UINT32,
    IDL_UINT64,
    IDL_SINT32,
    IDL_SINT64,
    IDL_FIXED32,
    IDL_FIXED64,
    IDL_SFIXED32,
    IDL_SFIXED64,
    IDL_FLOAT,
    IDL_DOUBLE,
    IDL_STRING,
    IDL_BYTES,
    IDL_SCALAR_COUNT
} idl_scalar;

/* The keyword spelling of a scalar type ("int64"). */
const char *idl_scalar_name(idl_scalar s);

struct idl_decl;

typedef struct idl_type {
    idl_loc loc;
    int is_scalar;         /* 1: scalar is set; 0: a named type */
    idl_scalar scalar;
    char *qname;           /* a named type as written ("money.Money") */
    struct idl_decl *decl; /* the enum, message or actor it names; set by check */
} idl_type;

typedef enum idl_label { IDL_LABEL_NONE, IDL_LABEL_OPTIONAL, IDL_LABEL_REPEATED } idl_label;

/* A message field, or a parameter of a method or of a spawn (number is 0). */
typedef struct idl_field {
    idl_loc loc; /* of the name */
    char *doc;   /* doc comment text without the comment markers, or NULL */
    idl_label label;
    idl_type type;
    char *name;
    int64_t number;
    struct idl_field *next;
} idl_field;

typedef struct idl_enum_value {
    idl_loc loc;
    char *doc;
    char *name;
    int64_t value;
    struct idl_enum_value *next;
} idl_enum_value;

typedef enum idl_member_kind { IDL_MEMBER_ASK, IDL_MEMBER_TELL, IDL_MEMBER_PROPERTY } idl_member_kind;

typedef struct idl_member {
    idl_loc loc; /* of the name */
    char *doc;
    idl_member_kind kind;
    char *name;
    idl_field *params; /* ask and tell */
    int has_type;      /* ask with "-> type", and every property */
    idl_type type;     /* the reply type of an ask, the type of a property */
    struct idl_member *next;
} idl_member;

typedef enum idl_decl_kind { IDL_DECL_ENUM, IDL_DECL_MESSAGE, IDL_DECL_ACTOR } idl_decl_kind;

struct idl_file;

typedef struct idl_decl {
    idl_loc loc; /* of the name */
    char *doc;
    idl_decl_kind kind;
    char *name;
    struct idl_file *file;   /* the file that declares it (its package) */
    idl_enum_value *values;  /* enum */
    idl_field *fields;       /* message */
    idl_field *spawn_params; /* actor: parameters of its spawn, may be NULL */
    idl_member *members;     /* actor */
    struct idl_decl *next;
} idl_decl;

typedef struct idl_import {
    idl_loc loc; /* of the string */
    char *path;  /* as written */
    struct idl_file *file; /* the loaded file; NULL if it could not be loaded */
    struct idl_import *next;
} idl_import;

typedef struct idl_file {
    char *path;      /* as given on the command line or resolved for an import */
    char *package;   /* "bank" or "a.b"; NULL when the file had no valid package */
    idl_loc package_loc;
    idl_import *imports;
    idl_decl *decls;
    struct idl_file *next; /* in the program's list of all loaded files */
} idl_file;

#endif
