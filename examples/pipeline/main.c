/* The Pykka data-science pipeline:
 *
 *   loader -> preprocessor -> model
 *
 * Pykka's guide chains three asks, each stage getting the whole data set.
 * Here the data goes down the pipeline in chunks, as tells: while the Model
 * scores chunk 1, the Preprocessor cleans chunk 2 and the Loader reads
 * chunk 3. main only asks at the ends.
 *
 * Usage: pipeline [data.csv]   (default: the data.csv beside this file) */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"

#ifndef PIPELINE_DATA
#define PIPELINE_DATA "data.csv"
#endif
#define CHUNK_ROWS 250

static void check(tact_status st, const char *what) {
    if (st != TACT_OK) {
        fprintf(stderr, "pipeline: %s: %s\n", what, tact_strerror(st));
        exit(1);
    }
}

/* After a get: TACT_OK, or false with the handler's own message on stderr. */
static bool got(tact_status st, tact_future *f, const char *what) {
    if (st == TACT_OK)
        return true;
    const char *why = tact_strerror(st);
    if (st == TACT_EHANDLER)
        tact_future_error(f, NULL, &why);
    fprintf(stderr, "pipeline: %s: %s\n", what, why);
    return false;
}

/* stop_wait's answer, with "it was dead already" counted as success. */
static tact_status stopped(tact_status st) {
    return st == TACT_EDEAD ? TACT_OK : st;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : PIPELINE_DATA;
    tact_system *sys;
    check(tact_system_new(NULL, &sys), "system");

    /* Each stage is spawned with the next one, so the pipeline is built from
     * its end. The Loader gets a thread of its own: it blocks on file reads. */
    pipeline_Model_ref model;
    pipeline_Preprocessor_ref preprocessor;
    pipeline_Loader_ref loader;
    tact_spawn_opts pinned = TACT_SPAWN_OPTS_INIT;
    pinned.pinned = 1;
    check(pipeline_Model_spawn(sys, &model_impl, NULL, &model), "spawn model");
    check(pipeline_Preprocessor_spawn(sys, &preprocessor_impl, model, NULL, &preprocessor),
          "spawn preprocessor");
    check(pipeline_Loader_spawn(sys, &loader_impl, preprocessor, &pinned, &loader), "spawn loader");

    /* 1. Load: the reply comes once every chunk has been sent on. */
    pipeline_Loader_load_future *lf;
    const pipeline_LoadReport *loaded;
    check(pipeline_Loader_load(loader, path, CHUNK_ROWS, &lf), "load");
    bool ok = got(pipeline_Loader_load_future_get(lf, TACT_FOREVER, &loaded),
                  pipeline_Loader_load_future_base(lf), "load");
    if (!ok) {
        pipeline_Loader_load_future_free(lf);
        goto stop; /* a failed ask leaves the actors running: stop them all */
    }
    const char *name = strrchr(path, '/');
    printf("loaded %d rows in %d chunks of up to %d from %s\n", loaded->rows, loaded->chunks,
           CHUNK_ROWS, name ? name + 1 : path);
    pipeline_Loader_load_future_free(lf);

    /* 2. Ask the Preprocessor for its counts. Every chunk was queued in its
     * mailbox before the Loader replied, and a send that has returned is ahead
     * of any send that starts later, so this ask is handled after the last
     * chunk, and by then every batch has been sent on to the Model. */
    pipeline_Preprocessor_report_future *rf;
    const pipeline_CleanReport *cleaned;
    check(pipeline_Preprocessor_report(preprocessor, &rf), "report");
    ok = got(pipeline_Preprocessor_report_future_get(rf, TACT_FOREVER, &cleaned),
             pipeline_Preprocessor_report_future_base(rf), "report");
    if (ok)
        printf("preprocessed %d chunks: %d rows kept, %d dropped (missing values)\n",
               cleaned->chunks, cleaned->kept, cleaned->dropped);
    pipeline_Preprocessor_report_future_free(rf);
    if (!ok)
        goto stop;

    /* 3. For the same reason, the Model's summary covers every batch. */
    pipeline_Model_summary_future *sf;
    const pipeline_Summary *s;
    check(pipeline_Model_summary(model, &sf), "summary");
    ok = got(pipeline_Model_summary_future_get(sf, TACT_FOREVER, &s),
             pipeline_Model_summary_future_base(sf), "summary");
    if (ok) {
        printf("model: %d predictions\n", s->predictions);
        for (size_t i = 0; i < s->n_first; i++)
            printf("  line %4d: predicted %8.3f, actual %8.3f\n", s->first[i]->line,
                   s->first[i]->predicted, s->first[i]->actual);
        printf("prediction mean %.3f, min %.3f, max %.3f\n", s->mean, s->min, s->max);
        printf("rmse against the target: %.3f\n", s->rmse);
    }
    pipeline_Model_summary_future_free(sf);

stop:
    /* Upstream first: each stage has handled everything sent to it when it
     * dies, so nothing is in flight towards the next. A stage that failed is
     * dead already (TACT_EDEAD), which is fine here. */
    check(stopped(pipeline_Loader_stop_wait(loader, TACT_FOREVER)), "stop loader");
    check(stopped(pipeline_Preprocessor_stop_wait(preprocessor, TACT_FOREVER)), "stop preprocessor");
    check(stopped(pipeline_Model_stop_wait(model, TACT_FOREVER)), "stop model");
    pipeline_Loader_ref_release(&loader);
    pipeline_Preprocessor_ref_release(&preprocessor);
    pipeline_Model_ref_release(&model);
    tact_system_destroy(&sys);
    return ok ? 0 : 1;
}
