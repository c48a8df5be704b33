#ifndef RECORDER_H
#define RECORDER_H

#include "handlers.tact.h"

/* The Recorder's own failure codes. */
enum {
    RECORDER_UNKNOWN_SENSOR = 1,
    RECORDER_BAD_READING = 2,
    RECORDER_UNSUPPORTED = 3,
};

extern const handlers_Recorder_impl recorder_impl;

#endif
