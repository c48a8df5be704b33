/* What the front end's files share and back ends never see: the program's
 * insides, the per-file source record, and small helpers. */
#ifndef TACT_IDL_INTERNAL_H
#define TACT_IDL_INTERNAL_H

#include <stdarg.h>
#include <stdint.h>
#include <sys/types.h>

#include "idl.h"

/* The value of an integer literal the lexer already reported as malformed or out
 * of range. Checks skip it, so one mistake gives one diagnostic; the lexer never
 * produces it for a literal it accepts (its range is +-(2^63-1)). */
#define IDL_BAD_INT INT64_MIN

/* Formats an idl_loc the way diagnostics print it: "%s:%d:%d". */
#define IDL_LOC_FMT "%s:%d:%d"
#define IDL_LOC_ARGS(l) (l).file, (l).line, (l).col

/* A loaded file: the public tree plus what only the front end needs. The tree is
 * the first member so an idl_file * converts back with idl_source_of(). */
typedef struct idl_source {
    idl_file file;
    char *text; /* the bytes as read, for printing source lines in diagnostics */
    size_t len;
    size_t *line_starts; /* offset of each line, built on the first diagnostic */
    size_t line_count;
    int on_disk; /* dev and ino identify the file; 0 for text given in memory */
    dev_t dev;
    ino_t ino;
    int loading;       /* on the import stack: reaching it again is a cycle */
    int syntax_errors; /* its tree is partial: checks that would cascade are skipped */
    /* The import that first loaded it (NULL for a root), for the "In file imported
     * from" lines that lead its diagnostics. */
    struct idl_source *importer;
    idl_loc import_loc;
} idl_source;

static inline idl_source *idl_source_of(idl_file *f) {
    return (idl_source *)f;
}

struct idl_program {
    FILE *out;
    int errors;
    int max_errors; /* 0: no limit */
    int stopped;    /* max_errors reached: nothing more is loaded, checked or reported */
    const idl_source *last_context; /* the file whose import chain was printed last */
    char **include_dirs;
    size_t include_count;
    idl_file *files; /* load order, linked through idl_file.next */
    idl_file **files_tail;
};

/* Allocation: a compiler has nothing sensible to do when memory runs out, so these
 * print a message and abort instead of making every caller handle NULL. */
void *idl_xmalloc(size_t size);
void *idl_xcalloc(size_t count, size_t size);
void *idl_xrealloc(void *ptr, size_t size);
char *idl_xstrdup(const char *s);
char *idl_xstrndup(const char *s, size_t len);

/* A growable byte string; data is always NUL-terminated once anything was added. */
typedef struct idl_buf {
    char *data;
    size_t len, cap;
} idl_buf;

void idl_buf_add(idl_buf *b, const char *s, size_t len);
void idl_buf_adds(idl_buf *b, const char *s);
void idl_buf_addc(idl_buf *b, char c);
void idl_buf_vprintf(idl_buf *b, const char *fmt, va_list ap);
void idl_buf_printf(idl_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Hands over the string (an empty one if nothing was added) and resets b. */
char *idl_buf_take(idl_buf *b);

/* The length of the valid UTF-8 sequence that starts s (at most n bytes long), or
 * 0 when s does not start one (overlong forms, surrogates and NUL included). */
size_t idl_utf8_seq(const unsigned char *s, size_t n);

/* Diagnostics without a location ("tactc: error: ..."): unreadable command-line files. */
void idl_error_noloc(idl_program *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void idl_vreport(idl_program *p, const char *severity, const idl_loc *loc, const char *fmt,
                 va_list ap);

/* Tree lists are freed iteratively: their length depends on the input. */
void idl_free_fields(idl_field *f);
void idl_free_values(idl_enum_value *v);
void idl_free_members(idl_member *m);
void idl_free_decls(idl_decl *d);
void idl_free_source(idl_source *s);

/* Whether s looks like text (text.c); if not, reports why, once, at the file. */
int idl_source_is_text(idl_program *p, const idl_source *s);

/* Parses s->text into s->file, reporting what is wrong. */
void idl_parse_source(idl_program *p, idl_source *s);

/* Package-level names of all loaded files (resolve.c). Building it reports names
 * declared twice in a package and declarations that clash with a package. */
typedef struct idl_names idl_names;
idl_names *idl_names_build(idl_program *p);
/* Sets t->decl, or reports why the name of t does not name a type visible in f. */
void idl_names_resolve(idl_names *n, idl_file *f, idl_type *t);
void idl_names_free(idl_names *n);

/* A hash table from strings or integers to non-NULL pointers. Keys are borrowed:
 * they must outlive their entries. Clearing costs what was inserted, not the
 * capacity, so one table can serve many small scopes. */
typedef struct idl_symtab {
    struct idl_slot *slots;
    size_t cap, count;
    size_t *used; /* indices of filled slots, for clearing */
} idl_symtab;

/* Inserts key -> val unless key is present; returns the value already there, or
 * NULL after inserting. */
void *idl_symtab_put(idl_symtab *t, const char *key, void *val);
void *idl_symtab_put_int(idl_symtab *t, int64_t key, void *val);
void *idl_symtab_get(const idl_symtab *t, const char *key);
void idl_symtab_clear(idl_symtab *t);
void idl_symtab_free(idl_symtab *t);

#endif
