/* Runs the table of broken inputs: every errors/NAME.expected names a case whose
 * input is errors/NAME.actor. The input is loaded from disk (beside it, errors/
 * include/ is on the include path) and checked; the diagnostic lines it produces
 * ("file:line:col: error: ...", "file: error: ..." and the import chains before
 * them; source and caret lines left out) must equal the
 * non-comment lines of NAME.expected, in order. Adding a case needs no C. */
#include <dirent.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "idl.h"

static char *read_text(const char *path) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, n, out);
    fclose(f);
    fclose(out);
    return text;
}

/* The header lines of the diagnostics in output, with the import chains that lead
 * them ("In file imported from a.actor:2:"). */
static char *diagnostic_lines(const char *output) {
    regex_t header;
    assert_int_equal(regcomp(&header,
                             "^([^ \t]+(:[0-9]+:[0-9]+)?: (fatal error|error|warning|note): |"
                             "In file imported from |                 from )",
                             REG_EXTENDED | REG_NOSUB),
                     0);
    char *lines = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&lines, &len);
    for (const char *line = output; *line;) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        char *copy = strndup(line, n);
        if (regexec(&header, copy, 0, NULL, 0) == 0)
            fprintf(out, "%s\n", copy);
        free(copy);
        line += n + (nl != NULL);
    }
    fclose(out);
    regfree(&header);
    return lines;
}

/* The expected file without blank and '#' comment lines. */
static char *expected_lines(const char *text) {
    char *lines = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&lines, &len);
    for (const char *line = text; *line;) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        if (n > 0 && line[0] != '#')
            fprintf(out, "%.*s\n", (int)n, line);
        line += n + (nl != NULL);
    }
    fclose(out);
    return lines;
}

static void run_case(void **state) {
    const char *name = *state;
    char path[512];
    char *output = NULL;
    size_t output_len = 0;
    FILE *diag = open_memstream(&output, &output_len);
    idl_program *p = idl_program_new(diag);
    idl_program_add_include_dir(p, "include");
    snprintf(path, sizeof path, "%s.actor", name);
    idl_program_load(p, path);
    int errors = idl_program_check(p);
    idl_program_free(p);
    fclose(diag);

    snprintf(path, sizeof path, "%s.expected", name);
    char *expected_text = read_text(path);
    char *expected = expected_lines(expected_text);
    char *actual = diagnostic_lines(output);
    if (strcmp(expected, actual) != 0)
        print_error("case %s\n--- expected\n%s--- actual\n%s--- full output\n%s", name, expected,
                    actual, output);
    assert_string_equal(expected, actual);
    /* Any expected error means the run must count errors, and the reverse. */
    assert_int_equal(errors > 0, strstr(expected, ": error: ") != NULL);
    free(expected_text);
    free(expected);
    free(actual);
    free(output);
}

static int by_name(const void *a, const void *b) {
    return strcmp(((const struct CMUnitTest *)a)->name, ((const struct CMUnitTest *)b)->name);
}

int main(int argc, char **argv) {
    if (argc != 2 || chdir(argv[1]) != 0) {
        fprintf(stderr, "usage: %s ERRORS_DIR\n", argv[0]);
        return 2;
    }
    DIR *dir = opendir(".");
    if (!dir)
        return 2;
    struct CMUnitTest *tests = NULL;
    size_t count = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        size_t n = strlen(e->d_name);
        const char *suffix = ".expected";
        if (n <= strlen(suffix) || strcmp(e->d_name + n - strlen(suffix), suffix) != 0)
            continue;
        tests = realloc(tests, (count + 1) * sizeof *tests);
        char *name = strndup(e->d_name, n - strlen(suffix));
        tests[count++] =
            (struct CMUnitTest){.name = name, .test_func = run_case, .initial_state = name};
    }
    closedir(dir);
    qsort(tests, count, sizeof *tests, by_name);
    int failed = _cmocka_run_group_tests("idl_errors", tests, count, NULL, NULL);
    for (size_t i = 0; i < count; i++)
        free((char *)tests[i].name);
    free(tests);
    return failed;
}
