#include "names.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

char *name_camel(const char *s) {
    buf b = {0};
    bool upper = true;
    for (; *s; s++) {
        if (*s == '_') {
            upper = true;
        } else if (upper) {
            buf_printf(&b, "%c", toupper((unsigned char)*s));
            upper = false;
        } else {
            buf_printf(&b, "%c", *s);
        }
    }
    return buf_take(&b);
}

static char *case_split(const char *s, int (*conv)(int)) {
    buf b = {0};
    bool was_upper = true;
    for (; *s; s++) {
        bool is_upper = isupper((unsigned char)*s);
        if (is_upper && !was_upper)
            buf_puts(&b, "_");
        buf_printf(&b, "%c", conv((unsigned char)*s));
        was_upper = is_upper;
    }
    return buf_take(&b);
}

char *name_lower(const char *s) {
    return case_split(s, tolower);
}

char *name_upper(const char *s) {
    return case_split(s, toupper);
}

char *name_c_prefix(const char *package) {
    char *p = xstrdup(package);
    for (char *c = p; *c; c++)
        if (*c == '.')
            *c = '_';
    return p;
}

/* Applies conv to each dot-separated part of the package and then to each of
 * parts, joined with "__". */
static char *pb_join(const char *package, const char *const *parts, int n, char *(*conv)(const char *)) {
    buf b = {0};
    const char *p = package;
    while (*p) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        char *part = xmalloc(len + 1);
        memcpy(part, p, len);
        part[len] = 0;
        char *c = conv(part);
        buf_printf(&b, "%s%s", b.len ? "__" : "", c);
        free(c);
        free(part);
        p += len + (dot ? 1 : 0);
    }
    for (int i = 0; i < n; i++) {
        char *c = conv(parts[i]);
        buf_printf(&b, "%s%s", b.len ? "__" : "", c);
        free(c);
    }
    return buf_take(&b);
}

char *name_pb_type(const char *package, const char *const *parts, int n) {
    return pb_join(package, parts, n, name_camel);
}

char *name_pb_lower(const char *package, const char *const *parts, int n) {
    return pb_join(package, parts, n, name_lower);
}

static const char *const reserved[] = {
    /* C11 */
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
    "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
    "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef",
    "union", "unsigned", "void", "volatile", "while", "_Alignas", "_Alignof", "_Atomic", "_Bool",
    "_Complex", "_Generic", "_Imaginary", "_Noreturn", "_Static_assert", "_Thread_local",
    /* macros of the standard headers the generated code includes */
    "bool", "true", "false", "NULL", "alignas", "alignof", "noreturn", "static_assert",
    "thread_local", "complex", "imaginary", "errno", "assert", "offsetof",
    /* C++, for the header */
    "and", "and_eq", "asm", "bitand", "bitor", "catch", "char8_t", "char16_t", "char32_t",
    "class", "compl", "concept", "consteval", "constexpr", "constinit", "const_cast",
    "co_await", "co_return", "co_yield", "decltype", "delete", "dynamic_cast", "explicit",
    "export", "friend", "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr",
    "operator", "or", "or_eq", "private", "protected", "public", "reinterpret_cast", "requires",
    "static_cast", "template", "this", "throw", "try", "typeid", "typename", "using", "virtual",
    "wchar_t", "xor", "xor_eq",
};

bool name_is_reserved(const char *s) {
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
        if (strcmp(s, reserved[i]) == 0)
            return true;
    return false;
}

char *name_member(const char *s) {
    char *m = xstrdup(s);
    for (char *c = m; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return m;
}

bool name_is_used_by_generated_code(const char *s) {
    static const char *const used[] = {
        "calloc", "malloc", "free", "size_t", "int8_t", "int16_t", "int32_t", "int64_t",
        "uint8_t", "uint16_t", "uint32_t", "uint64_t", "intptr_t", "uintptr_t",
        "ProtobufCBinaryData", "protobuf_c_boolean", "protobuf_c_empty_string",
    };
    for (size_t i = 0; i < sizeof used / sizeof *used; i++)
        if (strcmp(s, used[i]) == 0)
            return true;
    return false;
}
