/* The Pipeline actor: the guide's main(), which awaited each stage in turn,
 * as an actor that never waits. Each answer arrives as a continuation
 * (tact_future_then_in), a message to this actor like any other, which sends
 * the input on to the next stage. Many inputs are in flight at once, each at
 * its own stage, and the Pipeline's state needs no lock: submits,
 * continuations and the stop message are handled one at a time. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "async_pipeline.h"

enum { LOADER, PREPROCESSOR, MODEL, N_STAGES };
static const char *const stage_names[N_STAGES] = {"loader", "preprocessor", "model"};

typedef struct item {
    char *input;
    char *result; /* the model's answer, or */
    char *error;  /* why a stage refused it */
} item;

typedef struct pipeline {
    apipe_Stage_ref stages[N_STAGES];
    item *items;
    size_t n_items, cap_items;
    size_t in_flight;
    bool stopping;
} pipeline;

static tact_status on_start(tact_ctx *ctx, void *self, apipe_Stage_ref loader,
                            apipe_Stage_ref preprocessor, apipe_Stage_ref model) {
    (void)ctx;
    pipeline *p = self;
    p->stages[LOADER] = apipe_Stage_ref_dup(loader);
    p->stages[PREPROCESSOR] = apipe_Stage_ref_dup(preprocessor);
    p->stages[MODEL] = apipe_Stage_ref_dup(model);
    return TACT_OK;
}

static tact_status on_stop(tact_ctx *ctx, void *self) {
    (void)ctx;
    pipeline *p = self;
    for (int i = 0; i < N_STAGES; i++)
        apipe_Stage_ref_release(&p->stages[i]);
    for (size_t i = 0; i < p->n_items; i++) {
        free(p->items[i].input);
        free(p->items[i].result);
        free(p->items[i].error);
    }
    free(p->items);
    return TACT_OK;
}

static void on_failure(tact_ctx *ctx, void *self, tact_status code, const char *message) {
    fprintf(stderr, "Actor failed: pipeline: %s (code %d)\n", message, code);
    on_stop(ctx, self);
}

/* Once stopping and nothing is in flight: report, then stop the stages (the
 * loader passes the stop on) and this actor. Continuations of a stopped actor
 * are dropped, which is why the stop waits for the last answer. */
static tact_status maybe_finish(tact_ctx *ctx, pipeline *p) {
    if (!p->stopping || p->in_flight > 0)
        return TACT_OK;
    for (size_t i = 0; i < p->n_items; i++)
        printf("%-12s -> %s\n", p->items[i].input,
               p->items[i].result ? p->items[i].result : p->items[i].error);
    if (apipe_Stage_stop_message(p->stages[LOADER]) != TACT_OK) {
        /* The loader is gone already: stop the others directly. */
        apipe_Stage_stop(p->stages[PREPROCESSOR]);
        apipe_Stage_stop(p->stages[MODEL]);
    }
    return tact_ctx_stop(ctx);
}

static void finish_item(pipeline *p, size_t i, char *result, char *error) {
    p->items[i].result = result;
    p->items[i].error = error;
    p->in_flight--;
}

/* Records that stage refused item i: the failure is the item's, the pipeline
 * goes on with the others. */
static tact_status fail_item(tact_ctx *ctx, pipeline *p, size_t i, int stage, tact_status code,
                             const char *why) {
    char buf[256];
    snprintf(buf, sizeof buf, "failed in %s (code %d): %s", stage_names[stage], code, why);
    char *error = tact_strdup(buf);
    if (!error)
        return TACT_ENOMEM;
    finish_item(p, i, NULL, error);
    return maybe_finish(ctx, p);
}

static tact_status on_answer(tact_ctx *ctx, void *self, tact_future *f, void *arg);

/* Asks stage to handle text for item i, and arranges for its answer to come
 * back as a continuation. */
static tact_status send_to(tact_ctx *ctx, pipeline *p, size_t i, int stage, const char *text) {
    apipe_Stage_handle_future *f;
    tact_status st = apipe_Stage_handle(p->stages[stage], text, &f);
    if (st != TACT_OK) /* TACT_EDEAD: that stage has stopped */
        return fail_item(ctx, p, i, stage, st, tact_strerror(st));
    uintptr_t step = (uintptr_t)i * N_STAGES + (uintptr_t)stage;
    st = tact_future_then_in(apipe_Stage_handle_future_base(f), ctx, on_answer, (void *)step);
    /* The continuation holds the future while it needs it: ours can go. */
    apipe_Stage_handle_future_free(f);
    if (st != TACT_OK)
        return fail_item(ctx, p, i, stage, st, "the answer cannot be awaited");
    return TACT_OK;
}

/* A stage answered item i: on to the next stage, or done. Runs in the
 * Pipeline, like a handler; f is complete, so the get below does not wait. */
static tact_status on_answer(tact_ctx *ctx, void *self, tact_future *f, void *arg) {
    pipeline *p = self;
    size_t i = (uintptr_t)arg / N_STAGES;
    int stage = (int)((uintptr_t)arg % N_STAGES);
    const char *text;
    tact_status st = apipe_Stage_handle_future_get(apipe_Stage_handle_future_from(f), 0, &text);
    if (st == TACT_EHANDLER) {
        /* The stage's handler failed (tact_ctx_fail): its code and text. */
        tact_status code;
        const char *why;
        tact_future_error(f, &code, &why);
        return fail_item(ctx, p, i, stage, code, why);
    }
    if (st != TACT_OK)
        return fail_item(ctx, p, i, stage, st, tact_strerror(st));
    if (stage + 1 < N_STAGES)
        return send_to(ctx, p, i, stage + 1, text);
    char *result = tact_strdup(text); /* text belongs to f, which goes after this call */
    if (!result)
        return TACT_ENOMEM;
    finish_item(p, i, result, NULL);
    return maybe_finish(ctx, p);
}

static tact_status submit(tact_ctx *ctx, void *self, const char *input) {
    pipeline *p = self;
    if (p->stopping) /* cannot happen: the stop message is the last one we get */
        return TACT_OK;
    if (p->n_items == p->cap_items) {
        size_t cap = p->cap_items ? 2 * p->cap_items : 8;
        item *items = realloc(p->items, cap * sizeof *items);
        if (!items)
            return TACT_ENOMEM;
        p->items = items;
        p->cap_items = cap;
    }
    size_t i = p->n_items;
    if (!(p->items[i].input = tact_strdup(input)))
        return TACT_ENOMEM;
    p->items[i].result = p->items[i].error = NULL;
    p->n_items++;
    p->in_flight++;
    return send_to(ctx, p, i, LOADER, input);
}

/* The stop message: like the guide's 'stop', it comes after the inputs sent
 * before it; unlike it, the inputs still in flight are let finish. */
static tact_status stop_message(tact_ctx *ctx, void *self) {
    pipeline *p = self;
    p->stopping = true;
    return maybe_finish(ctx, p);
}

const apipe_Pipeline_impl pipeline_impl = {
    .state_size = sizeof(pipeline),
    .on_start = on_start,
    .on_stop = on_stop,
    .on_failure = on_failure,
    apipe_Pipeline_HANDLERS(submit, stop_message),
};
