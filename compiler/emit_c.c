/* The C back end: x.tact.h (what users include: typed references, proxies,
 * futures, the implementation table, spawn) and x.tact.c (the dispatch stubs
 * that unpack a request into a typed handler call).
 *
 * Names the generated code chooses itself start with tact_, so they never meet
 * a name from the .actor file (which may not start with tact_); only the
 * handler prototypes use ctx, self and reply, for readability. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ctype_map.h"
#include "emit.h"
#include "names.h"

void emit_doc(buf *b, const char *indent, const char *lead, const char *doc) {
    if (!doc || !*doc)
        return;
    buf_puts(b, indent);
    buf_puts(b, lead);
    for (const char *p = doc; *p; p++) {
        if (*p == '\n') {
            buf_printf(b, "\n%s%s", indent, lead);
        } else if (*p == '*' && p[1] == '/') {
            buf_puts(b, "*\\"); /* "*" "/" would end the comment */
        } else if (*p == '/' && p[1] == '*') {
            buf_puts(b, "/\\"); /* a comment opener inside a comment is a warning */
        } else if (*p == '?' && p[1] == '?') {
            buf_puts(b, "?\\"); /* no trigraphs */
        } else if (*p == '\\' && (p[1] == '\n' || p[1] == 0)) {
            buf_puts(b, "\\ "); /* a line splice would swallow the next line */
        } else if ((unsigned char)*p < 0x20 && *p != '\t') {
            buf_puts(b, " ");
        } else {
            buf_printf(b, "%c", *p);
        }
    }
    buf_puts(b, "\n");
}

static void doc_block(buf *b, const char *indent, const char *doc) {
    if (!doc || !*doc)
        return;
    buf_printf(b, "%s/**\n", indent);
    emit_doc(b, indent, " * ", doc);
    buf_printf(b, "%s */\n", indent);
}

char *emit_header_path_of(const idl_file *f) {
    char *proto = emit_proto_path_of(f);
    proto[strlen(proto) - strlen(".proto")] = 0;
    char *h = xasprintf("%s.tact.h", proto);
    free(proto);
    return h;
}

static void params(buf *b, const idl_field *p) {
    for (; p; p = p->next) {
        buf_puts(b, ", ");
        ctype_param(b, p);
    }
}

/* -- the header ------------------------------------------------------------- */

static void header_enum(buf *b, const gen_file *g, const idl_decl *d) {
    char *c = gen_c_name(d), *pb = gen_pb_name(d);
    const char *parts[] = {d->name};
    char *up = name_pb_lower(d->file->package, parts, 1);
    for (char *p = up; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    doc_block(b, "", d->doc);
    buf_printf(b, "typedef %s %s;\n", pb, c);
    for (const idl_enum_value *v = d->values; v; v = v->next) {
        doc_block(b, "", v->doc);
        buf_printf(b, "#define %s_%s %s__%s\n", g->prefix, v->name, up, v->name);
    }
    buf_puts(b, "\n");
    free(c);
    free(pb);
    free(up);
}

static void header_message(buf *b, const idl_decl *d) {
    char *c = gen_c_name(d), *pb = gen_pb_name(d);
    const char *parts[] = {d->name};
    char *low = name_pb_lower(d->file->package, parts, 1);
    char *up = name_upper(d->name);
    char *pkg_up = xstrdup(low);
    for (char *p = pkg_up; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    doc_block(b, "", d->doc);
    buf_printf(b, "typedef %s %s;\n", pb, c);
    buf_printf(b, "/* An empty %s, for initialising one: %s m = %s_INIT; */\n", d->name, c, c);
    buf_printf(b, "#define %s_INIT %s__INIT\n", c, pkg_up);
    buf_printf(b, "#define %s_descriptor %s__descriptor\n\n", c, low);
    free(c);
    free(pb);
    free(low);
    free(up);
    free(pkg_up);
}

static void header_actor(buf *b, const gen_actor *a) {
    const char *c = a->c;
    const idl_decl *d = a->decl;
    buf_printf(b, "/* -- actor %s.%s %.*s */\n\n", d->file->package, d->name,
               (int)(60 - strlen(d->name) - strlen(d->file->package)), 
               "------------------------------------------------------------");

    for (int k = 0; k < a->n_methods; k++)
        if (a->methods[k].ask)
            buf_printf(b, "typedef struct %s_future %s_future;\n", a->methods[k].c,
                       a->methods[k].c);

    buf_printf(b, "\n/**\n * The implementation of %s.%s: its handlers, which spawn takes.\n",
               d->file->package, d->name);
    buf_puts(b, " * A NULL handler answers with TACT_EINVAL (\"not implemented\").\n");
    buf_puts(b, " * Handlers borrow their arguments for the call; what they write into\n");
    buf_puts(b, " * *reply (heap strings, bytes, message fields) is handed to the runtime.\n */\n");
    buf_printf(b, "typedef struct %s_impl {\n", c);
    buf_puts(b, "    /** Bytes of state each actor gets, as `self` in every handler. */\n");
    buf_puts(b, "    size_t state_size;\n");
    buf_puts(b, "    /** Runs first, in the actor, with the spawn arguments. */\n");
    buf_puts(b, "    tact_status (*on_start)(tact_ctx *ctx, void *self");
    params(b, d->spawn_params);
    buf_puts(b, ");\n");
    buf_puts(b, "    /** Runs last, after a stop, unless the actor failed. */\n");
    buf_puts(b, "    tact_status (*on_stop)(tact_ctx *ctx, void *self);\n");
    buf_puts(b, "    /** Runs instead of on_stop when a tell or a hook failed. */\n");
    buf_puts(b, "    void (*on_failure)(tact_ctx *ctx, void *self, tact_status code, const char *message);\n");
    for (int k = 0; k < a->n_methods; k++) {
        const gen_method *m = &a->methods[k];
        doc_block(b, "    ", m->member->doc);
        buf_printf(b, "    tact_status (*%s)(tact_ctx *ctx, void *self", m->name);
        params(b, m->params);
        if (m->reply) {
            buf_puts(b, ", ");
            ctype_reply_handler_param(b, m->reply);
        }
        buf_puts(b, ");\n");
    }
    buf_printf(b, "} %s_impl;\n\n", c);

    buf_printf(b, "extern const tact_actor_type %s_type;\n\n", c);
    doc_block(b, "", d->doc);
    buf_printf(b,
               "/* Spawns a %s running impl (which must outlive it). tact_opts may be NULL.\n"
               " * On success *tact_out holds a reference: release it with %s_ref_release().\n"
               " * Errors: TACT_EINVAL, TACT_ENOMEM, TACT_ENAMETAKEN, TACT_EXSYSTEM, TACT_ESYS. */\n",
               d->name, c);
    buf_printf(b, "tact_status %s_spawn(tact_system *tact_sys, const %s_impl *tact_impl", c, c);
    params(b, d->spawn_params);
    buf_printf(b, ", const tact_spawn_opts *tact_opts, %s_ref *tact_out);\n\n", c);

    buf_printf(b,
               "/* Inside a handler of a %s: the actor's own reference (borrowed).\n"
               " * From a handler of another type the reference is NULL. */\n"
               "%s_ref %s_self(tact_ctx *ctx);\n\n",
               d->name, c, c);
    buf_printf(b,
               "/* The live %s with this id, as a new reference; TACT_ENOTFOUND if there is\n"
               " * none (or it is of another type). */\n"
               "tact_status %s_lookup(tact_system *tact_sys, uint64_t tact_id, %s_ref *tact_out);\n\n",
               d->name, c, c);
    buf_printf(b,
               "/* Another reference to the same actor. */\n"
               "static inline %s_ref %s_ref_dup(%s_ref tact_r) {\n"
               "    %s_ref tact_copy;\n"
               "    tact_copy.actor = tact_actor_retain(tact_r.actor);\n"
               "    return tact_copy;\n"
               "}\n\n",
               c, c, c, c);
    buf_printf(b,
               "/* Gives a reference back and clears it. */\n"
               "static inline void %s_ref_release(%s_ref *tact_r) {\n"
               "    if (tact_r) {\n"
               "        tact_actor_release(tact_r->actor);\n"
               "        tact_r->actor = NULL;\n"
               "    }\n"
               "}\n\n",
               c, c);
    buf_printf(b,
               "/* Stops the actor once the messages already queued are handled (tact_actor_stop). */\n"
               "static inline tact_status %s_stop(%s_ref tact_r) {\n"
               "    return tact_r.actor ? tact_actor_stop(tact_r.actor) : TACT_EDEAD;\n"
               "}\n\n",
               c, c);
    buf_printf(b,
               "/* Stops the actor and waits for its death (tact_actor_stop_wait). */\n"
               "static inline tact_status %s_stop_wait(%s_ref tact_r, int64_t tact_timeout_ms) {\n"
               "    return tact_r.actor ? tact_actor_stop_wait(tact_r.actor, tact_timeout_ms) : TACT_EDEAD;\n"
               "}\n\n",
               c, c);

    for (int k = 0; k < a->n_methods; k++) {
        const gen_method *m = &a->methods[k];
        doc_block(b, "", m->member->doc);
        if (m->ask) {
            buf_printf(b,
                       "/* Asks %s: returns at once; *tact_out (if not NULL) receives the future of\n"
                       " * the answer, to free with %s_future_free().\n"
                       " * Errors: TACT_EDEAD, TACT_EINVAL, TACT_ENOMEM, TACT_EXSYSTEM. */\n",
                       m->name, m->c);
        } else {
            buf_printf(b,
                       "/* Tells %s: returns at once, never waits for the handler.\n"
                       " * Errors: TACT_EDEAD, TACT_EINVAL, TACT_ENOMEM, TACT_EXSYSTEM. */\n",
                       m->name);
        }
        buf_printf(b, "tact_status %s(%s_ref tact_to", m->c, c);
        params(b, m->params);
        if (m->ask)
            buf_printf(b, ", %s_future **tact_out);\n\n", m->c);
        else
            buf_puts(b, ");\n\n");
        if (!m->ask)
            continue;
        buf_printf(b,
                   "/* Waits up to tact_timeout_ms (TACT_FOREVER: no limit) for the answer of %s.\n"
                   " * On TACT_OK the reply (if any) is stored%s. Otherwise: the\n"
                   " * status of tact_future_wait(); the future stays usable. */\n",
                   m->name,
                   m->reply && (ctype_kind_of(m->reply) == CT_STRING ||
                                ctype_kind_of(m->reply) == CT_MESSAGE ||
                                ctype_kind_of(m->reply) == CT_BYTES)
                       ? " (owned by the future: valid until it is freed)"
                   : m->reply && ctype_kind_of(m->reply) == CT_ACTOR
                       ? " as a new reference (NULL if that actor is gone)"
                       : "");
        buf_printf(b, "tact_status %s_future_get(%s_future *tact_f, int64_t tact_timeout_ms", m->c,
                   m->c);
        if (m->reply) {
            buf_puts(b, ", ");
            ctype_reply_get_param(b, m->reply);
        }
        buf_puts(b, ");\n");
        buf_printf(b,
                   "static inline tact_future *%s_future_base(%s_future *tact_f) {\n"
                   "    return (tact_future *)(void *)tact_f;\n"
                   "}\n"
                   "static inline void %s_future_free(%s_future *tact_f) {\n"
                   "    tact_future_free((tact_future *)(void *)tact_f);\n"
                   "}\n\n",
                   m->c, m->c, m->c, m->c);
    }
}

static char *guard_of(const gen_file *g) {
    buf b = {0};
    buf_puts(&b, "TACT_GEN_");
    for (const char *p = g->stem; *p; p++)
        buf_printf(&b, "%c", isalnum((unsigned char)*p) ? toupper((unsigned char)*p) : '_');
    buf_puts(&b, "_TACT_H");
    return buf_take(&b);
}

char *emit_c_header(const gen_file *g) {
    buf b = {0};
    const idl_file *f = g->file;
    char *guard = guard_of(g);
    char *proto = emit_proto_path_of(f);
    proto[strlen(proto) - strlen(".proto")] = 0;
    buf_printf(&b, "/* Generated by tactc from %s.actor. Do not edit. */\n", g->stem);
    buf_printf(&b, "#ifndef %s\n#define %s\n\n", guard, guard);
    buf_puts(&b, "#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\n");
    buf_puts(&b, "#include <tact/pb.h>\n#include <tact/tact.h>\n\n");
    buf_printf(&b, "#include \"%s.pb-c.h\"\n", proto);
    for (const idl_import *i = f->imports; i; i = i->next) {
        char *h = emit_header_path_of(i->file);
        buf_printf(&b, "#include \"%s\"\n", h);
        free(h);
    }
    buf_puts(&b, "\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
    for (int i = 0; i < g->n_actors; i++) {
        if (i == 0)
            buf_puts(&b, "/* References to actors: copy freely, count with _ref_dup/_ref_release. */\n");
        buf_printf(&b, "typedef struct %s_ref {\n    tact_actor *actor;\n} %s_ref;\n",
                   g->actors[i].c, g->actors[i].c);
    }
    if (g->n_actors)
        buf_puts(&b, "\n");
    for (const idl_decl *d = f->decls; d; d = d->next)
        if (d->kind == IDL_DECL_ENUM)
            header_enum(&b, g, d);
        else if (d->kind == IDL_DECL_MESSAGE)
            header_message(&b, d);
    for (int i = 0; i < g->n_actors; i++)
        header_actor(&b, &g->actors[i]);
    buf_printf(&b, "#ifdef __cplusplus\n}\n#endif\n\n#endif /* %s */\n", guard);
    free(guard);
    free(proto);
    return buf_take(&b);
}

/* -- the source --------------------------------------------------------------- */

/* The labels a body's gotos need, so that none is left unused. */
static void fail_labels(buf *b, const char *body, const char *cleanup) {
    bool inval = strstr(body, "goto tact_inval"), nomem = strstr(body, "goto tact_nomem");
    bool fail = inval || nomem || strstr(body, "goto tact_fail");
    if (inval)
        buf_printf(b, "tact_inval:\n    tact_st = TACT_EINVAL;\n%s", nomem ? "    goto tact_fail;\n" : "");
    if (nomem)
        buf_puts(b, "tact_nomem:\n    tact_st = TACT_ENOMEM;\n");
    if (fail)
        buf_printf(b, "tact_fail:\n%s    return tact_st;\n", cleanup);
}

static int param_number(const idl_field *list, const idl_field *f) {
    int n = 1;
    for (const idl_field *p = list; p != f; p = p->next)
        n++;
    return n;
}

/* The statements that copy every parameter into tact_req. */
static char *stores(const idl_field *list, const char *sys) {
    buf b = {0};
    for (const idl_field *p = list; p; p = p->next)
        ctype_store(&b, p, param_number(list, p), sys);
    return buf_take(&b);
}

/* A handler call with the fields of `req` as arguments. */
static void handler_call(buf *b, const char *fn, const idl_field *list, const char *reply_arg) {
    buf_printf(b, "%s(tact_c, tact_self", fn);
    for (const idl_field *p = list; p; p = p->next) {
        buf_puts(b, ", ");
        ctype_handler_arg(b, p, param_number(list, p));
    }
    if (reply_arg)
        buf_printf(b, ", %s", reply_arg);
    buf_puts(b, ")");
}

static void prepare_args(buf *b, const idl_field *list) {
    for (const idl_field *p = list; p; p = p->next)
        ctype_handler_prepare(b, p, param_number(list, p), "tact_ctx_system(tact_c)");
}

static void cleanup_args(buf *b, const idl_field *list) {
    for (const idl_field *p = list; p; p = p->next)
        ctype_handler_cleanup(b, p);
}

static void source_method(buf *b, const gen_actor *a, const gen_method *m) {
    char *req_name = xasprintf("%sRequest", m->camel), *rep_name = xasprintf("%sReply", m->camel);
    char *req_t = gen_pb_nested(a, req_name), *req_low = gen_pb_nested_lower(a, req_name);
    char *rep_t = gen_pb_nested(a, rep_name), *rep_low = gen_pb_nested_lower(a, rep_name);
    const idl_decl *d = a->decl;

    /* The dispatch stub. */
    buf_printf(b,
               "static tact_status %s_invoke(tact_ctx *tact_c, const void *tact_impl, void *tact_self,\n"
               "                             const void *tact_request, void *tact_reply) {\n"
               "    const %s_impl *tact_i = tact_impl;\n",
               m->c, a->c);
    buf_printf(b, "    const %s *req = tact_request;\n", req_t);
    if (!m->params)
        buf_puts(b, "    (void)req;\n");
    if (m->ask)
        buf_printf(b, "    %s *rep = tact_reply;\n", rep_t);
    if (!m->ask || !m->reply)
        buf_puts(b, m->ask ? "    (void)rep;\n" : "    (void)tact_reply;\n");
    buf_printf(b,
               "    if (!tact_i->%s)\n"
               "        return tact_ctx_fail(tact_c, TACT_EINVAL, \"%s.%s.%s is not implemented\");\n",
               m->name, d->file->package, d->name, m->name);
    const char *reply_arg = NULL;
    char *reply_post = NULL;
    if (m->reply) {
        switch (ctype_kind_of(m->reply)) {
        case CT_BOOL:
            buf_puts(b, "    bool tact_v = false;\n");
            reply_arg = "&tact_v";
            reply_post = xstrdup("    rep->value = tact_v;\n");
            break;
        case CT_ACTOR: {
            char *rc = gen_c_name(m->reply->decl);
            buf_printf(b, "    %s_ref tact_v = {NULL};\n", rc);
            free(rc);
            reply_arg = "&tact_v";
            reply_post = xstrdup("    if (tact_st == TACT_OK && tact_v.actor)\n"
                                 "        tact_st = tact_ref_to_id(tact_ctx_system(tact_c), tact_v.actor, &rep->value);\n");
            break;
        }
        case CT_MESSAGE: {
            char *low = gen_pb_lower(m->reply->decl);
            buf_printf(b,
                       "    tact_status tact_st_new = tact_pb_new(&%s__descriptor, (void **)&rep->value);\n"
                       "    if (tact_st_new != TACT_OK)\n"
                       "        return tact_st_new;\n",
                       low);
            free(low);
            reply_arg = "rep->value";
            break;
        }
        default:
            reply_arg = "&rep->value";
            break;
        }
    }
    prepare_args(b, m->params);
    buf_puts(b, "    tact_status tact_st = ");
    char *fn = xasprintf("tact_i->%s", m->name);
    handler_call(b, fn, m->params, reply_arg);
    free(fn);
    buf_puts(b, ";\n");
    if (reply_post)
        buf_puts(b, reply_post);
    cleanup_args(b, m->params);
    buf_puts(b, "    return tact_st;\n}\n\n");
    free(reply_post);
    buf_printf(b, "static const tact_method %s_method = {\n    \"%s\", %s, &%s__descriptor, %s%s%s, %s_invoke};\n\n",
               m->c, m->name, m->ask ? "TACT_METHOD_ASK" : "TACT_METHOD_TELL", req_low,
               m->ask ? "&" : "NULL", m->ask ? rep_low : "", m->ask ? "__descriptor" : "", m->c);

    /* The proxy. */
    buf_printf(b, "tact_status %s(%s_ref tact_to", m->c, a->c);
    params(b, m->params);
    if (m->ask)
        buf_printf(b, ", %s_future **tact_out) {\n    if (tact_out)\n        *tact_out = NULL;\n", m->c);
    else
        buf_puts(b, ") {\n");
    buf_puts(b, "    if (!tact_to.actor)\n        return TACT_EDEAD;\n");
    buf_printf(b,
               "    %s *tact_req;\n"
               "    tact_msg *tact_m;\n"
               "    tact_status tact_st = tact_msg_new(&%s_method, (void **)&tact_req, &tact_m);\n"
               "    if (tact_st != TACT_OK)\n"
               "        return tact_st;\n",
               req_t, m->c);
    char *body = stores(m->params, "tact_actor_system(tact_to.actor)");
    buf_puts(b, body);
    if (!m->params)
        buf_puts(b, "    (void)tact_req;\n");
    if (m->ask)
        buf_printf(b,
                   "    tact_future *tact_f;\n"
                   "    tact_st = tact_actor_ask(tact_to.actor, tact_m, tact_out ? &tact_f : NULL);\n"
                   "    if (tact_st == TACT_OK && tact_out)\n"
                   "        *tact_out = (%s_future *)(void *)tact_f;\n"
                   "    return tact_st;\n",
                   m->c);
    else
        buf_puts(b, "    return tact_actor_tell(tact_to.actor, tact_m);\n");
    fail_labels(b, body, "    tact_msg_free(tact_m);\n");
    buf_puts(b, "}\n\n");
    free(body);

    if (m->ask) {
        buf_printf(b, "tact_status %s_future_get(%s_future *tact_f, int64_t tact_timeout_ms", m->c, m->c);
        if (m->reply) {
            buf_puts(b, ", ");
            ctype_reply_get_param(b, m->reply);
        }
        buf_puts(b, ") {\n"
                    "    tact_future *tact_b = (tact_future *)(void *)tact_f;\n"
                    "    tact_status tact_st = tact_future_wait(tact_b, tact_timeout_ms);\n");
        if (m->reply) {
            buf_printf(b,
                       "    if (tact_st == TACT_OK && reply) {\n"
                       "        const %s *rep = (const %s *)tact_future_reply(tact_b);\n",
                       rep_t, rep_t);
            switch (ctype_kind_of(m->reply)) {
            case CT_BOOL: buf_puts(b, "        *reply = rep->value != 0;\n"); break;
            case CT_ACTOR: {
                char *rc = gen_c_name(m->reply->decl);
                buf_printf(b,
                           "        reply->actor = NULL;\n"
                           "        if (rep->value)\n"
                           "            %s_lookup(tact_future_system(tact_b), rep->value, reply);\n",
                           rc);
                free(rc);
                break;
            }
            default: buf_puts(b, "        *reply = rep->value;\n"); break;
            }
            buf_puts(b, "    }\n");
        }
        buf_puts(b, "    return tact_st;\n}\n\n");
    }
    free(req_name);
    free(rep_name);
    free(req_t);
    free(req_low);
    free(rep_t);
    free(rep_low);
}

static void source_actor(buf *b, const gen_actor *a) {
    const idl_decl *d = a->decl;
    const char *c = a->c;
    char *args_t = gen_pb_nested(a, "SpawnArgs"), *args_low = gen_pb_nested_lower(a, "SpawnArgs");
    buf_printf(b, "/* -- actor %s.%s */\n\n", d->file->package, d->name);

    buf_printf(b,
               "static tact_status %s_start(tact_ctx *tact_c, const void *tact_impl, void *tact_self,\n"
               "                            const void *tact_args) {\n"
               "    const %s_impl *tact_i = tact_impl;\n",
               c, c);
    if (d->spawn_params)
        buf_printf(b, "    const %s *req = tact_args;\n", args_t);
    else
        buf_puts(b, "    (void)tact_args;\n");
    buf_puts(b, "    if (!tact_i->on_start)\n        return TACT_OK;\n");
    prepare_args(b, d->spawn_params);
    buf_puts(b, "    tact_status tact_st = ");
    handler_call(b, "tact_i->on_start", d->spawn_params, NULL);
    buf_puts(b, ";\n");
    cleanup_args(b, d->spawn_params);
    buf_puts(b, "    return tact_st;\n}\n\n");

    buf_printf(b,
               "static int %s_wants_start(const void *tact_impl) {\n"
               "    return ((const %s_impl *)tact_impl)->on_start != NULL;\n"
               "}\n\n"
               "static tact_status %s_stop_hook(tact_ctx *tact_c, const void *tact_impl, void *tact_self) {\n"
               "    const %s_impl *tact_i = tact_impl;\n"
               "    return tact_i->on_stop ? tact_i->on_stop(tact_c, tact_self) : TACT_OK;\n"
               "}\n\n"
               "static void %s_failure_hook(tact_ctx *tact_c, const void *tact_impl, void *tact_self,\n"
               "                            tact_status tact_code, const char *tact_text) {\n"
               "    const %s_impl *tact_i = tact_impl;\n"
               "    if (tact_i->on_failure)\n"
               "        tact_i->on_failure(tact_c, tact_self, tact_code, tact_text);\n"
               "}\n\n",
               c, c, c, c, c, c);
    buf_printf(b,
               "const tact_actor_type %s_type = {\n"
               "    \"%s.%s\", %s_start, %s_stop_hook, %s_failure_hook, %s_wants_start, %s%s%s};\n\n",
               c, d->file->package, d->name, c, c, c, c, d->spawn_params ? "&" : "NULL",
               d->spawn_params ? args_low : "", d->spawn_params ? "__descriptor" : "");

    buf_printf(b, "tact_status %s_spawn(tact_system *tact_sys, const %s_impl *tact_impl", c, c);
    params(b, d->spawn_params);
    buf_printf(b,
               ", const tact_spawn_opts *tact_opts, %s_ref *tact_out) {\n"
               "    if (!tact_out)\n        return TACT_EINVAL;\n"
               "    tact_out->actor = NULL;\n"
               "    if (!tact_sys || !tact_impl)\n        return TACT_EINVAL;\n",
               c);
    if (d->spawn_params) {
        buf_printf(b,
                   "    %s *tact_req;\n"
                   "    tact_status tact_st = tact_pb_new(&%s__descriptor, (void **)&tact_req);\n"
                   "    if (tact_st != TACT_OK)\n        return tact_st;\n",
                   args_t, args_low);
        char *body = stores(d->spawn_params, "tact_sys");
        buf_puts(b, body);
        buf_printf(b,
                   "    return tact_actor_spawn(tact_sys, &%s_type, tact_impl, tact_impl->state_size, tact_req,\n"
                   "                            tact_opts, &tact_out->actor);\n",
                   c);
        char *cleanup = xasprintf("    tact_pb_free(&%s__descriptor, tact_req);\n", args_low);
        fail_labels(b, body, cleanup);
        free(cleanup);
        free(body);
    } else {
        buf_printf(b,
                   "    return tact_actor_spawn(tact_sys, &%s_type, tact_impl, tact_impl->state_size, NULL,\n"
                   "                            tact_opts, &tact_out->actor);\n",
                   c);
    }
    buf_puts(b, "}\n\n");

    buf_printf(b,
               "%s_ref %s_self(tact_ctx *ctx) {\n"
               "    %s_ref tact_r = {NULL};\n"
               "    tact_actor *tact_a = tact_ctx_self(ctx);\n"
               "    if (tact_a && tact_actor_type_of(tact_a) == &%s_type)\n"
               "        tact_r.actor = tact_a;\n"
               "    return tact_r;\n"
               "}\n\n"
               "tact_status %s_lookup(tact_system *tact_sys, uint64_t tact_id, %s_ref *tact_out) {\n"
               "    if (!tact_out)\n        return TACT_EINVAL;\n"
               "    return tact_system_find_id(tact_sys, tact_id, &%s_type, &tact_out->actor);\n"
               "}\n\n",
               c, c, c, c, c, c, c);

    for (int k = 0; k < a->n_methods; k++)
        source_method(b, a, &a->methods[k]);
    free(args_t);
    free(args_low);
}

char *emit_c_source(const gen_file *g) {
    buf b = {0};
    char *h = emit_header_path_of(g->file);
    buf_printf(&b, "/* Generated by tactc from %s.actor. Do not edit. */\n", g->stem);
    buf_printf(&b, "#include \"%s\"\n\n#include <stdlib.h>\n\n", h);
    free(h);
    for (int i = 0; i < g->n_actors; i++)
        source_actor(&b, &g->actors[i]);
    if (g->n_actors == 0)
        buf_puts(&b, "/* No actors: the messages are all in the .pb-c files. */\n"
                     "typedef int tact_gen_nothing_here; /* a translation unit may not be empty */\n");
    return buf_take(&b);
}
