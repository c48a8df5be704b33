/* The one place that formats diagnostics, as gcc does:
 *
 *     file:line:col: error: message
 *     the source line
 *         ^
 *
 * The caret line copies the tabs of the source line so the caret lines up
 * whatever the tab width. Diagnostics without a location (a file given on the
 * command line cannot be read) start with "tactc: " instead. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Longer lines are shown as a window around the column: a minified 1 MB line
 * must not be printed once per diagnostic. */
enum { LINE_WINDOW = 160 };

static idl_source *find_source(idl_program *p, const char *path) {
    for (idl_file *f = p->files; f; f = f->next)
        if (f->path == path)
            return idl_source_of(f);
    for (idl_file *f = p->files; f; f = f->next)
        if (strcmp(f->path, path) == 0)
            return idl_source_of(f);
    return NULL;
}

static void index_lines(idl_source *s) {
    size_t count = 1;
    for (const char *c = s->text; (c = memchr(c, '\n', s->len - (size_t)(c - s->text))); c++)
        count++;
    s->line_starts = idl_xmalloc(count * sizeof *s->line_starts);
    s->line_count = 0;
    s->line_starts[s->line_count++] = 0;
    for (size_t i = 0; i < s->len; i++)
        if (s->text[i] == '\n')
            s->line_starts[s->line_count++] = i + 1;
}

/* Prints the line so that each character takes one column: valid UTF-8 passes,
 * control and other non-text bytes become '?'. With caret set, prints instead the
 * padding that puts a caret under byte `upto`. */
static void print_line(idl_buf *out, const unsigned char *s, size_t len, size_t upto, int caret) {
    size_t end = caret ? upto : len;
    for (size_t i = 0; i < end; i++) {
        size_t n = s[i] >= 0x80 ? idl_utf8_seq(s + i, len - i) : 1;
        if (s[i] == '\t')
            idl_buf_addc(out, '\t');
        else if (caret)
            idl_buf_addc(out, ' ');
        else if (s[i] < 0x20 || s[i] == 0x7f || n == 0)
            idl_buf_addc(out, '?');
        else
            idl_buf_add(out, (const char *)s + i, n);
        if (n > 1)
            i += n - 1;
    }
    if (caret)
        idl_buf_addc(out, '^');
}

static void print_source(idl_source *s, const idl_loc *loc, idl_buf *out) {
    if (loc->line < 1 || loc->col < 1)
        return;
    if (!s->line_starts)
        index_lines(s);
    if ((size_t)loc->line > s->line_count)
        return;
    size_t start = s->line_starts[loc->line - 1];
    size_t end = (size_t)loc->line < s->line_count ? s->line_starts[loc->line] - 1 : s->len;
    size_t len = end - start;
    if (len && s->text[start + len - 1] == '\r')
        len--;
    size_t col = (size_t)loc->col - 1;
    if (col > len)
        col = len;
    const char *before = "", *after = "";
    if (len > LINE_WINDOW) {
        size_t from = col > LINE_WINDOW / 2 ? col - LINE_WINDOW / 2 : 0;
        if (from + LINE_WINDOW > len)
            from = len - LINE_WINDOW;
        before = from ? "..." : "";
        after = from + LINE_WINDOW < len ? "..." : "";
        start += from;
        col -= from;
        len = LINE_WINDOW;
    }
    const unsigned char *line = (const unsigned char *)s->text + start;
    idl_buf_adds(out, before);
    print_line(out, line, len, 0, 0);
    idl_buf_adds(out, after);
    idl_buf_adds(out, *before ? "\n   " : "\n");
    print_line(out, line, len, col, 1);
    idl_buf_addc(out, '\n');
}

/* gcc's include trace: a diagnostic in an imported file is led by the chain of
 * imports that loaded it, printed again only when the file changes. */
static void print_import_chain(idl_program *p, const idl_source *s, idl_buf *out) {
    if (s == p->last_context)
        return;
    p->last_context = s;
    const char *lead = "In file imported from ";
    for (const idl_source *at = s; at && at->importer; at = at->importer) {
        idl_buf_printf(out, "%s%s:%d%s\n", lead, at->import_loc.file, at->import_loc.line,
                       at->importer->importer ? "," : ":");
        lead = "                 from ";
    }
}

/* Each diagnostic is built in memory and written at once: stderr is unbuffered,
 * and thousands of diagnostics must not cost a system call per character. A
 * location with a file but no line is about the whole file ("file: error: ..."). */
static void format(idl_program *p, const char *severity, const idl_loc *loc, const char *fmt,
                   va_list ap, int last) {
    idl_buf out = {0};
    idl_source *s = loc && loc->file ? find_source(p, loc->file) : NULL;
    if (s)
        print_import_chain(p, s, &out);
    else
        p->last_context = NULL;
    if (loc && loc->file && loc->line > 0)
        idl_buf_printf(&out, IDL_LOC_FMT ": %s: ", IDL_LOC_ARGS(*loc), severity);
    else if (loc && loc->file)
        idl_buf_printf(&out, "%s: %s: ", loc->file, severity);
    else
        idl_buf_printf(&out, "tactc: %s: ", severity);
    idl_buf_vprintf(&out, fmt, ap);
    idl_buf_addc(&out, '\n');
    if (s)
        print_source(s, loc, &out);
    if (last)
        idl_buf_printf(&out,
                       "tactc: fatal error: too many errors (%d), stopping now "
                       "(--max-errors=N changes the limit, 0: none)\n",
                       p->max_errors);
    fwrite(out.data, 1, out.len, p->out);
    free(out.data);
}

void idl_vreport(idl_program *p, const char *severity, const idl_loc *loc, const char *fmt,
                 va_list ap) {
    if (p->stopped)
        return;
    int error = strcmp(severity, "error") == 0;
    if (error)
        p->errors++;
    int last = error && p->max_errors && p->errors >= p->max_errors;
    if (p->out)
        format(p, severity, loc, fmt, ap, last);
    p->stopped = last;
}

void idl_program_error(idl_program *p, idl_loc loc, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    idl_vreport(p, "error", &loc, fmt, ap);
    va_end(ap);
}

void idl_program_warning(idl_program *p, idl_loc loc, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    idl_vreport(p, "warning", &loc, fmt, ap);
    va_end(ap);
}

void idl_error_noloc(idl_program *p, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    idl_vreport(p, "error", NULL, fmt, ap);
    va_end(ap);
}
