/* The Model: a fixed linear model over the standardized features. Its running
 * totals are plain fields of its state: only its own handlers touch them, one
 * batch at a time, however many threads the pipeline runs on. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "pipeline.h"

/* gen-data's coefficients, rewritten for standardized features (the data's
 * mean m and standard deviation s of each feature): w = beta * s and
 * intercept = 10 + sum(beta * m). */
static const double intercept = 1.1;
static const double weights[N_FEATURES] = {5.0, -6.0, 0.8, 1.5};

#define KEEP_FIRST 5

typedef struct model {
    int32_t n;
    double sum, min, max, sq_error;
    size_t n_first;
    struct {
        int32_t line;
        double predicted, actual;
    } first[KEEP_FIRST];
} model;

static void on_failure(tact_ctx *ctx, void *self, tact_status code, const char *message) {
    (void)ctx;
    (void)self;
    fprintf(stderr, "pipeline: model failed (code %d): %s\n", code, message);
}

static tact_status predict(tact_ctx *ctx, void *self, const pipeline_Batch *batch) {
    model *m = self;
    for (size_t i = 0; i < batch->n_samples; i++) {
        const pipeline_Sample *s = batch->samples[i];
        if (s->n_z != N_FEATURES)
            return tact_ctx_fail(ctx, TACT_EINVAL, "line %d: %zu features", s->line, s->n_z);
        double p = intercept;
        for (int j = 0; j < N_FEATURES; j++)
            p += weights[j] * s->z[j];
        if (m->n == 0 || p < m->min)
            m->min = p;
        if (m->n == 0 || p > m->max)
            m->max = p;
        m->n++;
        m->sum += p;
        m->sq_error += (p - s->y) * (p - s->y);
        /* Batches come from one sender, in order: the first kept are the
         * first lines of the file. */
        if (m->n_first < KEEP_FIRST) {
            m->first[m->n_first].line = s->line;
            m->first[m->n_first].predicted = p;
            m->first[m->n_first].actual = s->y;
            m->n_first++;
        }
    }
    return TACT_OK;
}

static tact_status summary(tact_ctx *ctx, void *self, pipeline_Summary *reply) {
    (void)ctx;
    model *m = self;
    reply->predictions = m->n;
    if (m->n > 0) {
        reply->mean = m->sum / m->n;
        reply->min = m->min;
        reply->max = m->max;
        reply->rmse = sqrt(m->sq_error / m->n);
    }
    if (m->n_first == 0)
        return TACT_OK;
    if (!(reply->first = calloc(m->n_first, sizeof *reply->first)))
        return TACT_ENOMEM;
    for (size_t i = 0; i < m->n_first; i++) {
        pipeline_Prediction *p;
        tact_status st = tact_pb_new(&pipeline_Prediction_descriptor, (void **)&p);
        if (st != TACT_OK)
            return st; /* the reply, with what it holds so far, is freed for us */
        p->line = m->first[i].line;
        p->predicted = m->first[i].predicted;
        p->actual = m->first[i].actual;
        reply->first[reply->n_first++] = p;
    }
    return TACT_OK;
}

const pipeline_Model_impl model_impl = {
    .state_size = sizeof(model),
    .on_failure = on_failure,
    pipeline_Model_HANDLERS(predict, summary),
};
