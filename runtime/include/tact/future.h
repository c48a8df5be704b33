/* tact_future: the answer to an ask, completed exactly once.
 *
 * Generated code wraps it in a type per method (pkg_Actor_method_future) whose
 * get() hands out the typed reply; everything here works on any of them. */
#ifndef TACT_FUTURE_H
#define TACT_FUTURE_H

#include <stddef.h>
#include <stdint.h>

#include "actor.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

TACT_API_BEGIN

typedef struct tact_future tact_future;
struct tact_method;
typedef struct tact_method tact_method;

/* Waits until the future is complete, at most timeout_ms (the rule in tact.h:
 * TACT_FOREVER no limit, 0 a poll that never blocks), and returns how it
 * completed: TACT_OK, TACT_EDEAD, TACT_EHANDLER, TACT_ECANCELED,
 * TACT_ETIMEDOUT (the ask's deadline passed). A wait that runs out returns
 * TACT_ETIMEDOUT too, within its timeout whatever the handler does (the
 * handler runs on the pool, never on the waiting thread), and leaves the
 * future usable: tell the two apart with tact_future_done(). Inside a handler
 * the wait lets the pool go on with other actors, and fails at once with
 * TACT_EDEADLK if it would close a cycle of actors waiting on each other.
 * Blocks. Thread-safe.
 * Errors: TACT_EINVAL (NULL, a negative timeout other than TACT_FOREVER). */
tact_status tact_future_wait(tact_future *f, int64_t timeout_ms);

/* Non-zero once the future is complete. Never blocks. */
int tact_future_done(const tact_future *f);

/* The reply message (a protobuf-c struct owned by the future, valid until it is
 * freed), or NULL unless the future completed with TACT_OK. */
const void *tact_future_reply(const tact_future *f);

/* The reply read as method's reply type: for a future of that method, or of
 * another ask with the same .actor reply type, or one made by then or any
 * whose reply came from such a future (followed through every step). NULL if
 * f is not complete with TACT_OK, has no reply (all), or its reply is of
 * another type. Generated _future_get uses it, which is how a typed future
 * taken from then/any (pkg_Actor_method_future_from) reads its reply.
 * Never blocks; thread-safe. The reply is owned by the future it came from. */
const void *tact_future_reply_as(const tact_future *f, const tact_method *method);

/* After TACT_EHANDLER: the handler's own code and text (the text is owned by the future).
 * Returns the future's status; code and text may be NULL. */
tact_status tact_future_error(const tact_future *f, tact_status *code, const char **text);

/* Completes a pending future with TACT_ECANCELED; its message is skipped if
 * its handler has not started (a reply that comes anyway is dropped).
 * Returns TACT_OK when this call cancelled it; a future already complete is left
 * as it is and the status it completed with is returned. Errors: TACT_EINVAL. */
tact_status tact_future_cancel(tact_future *f);

/* Runs fn(f, arg) exactly once when f completes, whatever the outcome: on the
 * thread that completes it, or at once on the caller's thread if it already has.
 * fn must not block. Callbacks run in the order they were added.
 * Errors: TACT_EINVAL, TACT_ENOMEM. */
typedef void (*tact_future_fn)(tact_future *f, void *arg);
tact_status tact_future_on_done(tact_future *f, tact_future_fn fn, void *arg);

/* Chaining. When f completes with TACT_OK, fn(f, arg, &next) runs (as a
 * callback: on the completing thread, must not block). fn may start more work
 * and hand its future over in *next: *out then completes as next does, with
 * next's reply. If fn leaves *next NULL, *out completes as f did, with f's
 * reply. If fn returns a failure, *out fails with it (TACT_EHANDLER with the
 * code for an application's positive code). If f fails, fn is skipped and *out
 * fails the same way. *out is a new future the caller frees.
 * Errors: TACT_EINVAL, TACT_ENOMEM. */
typedef tact_status (*tact_then_fn)(tact_future *done, void *arg, tact_future **next);
tact_status tact_future_then(tact_future *f, tact_then_fn fn, void *arg, tact_future **out);

/* *out completes once every one of fs[0..n) has: with TACT_OK, or with the
 * first failure in argument order. It has no reply of its own: read the
 * inputs'. The inputs stay the caller's. Errors: TACT_EINVAL, TACT_ENOMEM. */
tact_status tact_future_all(tact_future *const *fs, size_t n, tact_future **out);

/* *out completes as the first of fs[0..n) to complete, whatever its status, and
 * hands out its reply; tact_future_source() tells which one it was.
 * Errors: TACT_EINVAL, TACT_ENOMEM. */
tact_status tact_future_any(tact_future *const *fs, size_t n, tact_future **out);

/* all and any over typed futures, without an array of base pointers:
 *   tact_future *both;
 *   tact_future_all_of(&both, add_f, get_f);
 * Each argument is a typed future (pkg_Actor_method_future *) or a
 * tact_future *; the macros count them. The functions behind them take the
 * futures as void pointers and are otherwise tact_future_all/any (the same
 * errors; never block; the inputs stay the caller's). */
tact_status tact_future_all_ptrs(void *const *fs, size_t n, tact_future **out);
tact_status tact_future_any_ptrs(void *const *fs, size_t n, tact_future **out);
#ifndef __cplusplus
#define TACT_FUTURE_PTRS_(...) ((void *const[]){__VA_ARGS__})
#define TACT_FUTURE_COUNT_(...) (sizeof(TACT_FUTURE_PTRS_(__VA_ARGS__)) / sizeof(void *))
#define tact_future_all_of(out, ...)                                                               \
    tact_future_all_ptrs(TACT_FUTURE_PTRS_(__VA_ARGS__), TACT_FUTURE_COUNT_(__VA_ARGS__), (out))
#define tact_future_any_of(out, ...)                                                               \
    tact_future_any_ptrs(TACT_FUTURE_PTRS_(__VA_ARGS__), TACT_FUTURE_COUNT_(__VA_ARGS__), (out))
#endif

/* For a complete future from then or any: the future whose result it took,
 * owned by it (NULL for others). */
tact_future *tact_future_source(const tact_future *f);

/* A continuation: runs inside the actor of ctx, serialized with its messages
 * like a handler (it may touch the actor's state; it must not block), once f
 * completes, whatever the outcome. A failure it returns is treated like a
 * failed tell (on_failure, and the actor stops). If the actor has stopped
 * first, fn is not run. Call it from a handler. The continuation keeps its own
 * reference to f: the caller may free f right away (and must, as always).
 * Errors: TACT_EINVAL, TACT_ENOMEM. */
typedef tact_status (*tact_continuation_fn)(tact_ctx *ctx, void *self, tact_future *f, void *arg);
tact_status tact_future_then_in(tact_future *f, tact_ctx *ctx, tact_continuation_fn fn, void *arg);

/* Gives the ask a deadline timeout_ms from now (the rule in tact.h): if no
 * answer has come by then, the future completes with TACT_ETIMEDOUT, the
 * message is skipped if its handler has not started, and a late reply is
 * dropped. 0 is a deadline that has passed already; TACT_FOREVER sets none
 * (TACT_OK, nothing changes). Never blocks. Thread-safe.
 * Errors: TACT_EINVAL (NULL, a negative timeout other than TACT_FOREVER),
 * TACT_ENOMEM, TACT_ESYS (the timer thread could not start). */
tact_status tact_future_set_deadline(tact_future *f, int64_t timeout_ms);

/* The method an ask's future answers (generated code uses it to check a
 * typed cast); NULL for futures derived with then, all or any. */
const tact_method *tact_future_method(const tact_future *f);

/* The system of the actor that was asked, or NULL once that system is
 * destroyed (futures outlive their system; a pointer to a freed one is never
 * handed out). Thread-safe; takes a process-wide lock, so not for hot paths.
 * NULL for f NULL. */
tact_system *tact_future_system(const tact_future *f);

/* Gives the holder's reference up. The future itself lives on until its
 * message has been dealt with, so freeing an unread future is always safe.
 * NULL is accepted. Thread-safe. */
void tact_future_free(tact_future *f);

TACT_API_END

#ifdef __cplusplus
}
#endif
#endif
