/* Reading files and following their imports. A file is identified by device and
 * inode, so one reached by two paths is loaded once. Imports are followed depth
 * first with an explicit stack (an import chain as long as the user likes costs
 * no C stack); a file still on the stack when reached again closes a cycle. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

typedef struct opened {
    idl_source *src; /* NULL: not opened, see missing and why */
    int is_new;      /* read now, not found among the loaded files */
    int missing;     /* no such file: an import goes on searching */
    const char *why;
} opened;

static idl_source *new_source(const char *path, char *text, size_t len) {
    idl_source *s = idl_xcalloc(1, sizeof *s);
    s->file.path = idl_xstrdup(path);
    s->text = text;
    s->len = len;
    return s;
}

static char *read_all(FILE *in, size_t *len) {
    idl_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
        idl_buf_add(&b, chunk, n);
    if (ferror(in)) {
        free(b.data);
        return NULL;
    }
    *len = b.len;
    return idl_buf_take(&b);
}

/* stat() before fopen(): opening a FIFO or a terminal would block, and reading a
 * device such as /dev/zero would never end. */
static opened open_source(idl_program *p, const char *path) {
    opened r = {0};
    struct stat st;
    if (stat(path, &st) != 0) {
        r.missing = errno == ENOENT || errno == ENOTDIR;
        r.why = strerror(errno);
        return r;
    }
    if (!S_ISREG(st.st_mode)) {
        r.why = S_ISDIR(st.st_mode) ? strerror(EISDIR) : "not a regular file";
        return r;
    }
    for (idl_file *f = p->files; f; f = f->next) {
        idl_source *s = idl_source_of(f);
        if (s->on_disk && s->dev == st.st_dev && s->ino == st.st_ino) {
            r.src = s;
            return r;
        }
    }
    FILE *in = fopen(path, "rb");
    size_t len = 0;
    char *text = in ? read_all(in, &len) : NULL;
    if (!text) {
        r.why = strerror(errno ? errno : EIO);
        if (in)
            fclose(in);
        return r;
    }
    fclose(in);
    r.src = new_source(path, text, len);
    r.src->on_disk = 1;
    r.src->dev = st.st_dev;
    r.src->ino = st.st_ino;
    r.is_new = 1;
    return r;
}

static void add_and_parse(idl_program *p, idl_source *s) {
    *p->files_tail = &s->file;
    p->files_tail = &s->file.next;
    idl_parse_source(p, s);
}

/* The folder part of path with its trailing slash, or "" for a bare file name. */
static size_t dir_len(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path) + 1 : 0;
}

static char *join(const char *dir, size_t len, const char *path) {
    idl_buf b = {0};
    idl_buf_add(&b, dir, len);
    if (len && dir[len - 1] != '/')
        idl_buf_addc(&b, '/');
    idl_buf_adds(&b, path);
    return idl_buf_take(&b);
}

/* Looks beside the importing file, then in each include folder. Reports a file
 * that cannot be found or read at the import's string. */
static opened find_import(idl_program *p, const idl_source *from, const idl_import *imp) {
    idl_buf tried = {0};
    size_t count = imp->path[0] == '/' ? 1 : 1 + p->include_count;
    opened r = {0};
    for (size_t i = 0; i < count && !r.src; i++) {
        char *path = imp->path[0] == '/' ? idl_xstrdup(imp->path)
                     : i == 0
                         ? join(from->file.path, dir_len(from->file.path), imp->path)
                         : join(p->include_dirs[i - 1], strlen(p->include_dirs[i - 1]), imp->path);
        r = open_source(p, path);
        if (!r.src && !r.missing) {
            idl_program_error(p, imp->loc, "cannot read '%s': %s", path, r.why);
            free(path);
            free(tried.data);
            return r;
        }
        idl_buf_adds(&tried, tried.len ? ", '" : "'");
        idl_buf_adds(&tried, path);
        idl_buf_addc(&tried, '\'');
        free(path);
    }
    if (!r.src)
        idl_program_error(p, imp->loc, "cannot find import '%s' (tried %s)", imp->path, tried.data);
    free(tried.data);
    return r;
}

typedef struct frame {
    idl_source *src;
    idl_import *next; /* the next import of src to follow */
} frame;

static void report_cycle(idl_program *p, const frame *stack, size_t depth, idl_source *again,
                         const idl_import *imp) {
    size_t first = depth;
    while (first > 0 && stack[first - 1].src != again)
        first--;
    idl_buf chain = {0};
    for (size_t i = first - 1; i < depth; i++) {
        idl_buf_adds(&chain, stack[i].src->file.path);
        idl_buf_adds(&chain, " -> ");
    }
    idl_buf_adds(&chain, again->file.path);
    idl_program_error(p, imp->loc, "import cycle: %s", chain.data);
    free(chain.data);
}

static void load_imports(idl_program *p, idl_source *root) {
    size_t depth = 0, cap = 16;
    frame *stack = idl_xmalloc(cap * sizeof *stack);
    stack[depth++] = (frame){root, root->file.imports};
    root->loading = 1;
    while (depth > 0 && !p->stopped) {
        frame *top = &stack[depth - 1];
        idl_import *imp = top->next;
        if (!imp) {
            top->src->loading = 0;
            depth--;
            continue;
        }
        top->next = imp->next;
        opened r = find_import(p, top->src, imp);
        if (!r.src)
            continue;
        imp->file = &r.src->file;
        if (r.src->loading) {
            report_cycle(p, stack, depth, r.src, imp);
        } else if (r.is_new) {
            r.src->importer = top->src;
            r.src->import_loc = imp->loc;
            add_and_parse(p, r.src);
            if (depth == cap)
                stack = idl_xrealloc(stack, (cap *= 2) * sizeof *stack);
            stack[depth++] = (frame){r.src, r.src->file.imports};
            r.src->loading = 1;
        }
    }
    free(stack);
}

idl_file *idl_program_load(idl_program *p, const char *path) {
    if (p->stopped)
        return NULL;
    opened r = open_source(p, path);
    if (!r.src) {
        idl_error_noloc(p, "cannot read '%s': %s", path, r.why);
        return NULL;
    }
    if (r.is_new) {
        add_and_parse(p, r.src);
        load_imports(p, r.src);
    }
    return &r.src->file;
}

idl_file *idl_program_load_text(idl_program *p, const char *path, const char *text, size_t len) {
    if (p->stopped)
        return NULL;
    idl_source *s = new_source(path, idl_xstrndup(text, len), len);
    add_and_parse(p, s);
    load_imports(p, s);
    return &s->file;
}
