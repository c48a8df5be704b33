/* libFuzzer target for the .actor front end: any bytes, loaded as a file and
 * checked, must neither crash, hang nor leak. Diagnostics are formatted (into
 * /dev/null) so that the formatter is fuzzed too. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "idl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static FILE *sink;
    if (!sink)
        sink = fopen("/dev/null", "w");
    idl_program *p = idl_program_new(sink);
    if (!p)
        return 0;
    /* Half the inputs stop at an error limit, so that stopping mid-parse is fuzzed too. */
    idl_program_set_max_errors(p, size % 2 ? 0 : 5);
    idl_program_load_text(p, "fuzz.actor", (const char *)data, size);
    idl_program_check(p);
    idl_program_free(p);
    return 0;
}
