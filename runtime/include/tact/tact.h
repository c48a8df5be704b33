/* libtact: typed actors for C. Include this one header. */
#ifndef TACT_TACT_H
#define TACT_TACT_H

#include "actor.h"
#include "future.h"
#include "message.h"
#include "status.h"
#include "pb.h"
#include "reply.h"
#include "system.h"
#include "timer.h"

#endif
