/* Loading files from disk: search order, the same file reached by two paths,
 * cycles, unreadable roots. Runs in the imports/ fixture folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "idl.h"

typedef struct run {
    idl_program *p;
    FILE *diag;
    char *output;
    size_t output_len;
} run;

static void start(run *r) {
    memset(r, 0, sizeof *r);
    r->diag = open_memstream(&r->output, &r->output_len);
    r->p = idl_program_new(r->diag);
    assert_non_null(r->p);
}

/* Ends the run; it must have printed exactly expected. */
static void finish(run *r, const char *expected) {
    idl_program_free(r->p);
    fclose(r->diag);
    assert_string_equal(r->output, expected);
    free(r->output);
}

static int file_count(const idl_program *p) {
    int n = 0;
    for (const idl_file *f = idl_program_files(p); f; f = f->next)
        n++;
    return n;
}

static void test_search_and_identity(void **state) {
    (void)state;
    run r;
    start(&r);
    idl_program_add_include_dir(r.p, "inc");
    idl_program_add_include_dir(r.p, "inc2");
    idl_program_add_include_dir(r.p, ".");
    idl_file *bank = idl_program_load(r.p, "bank.actor");
    assert_non_null(bank);
    assert_int_equal(idl_program_check(r.p), 0);

    /* Load order: the root, then each import depth first; money.actor once. */
    const idl_file *f = idl_program_files(r.p);
    assert_ptr_equal(f, bank);
    assert_string_equal(f->next->path, "money.actor");
    assert_string_equal(f->next->next->path, "inc/ledger.actor");
    assert_string_equal(f->next->next->next->path, "inc/dup.actor");
    assert_int_equal(file_count(r.p), 4);

    const idl_import *i = bank->imports;
    assert_string_equal(i->path, "money.actor");
    assert_string_equal(i->next->path, "sub/../money.actor");
    assert_ptr_equal(i->file, i->next->file);
    const idl_file *ledger = i->next->next->file;
    assert_string_equal(ledger->package, "ledger");
    assert_ptr_equal(ledger->imports->file, i->file); /* found through "." */
    assert_string_equal(i->next->next->next->file->package, "first");

    const idl_field *found = bank->decls->fields->next->next;
    assert_string_equal(found->type.decl->file->path, "inc/dup.actor");
    finish(&r, "");
}

static void test_load_twice(void **state) {
    (void)state;
    run r;
    start(&r);
    idl_file *a = idl_program_load(r.p, "money.actor");
    assert_ptr_equal(idl_program_load(r.p, "./money.actor"), a);
    assert_ptr_equal(idl_program_load(r.p, "sub/../money.actor"), a);
    assert_int_equal(file_count(r.p), 1);
    assert_int_equal(idl_program_check(r.p), 0);
    finish(&r, "");
}

static void test_missing_root(void **state) {
    (void)state;
    run r;
    start(&r);
    assert_null(idl_program_load(r.p, "nope.actor"));
    assert_null(idl_program_load(r.p, "inc"));
    assert_int_equal(idl_program_error_count(r.p), 2);
    assert_int_equal(idl_program_check(r.p), 2);
    finish(&r, "tactc: error: cannot read 'nope.actor': No such file or directory\n"
               "tactc: error: cannot read 'inc': Is a directory\n");
}

static void test_cycle(void **state) {
    (void)state;
    run r;
    start(&r);
    idl_file *a = idl_program_load(r.p, "cycle_a.actor");
    assert_non_null(a);
    const idl_file *b = a->imports->file;
    assert_non_null(b);
    assert_ptr_equal(b->imports->file, a);
    assert_int_equal(idl_program_check(r.p), 1);
    finish(&r, "In file imported from cycle_a.actor:2:\n"
               "cycle_b.actor:2:8: error: import cycle: cycle_a.actor -> "
               "cycle_b.actor -> cycle_a.actor\n"
               "import \"cycle_a.actor\";\n"
               "       ^\n");
}

/* In-memory text still finds its imports on disk, beside its given path. */
static void test_text_imports_from_disk(void **state) {
    (void)state;
    run r;
    start(&r);
    static const char text[] = "package t;\nimport \"money.actor\";\n"
                               "message M { money.Money m = 1; }\n";
    idl_file *t = idl_program_load_text(r.p, "t.actor", text, sizeof text - 1);
    assert_string_equal(t->imports->file->package, "money");
    assert_int_equal(idl_program_check(r.p), 0);
    assert_ptr_equal(t->decls->fields->type.decl, t->imports->file->decls->next);
    finish(&r, "");
}

int main(int argc, char **argv) {
    if (argc != 2 || chdir(argv[1]) != 0) {
        fprintf(stderr, "usage: %s IMPORTS_DIR\n", argv[0]);
        return 2;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_search_and_identity),    cmocka_unit_test(test_load_twice),
        cmocka_unit_test(test_missing_root),           cmocka_unit_test(test_cycle),
        cmocka_unit_test(test_text_imports_from_disk),
    };
    return cmocka_run_group_tests_name("idl_imports", tests, NULL, NULL);
}
