/* Reading the example's CSV: a header line, then x1,x2,x3,x4,y per line. */
#ifndef CSV_H
#define CSV_H

#include <stdbool.h>

#include "pipeline.h"

/* The cells of one line; present[i] is false where cell i was empty. */
typedef struct csv_row {
    double value[N_FEATURES + 1];
    bool present[N_FEATURES + 1];
} csv_row;

/* Parses one line (without or with its newline). Returns false if it is not
 * five comma-separated cells, each empty or a number. */
bool csv_parse(const char *line, csv_row *out);

/* True if every cell is present. */
bool csv_complete(const csv_row *row);

#endif
