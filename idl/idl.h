/* The .actor front end as a library: load files (and what they import), check
 * them, and hand back the tree of ast.h. It knows nothing of C output.
 *
 * Typical use (this is what tactc does):
 *
 *     idl_program *p = idl_program_new(stderr);
 *     idl_program_add_include_dir(p, "proto/");
 *     idl_file *f = idl_program_load(p, "bank.actor");
 *     if (idl_program_check(p) == 0) { ...back ends read f... }
 *     idl_program_free(p);
 *
 * Not thread-safe: one program per thread. No global state, so several
 * programs may live in one process (the fuzz target relies on it). */
#ifndef TACT_IDL_H
#define TACT_IDL_H

#include <stdio.h>

#include "ast.h"

typedef struct idl_program idl_program;

/* A new, empty program whose diagnostics go to diag_out (gcc's format: file:line:col:
 * error: text, the source line, a caret). diag_out may be NULL to count errors silently.
 * Returns NULL only when out of memory. */
idl_program *idl_program_new(FILE *diag_out);

/* Stops after max errors, as gcc's -fmax-errors: the error that reaches the limit
 * is followed by one "tactc: fatal error: too many errors" line, then nothing more is
 * loaded, checked or reported (idl_program_load returns NULL, idl_program_check
 * returns at once). 0, the default, means no limit; a negative max is taken as 0. */
void idl_program_set_max_errors(idl_program *p, int max);

/* Imports that are not found beside the importing file are looked up in these
 * folders, in the order added. The string is copied. */
void idl_program_add_include_dir(idl_program *p, const char *dir);

/* Reads, parses and loads path and, recursively, everything it imports. A file
 * reached twice (by any path naming the same file) is loaded once. Returns the file's
 * tree even when it had errors (as much as could be recovered), or NULL if the file
 * cannot be read (reported as a diagnostic) or the error limit was reached before.
 * A file that is not text (a NUL byte, or mostly bytes that are not UTF-8 text, in
 * its first 4 KiB) gets that one diagnostic and an empty tree. Diagnostics in an
 * imported file are led by "In file imported from FILE:LINE," lines, as gcc's. */
idl_file *idl_program_load(idl_program *p, const char *path);

/* Parses source text held in memory as if read from a file named path; imports are
 * still resolved on disk. For tests and the fuzz target. Returns NULL only when the
 * error limit was reached before. */
idl_file *idl_program_load_text(idl_program *p, const char *path, const char *text, size_t len);

/* Resolves every type name and runs every check of the language on all loaded files.
 * Returns the number of errors reported so far, loading included (0: the trees are
 * complete and every idl_type.decl is set). */
int idl_program_check(idl_program *p);

/* Reports a diagnostic at loc in the program's format and counts it; for back ends,
 * which find clashes only they can see (generated C names). printf-style. */
void idl_program_error(idl_program *p, idl_loc loc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void idl_program_warning(idl_program *p, idl_loc loc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Errors reported so far. */
int idl_program_error_count(const idl_program *p);

/* Every file loaded, in load order (the roots first, each followed by its imports). */
idl_file *idl_program_files(const idl_program *p);

/* Frees the program and every tree and string it owns. NULL is accepted. */
void idl_program_free(idl_program *p);

#endif
