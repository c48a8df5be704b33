/* The registry (registry.c): a system's actors by id and by name, their
 * deaths, and what is left of them once the system is torn down. */
#ifndef TACT_REGISTRY_H
#define TACT_REGISTRY_H

#include <stdbool.h>

#include "tact/tact.h"

/* Gives the actor its id and registers it, by name too if it has one.
 * Errors: TACT_ENAMETAKEN, TACT_ENOMEM. */
tact_status registry_add(tact_system *sys, tact_actor *a);
/* Removes an actor whose last reference is gone from the registry; its
 * memory may be freed when this returns (no lookup can still see it). Frees
 * a torn-down system with its last husk: a->sys is then invalid. */
void registry_remove(tact_system *sys, tact_actor *a);
/* The actor is dead and its hooks have run: frees its name, wakes waiters. */
void registry_actor_died(tact_system *sys, tact_actor *a);
/* After the threads are gone: rejects what is left in the mailboxes, frees
 * the tables, and keeps the actors still referenced as husks. Returns whether
 * none is left, so that the caller frees the system now. */
bool registry_detach_actors(tact_system *sys);

#endif
