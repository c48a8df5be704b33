/* The program: the set of loaded files, include folders and the error count. */
#include <stdlib.h>

#include "internal.h"

idl_program *idl_program_new(FILE *diag_out) {
    idl_program *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->out = diag_out;
    p->files_tail = &p->files;
    return p;
}

void idl_program_add_include_dir(idl_program *p, const char *dir) {
    p->include_dirs = idl_xrealloc(p->include_dirs, (p->include_count + 1) * sizeof(char *));
    p->include_dirs[p->include_count++] = idl_xstrdup(dir);
}

void idl_program_set_max_errors(idl_program *p, int max) {
    p->max_errors = max > 0 ? max : 0;
}

int idl_program_error_count(const idl_program *p) {
    return p->errors;
}

idl_file *idl_program_files(const idl_program *p) {
    return p->files;
}

void idl_program_free(idl_program *p) {
    if (!p)
        return;
    idl_file *f = p->files;
    while (f) {
        idl_file *next = f->next;
        idl_free_source(idl_source_of(f));
        f = next;
    }
    for (size_t i = 0; i < p->include_count; i++)
        free(p->include_dirs[i]);
    free(p->include_dirs);
    free(p);
}
