#include "ctype_map.h"

#include <stdlib.h>

#include "model.h"
#include "names.h"

ctype_kind ctype_kind_of(const idl_type *t) {
    if (!t->is_scalar) {
        switch (t->decl->kind) {
        case IDL_DECL_ENUM: return CT_ENUM;
        case IDL_DECL_MESSAGE: return CT_MESSAGE;
        case IDL_DECL_ACTOR: return CT_ACTOR;
        }
    }
    switch (t->scalar) {
    case IDL_BOOL: return CT_BOOL;
    case IDL_STRING: return CT_STRING;
    case IDL_BYTES: return CT_BYTES;
    default: return CT_NUMBER;
    }
}

static const char *number_ctype(idl_scalar s) {
    switch (s) {
    case IDL_INT32: case IDL_SINT32: case IDL_SFIXED32: return "int32_t";
    case IDL_INT64: case IDL_SINT64: case IDL_SFIXED64: return "int64_t";
    case IDL_UINT32: case IDL_FIXED32: return "uint32_t";
    case IDL_UINT64: case IDL_FIXED64: return "uint64_t";
    case IDL_FLOAT: return "float";
    case IDL_DOUBLE: return "double";
    default: return "int";
    }
}

/* The type without const or pointer: "int64_t", "char", "bank_Entry". */
static char *base_type(const idl_type *t) {
    switch (ctype_kind_of(t)) {
    case CT_NUMBER: return xstrdup(number_ctype(t->scalar));
    case CT_BOOL: return xstrdup("bool");
    case CT_STRING: return xstrdup("char");
    case CT_BYTES: return xstrdup("ProtobufCBinaryData");
    case CT_ENUM:
    case CT_MESSAGE: return gen_c_name(t->decl);
    case CT_ACTOR: {
        char *c = gen_c_name(t->decl);
        char *s = xasprintf("%s_ref", c);
        free(c);
        return s;
    }
    }
    return xstrdup("int");
}

char *ctype_value(const idl_type *t) {
    char *base = base_type(t);
    char *s;
    switch (ctype_kind_of(t)) {
    case CT_STRING: s = xstrdup("const char *"); break;
    case CT_MESSAGE: s = xasprintf("const %s *", base); break;
    default: s = xasprintf("%s ", base); break;
    }
    free(base);
    return s;
}

void ctype_param(buf *b, const idl_field *f) {
    ctype_kind k = ctype_kind_of(&f->type);
    char *base = base_type(&f->type);
    if (f->label == IDL_LABEL_REPEATED) {
        /* Elements as protoc-c stores them, so a request's array passes straight on. */
        const char *elem = base;
        switch (k) {
        case CT_BOOL: elem = "protobuf_c_boolean"; break;
        case CT_STRING: elem = "char *const"; break;
        default: break;
        }
        if (k == CT_MESSAGE)
            buf_printf(b, "size_t n_%s, const %s *const *%s", f->name, base, f->name);
        else
            buf_printf(b, "size_t n_%s, const %s *%s", f->name, elem, f->name);
    } else if (f->label == IDL_LABEL_OPTIONAL && k != CT_STRING && k != CT_MESSAGE &&
               k != CT_ACTOR) {
        buf_printf(b, "const %s *%s", base, f->name); /* NULL: absent */
    } else {
        char *v = ctype_value(&f->type);
        buf_printf(b, "%s%s", v, f->name);
        free(v);
    }
    free(base);
}

/* Parameters keep the name as written; the protoc-c struct member is lower-cased. */

void ctype_handler_prepare(buf *b, const idl_field *f, const char *sys) {
    if (ctype_kind_of(&f->type) != CT_ACTOR)
        return;
    char *c = gen_c_name(f->type.decl), *m = name_member(f->name);
    const char *n = f->name;
    if (f->label == IDL_LABEL_REPEATED) {
        /* Out of memory sets tact_st: the handler is then not called, and the
         * cleanup releases what earlier parameters looked up. */
        buf_printf(b,
                   "    %s_ref *tact_a_%s = NULL;\n"
                   "    if (req->n_%s && tact_st == TACT_OK) {\n"
                   "        tact_a_%s = calloc(req->n_%s, sizeof *tact_a_%s);\n"
                   "        if (!tact_a_%s)\n"
                   "            tact_st = TACT_ENOMEM;\n"
                   "        for (size_t i = 0; tact_a_%s && i < req->n_%s; i++)\n"
                   "            %s_lookup(%s, req->%s[i], &tact_a_%s[i]);\n"
                   "    }\n",
                   c, n, m, n, m, n, n, n, m, c, sys, m, n);
    } else {
        buf_printf(b, "    %s_ref tact_a_%s = {NULL};\n", c, n);
        if (f->label == IDL_LABEL_OPTIONAL)
            buf_printf(b, "    if (req->has_%s)\n    ", m);
        buf_printf(b, "    %s_lookup(%s, req->%s, &tact_a_%s);\n", c, sys, m, n);
    }
    free(c);
    free(m);
}

void ctype_handler_cleanup(buf *b, const idl_field *f) {
    if (ctype_kind_of(&f->type) != CT_ACTOR)
        return;
    char *m = name_member(f->name);
    if (f->label == IDL_LABEL_REPEATED)
        buf_printf(b,
                   "    for (size_t i = 0; tact_a_%s && i < req->n_%s; i++)\n"
                   "        tact_actor_release(tact_a_%s[i].actor);\n"
                   "    free(tact_a_%s);\n",
                   f->name, m, f->name, f->name);
    else
        buf_printf(b, "    tact_actor_release(tact_a_%s.actor);\n", f->name);
    free(m);
}

void ctype_handler_arg(buf *b, const idl_field *f) {
    ctype_kind k = ctype_kind_of(&f->type);
    char *m = name_member(f->name);
    if (f->label == IDL_LABEL_REPEATED) {
        if (k == CT_ACTOR) {
            buf_printf(b, "req->n_%s, tact_a_%s", m, f->name);
        } else if (k == CT_MESSAGE) {
            char *c = gen_c_name(f->type.decl);
            buf_printf(b, "req->n_%s, (const %s *const *)req->%s", m, c, m);
            free(c);
        } else if (k == CT_STRING) {
            buf_printf(b, "req->n_%s, (const char *const *)req->%s", m, m);
        } else {
            buf_printf(b, "req->n_%s, req->%s", m, m);
        }
    } else if (k == CT_ACTOR) {
        buf_printf(b, "tact_a_%s", f->name);
    } else if (f->label == IDL_LABEL_OPTIONAL) {
        if (k == CT_BOOL)
            buf_printf(b, "req->has_%s ? &(bool){req->%s != 0} : NULL", m, m);
        else if (k == CT_STRING || k == CT_MESSAGE)
            buf_printf(b, "req->%s", m); /* NULL when absent */
        else
            buf_printf(b, "req->has_%s ? &req->%s : NULL", m, m);
    } else if (k == CT_BOOL) {
        buf_printf(b, "req->%s != 0", m);
    } else {
        buf_printf(b, "req->%s", m);
    }
    free(m);
}

/* Copies one value `src` of f's type into the lvalue `dst`. */
static void store_value(buf *b, const char *indent, const idl_field *f, const char *dst,
                        const char *src, const char *sys, ctype_jumps *j) {
    switch (ctype_kind_of(&f->type)) {
    case CT_STRING:
        j->nomem = true;
        buf_printf(b, "%sif (!(%s = tact_strdup(%s)))\n%s    goto tact_nomem;\n", indent, dst,
                   src, indent);
        break;
    case CT_BYTES:
        j->fail = true;
        buf_printf(b, "%sif ((tact_st = tact_bytes_copy(&%s, %s)) != TACT_OK)\n%s    goto tact_fail;\n",
                   indent, dst, src, indent);
        break;
    case CT_MESSAGE: {
        char *low = gen_pb_lower(f->type.decl);
        j->fail = true;
        buf_printf(b,
                   "%sif ((tact_st = tact_pb_dup(&%s__descriptor, %s, (void **)&%s)) != TACT_OK)\n"
                   "%s    goto tact_fail;\n",
                   indent, low, src, dst, indent);
        free(low);
        break;
    }
    case CT_ACTOR:
        j->fail = true;
        buf_printf(b,
                   "%sif ((tact_st = tact_ref_to_id(%s, (%s).actor, &%s)) != TACT_OK)\n"
                   "%s    goto tact_fail;\n",
                   indent, sys, src, dst, indent);
        break;
    default:
        buf_printf(b, "%s%s = %s;\n", indent, dst, src);
        break;
    }
}

void ctype_store(buf *b, const idl_field *f, const char *sys, ctype_jumps *j) {
    ctype_kind k = ctype_kind_of(&f->type);
    const char *n = f->name;
    char *m = name_member(n);
    if (f->label == IDL_LABEL_REPEATED) {
        if (k == CT_ACTOR || k == CT_MESSAGE || k == CT_STRING || k == CT_BYTES) {
            j->inval = j->nomem = true;
            buf_printf(b,
                       "    if (n_%s && !%s)\n        goto tact_inval;\n"
                       "    if (n_%s) {\n"
                       "        if (!(tact_req->%s = calloc(n_%s, sizeof *tact_req->%s)))\n"
                       "            goto tact_nomem;\n"
                       "        for (size_t tact_i = 0; tact_i < n_%s; tact_i++) {\n",
                       n, n, n, m, n, m, n);
            if (k == CT_STRING || k == CT_MESSAGE)
                buf_printf(b, "            if (!%s[tact_i])\n                goto tact_inval;\n", n);
            char *dst = xasprintf("tact_req->%s[tact_i]", m);
            char *src = xasprintf("%s[tact_i]", n);
            store_value(b, "            ", f, dst, src, sys, j);
            buf_printf(b, "            tact_req->n_%s = tact_i + 1;\n        }\n    }\n", m);
            free(dst);
            free(src);
        } else {
            j->fail = true;
            buf_printf(b,
                       "    if ((tact_st = tact_array_copy((void **)&tact_req->%s, &tact_req->n_%s, %s, n_%s, "
                       "sizeof *tact_req->%s)) != TACT_OK)\n        goto tact_fail;\n",
                       m, m, n, n, m);
        }
        free(m);
        return;
    }
    char *dst = xasprintf("tact_req->%s", m);
    if (f->label == IDL_LABEL_OPTIONAL) {
        buf_printf(b, k == CT_ACTOR ? "    if (%s.actor) {\n" : "    if (%s) {\n", n);
        if (k != CT_STRING && k != CT_MESSAGE)
            buf_printf(b, "        tact_req->has_%s = 1;\n", m);
        char *src = k == CT_STRING || k == CT_MESSAGE || k == CT_ACTOR ? xstrdup(n)
                                                                        : xasprintf("*%s", n);
        store_value(b, "        ", f, dst, src, sys, j);
        free(src);
        buf_puts(b, "    }\n");
    } else {
        if (k == CT_STRING || k == CT_MESSAGE) {
            j->inval = true;
            buf_printf(b, "    if (!%s)\n        goto tact_inval;\n", n);
        }
        store_value(b, "    ", f, dst, n, sys, j);
    }
    free(dst);
    free(m);
}

void ctype_reply_handler_param(buf *b, const idl_type *t) {
    char *base = base_type(t);
    switch (ctype_kind_of(t)) {
    case CT_STRING: buf_puts(b, "char **reply"); break;
    default: buf_printf(b, "%s *reply", base); break;
    }
    free(base);
}

void ctype_reply_get_param(buf *b, const idl_type *t) {
    char *base = base_type(t);
    switch (ctype_kind_of(t)) {
    case CT_STRING: buf_puts(b, "const char **reply"); break;
    case CT_MESSAGE: buf_printf(b, "const %s **reply", base); break;
    default: buf_printf(b, "%s *reply", base); break;
    }
    free(base);
}
