/* The asyncio guide's pipeline. main sends the inputs and the stop message to
 * the Pipeline actor and waits for the stages to die: nothing in between
 * blocks a thread, and the inputs move through the stages concurrently. */
#include <stdio.h>
#include <stdlib.h>

#include "async_pipeline.h"

static void check(tact_status st, const char *what) {
    if (st != TACT_OK) {
        fprintf(stderr, "async-pipeline: %s: %s\n", what, tact_strerror(st));
        exit(1);
    }
}

int main(void) {
    tact_system *sys;
    check(tact_system_new(NULL, &sys), "system");

    /* Built from the end: each stage is spawned knowing the next, to pass the
     * stop message on. */
    apipe_Stage_ref model, preprocessor, loader, none = {NULL};
    apipe_Pipeline_ref pipe;
    check(apipe_Stage_spawn(sys, &model_impl, "model", none, NULL, &model), "spawn model");
    check(apipe_Stage_spawn(sys, &preprocessor_impl, "preprocessor", model, NULL, &preprocessor),
          "spawn preprocessor");
    check(apipe_Stage_spawn(sys, &loader_impl, "loader", preprocessor, NULL, &loader),
          "spawn loader");
    check(apipe_Pipeline_spawn(sys, &pipeline_impl, loader, preprocessor, model, NULL, &pipe),
          "spawn pipeline");

    static const char *const inputs[] = {"data.csv", "notes.txt", "sales.csv", "empty.csv",
                                         "sensors.csv"};
    size_t n = sizeof inputs / sizeof inputs[0];
    for (size_t i = 0; i < n; i++)
        check(apipe_Pipeline_submit(pipe, inputs[i]), "submit");
    printf("submitted %zu inputs\n", n);
    /* The pipeline prints its report and stops the stages in order. */
    check(apipe_Pipeline_stop_message(pipe), "stop message");

    check(tact_actor_wait(pipe.actor, TACT_FOREVER), "wait for the pipeline");
    apipe_Stage_ref *stages[] = {&loader, &preprocessor, &model};
    for (int i = 0; i < 3; i++) {
        check(tact_actor_wait(stages[i]->actor, TACT_FOREVER), "wait for a stage");
        apipe_Stage_ref_release(stages[i]);
    }
    printf("all stopped\n");
    apipe_Pipeline_ref_release(&pipe);
    tact_system_destroy(&sys);
    return 0;
}
