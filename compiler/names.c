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

/* C11 and C++ keywords, and macros of the standard headers the generated code
 * includes (bool, NULL, ...): sorted in strcmp order, for bsearch. */
static const char *const reserved[] = {
    "NULL", "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary",
    "_Noreturn", "_Static_assert", "_Thread_local", "alignas", "alignof", "and", "and_eq",
    "asm", "assert", "auto", "bitand", "bitor", "bool", "break", "case", "catch", "char",
    "char16_t", "char32_t", "char8_t", "class", "co_await", "co_return", "co_yield", "compl",
    "complex", "concept", "const", "const_cast", "consteval", "constexpr", "constinit",
    "continue", "decltype", "default", "delete", "do", "double", "dynamic_cast", "else", "enum",
    "errno", "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if",
    "imaginary", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "noreturn",
    "not", "not_eq", "nullptr", "offsetof", "operator", "or", "or_eq", "private", "protected",
    "public", "register", "reinterpret_cast", "requires", "restrict", "return", "short",
    "signed", "sizeof", "static", "static_assert", "static_cast", "struct", "switch",
    "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename",
    "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor",
    "xor_eq",
};

static int compare(const void *key, const void *item) {
    return strcmp(key, *(const char *const *)item);
}

bool name_is_reserved(const char *s) {
    return bsearch(s, reserved, sizeof reserved / sizeof *reserved, sizeof *reserved, compare) !=
           NULL;
}

/* The system names gcc and clang predefine as macros (to 1) outside strict ISO
 * mode, the default for gcc and for CMake's C_EXTENSIONS: linux and unix on every
 * Linux target, the others on their CPU or system (from clang --target=... and
 * gcc's TARGET_OS_CPP_BUILTINS). Sorted in strcmp order, for bsearch. */
static const char *const gnu_macros[] = {
    "MIPSEB", "MIPSEL", "PPC", "WIN32", "WIN64", "WINNT", "hppa", "i386", "linux",
    "mc68000", "mips", "powerpc", "sparc", "sun", "unix", "vax",
};

bool name_is_gnu_macro(const char *s) {
    return bsearch(s, gnu_macros, sizeof gnu_macros / sizeof *gnu_macros, sizeof *gnu_macros,
                   compare) != NULL;
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
