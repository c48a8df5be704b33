/* Telling a text file from anything else before parsing it: a binary file (an
 * executable, an archive, random bytes) would otherwise give one diagnostic per
 * few bytes. Like git and grep, the test looks at the start of the file only; a
 * text file with a stray bad byte further on gets the lexer's precise diagnostic. */
#include "internal.h"

enum {
    SNIFF_LEN = 4096,
    /* A Latin-1 file has a few accented letters in its comments, binary data has
     * half its bytes outside UTF-8 text: the line is drawn between them. */
    BAD_SHARE = 8,
};

/* A byte that starts no character of a text file: control bytes other than the
 * whitespace the lexer accepts. */
static int is_control(unsigned char c) {
    return (c < 0x20 && !(c >= '\t' && c <= '\r')) || c == 0x7f;
}

int idl_source_is_text(idl_program *p, const idl_source *s) {
    const unsigned char *t = (const unsigned char *)s->text;
    size_t sample = s->len < SNIFF_LEN ? s->len : SNIFF_LEN;
    size_t bad = 0, first_bad = 0;
    for (size_t i = 0; i < sample;) {
        if (t[i] == 0) {
            idl_program_error(p, (idl_loc){s->file.path, 0, 0},
                              "not a text file (NUL byte at offset %zu)", i);
            return 0;
        }
        size_t n = idl_utf8_seq(t + i, s->len - i);
        if (n == 0 || is_control(t[i])) {
            if (bad++ == 0)
                first_bad = i;
            n = 1;
        }
        i += n;
    }
    if (bad * BAD_SHARE <= sample)
        return 1;
    idl_program_error(p, (idl_loc){s->file.path, 0, 0},
                      "not a text file (%zu of its first %zu bytes are not UTF-8 text, the "
                      "first at offset %zu)",
                      bad, sample, first_bad);
    return 0;
}
