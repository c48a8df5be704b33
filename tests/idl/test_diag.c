/* The exact diagnostic format: location, message, source line and caret. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "idl.h"

/* Loads and checks text as "d.actor"; returns everything printed. The
 * stream writes into the caller's variables (gcc 12 at -O3 takes a stream
 * over this function's locals for a dangling pointer once it is inlined). */
static char *diagnose_into(const char *text, size_t len, char **out, size_t *out_len) {
    FILE *diag = open_memstream(out, out_len);
    idl_program *p = idl_program_new(diag);
    idl_program_load_text(p, "d.actor", text, len);
    idl_program_check(p);
    idl_program_free(p);
    fclose(diag);
    return *out;
}

#define diagnose(text, len) diagnose_into(text, len, &(char *){NULL}, &(size_t){0})

static void expect(const char *text, const char *expected) {
    char *out = diagnose(text, strlen(text));
    assert_string_equal(out, expected);
    free(out);
}

static void test_caret_under_column(void **state) {
    (void)state;
    expect("package p;\nmessage M {\n  Mony x = 1;\n}\n",
           "d.actor:3:3: error: unknown type 'Mony'\n"
           "  Mony x = 1;\n"
           "  ^\n");
}

/* Tabs stay tabs in the caret line, so it lines up at any tab width. */
static void test_tabs(void **state) {
    (void)state;
    expect("package p;\nmessage M {\n\tint32\tx = 1;\n\t \tMony\ty = 2;\n}\n",
           "d.actor:4:4: error: unknown type 'Mony'\n"
           "\t \tMony\ty = 2;\n"
           "\t \t^\n");
}

/* A multi-byte character takes one column; control bytes show as '?'. */
static void test_utf8_and_control_bytes(void **state) {
    (void)state;
    expect("package p;\nmessage M { /* d\xc3\xa9j\xc3\xa0 */ Mony x = 1; }\x01\n",
           "d.actor:2:39: error: stray byte 0x01 in input\n"
           "message M { /* d\xc3\xa9j\xc3\xa0 */ Mony x = 1; }?\n"
           "                                    ^\n"
           "d.actor:2:26: error: unknown type 'Mony'\n"
           "message M { /* d\xc3\xa9j\xc3\xa0 */ Mony x = 1; }?\n"
           "                       ^\n");
}

static void test_crlf_and_end_of_file(void **state) {
    (void)state;
    expect("package p;\r\nmessage M {\r\n", "d.actor:3:1: error: expected '}' at end of file\n"
                                            "\n"
                                            "^\n");
    expect("", "d.actor:1:1: error: missing package declaration ('package name;' comes first)\n"
               "\n"
               "^\n");
}

/* A very long line is shown as a window around the column. */
static void test_long_line(void **state) {
    (void)state;
    char text[1200];
    int n = snprintf(text, sizeof text, "package p; message M {");
    while (n < 1000)
        text[n++] = ' ';
    snprintf(text + n, sizeof text - (size_t)n, "Mony x = 1; }                        ");
    char *out = diagnose(text, strlen(text));
    const char *line = strchr(out, '\n') + 1;
    const char *caret = strchr(line, '\n') + 1;
    assert_memory_equal(out, "d.actor:1:1001: error: unknown type 'Mony'\n", 43);
    assert_memory_equal(line, "...", 3);
    assert_true(strchr(line, '\n') - line < 200);
    assert_int_equal(strchr(line, 'M') - line, strchr(caret, '^') - caret);
    free(out);
}

/* What back ends use: errors count, warnings do not, a location without a
 * file prints no source. */
static void test_program_error(void **state) {
    (void)state;
    char *out = NULL;
    size_t out_len = 0;
    FILE *diag = open_memstream(&out, &out_len);
    idl_program *p = idl_program_new(diag);
    static const char text[] = "package p;\nmessage default { int32 x = 1; }\n";
    idl_file *f = idl_program_load_text(p, "d.actor", text, sizeof text - 1);
    assert_int_equal(idl_program_check(p), 0);
    idl_program_warning(p, f->decls->fields->loc, "field '%s' looks odd", "x");
    assert_int_equal(idl_program_error_count(p), 0);
    idl_program_error(p, f->decls->loc, "'%s' is a C keyword", f->decls->name);
    idl_program_error(p, (idl_loc){NULL, 0, 0}, "no location");
    assert_int_equal(idl_program_error_count(p), 2);
    idl_program_free(p);
    fclose(diag);
    assert_string_equal(out, "d.actor:2:25: warning: field 'x' looks odd\n"
                             "message default { int32 x = 1; }\n"
                             "                        ^\n"
                             "d.actor:2:9: error: 'default' is a C keyword\n"
                             "message default { int32 x = 1; }\n"
                             "        ^\n"
                             "tactc: error: no location\n");
    free(out);
}

/* After the limit: the error that reaches it, one line saying so, then silence;
 * later loads and checks do nothing (a binary file must not print for seconds). */
static void test_max_errors(void **state) {
    (void)state;
    char *out = NULL;
    size_t out_len = 0;
    FILE *diag = open_memstream(&out, &out_len);
    idl_program *p = idl_program_new(diag);
    idl_program_set_max_errors(p, 2);
    static const char text[] = "package p\n/// dangling\n;\n@\n$\n%\n&\nmessage M { X x = 1; }\n";
    assert_non_null(idl_program_load_text(p, "d.actor", text, sizeof text - 1));
    assert_null(idl_program_load_text(p, "e.actor", "@", 1));
    assert_int_equal(idl_program_check(p), 2);
    idl_program_error(p, (idl_loc){NULL, 0, 0}, "not printed");
    assert_int_equal(idl_program_error_count(p), 2);
    idl_program_free(p);
    fclose(diag);
    assert_string_equal(out, "d.actor:2:1: warning: doc comment is not followed by a "
                             "declaration, field, enum value or member; ignored\n"
                             "/// dangling\n"
                             "^\n"
                             "d.actor:4:1: error: stray '@' in input\n"
                             "@\n"
                             "^\n"
                             "d.actor:5:1: error: stray '$' in input\n"
                             "$\n"
                             "^\n"
                             "tactc: fatal error: too many errors (2), stopping now "
                             "(--max-errors=N changes the limit, 0: none)\n");
    free(out);
}

/* A file that is not text: one diagnostic about the file, no source line. */
static void test_not_text(void **state) {
    (void)state;
    static const char text[] = "package p;\nmessage M {}\n\0\x01\x02@@@";
    char *out = diagnose(text, sizeof text - 1);
    assert_string_equal(out, "d.actor: error: not a text file (NUL byte at offset 24)\n");
    free(out);
}

static void test_silent_program(void **state) {
    (void)state;
    idl_program *p = idl_program_new(NULL);
    idl_program_load_text(p, "d.actor", "message", 7);
    assert_int_equal(idl_program_check(p), 2);
    idl_program_free(p);
    idl_program_free(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_caret_under_column),
        cmocka_unit_test(test_tabs),
        cmocka_unit_test(test_utf8_and_control_bytes),
        cmocka_unit_test(test_crlf_and_end_of_file),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_program_error),
        cmocka_unit_test(test_max_errors),
        cmocka_unit_test(test_not_text),
        cmocka_unit_test(test_silent_program),
    };
    return cmocka_run_group_tests_name("idl_diag", tests, NULL, NULL);
}
