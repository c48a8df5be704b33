#ifndef COUNTER_H
#define COUNTER_H

#include "counter.tact.h"

extern const counter_Adder_impl adder_impl;
extern const counter_Bookkeeper_impl bookkeeper_impl;

#endif
