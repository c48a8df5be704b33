/* The system's record (system.c): its scheduler, timers and registry tables. */
#ifndef TACT_SYSTEM_IMPL_H
#define TACT_SYSTEM_IMPL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "idmap.h"
#include "ptab.h"
#include "scheduler.h"
#include "tact/tact.h"
#include "timer_impl.h"

struct tact_system {
    sched sched;
    pthread_mutex_t lock; /* the registry: actors by id and by name */
    pthread_cond_t death; /* broadcast whenever an actor dies */
    idmap by_id;          /* every actor not yet freed; lookups need no lock */
    ptab by_name;         /* named actors until they die */
    uint64_t next_id;
    size_t husks; /* under the lock, once torn down */
    _Atomic uint64_t dead_letters;
    timer_service timers;
    _Atomic(tact_dead_letter_fn) dead_letter_fn;
    void *_Atomic dead_letter_arg;
    /* Set by tact_system_destroy once the threads, timers and tables are gone;
     * what is left of the system is this record and its lock, kept for the
     * actors that user references still hold (husks: dead, refusing every
     * call), until the last of them is freed. Read on every send (through
     * tact_actor_system): among fields that are rarely written. */
    _Atomic uint32_t torn_down;
    struct stop_chain *stop_chain; /* tact_system_stop_all's, if one runs; under lock */
    /* In the process's list of live systems (system.c) from tact_system_new
     * until its threads are gone in tact_system_destroy; serial is unique in
     * the process, so a new system at a freed one's address is told apart. */
    uint64_t serial;
    tact_system *next_live;
};

/* Counts a dead letter and tells the observer. */
void system_dead_letter(tact_system *sys, uint64_t id, const char *method);

/* Frees what is left of a torn-down system. */
void system_free(tact_system *sys);
/* Whether registry_actor_died() has run for a. */
bool system_actor_finished(tact_actor *a);
/* Waits for registry_actor_died(a) until deadline_ns (-1: forever). t is the
 * calling scheduler thread or NULL. TACT_OK or TACT_ETIMEDOUT. */
tact_status system_wait_death(tact_system *sys, tact_actor *a, int64_t deadline_ns,
                              sched_thread *t);

/* sys if it is still alive and is the system numbered serial, else NULL: for
 * what outlives a system (futures) and must not hand out a freed one. */
tact_system *system_live(tact_system *sys, uint64_t serial);

#endif
