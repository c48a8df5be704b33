/* idl_program_check: the rules of the language that the grammar does not
 * express. Name-level rules of the whole package are resolve.c's; here are those
 * local to one declaration, walked in source order so diagnostics come out in
 * the order of the file. */
#include "internal.h"

enum {
    FIELD_NUMBER_MAX = 536870911, /* protobuf's 2^29 - 1 */
    RESERVED_FIRST = 19000,       /* protobuf's own range */
    RESERVED_LAST = 19999,
};

typedef struct checker {
    idl_program *prog;
    idl_names *names;
    idl_file *file;
    idl_symtab names_in_scope; /* fields, members: name -> idl_loc */
    idl_symtab params;         /* one method's parameters, checked inside a member */
    idl_symtab numbers;        /* field numbers or enum values -> node */
} checker;

/* what: "field", "parameter", "member" */
static void unique_name(checker *c, idl_symtab *scope, const char *name, idl_loc *loc,
                        const char *what) {
    const idl_loc *first = idl_symtab_put(scope, name, loc);
    if (first)
        idl_program_error(c->prog, *loc,
                          "duplicate %s name '%s' (first declared at " IDL_LOC_FMT ")", what, name,
                          IDL_LOC_ARGS(*first));
}

static void duplicate_number(checker *c, idl_loc loc, const char *what, int64_t number,
                             const char *first_name, idl_loc first) {
    idl_program_error(c->prog, loc, "duplicate %s %lld (first used by '%s' at " IDL_LOC_FMT ")",
                      what, (long long)number, first_name, IDL_LOC_ARGS(first));
}

static void check_params(checker *c, idl_field *params) {
    idl_symtab_clear(&c->params);
    for (idl_field *p = params; p; p = p->next) {
        idl_names_resolve(c->names, c->file, &p->type);
        unique_name(c, &c->params, p->name, &p->loc, "parameter");
    }
}

static void check_field_number(checker *c, idl_field *f) {
    if (f->number == IDL_BAD_INT)
        return;
    if (f->number < 1 || f->number > FIELD_NUMBER_MAX) {
        idl_program_error(c->prog, f->loc, "field number %lld is out of range (1 to %d)",
                          (long long)f->number, FIELD_NUMBER_MAX);
        return;
    }
    if (f->number >= RESERVED_FIRST && f->number <= RESERVED_LAST) {
        idl_program_error(c->prog, f->loc,
                          "field number %lld is in the range %d-%d reserved by protobuf",
                          (long long)f->number, RESERVED_FIRST, RESERVED_LAST);
        return;
    }
    const idl_field *first = idl_symtab_put_int(&c->numbers, f->number, f);
    if (first)
        duplicate_number(c, f->loc, "field number", f->number, first->name, first->loc);
}

static void check_message(checker *c, idl_decl *d) {
    for (idl_field *f = d->fields; f; f = f->next) {
        idl_names_resolve(c->names, c->file, &f->type);
        unique_name(c, &c->names_in_scope, f->name, &f->loc, "field");
        check_field_number(c, f);
    }
}

static void check_enum(checker *c, idl_decl *d) {
    /* After a syntax error a value may be missing from the tree: do not guess. */
    int partial = idl_source_of(c->file)->syntax_errors > 0;
    if (!d->values && !partial)
        idl_program_error(c->prog, d->loc,
                          "enum '%s' has no values (it needs at least one, and "
                          "the first must be 0)",
                          d->name);
    if (d->values && d->values->value != 0 && d->values->value != IDL_BAD_INT && !partial)
        idl_program_error(c->prog, d->values->loc,
                          "the first value of enum '%s' must be 0 (protobuf's default), not %lld",
                          d->name, (long long)d->values->value);
    for (idl_enum_value *v = d->values; v; v = v->next) {
        if (v->value == IDL_BAD_INT)
            continue;
        if (v->value < INT32_MIN || v->value > INT32_MAX) {
            idl_program_error(c->prog, v->loc, "enum value %lld is out of the int32 range",
                              (long long)v->value);
            continue;
        }
        const idl_enum_value *first = idl_symtab_put_int(&c->numbers, v->value, v);
        if (first)
            duplicate_number(c, v->loc, "enum value", v->value, first->name, first->loc);
    }
}

static void check_actor(checker *c, idl_decl *d) {
    check_params(c, d->spawn_params);
    for (idl_member *m = d->members; m; m = m->next) {
        unique_name(c, &c->names_in_scope, m->name, &m->loc, "member");
        check_params(c, m->params);
        if (m->has_type)
            idl_names_resolve(c->names, c->file, &m->type);
    }
}

int idl_program_check(idl_program *p) {
    /* After the limit the trees may be partial: checking them would only cascade. */
    if (p->stopped)
        return p->errors;
    checker c = {.prog = p, .names = idl_names_build(p)};
    for (c.file = p->files; c.file; c.file = c.file->next) {
        for (idl_decl *d = c.file->decls; d; d = d->next) {
            idl_symtab_clear(&c.names_in_scope);
            idl_symtab_clear(&c.numbers);
            if (d->kind == IDL_DECL_ENUM)
                check_enum(&c, d);
            else if (d->kind == IDL_DECL_MESSAGE)
                check_message(&c, d);
            else
                check_actor(&c, d);
        }
    }
    idl_symtab_free(&c.names_in_scope);
    idl_symtab_free(&c.params);
    idl_symtab_free(&c.numbers);
    idl_names_free(c.names);
    return p->errors;
}
