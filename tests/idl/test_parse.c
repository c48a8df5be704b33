/* The tree built from good inputs: names, types, labels, numbers, doc comments
 * and locations, plus inputs large enough to catch quadratic or recursive code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "idl.h"

/* Loads text as "t.actor" into a program that prints diagnostics to stderr; the
 * caller frees the program. */
static idl_file *load(idl_program **p, const char *text, int expected_errors) {
    *p = idl_program_new(stderr);
    assert_non_null(*p);
    idl_file *f = idl_program_load_text(*p, "t.actor", text, strlen(text));
    assert_non_null(f);
    assert_int_equal(idl_program_check(*p), expected_errors);
    return f;
}

static void assert_loc(idl_loc loc, int line, int col) {
    assert_string_equal(loc.file, "t.actor");
    assert_int_equal(loc.line, line);
    assert_int_equal(loc.col, col);
}

static void assert_field(const idl_field *f, idl_label label, const char *type, const char *name,
                         int64_t number) {
    assert_non_null(f);
    assert_int_equal(f->label, label);
    if (f->type.is_scalar)
        assert_string_equal(idl_scalar_name(f->type.scalar), type);
    else
        assert_string_equal(f->type.qname, type);
    assert_string_equal(f->name, name);
    assert_int_equal(f->number, number);
}

static const char bank[] = "// bank.actor\n"
                           "package bank;\n"
                           "\n"
                           "enum Kind {\n"
                           "  KIND_UNSPECIFIED = 0;\n"
                           "  CHECKING = 1;\n"
                           "  SAVINGS = 0x2;\n"
                           "}\n"
                           "\n"
                           "/// One line of a statement.\n"
                           "message Entry {\n"
                           "  bank.Kind kind = 1;\n"
                           "  optional string memo = 2;\n"
                           "  repeated string tags = 3;\n"
                           "  Account counterparty = 4;    // a reference to an actor\n"
                           "  repeated Entry children = 536870911;\n"
                           "}\n"
                           "\n"
                           "/// Keeps one account's balance.\n"
                           "actor Account(string owner, Kind kind) {\n"
                           "  /// Adds to the balance.\n"
                           "  ask deposit(int64 cents, optional string memo) -> int64;\n"
                           "  ask statement() -> Entry;\n"
                           "  ask close();\n"
                           "  tell audit(repeated string lines);\n"
                           "  property Account peer;\n"
                           "}\n";

static void test_bank(void **state) {
    (void)state;
    idl_program *p;
    idl_file *f = load(&p, bank, 0);
    assert_string_equal(f->path, "t.actor");
    assert_string_equal(f->package, "bank");
    assert_loc(f->package_loc, 2, 9);
    assert_null(f->imports);

    idl_decl *kind = f->decls;
    assert_int_equal(kind->kind, IDL_DECL_ENUM);
    assert_string_equal(kind->name, "Kind");
    assert_loc(kind->loc, 4, 6);
    assert_ptr_equal(kind->file, f);
    assert_null(kind->doc);
    const idl_enum_value *v = kind->values;
    assert_string_equal(v->name, "KIND_UNSPECIFIED");
    assert_int_equal(v->value, 0);
    assert_loc(v->loc, 5, 3);
    assert_string_equal(v->next->name, "CHECKING");
    assert_int_equal(v->next->value, 1);
    assert_int_equal(v->next->next->value, 2);
    assert_null(v->next->next->next);

    idl_decl *entry = kind->next;
    assert_int_equal(entry->kind, IDL_DECL_MESSAGE);
    assert_string_equal(entry->doc, "One line of a statement.");
    const idl_field *fl = entry->fields;
    assert_field(fl, IDL_LABEL_NONE, "bank.Kind", "kind", 1);
    assert_loc(fl->type.loc, 12, 3);
    assert_loc(fl->loc, 12, 13);
    assert_ptr_equal(fl->type.decl, kind);
    assert_field(fl = fl->next, IDL_LABEL_OPTIONAL, "string", "memo", 2);
    assert_null(fl->type.decl);
    assert_field(fl = fl->next, IDL_LABEL_REPEATED, "string", "tags", 3);
    assert_field(fl = fl->next, IDL_LABEL_NONE, "Account", "counterparty", 4);
    idl_decl *account = entry->next;
    assert_ptr_equal(fl->type.decl, account);
    assert_field(fl = fl->next, IDL_LABEL_REPEATED, "Entry", "children", 536870911);
    assert_ptr_equal(fl->type.decl, entry);
    assert_null(fl->next);

    assert_int_equal(account->kind, IDL_DECL_ACTOR);
    assert_string_equal(account->doc, "Keeps one account's balance.");
    assert_field(account->spawn_params, IDL_LABEL_NONE, "string", "owner", 0);
    assert_field(account->spawn_params->next, IDL_LABEL_NONE, "Kind", "kind", 0);
    assert_ptr_equal(account->spawn_params->next->type.decl, kind);

    const idl_member *m = account->members;
    assert_int_equal(m->kind, IDL_MEMBER_ASK);
    assert_string_equal(m->name, "deposit");
    assert_string_equal(m->doc, "Adds to the balance.");
    assert_loc(m->loc, 22, 7);
    assert_field(m->params, IDL_LABEL_NONE, "int64", "cents", 0);
    assert_field(m->params->next, IDL_LABEL_OPTIONAL, "string", "memo", 0);
    assert_true(m->has_type);
    assert_true(m->type.is_scalar);
    assert_int_equal(m->type.scalar, IDL_INT64);
    m = m->next;
    assert_string_equal(m->name, "statement");
    assert_null(m->params);
    assert_ptr_equal(m->type.decl, entry);
    m = m->next;
    assert_string_equal(m->name, "close");
    assert_false(m->has_type);
    m = m->next;
    assert_int_equal(m->kind, IDL_MEMBER_TELL);
    assert_field(m->params, IDL_LABEL_REPEATED, "string", "lines", 0);
    assert_false(m->has_type);
    m = m->next;
    assert_int_equal(m->kind, IDL_MEMBER_PROPERTY);
    assert_string_equal(m->name, "peer");
    assert_true(m->has_type);
    assert_ptr_equal(m->type.decl, account);
    assert_null(m->next);
    assert_null(account->next);
    idl_program_free(p);
}

static void test_doc_comments(void **state) {
    (void)state;
    idl_program *p;
    idl_file *f = load(&p,
                       "/** The file's own header: ignored without a warning. */\n"
                       "package d;\n"
                       "/// First line.\n"
                       "///   indented\n"
                       "///\n"
                       "/// After a blank line.   \n"
                       "message A {\n"
                       "  /**\n"
                       "   * Block, decorated.\n"
                       "   * Second line.\n"
                       "   */\n"
                       "  int32 x = 1;\n"
                       "  //// four slashes: an ordinary comment\n"
                       "  /*** a ruler, not a doc comment ***/\n"
                       "  /** one line */ repeated int32 y = 2;\r\n"
                       "}\n"
                       "enum E {\n"
                       "  /// zero\n"
                       "  Z = 0;\n"
                       "}\n"
                       "actor B(/// spawn parameter\n int32 s) {\n"
                       "  /// a tell\n"
                       "  tell t(/** param */ optional int32 a);\n"
                       "  /// a property\n"
                       "  property int32 q;\n"
                       "}\n",
                       0);
    assert_int_equal(idl_program_error_count(p), 0);
    const idl_decl *a = f->decls;
    assert_string_equal(a->doc, "First line.\n  indented\n\nAfter a blank line.");
    assert_string_equal(a->fields->doc, "Block, decorated.\nSecond line.");
    assert_string_equal(a->fields->next->doc, "one line");
    assert_string_equal(a->next->values->doc, "zero");
    const idl_decl *b = a->next->next;
    assert_null(b->doc);
    assert_string_equal(b->spawn_params->doc, "spawn parameter");
    assert_string_equal(b->members->doc, "a tell");
    assert_string_equal(b->members->params->doc, "param");
    assert_string_equal(b->members->next->doc, "a property");
    idl_program_free(p);
}

static void test_lexical_corners(void **state) {
    (void)state;
    idl_program *p;
    /* Tabs count one column, CRLF ends lines, a negative hex enum value. */
    idl_file *f = load(&p,
                       "package a.b.c;\r\n"
                       "enum E {\tZERO = 0;\tNEG = -0x10; MIN = -2147483648; }\r\n"
                       "message\tM\t{ a.b.c.E e = 1; E f = 0x1F; }\r\n",
                       0);
    assert_string_equal(f->package, "a.b.c");
    const idl_enum_value *v = f->decls->values;
    assert_loc(v->loc, 2, 10);
    assert_int_equal(v->next->value, -16);
    assert_int_equal(v->next->next->value, -2147483648LL);
    const idl_decl *m = f->decls->next;
    assert_loc(m->loc, 3, 9);
    assert_ptr_equal(m->fields->type.decl, f->decls);
    assert_int_equal(m->fields->next->number, 31);
    idl_program_free(p);
}

static void test_string_escapes(void **state) {
    (void)state;
    idl_program *p = idl_program_new(NULL);
    static const char text[] = "package s;\nimport \"q\\\"\\\\\\n\\t.actor\";\n";
    idl_file *f = idl_program_load_text(p, "t.actor", text, sizeof text - 1);
    assert_string_equal(f->imports->path, "q\"\\\n\t.actor");
    assert_null(f->imports->file); /* no such file: one error */
    assert_int_equal(idl_program_check(p), 1);
    idl_program_free(p);
}

static void test_empty_bodies(void **state) {
    (void)state;
    idl_program *p;
    idl_file *f = load(&p, "package e; message M {} actor A {} actor B() {}", 0);
    assert_null(f->decls->fields);
    assert_null(f->decls->next->spawn_params);
    assert_null(f->decls->next->members);
    assert_null(f->decls->next->next->spawn_params);
    idl_program_free(p);
}

static char *append(char *s, size_t *len, size_t *cap, const char *fmt, long a, long b) {
    char piece[256];
    size_t n = (size_t)snprintf(piece, sizeof piece, fmt, a, b);
    while (*len + n + 1 > *cap)
        s = realloc(s, *cap = *cap ? *cap * 2 : 4096);
    memcpy(s + *len, piece, n + 1);
    *len += n;
    return s;
}

/* A megabyte of declarations, a message with 50000 fields, a 100000-part name:
 * nothing here may recurse per element or grow quadratically. */
static void test_large_inputs(void **state) {
    (void)state;
    size_t len = 0, cap = 0;
    char *s = append(NULL, &len, &cap, "package big;\n", 0, 0);
    long decls = 0;
    for (; len < 1000000; decls++)
        s = append(s, &len, &cap,
                   "/// Message %ld.\nmessage M%ld { int32 a = 1; repeated string b = 2; }\n",
                   decls, decls);
    s = append(s, &len, &cap, "message Wide {\n", 0, 0);
    for (long i = 1; i <= 50000; i++) {
        s = append(s, &len, &cap, "  M%ld f%ld = ", i % decls, i);
        s = append(s, &len, &cap, "%ld;\n", i < 19000 ? i : i + 1000, 0); /* protobuf's range */
    }
    s = append(s, &len, &cap, "}\nactor Many(", 0, 0);
    for (long i = 0; i < 50000; i++)
        s = append(s, &len, &cap, i ? ", int32 p%ld" : "int32 p%ld", i, 0);
    s = append(s, &len, &cap, ") {}\nmessage Deep { x", 0, 0);
    for (long i = 0; i < 100000; i++)
        s = append(s, &len, &cap, ".x", 0, 0);
    s = append(s, &len, &cap, " d = 1; }\n", 0, 0);

    idl_program *p = idl_program_new(NULL);
    idl_file *f = idl_program_load_text(p, "big.actor", s, len);
    assert_int_equal(idl_program_check(p), 1); /* unknown type x.x.x... */
    long n = 0;
    const idl_decl *last = NULL;
    for (const idl_decl *d = f->decls; d; d = d->next, n++)
        last = d;
    assert_int_equal(n, decls + 3); /* Wide, Many, Deep */
    assert_string_equal(last->name, "Deep");
    idl_program_free(p);
    free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bank),
        cmocka_unit_test(test_doc_comments),
        cmocka_unit_test(test_lexical_corners),
        cmocka_unit_test(test_string_escapes),
        cmocka_unit_test(test_empty_bodies),
        cmocka_unit_test(test_large_inputs),
    };
    return cmocka_run_group_tests_name("idl_parse", tests, NULL, NULL);
}
