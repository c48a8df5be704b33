/* Freeing trees. Lists are walked in loops: their length is up to the input. */
#include <stdlib.h>

#include "internal.h"

void idl_free_fields(idl_field *f) {
    while (f) {
        idl_field *next = f->next;
        free(f->doc);
        free(f->type.qname);
        free(f->name);
        free(f);
        f = next;
    }
}

void idl_free_values(idl_enum_value *v) {
    while (v) {
        idl_enum_value *next = v->next;
        free(v->doc);
        free(v->name);
        free(v);
        v = next;
    }
}

void idl_free_members(idl_member *m) {
    while (m) {
        idl_member *next = m->next;
        free(m->doc);
        free(m->name);
        idl_free_fields(m->params);
        free(m->type.qname);
        free(m);
        m = next;
    }
}

void idl_free_decls(idl_decl *d) {
    while (d) {
        idl_decl *next = d->next;
        free(d->doc);
        free(d->name);
        idl_free_values(d->values);
        idl_free_fields(d->fields);
        idl_free_fields(d->spawn_params);
        idl_free_members(d->members);
        free(d);
        d = next;
    }
}

void idl_free_source(idl_source *s) {
    idl_import *i = s->file.imports;
    while (i) {
        idl_import *next = i->next;
        free(i->path);
        free(i);
        i = next;
    }
    idl_free_decls(s->file.decls);
    free(s->file.package);
    free(s->file.path);
    free(s->text);
    free(s->line_starts);
    free(s);
}
