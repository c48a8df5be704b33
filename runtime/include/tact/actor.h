/* Actors: references, spawning, stopping, and the context a handler runs in.
 *
 * Users normally reach these through the typed functions tactc generates
 * (pkg_Actor_spawn, pkg_Actor_ref, ...); the untyped calls here serve the
 * generated code and generic tools (registries, supervisors). */
#ifndef TACT_ACTOR_H
#define TACT_ACTOR_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"
#include "system.h"

#ifdef __cplusplus
extern "C" {
#endif

TACT_API_BEGIN

/* Timeouts, delays and periods: milliseconds, under the rule in tact.h. */
#define TACT_FOREVER (-1)
/* The longest time an argument stands for, 2^42 ms (about 139 years); larger
 * values count as this much. */
#define TACT_MS_MAX ((int64_t)1 << 42)

/* An actor as seen from outside: a counted reference. The memory stays valid
 * while any reference is held, even past tact_system_destroy(): sends to a
 * dead actor fail with TACT_EDEAD. After its system's destruction a reference
 * still answers: tell, ask, stop, stop_wait and timers TACT_EDEAD, wait
 * TACT_OK (dead), id, type, name and stats as before, tact_actor_system()
 * NULL; the last release frees it. */
typedef struct tact_actor tact_actor;

/* A handler's view of the actor it runs in. Valid only during the call. */
typedef struct tact_ctx tact_ctx;

/* What generated code tells the runtime about an actor type: its IDL name and
 * how to call the implementation's hooks. */
typedef struct tact_actor_type {
    const char *name; /* "pkg.Actor" */
    /* Runs on_start with the spawn arguments (a request message, or NULL). */
    tact_status (*start)(tact_ctx *ctx, const void *impl, void *self, const void *args);
    tact_status (*stop)(tact_ctx *ctx, const void *impl, void *self);
    void (*failure)(tact_ctx *ctx, const void *impl, void *self, tact_status code,
                    const char *message);
    /* Whether this implementation has anything for start to do (an on_start
     * hook): an actor without one is not scheduled until its first message. */
    int (*wants_start)(const void *impl);
    /* The layout of the spawn arguments, or NULL if the actor takes none
     * (a ProtobufCMessageDescriptor). */
    const void *start_args;
    /* The name of the first handler impl leaves NULL ("add"), or NULL if it
     * has them all: spawn refuses an incomplete implementation. The hooks
     * (on_start, on_stop, on_failure) are optional and not checked. NULL
     * here: nothing to check. */
    const char *(*unimplemented)(const void *impl);
} tact_actor_type;

typedef struct tact_spawn_opts {
    /* A unique name within the system, or NULL. Any non-empty string (no
     * limit on its length but memory); "" is refused with TACT_EINVAL. Copied. */
    const char *name;
    /* If non-zero the actor owns a thread of its own, so that its handlers may
     * block on I/O without holding up the pool. */
    int pinned;
    /* If not NULL, state_size bytes copied into the actor's state before on_start;
     * otherwise the state starts zeroed. */
    const void *init_state;
} tact_spawn_opts;

#define TACT_SPAWN_OPTS_INIT {NULL, 0, NULL}

/* Takes another reference to a (returns it); release it with tact_actor_release().
 * Thread-safe. NULL is returned as NULL. */
tact_actor *tact_actor_retain(tact_actor *a);

/* Gives a reference back. Thread-safe; NULL is accepted. */
void tact_actor_release(tact_actor *a);

/* The actor's id: unique within its system, never reused, never 0. */
uint64_t tact_actor_id(const tact_actor *a);

/* The system the actor belongs to; NULL once that system is destroyed (or for
 * a NULL a). */
tact_system *tact_actor_system(const tact_actor *a);

/* The actor's IDL type ("pkg.Actor"). */
const tact_actor_type *tact_actor_type_of(const tact_actor *a);

/* The actor's name, or NULL if it has none. Valid while the caller holds a reference. */
const char *tact_actor_name(const tact_actor *a);

/* Counters of one actor, read without stopping it (each value is exact at
 * some moment during the call). */
typedef struct tact_actor_stats_t {
    uint64_t handled; /* messages taken from the mailbox so far */
    uint64_t queued;  /* messages waiting in the mailbox */
} tact_actor_stats_t;

/* Fills *out. Thread-safe. Errors: TACT_EINVAL. */
tact_status tact_actor_stats(const tact_actor *a, tact_actor_stats_t *out);

/* Non-zero while the actor accepts messages (no stop requested yet). */
int tact_actor_alive(const tact_actor *a);

/* Requests a stop: messages already queued are handled first, then on_stop
 * runs and the actor is dead. New sends are refused with TACT_EDEAD from now
 * on. Returns at once. Thread-safe; may be called from a handler (of this
 * actor or another). Errors: TACT_EINVAL (NULL), TACT_EDEAD (a stop was
 * already requested or the actor is dead: harmless), TACT_ENOMEM. */
tact_status tact_actor_stop(tact_actor *a);

/* Waits until the actor is dead and its on_stop (or on_failure) has run, at
 * most timeout_ms (the rule in tact.h: TACT_FOREVER no limit, 0 a poll that
 * never blocks). Returns within the timeout whatever the actor's handlers do:
 * they run on the pool, never on the waiting thread. Blocks. Thread-safe.
 * Errors: TACT_EINVAL (NULL, a negative timeout other than TACT_FOREVER),
 * TACT_ETIMEDOUT (still alive: the wait may be repeated), TACT_EDEADLK
 * (called from the actor's own handler). */
tact_status tact_actor_wait(tact_actor *a, int64_t timeout_ms);

/* tact_actor_stop() and then tact_actor_wait() with timeout_ms (the rule in
 * tact.h). A stop already under way is waited for too; TACT_EDEAD is returned
 * only if the actor was already dead. A bad timeout is refused before the
 * stop is requested (TACT_EINVAL: nothing changes). */
tact_status tact_actor_stop_wait(tact_actor *a, int64_t timeout_ms);

/* Spawns an actor of the given type and implementation with state_size bytes
 * of state. args (owned by the call from then on, freed on every path) holds the spawn
 * arguments for on_start, or is NULL. Generated pkg_Actor_spawn() functions call
 * this. On success *out holds a reference for the caller. out may be NULL: the
 * actor then belongs to the system alone (a handler that spawns a child it
 * does not keep); it runs until it is stopped (by itself, through a reference
 * found by name, id or tact_system_list, or with the system), and is freed when
 * it is dead and nobody holds a reference. It is registered (found by name and
 * id) from the moment this returns, before its own on_start has run.
 * impl must outlive the actor and not change while it lives. Every failure
 * sets tact_error_text() for the calling thread.
 * Errors: TACT_EINVAL (NULL arguments, an empty name), TACT_ENOTIMPL (a
 * handler of impl is NULL: the text names it, "pkg.Actor.method is not
 * implemented"), TACT_ENOMEM,
 * TACT_ENAMETAKEN, TACT_ESYS (pinned thread). */
tact_status tact_actor_spawn(tact_system *sys, const tact_actor_type *type, const void *impl,
                             size_t state_size, void *args, const tact_spawn_opts *opts,
                             tact_actor **out);

/* -- inside a handler ---------------------------------------------------- */

/* The actor the handler runs in (a borrowed reference: retain it to keep it). */
tact_actor *tact_ctx_self(tact_ctx *ctx);

/* The system the handler runs in. */
tact_system *tact_ctx_system(tact_ctx *ctx);

/* Records why the handler fails and returns code, for `return tact_ctx_fail(...)`.
 * The text (printf-style, any length) reaches the asker through
 * tact_future_error(), or on_failure for a tell. code must not be TACT_OK. */
tact_status tact_ctx_fail(tact_ctx *ctx, tact_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Takes a payload of the message being handled out of it, so that the
 * runtime does not free it when the handler returns: instead of copying a
 * large string, bytes or message argument, the handler keeps it.
 * payload is the pointer the handler was given for a string, bytes (its
 * .data) or message parameter (not a repeated one, not a field inside a
 * message argument), or, in on_start, for a spawn argument. The result is
 * that same memory, now the caller's: free a string or bytes with free(), a
 * message with tact_pb_free(&pkg_Msg_descriptor, m) (or
 * protobuf_c_message_free_unpacked(&m->base, NULL): every piece is malloc'd).
 * Once taken, the argument is gone from the message (a second take returns
 * NULL); other handlers and copies of the message (broadcast, timer ticks)
 * are unaffected. Works whether the sender copied or gave (_give) it.
 * Returns NULL when payload is not such an argument of the current message
 * (or is NULL, or ctx is NULL); a string the message does not hold on the
 * heap (the static "") comes back as a fresh heap copy, NULL if memory ran
 * out. Call it only from the handler that ctx was given to. Never blocks. */
void *tact_ctx_take(tact_ctx *ctx, const void *payload);

/* Stops the actor after the messages already queued: tact_actor_stop() on self.
 * A stop already under way (requested by another thread, say, or by
 * tact_system_destroy) is no error here: `return tact_ctx_stop(ctx);` must not
 * make a handler fail because someone else asked first. Call it only from the
 * actor's own handler. Errors: TACT_EINVAL (NULL ctx). */
tact_status tact_ctx_stop(tact_ctx *ctx);

TACT_API_END

#ifdef __cplusplus
}
#endif
#endif
