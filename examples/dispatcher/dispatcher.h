#ifndef DISPATCHER_H
#define DISPATCHER_H

#include "dispatcher.tact.h"

/* The implementations to spawn Workers and Dispatchers with. */
extern const disp_Worker_impl worker_impl;
extern const disp_Dispatcher_impl dispatcher_impl;

#endif
