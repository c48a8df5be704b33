#include "csv.h"

#include <stdlib.h>
#include <string.h>

bool csv_parse(const char *line, csv_row *out) {
    const char *p = line;
    for (int i = 0; i <= N_FEATURES; i++) {
        size_t len = strcspn(p, ",\r\n");
        out->present[i] = len > 0;
        out->value[i] = 0.0;
        if (len > 0) {
            char *end;
            out->value[i] = strtod(p, &end);
            if (end != p + len)
                return false;
        }
        p += len;
        if (i < N_FEATURES) {
            if (*p != ',')
                return false;
            p++;
        }
    }
    return *p == '\0' || *p == '\n' || *p == '\r';
}

bool csv_complete(const csv_row *row) {
    for (int i = 0; i <= N_FEATURES; i++)
        if (!row->present[i])
            return false;
    return true;
}
