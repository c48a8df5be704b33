/* The grammar of .actor files: syntax only. It builds the tree of ast.h with a
 * location on every node; what names mean is resolve.c's and check.c's job.
 * It accepts a little more than the language (an item out of order, an enum
 * without values) to report those with a specific message instead of a bare
 * syntax error. Error recovery works at the level of top-level items and of
 * fields, enum values and members, resynchronising on ';' and '}'. */

%define api.pure full
%define api.prefix {idl_yy}
%define api.location.type {idl_loc}
%define parse.error custom
%define parse.lac full
%locations
%param {void *scanner}
%parse-param {idl_parse *ps}
%expect 0

%code requires {
#include "parse.h"

/* A construct's location is that of its first symbol. */
#define YYLLOC_DEFAULT(Cur, Rhs, N) ((Cur) = YYRHSLOC(Rhs, (N) ? 1 : 0))
}

%code provides {
int idl_yylex(IDL_YYSTYPE *val, idl_loc *loc, void *scanner);
}

%code {
#include <stdlib.h>
#include <string.h>

#include "lexer.h"

static void yyerror(idl_loc *loc, void *scanner, idl_parse *ps, const char *msg);
static void on_package(idl_parse *ps, idl_tok *kw, idl_qname *name);
static void on_broken_package(idl_parse *ps, idl_tok *kw, idl_loc loc);
static void on_import(idl_parse *ps, idl_tok *kw, idl_tok *path, idl_loc at, idl_loc loc);
static void on_decl(idl_parse *ps, idl_decl *d, idl_loc at);
static void on_nested(idl_parse *ps, idl_decl *d, const char *outer);
static idl_decl *new_decl(idl_parse *ps, idl_decl_kind kind, idl_tok *kw, idl_tok *name,
                          idl_loc loc);
static idl_enum_value *new_value(idl_parse *ps, idl_tok *name, idl_loc loc, idl_tok *num);
static idl_field *new_param(idl_parse *ps, idl_labeled *label, idl_typed *type, idl_tok *name,
                            idl_loc loc);
static idl_member *new_member(idl_parse *ps, idl_member_kind kind, idl_tok *kw, idl_tok *name,
                              idl_loc loc, idl_field *params, idl_typed *type);
static char *take_name(idl_parse *ps, idl_tok *t);
static void free_keyword(idl_tok *t);
}

%union {
    idl_tok tok;
    idl_qname qname;
    idl_typed type;
    idl_labeled label;
    idl_field *field;
    idl_field_list fields;
    idl_enum_value *value;
    idl_value_list values;
    idl_member *member;
    idl_member_list members;
    idl_decl *decl;
}

%token END 0 "end of file"
%token <tok> IDENT "identifier" STRING "string" INT "integer" SCALAR "scalar type"
%token <tok> PACKAGE "'package'" IMPORT "'import'" ENUM "'enum'" MESSAGE "'message'"
%token <tok> ACTOR "'actor'" ASK "'ask'" TELL "'tell'" PROPERTY "'property'"
%token <tok> REPEATED "'repeated'" OPTIONAL "'optional'"
%token ARROW "'->'"

%type <qname> qname
%type <type> type reply
%type <label> label
%type <field> param field
%type <fields> fields params param_list spawn
%type <value> value
%type <values> values
%type <member> member
%type <members> members
%type <decl> decl

%destructor { free($$.text); free($$.doc.text); } <tok>
%destructor { free($$.text.data); free($$.doc.text); } <qname>
%destructor { free($$.type.qname); free($$.doc.text); } <type>
%destructor { free($$.doc.text); } <label>
%destructor { idl_free_fields($$); } <field>
%destructor { idl_free_fields($$.head); } <fields>
%destructor { idl_free_values($$); } <value>
%destructor { idl_free_values($$.head); } <values>
%destructor { idl_free_members($$); } <member>
%destructor { idl_free_members($$.head); } <members>
%destructor { idl_free_decls($$); } <decl>

%%

file:
  %empty
| file item
;

item:
  PACKAGE qname ';'             { on_package(ps, &$1, &$2); }
| PACKAGE error ';'             { on_broken_package(ps, &$1, @1); }
| IMPORT STRING ';'             { on_import(ps, &$1, &$2, @1, @2); }
| decl                          { on_decl(ps, $1, @1); }
| error ';'
| error '}'
| error decl                    { on_decl(ps, $2, @2); }
;

decl:
  ENUM IDENT '{' values close   { $$ = new_decl(ps, IDL_DECL_ENUM, &$1, &$2, @2);
                                  $$->values = $4.head; }
| MESSAGE IDENT '{' fields close
                                { $$ = new_decl(ps, IDL_DECL_MESSAGE, &$1, &$2, @2);
                                  $$->fields = $4.head; }
| ACTOR IDENT spawn '{' members close
                                { $$ = new_decl(ps, IDL_DECL_ACTOR, &$1, &$2, @2);
                                  $$->spawn_params = $3.head;
                                  $$->members = $5.head; }
;

/* A broken last field, value or member is skipped up to the closing brace.
 * Inside a body, ';' and '}' are reliable places to resume, so the next error is
 * reported even if it comes right after (yyerrok). */
close:
  '}'
| error '}'                     { yyerrok; }
;

values:
  %empty                        { $$ = (idl_value_list){0}; }
| values value                  { $$ = $1; IDL_LIST_APPEND($$, $2); }
| values error ';'              { $$ = $1; yyerrok; }
| values decl                   { $$ = $1; on_nested(ps, $2, "an enum"); }
;

value:
  IDENT '=' INT ';'             { $$ = new_value(ps, &$1, @1, &$3); }
;

fields:
  %empty                        { $$ = (idl_field_list){0}; }
| fields field                  { $$ = $1; IDL_LIST_APPEND($$, $2); }
| fields error ';'              { $$ = $1; yyerrok; }
| fields decl                   { $$ = $1; on_nested(ps, $2, "a message"); }
;

field:
  param '=' INT ';'             { $$ = $1; $$->number = $3.num; idl_drop_doc(ps, &$3.doc); }
;

spawn:
  %empty                        { $$ = (idl_field_list){0}; }
| '(' params ')'                { $$ = $2; }
;

members:
  %empty                        { $$ = (idl_member_list){0}; }
| members member                { $$ = $1; IDL_LIST_APPEND($$, $2); }
| members error ';'             { $$ = $1; yyerrok; }
| members decl                  { $$ = $1; on_nested(ps, $2, "an actor"); }
;

member:
  ASK IDENT '(' params ')' reply ';'
                                { $$ = new_member(ps, IDL_MEMBER_ASK, &$1, &$2, @2, $4.head,
                                                  &$6); }
| TELL IDENT '(' params ')' ';' { $$ = new_member(ps, IDL_MEMBER_TELL, &$1, &$2, @2, $4.head,
                                                  NULL); }
| PROPERTY type IDENT ';'       { $$ = new_member(ps, IDL_MEMBER_PROPERTY, &$1, &$3, @3, NULL,
                                                  &$2); }
;

reply:
  %empty                        { $$ = (idl_typed){0}; }
| ARROW type                    { $$ = $2; }
;

params:
  %empty                        { $$ = (idl_field_list){0}; }
| param_list
;

param_list:
  param                         { $$ = (idl_field_list){$1, $1}; }
| param_list ',' param          { $$ = $1; IDL_LIST_APPEND($$, $3); }
;

param:
  label type IDENT              { $$ = new_param(ps, &$1, &$2, &$3, @3); }
;

label:
  %empty                        { $$ = (idl_labeled){IDL_LABEL_NONE, {0}}; }
| REPEATED                      { $$ = (idl_labeled){IDL_LABEL_REPEATED, $1.doc}; }
| OPTIONAL                      { $$ = (idl_labeled){IDL_LABEL_OPTIONAL, $1.doc}; }
;

type:
  SCALAR                        { $$ = (idl_typed){{.loc = @1, .is_scalar = 1,
                                                    .scalar = (idl_scalar)$1.num}, $1.doc}; }
| qname                         { $$ = (idl_typed){{.loc = $1.loc,
                                                    .qname = idl_buf_take(&$1.text)}, $1.doc}; }
;

qname:
  IDENT                         { $$ = (idl_qname){{0}, @1, $1.doc};
                                  idl_buf_adds(&$$.text, $1.text);
                                  free($1.text); }
| qname '.' IDENT               { $$ = $1;
                                  char *part = take_name(ps, &$3);
                                  idl_buf_addc(&$$.text, '.');
                                  idl_buf_adds(&$$.text, part);
                                  free(part); }
;

%%

void idl_drop_doc(idl_parse *ps, idl_doc *doc) {
    if (!doc->text)
        return;
    idl_program_warning(ps->prog, doc->loc,
                        "doc comment is not followed by a declaration, field, enum value or "
                        "member; ignored");
    free(doc->text);
    doc->text = NULL;
}

static char *take_name(idl_parse *ps, idl_tok *t) {
    idl_drop_doc(ps, &t->doc);
    return t->text;
}

/* A doc comment before 'package' or 'import' is the file's header, which nothing
 * documents: drop it quietly. */
static void free_keyword(idl_tok *t) {
    free(t->doc.text);
}

/* Remembers the first item, where a missing package is reported. */
static void count_item(idl_parse *ps, idl_loc loc) {
    if (ps->items++ == 0)
        ps->first_item = loc;
}

static void on_package(idl_parse *ps, idl_tok *kw, idl_qname *name) {
    idl_file *f = &ps->src->file;
    free_keyword(kw);
    idl_drop_doc(ps, &name->doc);
    char *package = idl_buf_take(&name->text);
    if (f->package) {
        idl_program_error(ps->prog, name->loc,
                          "duplicate package declaration (first declared at " IDL_LOC_FMT ")",
                          IDL_LOC_ARGS(f->package_loc));
        free(package);
    } else {
        if (ps->items > 0 && !ps->package_seen)
            idl_program_error(ps->prog, name->loc,
                              "the package declaration must come first, before imports and "
                              "declarations");
        f->package = package;
        f->package_loc = name->loc;
    }
    ps->package_seen = 1;
    count_item(ps, name->loc);
}

static void on_broken_package(idl_parse *ps, idl_tok *kw, idl_loc loc) {
    free_keyword(kw);
    ps->package_seen = 1;
    count_item(ps, loc);
}

static void on_import(idl_parse *ps, idl_tok *kw, idl_tok *path, idl_loc at, idl_loc loc) {
    free_keyword(kw);
    idl_drop_doc(ps, &path->doc);
    count_item(ps, at);
    if (ps->decl_seen)
        idl_program_error(ps->prog, loc, "imports must come before the declarations");
    if (!path->bad && !*path->text)
        idl_program_error(ps->prog, loc, "empty import path");
    if (path->bad || !*path->text) {
        free(path->text);
        return;
    }
    idl_import *imp = idl_xcalloc(1, sizeof *imp);
    imp->loc = loc;
    imp->path = path->text;
    *ps->import_tail = imp;
    ps->import_tail = &imp->next;
}

static void on_decl(idl_parse *ps, idl_decl *d, idl_loc at) {
    count_item(ps, at);
    ps->decl_seen = 1;
    d->file = &ps->src->file;
    *ps->decl_tail = d;
    ps->decl_tail = &d->next;
}

/* protobuf and C++ nest declarations, so users try it. The nested one is kept as if
 * declared at the top level, where the message says to move it: its uses resolve
 * and its body is checked, so the one mistake gives one diagnostic. */
static void on_nested(idl_parse *ps, idl_decl *d, const char *outer) {
    static const char *const kinds[] = {
        [IDL_DECL_ENUM] = "enum", [IDL_DECL_MESSAGE] = "message", [IDL_DECL_ACTOR] = "actor"};
    idl_program_error(ps->prog, d->loc,
                      "nested declarations are not part of the language: declare %s '%s' at "
                      "the top level of the file, not inside %s",
                      kinds[d->kind], d->name, outer);
    on_decl(ps, d, d->loc);
}

static idl_decl *new_decl(idl_parse *ps, idl_decl_kind kind, idl_tok *kw, idl_tok *name,
                          idl_loc loc) {
    idl_decl *d = idl_xcalloc(1, sizeof *d);
    d->kind = kind;
    d->doc = kw->doc.text;
    d->name = take_name(ps, name);
    d->loc = loc;
    return d;
}

static idl_enum_value *new_value(idl_parse *ps, idl_tok *name, idl_loc loc, idl_tok *num) {
    idl_enum_value *v = idl_xcalloc(1, sizeof *v);
    v->doc = name->doc.text;
    v->name = name->text;
    v->loc = loc;
    v->value = num->num;
    idl_drop_doc(ps, &num->doc);
    return v;
}

/* The doc of a field or parameter precedes its label, or its type when it has none. */
static idl_field *new_param(idl_parse *ps, idl_labeled *label, idl_typed *type, idl_tok *name,
                            idl_loc loc) {
    idl_field *f = idl_xcalloc(1, sizeof *f);
    if (label->doc.text) {
        f->doc = label->doc.text;
        idl_drop_doc(ps, &type->doc);
    } else {
        f->doc = type->doc.text;
    }
    f->label = label->label;
    f->type = type->type;
    f->name = take_name(ps, name);
    f->loc = loc;
    return f;
}

static idl_member *new_member(idl_parse *ps, idl_member_kind kind, idl_tok *kw, idl_tok *name,
                              idl_loc loc, idl_field *params, idl_typed *type) {
    idl_member *m = idl_xcalloc(1, sizeof *m);
    m->kind = kind;
    m->doc = kw->doc.text;
    m->name = take_name(ps, name);
    m->loc = loc;
    m->params = params;
    if (type) {
        idl_drop_doc(ps, &type->doc);
        m->type = type->type;
        m->has_type = type->type.is_scalar || type->type.qname;
    }
    return m;
}

static void yyerror(idl_loc *loc, void *scanner, idl_parse *ps, const char *msg) {
    (void)scanner;
    ps->src->syntax_errors++;
    idl_program_error(ps->prog, *loc, "%s", msg);
}

/* The offending token in words: "'}'", "identifier 'x'", "end of file". */
static void describe_token(idl_parse *ps, yysymbol_kind_t kind, idl_buf *out) {
    if (kind == YYSYMBOL_YYEOF) {
        idl_buf_adds(out, "end of file");
        return;
    }
    int quoted = kind == YYSYMBOL_STRING; /* the token text has its own quotes */
    if (kind == YYSYMBOL_IDENT)
        idl_buf_adds(out, "identifier ");
    if (!quoted)
        idl_buf_addc(out, '\'');
    for (const char *c = ps->last_token; *c; c++)
        idl_buf_addc(out, *c >= 0x20 && *c < 0x7f ? *c : '?');
    if (strlen(ps->last_token) == sizeof ps->last_token - 1)
        idl_buf_adds(out, "...");
    if (!quoted)
        idl_buf_addc(out, '\'');
}

/* Bison's "syntax error, unexpected X, expecting Y" rephrased as gcc would say it:
 * "expected ';' before '}'", or "unexpected X" when too many things would fit. */
static int yyreport_syntax_error(const yypcontext_t *ctx, void *scanner, idl_parse *ps) {
    (void)scanner;
    enum { MAX_LISTED = 4 };
    yysymbol_kind_t expected[YYNTOKENS];
    int n = yypcontext_expected_tokens(ctx, expected, YYNTOKENS);
    yysymbol_kind_t found = yypcontext_token(ctx);
    /* At the end of the file, an unclosed brace is what matters. */
    for (int i = 0; found == YYSYMBOL_YYEOF && i < n; i++)
        if (strcmp(yysymbol_name(expected[i]), "'}'") == 0)
            expected[0] = expected[i], n = 1;
    idl_buf msg = {0};
    if (n > 0 && n <= MAX_LISTED) {
        idl_buf_adds(&msg, "expected ");
        for (int i = 0; i < n; i++) {
            if (i)
                idl_buf_adds(&msg, i == n - 1 ? " or " : ", ");
            idl_buf_adds(&msg, yysymbol_name(expected[i]));
        }
        idl_buf_adds(&msg, found == YYSYMBOL_YYEOF ? " at " : " before ");
    } else {
        idl_buf_adds(&msg, "unexpected ");
    }
    describe_token(ps, found, &msg);
    ps->src->syntax_errors++;
    idl_program_error(ps->prog, *yypcontext_location(ctx), "%s", msg.data);
    free(msg.data);
    return 0;
}

void idl_parse_source(idl_program *p, idl_source *s) {
    idl_parse ps = {.prog = p, .src = s, .line = 1, .col = 1};
    ps.import_tail = &s->file.imports;
    ps.decl_tail = &s->file.decls;
    if (s->len > INT32_MAX) {
        idl_error_noloc(p, "'%s' is too large", s->file.path);
        return;
    }
    if (!idl_source_is_text(p, s)) {
        s->syntax_errors++; /* an empty tree: checks must not cascade from it */
        return;
    }
    void *scanner;
    if (idl_yylex_init_extra(&ps, &scanner))
        abort(); /* fails only when out of memory */
    idl_yy_scan_bytes(s->text, (int)s->len, scanner);
    idl_yyparse(scanner, &ps);
    idl_yylex_destroy(scanner);
    free(ps.doc.data);
    if (!ps.package_seen) {
        idl_loc at = ps.items ? ps.first_item : (idl_loc){s->file.path, ps.line, ps.col};
        idl_program_error(p, at, "missing package declaration ('package name;' comes first)");
    }
}
