/* The three stages: what they share (a name, the next stage, the stop
 * message, SafeActor's failure report) and the handle of each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "async_pipeline.h"

typedef struct stage {
    char *name;
    apipe_Stage_ref next; /* NULL actor for the last stage */
} stage;

static tact_status on_start(tact_ctx *ctx, void *self, const char *name, apipe_Stage_ref next) {
    (void)ctx;
    stage *s = self;
    s->next = apipe_Stage_ref_dup(next); /* an optional reference: NULL stays NULL */
    s->name = tact_strdup(name);
    return s->name ? TACT_OK : TACT_ENOMEM;
}

/* Passes the stop on and lets go of the next stage. Running in on_stop, after
 * this stage has handled everything queued before its stop, it makes the
 * stages stop strictly one after the other, front to back. */
static void pass_stop_on(stage *s) {
    if (s->next.actor) {
        tact_status st = apipe_Stage_stop_message(s->next);
        if (st != TACT_OK)
            fprintf(stderr, "async-pipeline: %s: passing the stop on: %s\n", s->name,
                    tact_strerror(st));
    }
    apipe_Stage_ref_release(&s->next);
    free(s->name);
    s->name = NULL;
}

static tact_status on_stop(tact_ctx *ctx, void *self) {
    (void)ctx;
    stage *s = self;
    printf("%s stopped\n", s->name);
    pass_stop_on(s);
    return TACT_OK;
}

/* SafeActor: "except Exception as e: _logger.error(f'Actor failed: {e}')".
 * A stage whose tell or hook fails stops; this reports it (on stderr, as the
 * guide's logger would) and still passes the stop on, so the stages after
 * it are not left waiting for a stop that would never come. A failing ask
 * does not come here: its asker gets the failure, and the stage goes on. */
static void on_failure(tact_ctx *ctx, void *self, tact_status code, const char *message) {
    (void)ctx;
    stage *s = self;
    fprintf(stderr, "Actor failed: %s: %s (code %d)\n", s->name ? s->name : "stage", message,
            code);
    pass_stop_on(s);
}

static tact_status stop_message(tact_ctx *ctx, void *self) {
    (void)self;
    return tact_ctx_stop(ctx); /* after what is already queued */
}

/* "<prefix><message>" as a heap string for a reply. */
static tact_status reply_with(const char *prefix, const char *message, char **reply) {
    size_t n = strlen(prefix) + strlen(message) + 1;
    if (!(*reply = malloc(n)))
        return TACT_ENOMEM;
    snprintf(*reply, n, "%s%s", prefix, message);
    return TACT_OK;
}

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* DataLoaderActor.on_receive. Only CSV files can be loaded. */
static tact_status load(tact_ctx *ctx, void *self, const char *path, char **reply) {
    (void)self;
    if (!ends_with(path, ".csv"))
        return tact_ctx_fail(ctx, STAGE_CANNOT_LOAD, "cannot load %s: not a CSV file", path);
    return reply_with("Data loaded from ", path, reply);
}

/* DataPreprocessorActor.on_receive. An empty file has nothing to preprocess. */
static tact_status preprocess(tact_ctx *ctx, void *self, const char *data, char **reply) {
    (void)self;
    if (ends_with(data, "empty.csv"))
        return tact_ctx_fail(ctx, STAGE_NO_DATA, "nothing to preprocess in '%s'", data);
    return reply_with("Preprocessed ", data, reply);
}

/* ModelActor.on_receive. */
static tact_status apply_model(tact_ctx *ctx, void *self, const char *data, char **reply) {
    (void)ctx;
    (void)self;
    return reply_with("Prediction based on ", data, reply);
}

#define STAGE_IMPL(handler)                                                                        \
    {                                                                                              \
        .state_size = sizeof(stage), .on_start = on_start, .on_stop = on_stop,                     \
        .on_failure = on_failure, apipe_Stage_HANDLERS(handler, stop_message),                     \
    }

const apipe_Stage_impl loader_impl = STAGE_IMPL(load);
const apipe_Stage_impl preprocessor_impl = STAGE_IMPL(preprocess);
const apipe_Stage_impl model_impl = STAGE_IMPL(apply_model);
