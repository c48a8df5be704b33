/* Clashes only the back ends can see: names the .actor language allows but
 * that would break the generated C or .proto. Each is reported as a diagnostic
 * at the name that causes it, so tactc never emits code that fails to build. */
#include <stdlib.h>
#include <string.h>

#include "check_c.h"
#include "names.h"

/* A set of generated names, each remembering where it came from. */
typedef struct entry {
    char *name;
    idl_loc loc;
    struct entry *next;
} entry;

typedef struct nameset {
    entry *slots[1024];
} nameset;

static unsigned hash(const char *s) {
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h % 1024;
}

/* Adds name (taking it); if present, reports the clash and returns false. */
static bool claim(idl_program *p, nameset *set, char *name, idl_loc loc, const char *what) {
    entry **slot = &set->slots[hash(name)];
    for (entry *e = *slot; e; e = e->next)
        if (strcmp(e->name, name) == 0) {
            idl_program_error(p, loc, "%s '%s' clashes with the one generated for %s:%d:%d", what,
                              name, e->loc.file, e->loc.line, e->loc.col);
            free(name);
            return false;
        }
    entry *e = calloc(1, sizeof *e);
    if (!e)
        abort();
    e->name = name;
    e->loc = loc;
    e->next = *slot;
    *slot = e;
    return true;
}

static void nameset_clear(nameset *set) {
    for (int i = 0; i < 1024; i++)
        while (set->slots[i]) {
            entry *e = set->slots[i];
            set->slots[i] = e->next;
            free(e->name);
            free(e);
        }
}

static void check_word(idl_program *p, const char *name, idl_loc loc, const char *what) {
    if (name_is_reserved(name))
        idl_program_error(p, loc, "%s name '%s' is a C or C++ keyword; the generated code could not use it",
                          what, name);
}

/* The members protoc-c puts in a message's struct must all be distinct:
 * fields 'tags' (repeated) and 'n_tags', 'fooBar' and 'foobar'. */
static void check_fields(idl_program *p, const idl_field *fields, bool params) {
    nameset c = {0};
    for (const idl_field *f = fields; f; f = f->next) {
        check_word(p, f->name, f->loc, params ? "parameter" : "field");
        if (params) {
            if (strncmp(f->name, "tact_", 5) == 0)
                idl_program_error(p, f->loc, "parameter name '%s' is reserved: names starting with 'tact_' belong to the generated code", f->name);
            if (!strcmp(f->name, "ctx") || !strcmp(f->name, "self") || !strcmp(f->name, "reply"))
                idl_program_error(p, f->loc, "parameter name '%s' is reserved: every handler takes ctx, self and reply", f->name);
            if (name_is_used_by_generated_code(f->name))
                idl_program_error(p, f->loc, "parameter name '%s' is reserved: the generated C code uses it", f->name);
        }
        if (strcmp(f->name, "base") == 0) {
            idl_program_error(p, f->loc, "%s name 'base' is reserved: protobuf-c names the message header so",
                              params ? "parameter" : "field");
            continue;
        }
        /* protoc-c lower-cases the members of its structs: fooBar and foobar meet. */
        char *m = name_member(f->name);
        claim(p, &c, xstrdup(m), f->loc, params ? "parameter" : "field");
        if (f->label == IDL_LABEL_REPEATED)
            claim(p, &c, xasprintf("n_%s", m), f->loc, "array length");
        if (f->label == IDL_LABEL_OPTIONAL && f->type.is_scalar
                ? f->type.scalar != IDL_STRING
                : f->label == IDL_LABEL_OPTIONAL && f->type.decl->kind != IDL_DECL_MESSAGE)
            claim(p, &c, xasprintf("has_%s", m), f->loc, "presence flag");
        free(m);
    }
    nameset_clear(&c);
}

void check_c_program(idl_program *p) {
    nameset globals = {0}, pb = {0}, prefixes = {0}, scope = {0};
    for (idl_file *f = idl_program_files(p); f; f = f->next) {
        if (!f->package)
            continue;
        gen_file *g = gen_file_new(f);
        /* Packages a.b and a_b both become the C prefix a_b. */
        entry **slot = &prefixes.slots[hash(g->prefix)];
        bool same = false;
        for (entry *e = *slot; e; e = e->next)
            if (!strcmp(e->name, g->prefix) && strcmp(e->loc.file, f->package) != 0) {
                idl_program_error(p, f->package_loc,
                                  "package '%s' and package '%s' both become the C prefix '%s_'",
                                  f->package, e->loc.file, g->prefix);
                same = true;
            }
        if (!same) {
            entry *e = calloc(1, sizeof *e);
            if (!e)
                abort();
            e->name = xstrdup(g->prefix);
            e->loc = (idl_loc){f->package, 0, 0};
            e->next = *slot;
            *slot = e;
        }
        for (const char *s = f->package; *s;) {
            size_t n = strcspn(s, ".");
            char *part = xasprintf("%.*s", (int)n, s);
            check_word(p, part, f->package_loc, "package");
            free(part);
            s += n + (s[n] == '.');
        }
        for (const idl_decl *d = f->decls; d; d = d->next) {
            check_word(p, d->name, d->loc, "declaration");
            claim(p, &globals, gen_c_name(d), d->loc, "C name");
            claim(p, &pb, gen_pb_name(d), d->loc, "protobuf-c type");
            claim(p, &pb, gen_pb_lower(d), d->loc, "protobuf-c descriptor name");
            /* Enum values are siblings of their enum in the package (protobuf's rule). */
            claim(p, &scope, xasprintf("%s.%s", f->package, d->name), d->loc, "protobuf name");
            if (d->kind == IDL_DECL_ENUM)
                for (const idl_enum_value *v = d->values; v; v = v->next) {
                    check_word(p, v->name, v->loc, "enum value");
                    claim(p, &scope, xasprintf("%s.%s", f->package, v->name), v->loc, "protobuf name");
                    claim(p, &globals, xasprintf("%s_%s", g->prefix, v->name), v->loc, "C name");
                }
            if (d->kind == IDL_DECL_MESSAGE) {
                check_fields(p, d->fields, false);
                char *c = gen_c_name(d);
                claim(p, &globals, xasprintf("%s_INIT", c), d->loc, "C name");
                claim(p, &globals, xasprintf("%s_descriptor", c), d->loc, "C name");
                free(c);
            }
        }
        for (int i = 0; i < g->n_actors; i++) {
            const gen_actor *a = &g->actors[i];
            static const char *const fixed[] = {"_ref", "_impl", "_type", "_spawn", "_self",
                                                "_lookup", "_ref_dup", "_ref_release", "_stop",
                                                "_stop_wait", "_start", "_wants_start", "_find",
                                                "_stop_hook", "_failure_hook"};
            for (size_t k = 0; k < sizeof fixed / sizeof *fixed; k++)
                if (!claim(p, &globals, xasprintf("%s%s", a->c, fixed[k]), a->decl->loc, "C name"))
                    break;
            check_fields(p, a->decl->spawn_params, true);
            nameset members = {0}, nested = {0};
            for (int k = 0; k < a->n_methods; k++) {
                const gen_method *m = &a->methods[k];
                check_word(p, m->member->name, m->member->loc, "member");
                if (!strcmp(m->name, "state_size") || !strcmp(m->name, "on_start") ||
                    !strcmp(m->name, "on_stop") || !strcmp(m->name, "on_failure")) {
                    idl_program_error(p, m->member->loc,
                                      "member name '%s' is reserved: the implementation table has "
                                      "state_size, on_start, on_stop and on_failure",
                                      m->name);
                    continue;
                }
                if (!claim(p, &members, xstrdup(m->name), m->member->loc, "handler"))
                    continue;
                claim(p, &nested, xasprintf("%sRequest", m->camel), m->member->loc, "protobuf message");
                claim(p, &nested, xasprintf("%sReply", m->camel), m->member->loc, "protobuf message");
                if (m->member->kind != IDL_MEMBER_PROPERTY)
                    check_fields(p, m->params, true);
                /* What the C back end generates for the method (emit_c.c); the first
                 * clash is reported, once per member. */
                static const char *const ask_names[] = {
                    "", "_future", "_future_get", "_future_base", "_future_free",
                    "_future_from", "_invoke", "_method", "_build", "_build_given", "_give"};
                static const char *const tell_names[] = {"",       "_invoke", "_method",
                                                         "_build", "_build_given", "_give",
                                                         "_after", "_broadcast"};
                const char *const *names = m->ask ? ask_names : tell_names;
                size_t count = m->ask ? sizeof ask_names / sizeof *ask_names
                                      : sizeof tell_names / sizeof *tell_names;
                for (size_t s = 0; s < count; s++)
                    if (!claim(p, &globals, xasprintf("%s%s", m->c, names[s]), m->member->loc,
                               "C name"))
                        break;
            }
            nameset_clear(&members);
            nameset_clear(&nested);
        }
        gen_file_free(g);
    }
    nameset_clear(&globals);
    nameset_clear(&pb);
    nameset_clear(&prefixes);
    nameset_clear(&scope);
}
