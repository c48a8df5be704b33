#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "names.h"

char *gen_c_name(const idl_decl *d) {
    char *prefix = name_c_prefix(d->file->package);
    char *s = xasprintf("%s_%s", prefix, d->name);
    free(prefix);
    return s;
}

char *gen_pb_name(const idl_decl *d) {
    const char *parts[] = {d->name};
    return name_pb_type(d->file->package, parts, 1);
}

char *gen_pb_lower(const idl_decl *d) {
    const char *parts[] = {d->name};
    return name_pb_lower(d->file->package, parts, 1);
}

char *gen_pb_nested(const gen_actor *a, const char *nested) {
    const char *parts[] = {a->decl->name, nested};
    return name_pb_type(a->decl->file->package, parts, 2);
}

char *gen_pb_nested_lower(const gen_actor *a, const char *nested) {
    const char *parts[] = {a->decl->name, nested};
    return name_pb_lower(a->decl->file->package, parts, 2);
}

static void method_init(gen_method *m, const gen_actor *a, const idl_member *src, char *name,
                        bool ask, idl_field *params, const idl_type *reply) {
    m->member = src;
    m->name = name;
    m->ask = ask;
    m->params = params;
    m->reply = reply;
    m->camel = name_camel(name);
    m->c = xasprintf("%s_%s", a->c, name);
}

static void actor_init(gen_actor *a, const idl_decl *d) {
    a->decl = d;
    a->c = gen_c_name(d);
    a->pb = gen_pb_name(d);
    a->pb_low = gen_pb_lower(d);
    int n = 0;
    for (const idl_member *m = d->members; m; m = m->next)
        n += m->kind == IDL_MEMBER_PROPERTY ? 2 : 1;
    a->methods = calloc((size_t)n + 1, sizeof *a->methods);
    if (!a->methods)
        abort();
    a->n_methods = n;
    gen_method *out = a->methods;
    for (const idl_member *m = d->members; m; m = m->next) {
        switch (m->kind) {
        case IDL_MEMBER_ASK:
            method_init(out++, a, m, xstrdup(m->name), true, m->params,
                        m->has_type ? &m->type : NULL);
            break;
        case IDL_MEMBER_TELL:
            method_init(out++, a, m, xstrdup(m->name), false, m->params, NULL);
            break;
        case IDL_MEMBER_PROPERTY: {
            method_init(out++, a, m, xasprintf("get_%s", m->name), true, NULL, &m->type);
            idl_field *value = calloc(1, sizeof *value);
            if (!value)
                abort();
            value->loc = m->loc;
            value->type = m->type;
            value->name = xstrdup("value");
            method_init(out++, a, m, xasprintf("set_%s", m->name), true, value, NULL);
            break;
        }
        }
    }
}

gen_file *gen_file_new(const idl_file *f) {
    gen_file *g = calloc(1, sizeof *g);
    if (!g)
        abort();
    g->file = f;
    const char *base = strrchr(f->path, '/');
    base = base ? base + 1 : f->path;
    g->stem = xstrdup(base);
    char *dot = strrchr(g->stem, '.');
    if (dot && dot != g->stem)
        *dot = 0;
    g->prefix = name_c_prefix(f->package);
    for (const idl_decl *d = f->decls; d; d = d->next)
        g->n_actors += d->kind == IDL_DECL_ACTOR;
    g->actors = calloc((size_t)g->n_actors + 1, sizeof *g->actors);
    if (!g->actors)
        abort();
    int i = 0;
    for (const idl_decl *d = f->decls; d; d = d->next)
        if (d->kind == IDL_DECL_ACTOR)
            actor_init(&g->actors[i++], d);
    return g;
}

void gen_file_free(gen_file *g) {
    if (!g)
        return;
    for (int i = 0; i < g->n_actors; i++) {
        gen_actor *a = &g->actors[i];
        for (int k = 0; k < a->n_methods; k++) {
            gen_method *m = &a->methods[k];
            if (m->member->kind == IDL_MEMBER_PROPERTY && m->params) {
                free(m->params->name);
                free(m->params);
            }
            free(m->name);
            free(m->camel);
            free(m->c);
        }
        free(a->methods);
        free(a->c);
        free(a->pb);
        free(a->pb_low);
    }
    free(g->actors);
    free(g->stem);
    free(g->prefix);
    free(g);
}
