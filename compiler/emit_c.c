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

/* Whether p can be handed over instead of copied (the _give variant). */
static bool given(const idl_field *p) {
    ctype_kind k = ctype_kind_of(&p->type);
    return p->label != IDL_LABEL_REPEATED &&
           (k == CT_STRING || k == CT_MESSAGE || (k == CT_BYTES && p->label == IDL_LABEL_NONE));
}

static bool has_given_params(const gen_method *m) {
    for (const idl_field *p = m->params; p; p = p->next)
        if (given(p))
            return true;
    return false;
}

/* A parameter of the _give variant: what it hands over is not const. */
static void given_param(buf *b, const idl_field *p) {
    if (!given(p)) {
        ctype_param(b, p);
        return;
    }
    switch (ctype_kind_of(&p->type)) {
    case CT_STRING: buf_printf(b, "char *%s", p->name); break;
    case CT_BYTES: buf_printf(b, "ProtobufCBinaryData %s", p->name); break;
    default: {
        char *c = gen_c_name(p->type.decl);
        buf_printf(b, "%s *%s", c, p->name);
        free(c);
    }
    }
}

static void given_params(buf *b, const idl_field *p) {
    for (; p; p = p->next) {
        buf_puts(b, ", ");
        given_param(b, p);
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

/* pkg_Actor_HANDLERS(h1, h2, ...): the handlers as designated initializers,
 * positional so that leaving one out is a compile error (too few macro
 * arguments), which a designated table alone is not. None for an actor
 * without methods: an empty expansion would leave a stray comma. */
static void header_handlers_macro(buf *b, const gen_actor *a) {
    if (!a->n_methods)
        return;
    const char *c = a->c;
    buf_printf(b,
               "/* The handlers of a %s_impl, in the order of the .actor file, as\n"
               " * designated initializers; a missing one does not compile:\n"
               " *     const %s_impl my_impl = {\n"
               " *         .state_size = sizeof(struct my_state), .on_start = my_start,\n"
               " *         %s_HANDLERS(",
               c, c, c);
    for (int k = 0; k < a->n_methods; k++)
        buf_printf(b, "%s%s", k ? ", " : "", a->methods[k].name);
    buf_printf(b, "),\n *     }; */\n#define %s_HANDLERS(", c);
    for (int k = 0; k < a->n_methods; k++)
        buf_printf(b, "%stact_h_%s", k ? ", " : "", a->methods[k].name);
    buf_puts(b, ")");
    for (int k = 0; k < a->n_methods; k++)
        buf_printf(b, " \\\n    .%s = (tact_h_%s)%s", a->methods[k].name, a->methods[k].name,
                   k + 1 < a->n_methods ? "," : "");
    buf_puts(b, "\n\n");
}

/* -- deferred replies, forwarding and the one-line call (header) -------------- */

/* The struct tag of the reply handles of asks with reply type t (NULL: none).
 * Asks with the same .actor reply type share it, in every file, so that a
 * reply handle can be forwarded to any of them and to no other: the C
 * compiler checks the reply type. Tags start with tact_reply_ and then a
 * scalar's keyword, or e_/m_/a_ and a declaration's C name, which never meet. */
static char *reply_tag(const idl_type *t) {
    if (!t)
        return xstrdup("tact_reply_void");
    const char *kind = NULL;
    switch (ctype_kind_of(t)) {
    case CT_ENUM: kind = "e"; break;
    case CT_MESSAGE: kind = "m"; break;
    case CT_ACTOR: kind = "a"; break;
    default: return xasprintf("tact_reply_%s", idl_scalar_name(t->scalar));
    }
    char *c = gen_c_name(t->decl);
    char *tag = xasprintf("tact_reply_%s_%s", kind, c);
    free(c);
    return tag;
}

/* What _call hands the reply out through: like get's, but what owns memory
 * is the caller's copy ("char **reply", "bank_Entry **reply"). */
static void call_reply_param(buf *b, const idl_type *t) {
    switch (ctype_kind_of(t)) {
    case CT_STRING: buf_puts(b, "char **reply"); break;
    case CT_MESSAGE: {
        char *c = gen_c_name(t->decl);
        buf_printf(b, "%s **reply", c);
        free(c);
        break;
    }
    default: ctype_reply_handler_param(b, t); break;
    }
}

/* The reply value as _reply_send takes it: "int64_t reply", "const char *reply". */
static void send_reply_param(buf *b, const idl_type *t) {
    char *v = ctype_value(t);
    buf_printf(b, "%sreply", v);
    free(v);
}

static void header_call(buf *b, const gen_actor *a, const gen_method *m) {
    const char *own = "";
    if (m->reply)
        switch (ctype_kind_of(m->reply)) {
        case CT_STRING: own = " A string is the caller's, to free().\n *"; break;
        case CT_BYTES: own = " Bytes are the caller's: free(reply.data).\n *"; break;
        case CT_MESSAGE: own = " A message is the caller's: tact_pb_free(&<type>_descriptor, msg).\n *"; break;
        case CT_ACTOR: own = " A reference is the caller's, to release.\n *"; break;
        default: break;
        }
    buf_printf(b,
               "/* %s in one call: asks, waits up to tact_timeout_ms (TACT_FOREVER: no limit;\n"
               " * the rules of tact_future_wait, deadlock detection included), copies the\n"
               " * reply out%s and frees the future.%s If the wait runs out, the\n"
               " * ask is cancelled (skipped if its handler has not started) and\n"
               " * TACT_ETIMEDOUT returned. Errors: those of %s and of _future_get\n"
               " * (after TACT_EHANDLER, use the future form for the handler's code and\n"
               " * text), TACT_ENOMEM (copying the reply out). */\n"
               "tact_status %s_call(%s_ref tact_to",
               m->name, m->reply ? " (reply may be NULL)" : "", own, m->name, m->c, a->c);
    params(b, m->params);
    buf_puts(b, ", int64_t tact_timeout_ms");
    if (m->reply) {
        buf_puts(b, ", ");
        call_reply_param(b, m->reply);
    }
    buf_puts(b, ");\n\n");
}

static void header_deferred_reply(buf *b, const gen_actor *a, const gen_method *m) {
    char *tag = reply_tag(m->reply);
    buf_printf(b,
               "/* The reply of %s, kept past its handler (tact_reply): asks whose replies\n"
               " * have the same type share this type, so it forwards to any of them. */\n"
               "typedef struct %s %s_reply;\n"
               "static inline tact_reply *%s_reply_base(%s_reply *tact_r) {\n"
               "    return (tact_reply *)(void *)tact_r;\n"
               "}\n"
               "/* In the %s handler: takes over its answer (tact_reply_defer); the handler\n"
               " * returns without answering and must not touch its reply argument any more.\n"
               " * Answer later, once, from this actor: %s_reply_send or _reply_fail, or\n"
               " * forward it (the _forward of an ask with this reply type). If the actor\n"
               " * dies first the asker gets TACT_EDEAD. Errors: TACT_EINVAL, TACT_ENOMEM. */\n"
               "tact_status %s_defer(tact_ctx *ctx, %s_reply **tact_out);\n"
               "/* Answers a deferred %s%s (tact_reply_send). Returns TACT_OK, or the\n"
               " * status the ask already had (cancelled, timed out: the answer is dropped). */\n"
               "tact_status %s_reply_send(%s_reply *tact_r",
               m->name, tag, m->c, m->c, m->c, m->name, m->c, m->c, m->c, m->name,
               m->reply ? " with a copy of reply" : "", m->c, m->c);
    if (m->reply) {
        buf_puts(b, ", ");
        send_reply_param(b, m->reply);
    }
    buf_puts(b, ");\n");
    buf_printf(b,
               "/* Fails a deferred %s: %s_reply_fail(r, code, \"printf %%s\", ...) (tact_reply_fail). */\n"
               "#define %s_reply_fail(tact_r, ...) tact_reply_fail(%s_reply_base(tact_r), __VA_ARGS__)\n",
               m->name, m->c, m->c, m->c);
    buf_printf(b,
               "/* Forwards a deferred reply: asks %s of tact_to, whose answer goes straight\n"
               " * to the original asker (tact_reply_forward). tact_r must be the reply of an\n"
               " * ask with %s's reply type. Consumes tact_r on every path.\n"
               " * Errors: TACT_EDEAD (the asker gets it too), TACT_EINVAL, TACT_ENOMEM,\n"
               " * TACT_EXSYSTEM. */\n"
               "tact_status %s_forward(%s_ref tact_to",
               m->name, m->name, m->c, a->c);
    params(b, m->params);
    buf_printf(b, ", %s_reply *tact_r);\n\n", m->c);
    free(tag);
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
    if (a->n_methods)
        buf_printf(b,
                   " * Fill the handlers with %s_HANDLERS(), which does not compile\n"
                   " * without every one of them; spawn refuses a NULL handler with\n"
                   " * TACT_ENOTIMPL. The hooks (on_start, on_stop, on_failure) may be NULL.\n",
                   c);
    buf_puts(b, " * Handlers borrow their arguments for the call (tact_ctx_take() keeps a\n");
    buf_puts(b, " * string, bytes or message one); what they write into *reply (heap\n");
    buf_puts(b, " * strings, bytes, message fields) is handed to the runtime.\n */\n");
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
    header_handlers_macro(b, a);

    buf_printf(b, "extern const tact_actor_type %s_type;\n\n", c);
    doc_block(b, "", d->doc);
    buf_printf(b,
               "/* Spawns a %s running impl (which must outlive it). tact_opts may be NULL.\n"
               " * On success *tact_out holds a reference: release it with %s_ref_release().\n"
               " * tact_out may be NULL: the actor then belongs to the system alone (it runs\n"
               " * until it is stopped, by itself, by name or id, or with the system).\n"
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
               "/* The live %s with this name (tact_spawn_opts.name), as a new reference;\n"
               " * TACT_ENOTFOUND if there is none (or it is of another type). */\n"
               "tact_status %s_find(tact_system *tact_sys, const char *tact_name, %s_ref *tact_out);\n\n",
               d->name, c, c);
    buf_printf(b,
               "/* The typed reference of an untyped actor (from tact_system_list, say), checked:\n"
               " * TACT_ETYPE (and a NULL *tact_out) if it is not a %s, TACT_EINVAL if\n"
               " * tact_a or tact_out is NULL. *tact_out borrows tact_a's reference (no new\n"
               " * one: release one of the two, once); %s_ref_dup() takes another. */\n"
               "tact_status %s_from_actor(tact_actor *tact_a, %s_ref *tact_out);\n\n",
               d->name, c, c, c);
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
        if (has_given_params(m)) {
            buf_printf(b,
                       "/* %s without copying: the strings, bytes and messages passed are handed\n"
                       " * over (heap memory, freed by the runtime on every path, failures included). */\n"
                       "tact_status %s_give(%s_ref tact_to",
                       m->name, m->c, c);
            given_params(b, m->params);
            if (m->ask)
                buf_printf(b, ", %s_future **tact_out);\n\n", m->c);
            else
                buf_puts(b, ");\n\n");
        }
        if (!m->ask) {
            buf_printf(b,
                       "/* Tells %s after tact_delay_ms, then every tact_period_ms if it is > 0\n"
                       " * (tact_timer_start). *tact_out (may be NULL) is the timer, to cancel or free. */\n"
                       "tact_status %s_after(%s_ref tact_to, int64_t tact_delay_ms, int64_t tact_period_ms",
                       m->name, m->c, c);
            params(b, m->params);
            buf_puts(b, ", tact_timer **tact_out);\n\n");
            buf_printf(b,
                       "/* Tells %s to every live %s of the system; *tact_told (may be NULL)\n"
                       " * is how many. Every message is queued before it returns. */\n"
                       "tact_status %s_broadcast(tact_system *tact_sys",
                       m->name, d->name, m->c);
            params(b, m->params);
            buf_puts(b, ", size_t *tact_told);\n\n");
            continue;
        }
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
                   "/* The typed future of a generic one that came from %s (in a continuation,\n"
                   " * say), or of one made by then or any, whose get then reads the reply it\n"
                   " * took (TACT_EINVAL if that is of another type); NULL for another method. */\n"
                   "%s_future *%s_future_from(tact_future *tact_f);\n",
                   m->name, m->c, m->c);
        buf_printf(b,
                   "static inline tact_future *%s_future_base(%s_future *tact_f) {\n"
                   "    return (tact_future *)(void *)tact_f;\n"
                   "}\n"
                   "static inline void %s_future_free(%s_future *tact_f) {\n"
                   "    tact_future_free((tact_future *)(void *)tact_f);\n"
                   "}\n\n",
                   m->c, m->c, m->c, m->c);
        header_call(b, a, m);
        header_deferred_reply(b, a, m);
    }
}

/* The include guard: the file's stem with letters kept as they are and every
 * other byte spelled out, so a-b, a_b and A_b get guards of their own. */
static char *guard_of(const gen_file *g) {
    buf b = {0};
    buf_puts(&b, "TACT_GEN_");
    for (const char *p = g->stem; *p; p++)
        if (isalnum((unsigned char)*p))
            buf_printf(&b, "%c", *p);
        else
            buf_printf(&b, "_%02X_", (unsigned char)*p);
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
        if (!first_import_of(f, i))
            continue;
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

/* The labels a body's gotos need (j, noted while printing it), so that none
 * is left unused. */
static void fail_labels(buf *b, ctype_jumps j, const char *cleanup) {
    bool fail_label = j.fail || (j.inval && j.nomem);
    if (j.inval)
        buf_printf(b, "tact_inval:\n    tact_st = TACT_EINVAL;\n%s", j.nomem ? "    goto tact_fail;\n" : "");
    if (j.nomem)
        buf_puts(b, "tact_nomem:\n    tact_st = TACT_ENOMEM;\n");
    if (fail_label)
        buf_puts(b, "tact_fail:\n");
    if (j.inval || j.nomem || fail_label)
        buf_printf(b, "%s    return tact_st;\n", cleanup);
}

/* A handler call with the fields of `req` as arguments. */
static void handler_call(buf *b, const char *fn, const idl_field *list, const char *reply_arg) {
    buf_printf(b, "%s(tact_c, tact_self", fn);
    for (const idl_field *p = list; p; p = p->next) {
        buf_puts(b, ", ");
        ctype_handler_arg(b, p);
    }
    if (reply_arg)
        buf_printf(b, ", %s", reply_arg);
    buf_puts(b, ")");
}

static void prepare_args(buf *b, const idl_field *list) {
    for (const idl_field *p = list; p; p = p->next)
        ctype_handler_prepare(b, p, "tact_ctx_system(tact_c)");
}

static void cleanup_args(buf *b, const idl_field *list) {
    for (const idl_field *p = list; p; p = p->next)
        ctype_handler_cleanup(b, p);
}

/* Whether a value of this type owns no memory in a protoc-c struct. */
static bool flat(const idl_type *t, idl_label label) {
    ctype_kind k = ctype_kind_of(t);
    return label != IDL_LABEL_REPEATED && k != CT_STRING && k != CT_BYTES && k != CT_MESSAGE;
}

/* The arguments that pass a parameter list on unchanged: ", a, n_b, b". */
static void args(buf *b, const idl_field *p) {
    for (; p; p = p->next)
        if (p->label == IDL_LABEL_REPEATED)
            buf_printf(b, ", n_%s, %s", p->name, p->name);
        else
            buf_printf(b, ", %s", p->name);
}

/* Frees what the _give variant was handed, on a path where it cannot be stored. */
static void free_given(buf *b, const idl_field *list) {
    for (const idl_field *p = list; p; p = p->next) {
        if (!given(p))
            continue;
        switch (ctype_kind_of(&p->type)) {
        case CT_STRING: buf_printf(b, "    free(%s);\n", p->name); break;
        case CT_BYTES: buf_printf(b, "    free(%s.data);\n", p->name); break;
        default: {
            char *low = gen_pb_lower(p->type.decl);
            buf_printf(b, "    tact_pb_free(&%s__descriptor, %s);\n", low, p->name);
            free(low);
        }
        }
    }
}

/* static tact_status <m>_build[_given](tact_system *, params..., tact_msg **): a
 * message with the parameters copied in (or, given, handed over). */
static void build_function(buf *b, const gen_method *m, const char *req_t, bool give) {
    ctype_jumps jumps = {0};
    buf_printf(b, "static tact_status %s_build%s(tact_system *tact_sys", m->c, give ? "_given" : "");
    if (give)
        given_params(b, m->params);
    else
        params(b, m->params);
    buf_printf(b,
               ", tact_msg **tact_out_m) {\n"
               "    %s *tact_req;\n"
               "    tact_msg *tact_m;\n"
               "    tact_status tact_st = tact_msg_new_in(tact_sys, &%s_method, (void **)&tact_req, &tact_m);\n"
               "    if (tact_st != TACT_OK) {\n",
               req_t, m->c);
    if (give)
        free_given(b, m->params);
    buf_puts(b, "        return tact_st;\n    }\n");
    buf_puts(b, "    (void)tact_sys;\n");
    if (!m->params)
        buf_puts(b, "    (void)tact_req;\n");
    buf rest = {0};
    for (const idl_field *p = m->params; p; p = p->next) {
        if (!(give && given(p))) {
            ctype_store(&rest, p, "tact_sys", &jumps);
            continue;
        }
        /* Handed over: all stored first, so a later failure frees them with the message. */
        char *member = name_member(p->name);
        buf_printf(b, "    tact_req->%s = %s;%s\n", member, p->name,
                   p->label == IDL_LABEL_OPTIONAL ? " /* NULL: absent */" : "");
        free(member);
        if (p->label == IDL_LABEL_NONE && ctype_kind_of(&p->type) != CT_BYTES) {
            buf rest2 = {0};
            jumps.inval = true;
            buf_printf(&rest2, "    if (!%s)\n        goto tact_inval;\n%s", p->name, rest.data ? rest.data : "");
            buf_free(&rest);
            rest = rest2;
        }
    }
    buf_puts(b, rest.data ? rest.data : "");
    buf_puts(b, "    *tact_out_m = tact_m;\n    return TACT_OK;\n");
    /* The labels depend on what this function's body jumps to. */
    fail_labels(b, jumps, "    tact_msg_free(tact_m);\n");
    buf_free(&rest);
    buf_puts(b, "}\n\n");
}

/* The proxy (or its _give variant): build the message, then ask or tell. */
static void send_function(buf *b, const gen_actor *a, const gen_method *m, bool give) {
    buf_printf(b, "tact_status %s%s(%s_ref tact_to", m->c, give ? "_give" : "", a->c);
    if (give)
        given_params(b, m->params);
    else
        params(b, m->params);
    if (m->ask)
        buf_printf(b, ", %s_future **tact_out) {\n    if (tact_out)\n        *tact_out = NULL;\n", m->c);
    else
        buf_puts(b, ") {\n");
    buf_puts(b, "    if (!tact_to.actor) {\n");
    if (give)
        free_given(b, m->params);
    buf_puts(b, "        return TACT_EDEAD;\n    }\n");
    buf_printf(b, "    tact_msg *tact_m;\n    tact_status tact_st = %s_build%s(tact_actor_system(tact_to.actor)",
               m->c, give ? "_given" : "");
    args(b, m->params);
    buf_puts(b, ", &tact_m);\n    if (tact_st != TACT_OK)\n        return tact_st;\n");
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
    buf_puts(b, "}\n\n");
}

/* -- deferred replies, forwarding and the one-line call (source) -------------- */

/* Copies the borrowed reply tact_v that _call got into the caller's *reply. */
static void call_copy_out(buf *b, const idl_type *t) {
    switch (ctype_kind_of(t)) {
    case CT_STRING:
        buf_puts(b, "    if (tact_st == TACT_OK && reply && !(*reply = tact_strdup(tact_v)))\n"
                    "        tact_st = TACT_ENOMEM;\n");
        break;
    case CT_BYTES:
        buf_puts(b, "    if (tact_st == TACT_OK && reply)\n"
                    "        tact_st = tact_bytes_copy(reply, tact_v);\n");
        break;
    case CT_MESSAGE: {
        char *low = gen_pb_lower(t->decl);
        buf_printf(b, "    if (tact_st == TACT_OK && reply)\n"
                      "        tact_st = tact_pb_dup(&%s__descriptor, tact_v, (void **)reply);\n",
                   low);
        free(low);
        break;
    }
    default: break;
    }
}

static void source_call(buf *b, const gen_actor *a, const gen_method *m) {
    ctype_kind k = m->reply ? ctype_kind_of(m->reply) : CT_NUMBER;
    bool copied = m->reply && (k == CT_STRING || k == CT_BYTES || k == CT_MESSAGE);
    buf_printf(b, "tact_status %s_call(%s_ref tact_to", m->c, a->c);
    params(b, m->params);
    buf_puts(b, ", int64_t tact_timeout_ms");
    if (m->reply) {
        buf_puts(b, ", ");
        call_reply_param(b, m->reply);
    }
    buf_puts(b, ") {\n");
    /* Owned replies are read borrowed from the future, then copied out. */
    const char *out = !m->reply ? "" : copied ? ", reply ? &tact_v : NULL" : ", reply";
    if (copied) {
        switch (k) {
        case CT_STRING: buf_puts(b, "    const char *tact_v = NULL;\n    if (reply)\n        *reply = NULL;\n"); break;
        case CT_BYTES:
            buf_puts(b, "    ProtobufCBinaryData tact_v = {0, NULL};\n"
                        "    if (reply)\n        *reply = tact_v;\n");
            break;
        default: {
            char *c = gen_c_name(m->reply->decl);
            buf_printf(b, "    const %s *tact_v = NULL;\n    if (reply)\n        *reply = NULL;\n", c);
            free(c);
        }
        }
    }
    buf_printf(b, "    %s_future *tact_f;\n    tact_status tact_st = %s(tact_to", m->c, m->c);
    args(b, m->params);
    buf_printf(b, ", &tact_f);\n"
                  "    if (tact_st != TACT_OK)\n        return tact_st;\n"
                  "    tact_st = %s_future_get(tact_f, tact_timeout_ms%s);\n"
                  "    /* Given up: cancel, unless the answer came meanwhile. */\n"
                  "    if (tact_st == TACT_ETIMEDOUT && !tact_future_done(%s_future_base(tact_f)) &&\n"
                  "        tact_future_cancel(%s_future_base(tact_f)) != TACT_OK)\n"
                  "        tact_st = %s_future_get(tact_f, 0%s);\n",
               m->c, out, m->c, m->c, m->c, out);
    if (m->reply)
        call_copy_out(b, m->reply);
    buf_printf(b, "    %s_future_free(tact_f);\n    return tact_st;\n}\n\n", m->c);
}

/* Fills the reply message tact_rep from _reply_send's argument (copying what
 * owns memory); a failure sets tact_st. */
static void reply_store(buf *b, const idl_type *t) {
    switch (ctype_kind_of(t)) {
    case CT_STRING: /* NULL answers "", as a handler that set nothing does */
        buf_puts(b, "    if (reply && !(tact_rep.value = tact_strdup(reply)))\n"
                    "        tact_st = TACT_ENOMEM;\n");
        break;
    case CT_BYTES: buf_puts(b, "    tact_st = tact_bytes_copy(&tact_rep.value, reply);\n"); break;
    case CT_MESSAGE: {
        char *low = gen_pb_lower(t->decl);
        buf_printf(b, "    tact_st = reply ? tact_pb_dup(&%s__descriptor, reply, (void **)&tact_rep.value)\n"
                      "                  : tact_pb_new(&%s__descriptor, (void **)&tact_rep.value);\n",
                   low, low);
        free(low);
        break;
    }
    case CT_ACTOR:
        buf_puts(b, "    if (reply.actor)\n"
                    "        tact_st = tact_ref_to_id(tact_reply_system(tact_b), reply.actor, &tact_rep.value);\n");
        break;
    default: buf_puts(b, "    tact_rep.value = reply;\n"); break;
    }
}

static void source_deferred_reply(buf *b, const gen_actor *a, const gen_method *m, const char *rep_t,
                                  const char *rep_low) {
    buf_printf(b,
               "tact_status %s_defer(tact_ctx *ctx, %s_reply **tact_out) {\n"
               "    if (!tact_out)\n        return TACT_EINVAL;\n"
               "    tact_reply *tact_r;\n"
               "    tact_status tact_st = tact_reply_defer(ctx, &%s_method, &tact_r);\n"
               "    *tact_out = (%s_reply *)(void *)tact_r;\n"
               "    return tact_st;\n"
               "}\n\n",
               m->c, m->c, m->c, m->c);
    buf_printf(b, "tact_status %s_reply_send(%s_reply *tact_r", m->c, m->c);
    if (m->reply) {
        buf_puts(b, ", ");
        send_reply_param(b, m->reply);
    }
    buf_printf(b,
               ") {\n"
               "    tact_reply *tact_b = %s_reply_base(tact_r);\n"
               "    %s tact_rep;\n"
               "    protobuf_c_message_init(&%s__descriptor, &tact_rep);\n",
               m->c, rep_t, rep_low);
    ctype_kind k = m->reply ? ctype_kind_of(m->reply) : CT_NUMBER;
    if (m->reply && k != CT_STRING && k != CT_BYTES && k != CT_MESSAGE && k != CT_ACTOR) {
        reply_store(b, m->reply); /* a plain value: nothing can fail */
    } else if (m->reply) {
        buf_puts(b, "    tact_status tact_st = TACT_OK;\n");
        reply_store(b, m->reply);
        buf_puts(b, "    if (tact_st != TACT_OK) {\n"
                    "        tact_reply_fail(tact_b, tact_st, \"the reply could not be stored\");\n"
                    "        return tact_st;\n"
                    "    }\n");
    }
    buf_puts(b, "    return tact_reply_send(tact_b, &tact_rep);\n}\n\n");

    buf_printf(b, "tact_status %s_forward(%s_ref tact_to", m->c, a->c);
    params(b, m->params);
    buf_printf(b,
               ", %s_reply *tact_r) {\n"
               "    tact_reply *tact_b = %s_reply_base(tact_r);\n"
               "    if (!tact_to.actor)\n        return tact_reply_forward(tact_b, NULL, NULL);\n"
               "    tact_msg *tact_m;\n"
               "    tact_status tact_st = %s_build(tact_actor_system(tact_to.actor)",
               m->c, m->c, m->c);
    args(b, m->params);
    buf_puts(b, ", &tact_m);\n"
                "    if (tact_st != TACT_OK) {\n"
                "        tact_reply_fail(tact_b, tact_st, \"the forwarded ask could not be built\");\n"
                "        return tact_st;\n"
                "    }\n"
                "    return tact_reply_forward(tact_b, tact_to.actor, tact_m);\n}\n\n");
}

static void source_method(buf *b, const gen_actor *a, const gen_method *m) {
    char *req_name = xasprintf("%sRequest", m->camel), *rep_name = xasprintf("%sReply", m->camel);
    char *req_t = gen_pb_nested(a, req_name), *req_low = gen_pb_nested_lower(a, req_name);
    char *rep_t = gen_pb_nested(a, rep_name), *rep_low = gen_pb_nested_lower(a, rep_name);

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
            reply_post = xstrdup("    if (tact_st == TACT_OK && tact_v.actor && !tact_reply_deferred(tact_c))\n"
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
        case CT_STRING:
            reply_arg = "&rep->value";
            /* A handler that set no string answers "", never NULL. A deferred
             * reply is no longer the handler's to touch. */
            reply_post = xstrdup("    if (tact_st == TACT_OK && !tact_reply_deferred(tact_c) && !rep->value)\n"
                                 "        rep->value = (char *)protobuf_c_empty_string;\n");
            break;
        default:
            reply_arg = "&rep->value";
            break;
        }
    }
    buf_puts(b, "    tact_status tact_st = TACT_OK;\n");
    prepare_args(b, m->params);
    buf_puts(b, "    if (tact_st == TACT_OK)\n        tact_st = ");
    char *fn = xasprintf("tact_i->%s", m->name);
    handler_call(b, fn, m->params, reply_arg);
    free(fn);
    buf_puts(b, ";\n");
    if (reply_post)
        buf_puts(b, reply_post);
    cleanup_args(b, m->params);
    buf_puts(b, "    return tact_st;\n}\n\n");
    free(reply_post);
    /* What owns no memory needs no walk over its fields to be freed. */
    bool flat_req = true;
    for (const idl_field *p = m->params; p; p = p->next)
        flat_req = flat_req && flat(&p->type, p->label);
    bool flat_rep = !m->reply || flat(m->reply, IDL_LABEL_NONE);
    const char *flags = flat_req && flat_rep ? "TACT_METHOD_FLAT_REQUEST | TACT_METHOD_FLAT_REPLY"
                        : flat_req          ? "TACT_METHOD_FLAT_REQUEST"
                        : flat_rep          ? "TACT_METHOD_FLAT_REPLY"
                                            : "0";
    buf_printf(b,
               "static const tact_method %s_method = {\n"
               "    \"%s\", %s, &%s__descriptor, %s%s%s, %s_invoke,\n    %s, &%s_type};\n\n",
               m->c, m->name, m->ask ? "TACT_METHOD_ASK" : "TACT_METHOD_TELL", req_low,
               m->ask ? "&" : "NULL", m->ask ? rep_low : "", m->ask ? "__descriptor" : "", m->c,
               flags, a->c);

    /* The message builder every sender of this method shares. */
    build_function(b, m, req_t, false);
    if (has_given_params(m))
        build_function(b, m, req_t, true);

    /* The proxies. */
    send_function(b, a, m, false);
    if (has_given_params(m))
        send_function(b, a, m, true);
    if (!m->ask) {
        buf_printf(b, "tact_status %s_after(%s_ref tact_to, int64_t tact_delay_ms, int64_t tact_period_ms", m->c, a->c);
        params(b, m->params);
        buf_printf(b,
                   ", tact_timer **tact_out) {\n"
                   "    if (tact_out)\n        *tact_out = NULL;\n"
                   "    if (!tact_to.actor)\n        return TACT_EDEAD;\n"
                   "    tact_msg *tact_m;\n"
                   "    tact_status tact_st = %s_build(tact_actor_system(tact_to.actor)",
                   m->c);
        args(b, m->params);
        buf_puts(b, ", &tact_m);\n"
                    "    if (tact_st != TACT_OK)\n        return tact_st;\n"
                    "    return tact_timer_start(tact_to.actor, tact_m, tact_delay_ms, tact_period_ms, tact_out);\n}\n\n");
        buf_printf(b, "tact_status %s_broadcast(tact_system *tact_sys", m->c);
        params(b, m->params);
        buf_printf(b,
                   ", size_t *tact_told) {\n"
                   "    if (tact_told)\n        *tact_told = 0;\n"
                   "    if (!tact_sys)\n        return TACT_EINVAL;\n"
                   "    tact_msg *tact_m;\n"
                   "    tact_status tact_st = %s_build(tact_sys",
                   m->c);
        args(b, m->params);
        buf_printf(b, ", &tact_m);\n"
                      "    if (tact_st != TACT_OK)\n        return tact_st;\n"
                      "    return tact_system_broadcast(tact_sys, &%s_type, tact_m, tact_told);\n}\n\n",
                   a->c);
    } else {
        buf_printf(b,
                   "%s_future *%s_future_from(tact_future *tact_f) {\n"
                   "    const tact_method *tact_m = tact_future_method(tact_f);\n"
                   "    /* then/any: no method of their own; get checks the reply they took */\n"
                   "    return tact_f && (tact_m == &%s_method || !tact_m) ? (%s_future *)(void *)tact_f : NULL;\n"
                   "}\n\n",
                   m->c, m->c, m->c, m->c);
    }

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
                       "        const %s *rep = tact_future_reply_as(tact_b, &%s_method);\n"
                       "        if (!rep)\n"
                       "            return TACT_EINVAL; /* from then/any, with a reply of another type */\n",
                       rep_t, m->c);
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
        source_call(b, a, m);
        source_deferred_reply(b, a, m, rep_t, rep_low);
    }
    free(req_name);
    free(rep_name);
    free(req_t);
    free(req_low);
    free(rep_t);
    free(rep_low);
}

/* <Actor>_unimplemented: the first handler an implementation leaves NULL,
 * for spawn to refuse it (tact_actor_type.unimplemented). */
static void source_unimplemented(buf *b, const gen_actor *a) {
    buf_printf(b, "static const char *%s_unimplemented(const void *tact_impl) {\n", a->c);
    if (a->n_methods)
        buf_printf(b, "    const %s_impl *tact_i = tact_impl;\n", a->c);
    else
        buf_puts(b, "    (void)tact_impl;\n");
    for (int k = 0; k < a->n_methods; k++)
        buf_printf(b, "    if (!tact_i->%s)\n        return \"%s\";\n", a->methods[k].name,
                   a->methods[k].name);
    buf_puts(b, "    return NULL;\n}\n\n");
}

/* <Actor>_from_actor: the checked conversion of an untyped reference. */
static void source_from_actor(buf *b, const gen_actor *a) {
    const char *c = a->c;
    buf_printf(b,
               "tact_status %s_from_actor(tact_actor *tact_a, %s_ref *tact_out) {\n"
               "    if (!tact_out)\n        return TACT_EINVAL;\n"
               "    tact_out->actor = NULL;\n"
               "    if (!tact_a)\n        return TACT_EINVAL;\n"
               "    if (tact_actor_type_of(tact_a) != &%s_type)\n        return TACT_ETYPE;\n"
               "    tact_out->actor = tact_a;\n"
               "    return TACT_OK;\n"
               "}\n\n",
               c, c, c);
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
    buf_puts(b, "    tact_status tact_st = TACT_OK;\n");
    prepare_args(b, d->spawn_params);
    buf_puts(b, "    if (tact_st == TACT_OK)\n        tact_st = ");
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
    source_unimplemented(b, a);
    buf_printf(b,
               "const tact_actor_type %s_type = {\n"
               "    \"%s.%s\", %s_start, %s_stop_hook, %s_failure_hook, %s_wants_start, %s%s%s,\n"
               "    %s_unimplemented};\n\n",
               c, d->file->package, d->name, c, c, c, c, d->spawn_params ? "&" : "NULL",
               d->spawn_params ? args_low : "", d->spawn_params ? "__descriptor" : "", c);

    buf_printf(b, "tact_status %s_spawn(tact_system *tact_sys, const %s_impl *tact_impl", c, c);
    params(b, d->spawn_params);
    buf_printf(b,
               ", const tact_spawn_opts *tact_opts, %s_ref *tact_out) {\n"
               "    if (tact_out)\n        tact_out->actor = NULL;\n"
               "    if (!tact_sys || !tact_impl)\n        return TACT_EINVAL;\n",
               c);
    if (d->spawn_params) {
        buf_printf(b,
                   "    %s *tact_req;\n"
                   "    tact_status tact_st = tact_pb_new(&%s__descriptor, (void **)&tact_req);\n"
                   "    if (tact_st != TACT_OK)\n        return tact_st;\n",
                   args_t, args_low);
        ctype_jumps jumps = {0};
        for (const idl_field *p = d->spawn_params; p; p = p->next)
            ctype_store(b, p, "tact_sys", &jumps);
        buf_printf(b,
                   "    return tact_actor_spawn(tact_sys, &%s_type, tact_impl, tact_impl->state_size, tact_req,\n"
                   "                            tact_opts, tact_out ? &tact_out->actor : NULL);\n",
                   c);
        char *cleanup = xasprintf("    tact_pb_free(&%s__descriptor, tact_req);\n", args_low);
        fail_labels(b, jumps, cleanup);
        free(cleanup);
    } else {
        buf_printf(b,
                   "    return tact_actor_spawn(tact_sys, &%s_type, tact_impl, tact_impl->state_size, NULL,\n"
                   "                            tact_opts, tact_out ? &tact_out->actor : NULL);\n",
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
               "}\n\n"
               "tact_status %s_find(tact_system *tact_sys, const char *tact_name, %s_ref *tact_out) {\n"
               "    if (!tact_out)\n        return TACT_EINVAL;\n"
               "    return tact_system_find_name(tact_sys, tact_name, &%s_type, &tact_out->actor);\n"
               "}\n\n",
               c, c, c, c, c, c, c, c, c, c);
    source_from_actor(b, a);

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
