/* Diagnoses names that would break the generated C or .proto (see check_c.c). */
#ifndef TACTC_CHECK_C_H
#define TACTC_CHECK_C_H

#include "idl.h"
#include "model.h"
#include "buf.h"

/* Checks every loaded file of a program that passed idl_program_check(). */
void check_c_program(idl_program *p);

#endif
