/* The Preprocessor: drops incomplete rows, standardizes the rest, and sends
 * each chunk on to the Model as soon as it is done, while the Loader is
 * already reading the next one. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "pipeline.h"

typedef struct preprocessor {
    pipeline_Model_ref next;
    bool scaled;
    double mean[N_FEATURES], stddev[N_FEATURES];
    int32_t chunks, kept, dropped;
} preprocessor;

static tact_status on_start(tact_ctx *ctx, void *self, pipeline_Model_ref next) {
    (void)ctx;
    ((preprocessor *)self)->next = pipeline_Model_ref_dup(next);
    return TACT_OK;
}

static tact_status on_stop(tact_ctx *ctx, void *self) {
    (void)ctx;
    pipeline_Model_ref_release(&((preprocessor *)self)->next);
    return TACT_OK;
}

/* A failed tell has no asker to tell: it stops the actor and lands here. */
static void on_failure(tact_ctx *ctx, void *self, tact_status code, const char *message) {
    fprintf(stderr, "pipeline: preprocessor failed (code %d): %s\n", code, message);
    on_stop(ctx, self);
}

static tact_status scale(tact_ctx *ctx, void *self, const pipeline_Scaling *scaling) {
    preprocessor *p = self;
    if (scaling->n_mean != N_FEATURES || scaling->n_stddev != N_FEATURES)
        return tact_ctx_fail(ctx, TACT_EINVAL, "a scaling needs %d columns", N_FEATURES);
    for (int i = 0; i < N_FEATURES; i++) {
        if (!(scaling->stddev[i] > 0))
            return tact_ctx_fail(ctx, TACT_EINVAL, "column %d does not vary", i + 1);
        p->mean[i] = scaling->mean[i];
        p->stddev[i] = scaling->stddev[i];
    }
    p->scaled = true;
    return TACT_OK;
}

static bool complete(const pipeline_Row *r) {
    return r->has_x1 && r->has_x2 && r->has_x3 && r->has_x4 && r->has_y;
}

static tact_status new_sample(const preprocessor *p, const pipeline_Row *r, pipeline_Sample **out) {
    pipeline_Sample *s;
    tact_status st = tact_pb_new(&pipeline_Sample_descriptor, (void **)&s);
    if (st != TACT_OK)
        return st;
    if (!(s->z = malloc(N_FEATURES * sizeof *s->z))) {
        tact_pb_free(&pipeline_Sample_descriptor, s);
        return TACT_ENOMEM;
    }
    const double x[N_FEATURES] = {r->x1, r->x2, r->x3, r->x4};
    s->n_z = N_FEATURES;
    for (int i = 0; i < N_FEATURES; i++)
        s->z[i] = (x[i] - p->mean[i]) / p->stddev[i];
    s->line = r->line;
    s->y = r->y;
    *out = s;
    return TACT_OK;
}

static tact_status clean(tact_ctx *ctx, void *self, const pipeline_Chunk *chunk) {
    preprocessor *p = self;
    if (!p->scaled)
        return tact_ctx_fail(ctx, PIPELINE_ORDER, "chunk %d came before the scaling", chunk->index);
    pipeline_Batch *batch;
    tact_status st = tact_pb_new(&pipeline_Batch_descriptor, (void **)&batch);
    if (st != TACT_OK)
        return st;
    batch->index = chunk->index;
    if (chunk->n_rows && !(batch->samples = calloc(chunk->n_rows, sizeof *batch->samples)))
        st = TACT_ENOMEM;
    int32_t kept = 0;
    for (size_t i = 0; st == TACT_OK && i < chunk->n_rows; i++) {
        if (complete(chunk->rows[i]) &&
            (st = new_sample(p, chunk->rows[i], &batch->samples[batch->n_samples])) == TACT_OK) {
            batch->n_samples++;
            kept++;
        }
    }
    if (st != TACT_OK) {
        tact_pb_free(&pipeline_Batch_descriptor, batch);
        return st;
    }
    p->chunks++;
    p->kept += kept;
    p->dropped += (int32_t)chunk->n_rows - kept;
    /* Handed over, not copied: nothing here touches the batch again. */
    st = pipeline_Model_predict_give(p->next, batch);
    return st == TACT_OK ? TACT_OK : tact_ctx_fail(ctx, st, "sending a batch: %s", tact_strerror(st));
}

static tact_status report(tact_ctx *ctx, void *self, pipeline_CleanReport *reply) {
    (void)ctx;
    preprocessor *p = self;
    reply->chunks = p->chunks;
    reply->kept = p->kept;
    reply->dropped = p->dropped;
    return TACT_OK;
}

const pipeline_Preprocessor_impl preprocessor_impl = {
    .state_size = sizeof(preprocessor),
    .on_start = on_start,
    .on_stop = on_stop,
    .on_failure = on_failure,
    pipeline_Preprocessor_HANDLERS(scale, clean, report),
};
