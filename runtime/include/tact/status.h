/* Status codes: one small set for every function of libtact.
 *
 * 0 is success, the runtime's own codes are negative, and positive values
 * belong to applications (a handler may fail with any code it likes). */
#ifndef TACT_STATUS_H
#define TACT_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

/* What libtact exports: the declarations between TACT_API_BEGIN and
 * TACT_API_END in these headers. The runtime is compiled with hidden
 * visibility, so its internal functions stay out of libtact.so's symbol table
 * (and are made local in libtact.a), where they could clash with a program's own. */
#if defined(__GNUC__)
#define TACT_API_BEGIN _Pragma("GCC visibility push(default)")
#define TACT_API_END _Pragma("GCC visibility pop")
#else
#define TACT_API_BEGIN
#define TACT_API_END
#endif

TACT_API_BEGIN

typedef int tact_status;

enum {
    TACT_OK = 0,
    TACT_ETIMEDOUT = -1, /* a wait or an ask's deadline passed */
    TACT_EDEAD = -2,     /* the actor is stopping or dead; the message was not handled */
    TACT_EHANDLER = -3,  /* the handler failed: see tact_future_error() for its code and text */
    TACT_ECANCELED = -4, /* the future was cancelled */
    TACT_EDEADLK = -5,   /* waiting would close a cycle of actors blocked on each other */
    TACT_EINVAL = -6,    /* a bad argument (NULL where a value is needed, a wrong value) */
    TACT_ENOMEM = -7,    /* out of memory; nothing else was changed */
    TACT_ENOTFOUND = -8, /* a registry lookup found nothing */
    TACT_ENAMETAKEN = -9, /* the name is already held by a live actor */
    TACT_EXSYSTEM = -10, /* a reference from another system was used */
    TACT_ESYS = -11,     /* the operating system refused (a thread could not be started) */
    TACT_ENOTIMPL = -12, /* spawn: the table leaves a handler NULL (tact_error_text() names it) */
    TACT_ETYPE = -13,    /* the actor is of another type than the method or typed reference wants */
};

/* A static, human-readable description of a status ("dead actor"); for an
 * application's positive code, "application error". Never NULL; thread-safe. */
const char *tact_strerror(tact_status status);

/* The detail of the calling thread's last failed spawn (tact_actor_spawn and
 * the generated pkg_Actor_spawn), for a log line: "calc.Calculator.add is not
 * implemented" after TACT_ENOTIMPL, "spawn calc.Calculator: name already
 * taken" otherwise. Other calls leave it as it is, so read it right after the
 * failure. Never NULL ("" before any failure); the text is the thread's own
 * (thread-local, nothing to free) and changes with its next failed spawn.
 * The runtime prints nothing itself: what to do with the text is the caller's choice. */
const char *tact_error_text(void);

TACT_API_END

#ifdef __cplusplus
}
#endif
#endif
