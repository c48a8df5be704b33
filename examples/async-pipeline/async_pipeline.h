#ifndef ASYNC_PIPELINE_H
#define ASYNC_PIPELINE_H

#include "async_pipeline.tact.h"

/* The stages' own failure codes. */
enum {
    STAGE_CANNOT_LOAD = 1,
    STAGE_NO_DATA = 2,
};

extern const apipe_Stage_impl loader_impl;
extern const apipe_Stage_impl preprocessor_impl;
extern const apipe_Stage_impl model_impl;
extern const apipe_Pipeline_impl pipeline_impl;

#endif
