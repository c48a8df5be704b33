/* tactc: the command line. Loads and checks .actor files with the idl library,
 * then runs the chosen back ends on each file named on the command line. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check_c.h"
#include "emit.h"
#include "idl.h"

#ifndef TACT_VERSION
#define TACT_VERSION "unknown"
#endif

enum { EMIT_C = 1, EMIT_PROTO = 2, EMIT_DOT = 4 };

/* clang's -ferror-limit: enough to fix a round of mistakes, and a binary file
 * given by mistake cannot flood the terminal. */
enum { DEFAULT_MAX_ERRORS = 20 };

static const char usage[] =
    "usage: tactc [-I DIR]... [-o OUTDIR] [--emit c,proto,dot] [-M DEPFILE]\n"
    "             [--max-errors=N] FILE.actor...\n"
    "\n"
    "Compiles .actor files into C (FILE.tact.h, FILE.tact.c), protobuf (FILE.proto)\n"
    "and, on request, a Graphviz picture (FILE.dot).\n"
    "\n"
    "  -I DIR            look for imports in DIR (after the importing file's folder)\n"
    "  -o OUTDIR         write the generated files there (default: .)\n"
    "  --emit LIST       what to generate, comma-separated: c, proto, dot (default: c,proto)\n"
    "  -M DEPFILE        also write a make-style dependency file: the outputs depend\n"
    "                    on each input and everything it imports\n"
    "  --max-errors=N    stop after N errors (default: 20; 0: no limit)\n"
    "  -h, --help        show this text\n"
    "  --version         show the version\n"
    "\n"
    "Exit status: 0 on success, 1 on errors in the input, 2 on bad usage.\n";

static int parse_emit(const char *list) {
    int mask = 0;
    char *copy = xstrdup(list);
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (!strcmp(tok, "c"))
            mask |= EMIT_C;
        else if (!strcmp(tok, "proto"))
            mask |= EMIT_PROTO;
        else if (!strcmp(tok, "dot"))
            mask |= EMIT_DOT;
        else {
            fprintf(stderr, "tactc: error: unknown --emit kind '%s' (expected c, proto or dot)\n", tok);
            mask = -1;
            break;
        }
    }
    free(copy);
    if (mask == 0)
        fputs("tactc: error: --emit needs at least one of c, proto, dot\n", stderr);
    return mask ? mask : -1;
}

static int write_output(const char *dir, const char *name, char *text, buf *deps_targets) {
    char *path = xasprintf("%s/%s", dir, name);
    int rc = write_if_changed(path, text, strlen(text));
    if (rc != 0)
        fprintf(stderr, "tactc: error: cannot write '%s': %s\n", path, strerror(errno));
    else if (deps_targets)
        buf_printf(deps_targets, "%s ", path);
    free(path);
    free(text);
    return rc;
}

/* A path in a make rule: spaces, '#' and '$' escaped. */
static void dep_path(buf *b, const char *path) {
    for (const char *p = path; *p; p++) {
        if (*p == ' ' || *p == '#' || *p == '\\')
            buf_puts(b, "\\");
        if (*p == '$')
            buf_puts(b, "$");
        buf_printf(b, "%c", *p);
    }
}

/* mkdir -p: the output folder may not exist yet. Returns 0 or -1 with errno. */
static int make_dirs(const char *path) {
    char *p = xstrdup(path);
    int rc = 0;
    for (char *c = p + 1; rc == 0; c++) {
        if (*c != '/' && *c != 0)
            continue;
        char end = *c;
        *c = 0;
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            rc = -1;
        *c = end;
        if (!end)
            break;
    }
    free(p);
    return rc;
}

static char *stem_of(const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char *s = xstrdup(base);
    char *dot = strrchr(s, '.');
    if (dot && dot != s)
        *dot = 0;
    return s;
}

/* Bad usage: one "tactc: error:" line (getopt's own messages would start with
 * argv[0], a path), a pointer to --help, exit status 2. */
static int usage_error(idl_program *p, const char *fmt, const char *what) {
    fputs("tactc: error: ", stderr);
    fprintf(stderr, fmt, what);
    fputs(" (see tactc --help)\n", stderr);
    idl_program_free(p);
    return 2;
}

/* --max-errors=N: a decimal count, 0 for no limit. */
static int parse_max_errors(const char *arg) {
    if (!isdigit((unsigned char)arg[0])) /* strtol would take spaces and signs */
        return -1;
    char *end;
    errno = 0;
    long n = strtol(arg, &end, 10);
    return *end || errno || n > INT_MAX ? -1 : (int)n;
}

int main(int argc, char **argv) {
    static const struct option longopts[] = {
        {"emit", required_argument, NULL, 'e'},
        {"max-errors", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *outdir = ".", *depfile = NULL;
    int emit = EMIT_C | EMIT_PROTO;
    idl_program *p = idl_program_new(stderr);
    if (!p) {
        fputs("tactc: error: out of memory\n", stderr);
        return 1;
    }
    idl_program_set_max_errors(p, DEFAULT_MAX_ERRORS);
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, ":I:o:M:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'I': idl_program_add_include_dir(p, optarg); break;
        case 'o': outdir = optarg; break;
        case 'M': depfile = optarg; break;
        case 'e':
            if ((emit = parse_emit(optarg)) < 0) {
                idl_program_free(p);
                return 2;
            }
            break;
        case 'm': {
            int max = parse_max_errors(optarg);
            if (max < 0)
                return usage_error(p, "--max-errors needs a count of errors (0: no limit), not '%s'",
                                   optarg);
            idl_program_set_max_errors(p, max);
            break;
        }
        case 'h':
            fputs(usage, stdout);
            idl_program_free(p);
            return 0;
        case 'V':
            printf("tactc %s\n", TACT_VERSION);
            idl_program_free(p);
            return 0;
        case ':':
            return usage_error(p, "option '%s' needs an argument", argv[optind - 1]);
        default: {
            /* getopt sets optopt to an unknown short option's letter; for a long
             * option (or one of ours given a value it does not take) the
             * argument itself names it. */
            char name[] = {'-', (char)optopt, 0};
            bool short_opt = optopt && !strchr("IoMhemV", optopt);
            return usage_error(p, "unknown option '%s'", short_opt ? name : argv[optind - 1]);
        }
        }
    }
    if (optind == argc)
        return usage_error(p, "%s", "no input files");
    int nroots = argc - optind;
    idl_file **roots = calloc((size_t)nroots, sizeof *roots);
    if (!roots)
        abort();
    for (int i = 0; i < nroots; i++)
        roots[i] = idl_program_load(p, argv[optind + i]);
    if (idl_program_check(p) == 0)
        check_c_program(p);
    int status = idl_program_error_count(p) ? 1 : 0;

    /* Two inputs named alike would write over each other's outputs. */
    for (int i = 0; i < nroots && status == 0; i++)
        for (int j = 0; j < i && roots[i]; j++) {
            if (!roots[j] || roots[j] == roots[i])
                continue;
            char *a = stem_of(roots[i]->path), *b = stem_of(roots[j]->path);
            if (!strcmp(a, b)) {
                fprintf(stderr, "tactc: error: '%s' and '%s' would write the same files (%s.*): "
                                "rename one\n", roots[j]->path, roots[i]->path, a);
                status = 1;
            }
            free(a);
            free(b);
        }
    if (status == 0 && make_dirs(outdir) != 0) {
        fprintf(stderr, "tactc: error: cannot create '%s': %s\n", outdir, strerror(errno));
        status = 1;
    }

    buf targets = {0};
    for (int i = 0; i < nroots && status == 0; i++) {
        if (!roots[i])
            continue;
        gen_file *g = gen_file_new(roots[i]);
        char *stem = stem_of(roots[i]->path);
        char *name;
        if (emit & EMIT_C) {
            name = xasprintf("%s.tact.h", stem);
            status |= write_output(outdir, name, emit_c_header(g), &targets) ? 1 : 0;
            free(name);
            name = xasprintf("%s.tact.c", stem);
            status |= write_output(outdir, name, emit_c_source(g), &targets) ? 1 : 0;
            free(name);
        }
        if (emit & EMIT_PROTO) {
            name = emit_proto_path_of(roots[i]);
            status |= write_output(outdir, name, emit_proto(g), &targets) ? 1 : 0;
            free(name);
        }
        if (emit & EMIT_DOT) {
            name = xasprintf("%s.dot", stem);
            status |= write_output(outdir, name, emit_dot(g), &targets) ? 1 : 0;
            free(name);
        }
        free(stem);
        gen_file_free(g);
    }

    /* The .proto of every imported file too: protoc-c needs them to resolve the
     * imports, and they may belong to another build step (or target). */
    if (emit & EMIT_PROTO)
        for (idl_file *f = idl_program_files(p); f && status == 0; f = f->next) {
            bool root = false;
            for (int i = 0; i < nroots; i++)
                root = root || roots[i] == f;
            if (root)
                continue;
            gen_file *g = gen_file_new(f);
            char *name = emit_proto_path_of(f);
            status |= write_output(outdir, name, emit_proto(g), NULL) ? 1 : 0;
            free(name);
            gen_file_free(g);
        }

    if (depfile && status == 0) {
        /* Every output depends on every file loaded: the inputs and all they import. */
        buf d = {0};
        for (char *t = strtok(targets.data ? targets.data : (char *)"", " "); t; t = strtok(NULL, " ")) {
            dep_path(&d, t);
            buf_puts(&d, " ");
        }
        buf_puts(&d, ":");
        for (idl_file *f = idl_program_files(p); f; f = f->next) {
            buf_puts(&d, " \\\n  ");
            dep_path(&d, f->path);
        }
        buf_puts(&d, "\n");
        if (write_if_changed(depfile, d.data, d.len) != 0) {
            fprintf(stderr, "tactc: error: cannot write '%s': %s\n", depfile, strerror(errno));
            status = 1;
        }
        buf_free(&d);
    }
    buf_free(&targets);
    free(roots);
    idl_program_free(p);
    return status;
}
