#ifndef CALCULATOR_H
#define CALCULATOR_H

#include "calculator.tact.h"

/* The implementation to spawn Calculators with. */
extern const calc_Calculator_impl calculator_impl;

#endif
