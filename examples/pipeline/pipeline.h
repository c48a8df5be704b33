#ifndef PIPELINE_H
#define PIPELINE_H

#include "pipeline.tact.h"

/* The four feature columns, x1 to x4. */
#define N_FEATURES 4

/* Application failure codes. */
enum {
    PIPELINE_IO = 1,     /* the file could not be read */
    PIPELINE_FORMAT = 2, /* a line is not five numeric (or empty) cells */
    PIPELINE_ORDER = 3,  /* a chunk came before the scaling */
};

extern const pipeline_Loader_impl loader_impl;
extern const pipeline_Preprocessor_impl preprocessor_impl;
extern const pipeline_Model_impl model_impl;

#endif
