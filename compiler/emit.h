/* The back ends. Each reads the checked tree of one file and returns the text
 * of what it generates (a heap string); main.c writes it. */
#ifndef TACTC_EMIT_H
#define TACTC_EMIT_H

#include <stdbool.h>

#include "buf.h"
#include "model.h"

/* x.proto: the file's messages and enums, and for each actor a message that
 * nests one request and one reply message per method (and SpawnArgs). */
char *emit_proto(const gen_file *g);
/* x.tact.h and x.tact.c */
char *emit_c_header(const gen_file *g);
char *emit_c_source(const gen_file *g);
/* x.dot: a Graphviz picture of the file's actors and messages. */
char *emit_dot(const gen_file *g);

/* Writes doc text as comment lines, each starting with lead ("// ", " * "). A
 * doc text cannot end the comment it is put in (C comments) or start a trigraph. */
void emit_doc(buf *b, const char *indent, const char *lead, const char *doc);

/* Whether imp is the first import of its file in f (a file imported twice, by
 * any paths, is written once). */
bool first_import_of(const idl_file *f, const idl_import *imp);

/* The name of the generated .proto file of an .actor file, and of its header. */
char *emit_proto_path_of(const idl_file *f);
char *emit_header_path_of(const idl_file *f);

#endif
