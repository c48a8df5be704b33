/* Clashes only the back ends can see: names the .actor language allows but
 * that would break the generated C or .proto. Each is reported as a diagnostic
 * at the name that causes it, so tactc never emits code that fails to build. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_c.h"
#include "names.h"

/* A set of generated names, each remembering where it came from: a chained
 * hash table that doubles as it fills, entries kept in blocks and hashes kept
 * with them (a 1 MB input makes a few hundred thousand names). */
typedef struct entry {
    char *name;
    size_t hash;
    idl_loc loc;
    struct entry *next;
} entry;

enum { BLOCK = 1024 };

typedef struct block {
    struct block *next;
    size_t used;
    entry entries[BLOCK];
} block;

typedef struct nameset {
    entry **slots;
    size_t nslots, count;
    block *blocks;
} nameset;

static size_t hash(const char *s) {
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    /* FNV's low bits mix poorly, and the table masks them: finish the mixing. */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    return (size_t)(h ^ (h >> 33));
}

static void grow(nameset *set) {
    size_t n = set->nslots ? set->nslots * 2 : 64;
    entry **slots = calloc(n, sizeof *slots);
    if (!slots)
        abort();
    for (size_t i = 0; i < set->nslots; i++)
        while (set->slots[i]) {
            entry *e = set->slots[i];
            set->slots[i] = e->next;
            e->next = slots[e->hash & (n - 1)];
            slots[e->hash & (n - 1)] = e;
        }
    free(set->slots);
    set->slots = slots;
    set->nslots = n;
}

/* The entry for name (of hash h), or NULL. */
static entry *lookup(const nameset *set, const char *name, size_t h) {
    if (!set->nslots)
        return NULL;
    for (entry *e = set->slots[h & (set->nslots - 1)]; e; e = e->next)
        if (e->hash == h && strcmp(e->name, name) == 0)
            return e;
    return NULL;
}

/* Adds name (taking it, of hash h) from loc. */
static void add(nameset *set, char *name, size_t h, idl_loc loc) {
    if (set->count >= set->nslots)
        grow(set);
    if (!set->blocks || set->blocks->used == BLOCK) {
        block *b = malloc(sizeof *b);
        if (!b)
            abort();
        b->next = set->blocks;
        b->used = 0;
        set->blocks = b;
    }
    entry *e = &set->blocks->entries[set->blocks->used++];
    e->name = name;
    e->hash = h;
    e->loc = loc;
    entry **slot = &set->slots[h & (set->nslots - 1)];
    e->next = *slot;
    *slot = e;
    set->count++;
}

/* Adds name (taking it); if present, reports the clash and returns false. */
static bool claim(idl_program *p, nameset *set, char *name, idl_loc loc, const char *what) {
    size_t h = hash(name);
    entry *e = lookup(set, name, h);
    if (e) {
        idl_program_error(p, loc, "%s '%s' clashes with the one generated for %s:%d:%d", what,
                          name, e->loc.file, e->loc.line, e->loc.col);
        free(name);
        return false;
    }
    add(set, name, h, loc);
    return true;
}

static void nameset_clear(nameset *set) {
    while (set->blocks) {
        block *b = set->blocks;
        set->blocks = b->next;
        for (size_t i = 0; i < b->used; i++)
            free(b->entries[i].name);
        free(b);
    }
    free(set->slots);
    set->slots = NULL;
    set->nslots = set->count = 0;
}

static void check_word(idl_program *p, const char *name, idl_loc loc, const char *what) {
    if (name_is_reserved(name))
        idl_program_error(p, loc, "%s name '%s' is a C or C++ keyword; the generated code could not use it",
                          what, name);
}

/* For the names that reach the C code bare (struct members, parameters,
 * implementation table entries); the others carry a prefix and are safe. */
static void check_bare_word(idl_program *p, const char *name, idl_loc loc, const char *what) {
    check_word(p, name, loc, what);
    if (name_is_gnu_macro(name))
        idl_program_error(p, loc,
                          "%s name '%s' is a macro in GNU C (gcc and clang predefine it outside "
                          "strict ISO mode, e.g. -std=gnu11); the generated code could not use it",
                          what, name);
}

/* The members protoc-c puts in a message's struct must all be distinct:
 * fields 'tags' (repeated) and 'n_tags', 'fooBar' and 'foobar'. */
static void check_fields(idl_program *p, const idl_field *fields, bool params) {
    nameset c = {0};
    for (const idl_field *f = fields; f; f = f->next) {
        check_bare_word(p, f->name, f->loc, params ? "parameter" : "field");
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

/* The names the C back end gives every actor (pkg_Actor_<name>), which a
 * member named alike would collide with. */
static const char *const actor_names[] = {"ref",  "impl",      "type",      "spawn",
                                          "self", "lookup",    "find",      "ref_dup",
                                          "ref_release", "stop", "stop_wait", "start",
                                          "wants_start", "stop_hook", "failure_hook",
                                          "from_actor", "HANDLERS", "unimplemented"};

static bool actor_level_name(const char *name) {
    for (size_t i = 0; i < sizeof actor_names / sizeof *actor_names; i++)
        if (!strcmp(name, actor_names[i]))
            return true;
    return false;
}

static void check_hiding(idl_program *p, const nameset *globals, const nameset *pb,
                         const idl_field *params) {
    for (const idl_field *f = params; f; f = f->next)
        if (lookup(globals, f->name, hash(f->name)) || lookup(pb, f->name, hash(f->name)))
            idl_program_error(p, f->loc,
                              "parameter name '%s' is also a generated C name; it would hide it",
                              f->name);
}

void check_c_program(idl_program *p) {
    nameset globals = {0}, pb = {0}, prefixes = {0}, scope = {0};
    for (idl_file *f = idl_program_files(p); f; f = f->next) {
        if (!f->package)
            continue;
        gen_file *g = gen_file_new(f);
        /* Packages a.b and a_b both become the C prefix a_b (the entry's file
         * field holds the package that took the prefix first). */
        entry *taken = lookup(&prefixes, g->prefix, hash(g->prefix));
        if (!taken)
            add(&prefixes, xstrdup(g->prefix), hash(g->prefix), (idl_loc){f->package, 0, 0});
        else if (strcmp(taken->loc.file, f->package) != 0)
            idl_program_error(p, f->package_loc,
                              "package '%s' and package '%s' both become the C prefix '%s_'",
                              f->package, taken->loc.file, g->prefix);
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
                    if (!strcmp(v->name, "option") || !strcmp(v->name, "reserved"))
                        idl_program_error(p, v->loc,
                                          "enum value name '%s' is reserved: protoc reads it as a "
                                          "keyword inside an enum",
                                          v->name);
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
            for (size_t k = 0; k < sizeof actor_names / sizeof *actor_names; k++)
                if (!claim(p, &globals, xasprintf("%s_%s", a->c, actor_names[k]), a->decl->loc,
                           "C name"))
                    break;
            check_fields(p, a->decl->spawn_params, true);
            if (a->decl->spawn_params) {
                claim(p, &pb, gen_pb_nested(a, "SpawnArgs"), a->decl->loc, "protobuf-c type");
                claim(p, &pb, gen_pb_nested_lower(a, "SpawnArgs"), a->decl->loc,
                      "protobuf-c descriptor name");
            }
            nameset members = {0}, nested = {0};
            for (int k = 0; k < a->n_methods; k++) {
                const gen_method *m = &a->methods[k];
                if (m->member->kind == IDL_MEMBER_PROPERTY) /* get_x, set_x */
                    check_word(p, m->member->name, m->member->loc, "member");
                else
                    check_bare_word(p, m->member->name, m->member->loc, "member");
                if (actor_level_name(m->name)) {
                    idl_program_error(p, m->member->loc,
                                      "member name '%s' is reserved: the generated code already has "
                                      "%s_%s() for every actor; choose another name (e.g. '%s_message')",
                                      m->name, a->c, m->name, m->name);
                    continue;
                }
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
                /* Nested messages: distinct within the actor, and distinct from every
                 * protoc-c name of the package (A.FRequest and A_FRequest meet). */
                static const char *const kinds[] = {"Request", "Reply"};
                bool clash = false; /* one report per member is enough */
                for (int k2 = 0; k2 < 2 && !clash; k2++) {
                    char *nested_name = xasprintf("%s%s", m->camel, kinds[k2]);
                    clash = !claim(p, &nested, xstrdup(nested_name), m->member->loc,
                                   "protobuf message") ||
                            !claim(p, &pb, gen_pb_nested(a, nested_name), m->member->loc,
                                   "protobuf-c type") ||
                            !claim(p, &pb, gen_pb_nested_lower(a, nested_name), m->member->loc,
                                   "protobuf-c descriptor name");
                    free(nested_name);
                }
                if (m->member->kind != IDL_MEMBER_PROPERTY)
                    check_fields(p, m->params, true);
                /* What the C back end generates for the method (emit_c.c); the first
                 * clash is reported, once per member. */
                static const char *const ask_names[] = {
                    "", "_future", "_future_get", "_future_base", "_future_free",
                    "_future_from", "_invoke", "_method", "_build", "_build_given", "_give",
                    "_call", "_defer", "_reply", "_reply_base", "_reply_send", "_reply_fail",
                    "_forward"};
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
    /* A parameter named like a generated type or function would hide it inside
     * the prototypes and bodies that use it. */
    for (idl_file *f = idl_program_files(p); f; f = f->next)
        for (const idl_decl *d = f->decls; d; d = d->next) {
            if (d->kind != IDL_DECL_ACTOR)
                continue;
            check_hiding(p, &globals, &pb, d->spawn_params);
            for (const idl_member *m = d->members; m; m = m->next)
                check_hiding(p, &globals, &pb, m->params);
        }
    nameset_clear(&globals);
    nameset_clear(&pb);
    nameset_clear(&prefixes);
    nameset_clear(&scope);
}
