/* tact_system: the owner of everything — worker threads, actors, timers.
 *
 * There is no global state: several systems may live in one process, and
 * every object belongs to exactly one of them. */
#ifndef TACT_SYSTEM_H
#define TACT_SYSTEM_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

TACT_API_BEGIN

typedef struct tact_system tact_system;

typedef struct tact_system_opts {
    /* Worker threads that run actors: 1 to TACT_WORKERS_MAX; 0 means one per
     * online core (at most TACT_WORKERS_MAX). More is refused (TACT_EINVAL),
     * not clamped: a number that large is a mistake, not a wish. */
    unsigned workers;
} tact_system_opts;

#define TACT_SYSTEM_OPTS_INIT {0}

/* The most workers a system runs. */
#define TACT_WORKERS_MAX 4096u

/* Creates a system and starts its worker threads. opts may be NULL for the
 * defaults. On success *out owns the system; free it with tact_system_destroy().
 * Errors: TACT_EINVAL (out is NULL, more than TACT_WORKERS_MAX workers),
 * TACT_ENOMEM, TACT_ESYS (threads). */
tact_status tact_system_new(const tact_system_opts *opts, tact_system **out);

/* Stops every actor, strictly last-started first (each is dead before the next
 * is stopped; what was queued before its stop is handled), completes every
 * pending future (TACT_EDEAD where its message was never handled), joins every
 * thread and frees all memory the system owns. Futures survive it: they stay
 * valid until their holder frees them. So do references still held: each
 * names a dead actor from then on (calls through it answer TACT_EDEAD,
 * tact_actor_system() NULL; see actor.h) and is released as usual; an actor
 * block and a record of the system (under 1 KiB, shared) stay allocated until
 * the last of them is released. References may be released on other threads
 * meanwhile; sends through them must not overlap this call.
 * Blocks until every actor is dead. Must not be called from one of the
 * system's own handlers (it then returns at once, doing nothing). NULL is
 * accepted. Sets *sys to NULL. */
void tact_system_destroy(tact_system **sys);

/* Stops every actor, last-started first, as shutdown does, but leaves the
 * system running (new actors may be spawned afterwards).
 * Errors: TACT_EINVAL, TACT_ENOMEM, TACT_EDEADLK (called from a handler of
 * this system: it would wait for its own actor). */
tact_status tact_system_stop_all(tact_system *sys);

/* The number of worker threads the system runs actors on. */
unsigned tact_system_workers(const tact_system *sys);

/* The live actor (one that accepts messages) with this id, as a new
 * reference in *out (NULL on error); type, if not NULL, must be its IDL type
 * too. Generated dispatch code resolves the actor-typed fields of every
 * message with it. Thread-safe, takes no lock, never blocks.
 * Errors: TACT_EINVAL (sys or out NULL), TACT_ENOTFOUND (no such id, dead,
 * being freed, or another type). */
struct tact_actor;
struct tact_actor_type;
tact_status tact_system_find_id(tact_system *sys, uint64_t id, const struct tact_actor_type *type,
                                struct tact_actor **out);

/* The live actor with this name, as a new reference in *out; type, if not
 * NULL, must be its IDL type too. A name is free again once its actor is dead.
 * Thread-safe. Errors: TACT_EINVAL (NULL arguments), TACT_ENOTFOUND (also for
 * "", a name no actor can have). */
tact_status tact_system_find_name(tact_system *sys, const char *name,
                                  const struct tact_actor_type *type, struct tact_actor **out);

/* Every live actor (of the given IDL type, or all for NULL), in spawn order:
 * *out is a new array of *n new references, freed with tact_actor_list_free().
 * Thread-safe. Errors: TACT_EINVAL, TACT_ENOMEM. */
tact_status tact_system_list(tact_system *sys, const struct tact_actor_type *type,
                             struct tact_actor ***out, size_t *n);

/* Releases each reference of a list from tact_system_list() and frees it. */
void tact_actor_list_free(struct tact_actor **list, size_t n);

/* Dead letters: every tell refused or dropped because its target is dead
 * (timer ticks included) and every ask failed with TACT_EDEAD. */
uint64_t tact_system_dead_letters(const tact_system *sys);

/* Called for each dead letter, on whichever thread found it, with the target's
 * id, the method's name and the reason (TACT_EDEAD). Must not block and must not
 * call back into the system. Set it before sending; NULL removes it.
 * tact_system_destroy() removes it too (sends through references kept past it
 * are not reported). */
typedef void (*tact_dead_letter_fn)(void *arg, uint64_t actor_id, const char *method,
                                    tact_status reason);
void tact_system_on_dead_letter(tact_system *sys, tact_dead_letter_fn fn, void *arg);

TACT_API_END

#ifdef __cplusplus
}
#endif
#endif
