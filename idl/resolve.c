/* Package-level names and what a type name refers to.
 *
 * Every package (and each prefix of a dotted one: "a" and "a.b" for "a.b.c"),
 * declaration and enum value of all loaded files is entered under its full name
 * ("bank.Account", "bank.CHECKING"). Enum values share the package's scope, as in
 * protobuf. A type name without a dot is looked up in its file's package; one with
 * dots is a full name. A declaration is visible from the file that declares it
 * and from the files that import that file directly. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct symbol {
    char *name;     /* full name, the table's key */
    idl_decl *decl; /* one of decl and value, or neither */
    idl_enum_value *value;
    idl_decl *value_enum;   /* the enum of value */
    idl_file *package_file; /* set when name is a package or a package prefix */
} symbol;

struct idl_names {
    idl_program *prog;
    idl_symtab table;
    symbol **symbols;
    size_t count, cap;
    idl_buf key; /* scratch for building full names */
};

static const char *full_name(idl_names *n, const char *package, const char *name) {
    n->key.len = 0;
    idl_buf_adds(&n->key, package);
    idl_buf_addc(&n->key, '.');
    idl_buf_adds(&n->key, name);
    return n->key.data;
}

static symbol *lookup(idl_names *n, const char *name) {
    return idl_symtab_get(&n->table, name);
}

static symbol *intern(idl_names *n, const char *name, size_t len) {
    char *key = idl_xstrndup(name, len);
    symbol *s = idl_symtab_get(&n->table, key);
    if (s) {
        free(key);
        return s;
    }
    s = idl_xcalloc(1, sizeof *s);
    s->name = key;
    idl_symtab_put(&n->table, key, s);
    if (n->count == n->cap) {
        n->cap = n->cap ? n->cap * 2 : 64;
        n->symbols = idl_xrealloc(n->symbols, n->cap * sizeof *n->symbols);
    }
    n->symbols[n->count++] = s;
    return s;
}

static void add_packages(idl_names *n, idl_file *f) {
    const char *pkg = f->package;
    for (size_t i = 0;; i++) {
        if (pkg[i] == '.' || pkg[i] == '\0') {
            symbol *s = intern(n, pkg, i);
            if (!s->package_file)
                s->package_file = f;
        }
        if (pkg[i] == '\0')
            break;
    }
}

static void name_loc(const symbol *s, idl_loc *loc) {
    *loc = s->decl ? s->decl->loc : s->value->loc;
}

/* Enters a declaration (value NULL) or an enum value of enum decl. */
static void add_name(idl_names *n, idl_file *f, idl_decl *decl, idl_enum_value *value) {
    const char *name = value ? value->name : decl->name;
    idl_loc loc = value ? value->loc : decl->loc;
    const char *full = full_name(n, f->package, name);
    symbol *s = intern(n, full, n->key.len);
    if (s->decl || s->value) {
        idl_loc first;
        name_loc(s, &first);
        if (value && s->value)
            idl_program_error(n->prog, loc,
                              "duplicate enum value name '%s' in package '%s' (first declared "
                              "at " IDL_LOC_FMT "); enum values are scoped to the package, as "
                              "in protobuf",
                              name, f->package, IDL_LOC_ARGS(first));
        else
            idl_program_error(n->prog, loc,
                              "duplicate name '%s' in package '%s' (first declared at " IDL_LOC_FMT
                              ")",
                              name, f->package, IDL_LOC_ARGS(first));
        return;
    }
    if (s->package_file)
        idl_program_error(n->prog, loc,
                          "'%s' in package '%s' has the same full name as package '%s' (declared "
                          "at " IDL_LOC_FMT ")",
                          name, f->package, s->name, IDL_LOC_ARGS(s->package_file->package_loc));
    s->decl = value ? NULL : decl;
    s->value = value;
    s->value_enum = value ? decl : NULL;
}

idl_names *idl_names_build(idl_program *p) {
    idl_names *n = idl_xcalloc(1, sizeof *n);
    n->prog = p;
    /* Packages first, so a clash between a package and a declaration is always
     * reported at the declaration. */
    for (idl_file *f = p->files; f; f = f->next)
        if (f->package)
            add_packages(n, f);
    for (idl_file *f = p->files; f; f = f->next) {
        if (!f->package)
            continue; /* already an error; its names cannot be written */
        for (idl_decl *d = f->decls; d; d = d->next) {
            add_name(n, f, d, NULL);
            for (idl_enum_value *v = d->values; v; v = v->next)
                add_name(n, f, d, v);
        }
    }
    return n;
}

static int visible(const idl_file *from, const idl_decl *d) {
    if (d->file == from)
        return 1;
    for (const idl_import *i = from->imports; i; i = i->next)
        if (i->file == d->file)
            return 1;
    return 0;
}

/* For "unknown type 'Money'": a declaration of that name in another package that
 * the file can see, which the user probably meant. */
static const idl_decl *suggest(const idl_file *from, const char *name) {
    for (const idl_import *i = from->imports; i; i = i->next) {
        if (!i->file || !i->file->package)
            continue;
        for (const idl_decl *d = i->file->decls; d; d = d->next)
            if (strcmp(d->name, name) == 0 && strcmp(i->file->package, from->package) != 0)
                return d;
    }
    return NULL;
}

void idl_names_resolve(idl_names *n, idl_file *f, idl_type *t) {
    if (t->is_scalar)
        return;
    int qualified = strchr(t->qname, '.') != NULL;
    if (!qualified && !f->package)
        return; /* the missing package is reported; nothing can be found */
    const symbol *s = lookup(n, qualified ? t->qname : full_name(n, f->package, t->qname));
    if (!s && !qualified)
        s = lookup(n, t->qname); /* a package named without its prefix */
    if (s && s->decl) {
        if (visible(f, s->decl))
            t->decl = s->decl;
        else
            idl_program_error(n->prog, t->loc,
                              "type '%s' is declared in '%s', which '%s' does not import", t->qname,
                              s->decl->file->path, f->path);
    } else if (s && s->value) {
        idl_program_error(n->prog, t->loc, "'%s' is a value of enum '%s', not a type", t->qname,
                          s->value_enum->name);
    } else if (s && s->package_file) {
        idl_program_error(n->prog, t->loc, "'%s' is a package, not a type", t->qname);
    } else {
        const idl_decl *d = qualified ? NULL : suggest(f, t->qname);
        if (d)
            idl_program_error(n->prog, t->loc, "unknown type '%s'; did you mean '%s.%s'?", t->qname,
                              d->file->package, d->name);
        else
            idl_program_error(n->prog, t->loc, "unknown type '%s'", t->qname);
    }
}

void idl_names_free(idl_names *n) {
    for (size_t i = 0; i < n->count; i++) {
        free(n->symbols[i]->name);
        free(n->symbols[i]);
    }
    free(n->symbols);
    idl_symtab_free(&n->table);
    free(n->key.data);
    free(n);
}
