/* The Greeter: what it was spawned with is its state, like the attributes a
 * Pykka actor's __init__ sets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "greeter.h"

typedef struct greeter {
    char *greeting;
    char *punctuation;
    int32_t greeted;
} greeter;

/* Runs in the actor before its first message. The arguments are borrowed from
 * the spawn message, so what the actor keeps it copies. Failing here is the
 * constructor raising: the actor never runs, and whatever was sent to it fails
 * with TACT_EDEAD. */
static tact_status on_start(tact_ctx *ctx, void *self, const char *greeting,
                            const char *punctuation) {
    greeter *g = self;
    if (greeting[0] == '\0')
        return tact_ctx_fail(ctx, GREETER_EMPTY_GREETING, "a Greeter needs a greeting");
    g->greeting = tact_strdup(greeting);
    /* An optional argument left out arrives as NULL: this is its default. */
    g->punctuation = tact_strdup(punctuation ? punctuation : "!");
    if (!g->greeting || !g->punctuation)
        return TACT_ENOMEM; /* on_failure (none here) runs instead of on_stop */
    return TACT_OK;
}

/* on_stop runs only after a successful start; on_failure after a failed one.
 * Both free what on_start may have kept (free(NULL) is harmless). */
static void release(greeter *g) {
    free(g->greeting);
    free(g->punctuation);
    g->greeting = g->punctuation = NULL;
}

static tact_status on_stop(tact_ctx *ctx, void *self) {
    (void)ctx;
    release(self);
    return TACT_OK;
}

static void on_failure(tact_ctx *ctx, void *self, tact_status code, const char *message) {
    (void)ctx;
    (void)code;
    (void)message;
    release(self);
}

static tact_status greet(tact_ctx *ctx, void *self, const char *name, char **reply) {
    greeter *g = self;
    if (name[0] == '\0')
        return tact_ctx_fail(ctx, GREETER_EMPTY_NAME, "whom should I greet?");
    size_t n = strlen(g->greeting) + strlen(name) + strlen(g->punctuation) + 3;
    char *text = malloc(n);
    if (!text)
        return TACT_ENOMEM;
    snprintf(text, n, "%s, %s%s", g->greeting, name, g->punctuation);
    *reply = text; /* a heap string: the runtime hands it to the asker's future */
    g->greeted++;
    return TACT_OK;
}

static tact_status greeted(tact_ctx *ctx, void *self, int32_t *reply) {
    (void)ctx;
    *reply = ((greeter *)self)->greeted;
    return TACT_OK;
}

const greet_Greeter_impl greeter_impl = {
    .state_size = sizeof(greeter),
    .on_start = on_start,
    .on_stop = on_stop,
    .on_failure = on_failure,
    greet_Greeter_HANDLERS(greet, greeted),
};
