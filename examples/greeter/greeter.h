#ifndef GREETER_H
#define GREETER_H

#include "greeter.tact.h"

/* The handler's own failure codes (positive: the application's range). */
enum {
    GREETER_EMPTY_NAME = 1,
    GREETER_EMPTY_GREETING = 2,
};

/* The implementation to spawn Greeters with. */
extern const greet_Greeter_impl greeter_impl;

#endif
