/* The one table of reserved words. A keyword is never an identifier, and the
 * scalar type names are keywords too. */
#include <string.h>

#include "parse.h"
#include "parser.h"

/* Indexed by idl_scalar. */
static const char *const scalar_names[IDL_SCALAR_COUNT] = {
    [IDL_BOOL] = "bool",         [IDL_INT32] = "int32",       [IDL_INT64] = "int64",
    [IDL_UINT32] = "uint32",     [IDL_UINT64] = "uint64",     [IDL_SINT32] = "sint32",
    [IDL_SINT64] = "sint64",     [IDL_FIXED32] = "fixed32",   [IDL_FIXED64] = "fixed64",
    [IDL_SFIXED32] = "sfixed32", [IDL_SFIXED64] = "sfixed64", [IDL_FLOAT] = "float",
    [IDL_DOUBLE] = "double",     [IDL_STRING] = "string",     [IDL_BYTES] = "bytes",
};

static const struct {
    const char *word;
    int token;
} keywords[] = {
    {"package", PACKAGE},   {"import", IMPORT},     {"enum", ENUM}, {"message", MESSAGE},
    {"actor", ACTOR},       {"ask", ASK},           {"tell", TELL}, {"property", PROPERTY},
    {"repeated", REPEATED}, {"optional", OPTIONAL},
};

const char *idl_scalar_name(idl_scalar s) {
    return (unsigned)s < IDL_SCALAR_COUNT ? scalar_names[s] : "?";
}

static int word_is(const char *word, const char *s, size_t len) {
    return strncmp(word, s, len) == 0 && word[len] == '\0';
}

int idl_keyword(const char *s, size_t len, int64_t *scalar) {
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (word_is(keywords[i].word, s, len))
            return keywords[i].token;
    for (int i = 0; i < IDL_SCALAR_COUNT; i++) {
        if (word_is(scalar_names[i], s, len)) {
            *scalar = i;
            return SCALAR;
        }
    }
    return 0;
}
