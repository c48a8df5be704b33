/* Shared by the lexer and the parser of one file: semantic values and the state
 * of the parse (no globals: flex's extra and bison's %parse-param both carry it). */
#ifndef TACT_IDL_PARSE_H
#define TACT_IDL_PARSE_H

#include "internal.h"

/* A doc comment waiting for the declaration, field or member it documents. */
typedef struct idl_doc {
    char *text; /* NULL: none */
    idl_loc loc;
} idl_doc;

/* Every token that can start a documented construct carries the doc comment that
 * preceded it; the grammar keeps it or warns that nothing uses it. */
typedef struct idl_tok {
    char *text;  /* identifier, decoded string */
    int64_t num; /* integer value (IDL_BAD_INT if malformed), scalar of a type keyword */
    int bad;     /* a string with an error already reported: do not use it */
    idl_doc doc;
} idl_tok;

typedef struct idl_qname {
    idl_buf text; /* grown in place: a long dotted name must not cost quadratic time */
    idl_loc loc;
    idl_doc doc;
} idl_qname;

typedef struct idl_typed {
    idl_type type;
    idl_doc doc;
} idl_typed;

typedef struct idl_labeled {
    idl_label label;
    idl_doc doc;
} idl_labeled;

/* Lists built in source order in constant time per element. */
typedef struct idl_field_list {
    idl_field *head, *tail;
} idl_field_list;
typedef struct idl_value_list {
    idl_enum_value *head, *tail;
} idl_value_list;
typedef struct idl_member_list {
    idl_member *head, *tail;
} idl_member_list;

#define IDL_LIST_APPEND(list, node)                                                                \
    do {                                                                                           \
        if ((list).tail)                                                                           \
            (list).tail->next = (node);                                                            \
        else                                                                                       \
            (list).head = (node);                                                                  \
        (list).tail = (node);                                                                      \
    } while (0)

typedef struct idl_parse {
    idl_program *prog;
    idl_source *src;

    /* lexer */
    int line, col;   /* position of the next byte */
    idl_buf doc;     /* pending doc comment text */
    idl_loc doc_loc; /* where it started */
    int have_doc;
    char last_token[48]; /* the last token's text, for syntax errors */

    /* parser */
    idl_import **import_tail;
    idl_decl **decl_tail;
    int items;        /* top-level items seen (package, import or declaration) */
    int package_seen; /* a package statement, even a broken one */
    int decl_seen;
    idl_loc first_item; /* where a missing package is reported */
} idl_parse;

/* The one table of reserved words (keywords.c): the token of the word at s, or 0
 * for an identifier; *scalar is set for a scalar type name. */
int idl_keyword(const char *s, size_t len, int64_t *scalar);

/* Frees a doc comment that documents nothing, with a warning. */
void idl_drop_doc(idl_parse *ps, idl_doc *doc);

#endif
