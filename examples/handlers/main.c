/* CompAktor's ideas through tact: handlers per message type, queries with
 * results, the PoisonPill, and what happens when a handler fails. */
#include <stdio.h>
#include <stdlib.h>

#include "recorder.h"

static void check(tact_status st, const char *what) {
    if (st != TACT_OK) {
        fprintf(stderr, "handlers: %s: %s\n", what, tact_strerror(st));
        exit(1);
    }
}

static void record(handlers_Recorder_ref r, const char *sensor, double value) {
    handlers_Reading reading = handlers_Reading_INIT;
    reading.sensor = (char *)sensor; /* the proxy copies it */
    reading.value = value;
    check(handlers_Recorder_record(r, &reading), "record");
}

/* Prints how an ask ended when it did not succeed. */
static void print_failure(const char *what, tact_future *f, tact_status st) {
    if (st == TACT_EHANDLER) {
        tact_status code;
        const char *why;
        tact_future_error(f, &code, &why);
        printf("%s failed: code %d (%s): %s\n", what, code, tact_strerror(code), why);
    } else {
        printf("%s: %s\n", what, tact_strerror(st));
    }
}

static void print_summary(handlers_Recorder_ref r) {
    handlers_Recorder_summary_future *f;
    tact_status st = handlers_Recorder_summary(r, &f);
    if (st == TACT_EDEAD) { /* refused at once: already dead */
        printf("summary: %s\n", tact_strerror(st));
        return;
    }
    check(st, "summary");
    const handlers_Summary *s;
    st = handlers_Recorder_summary_future_get(f, TACT_FOREVER, &s);
    if (st == TACT_OK) {
        printf("summary: %d readings, mean %.2f, sensors:", s->readings, s->mean);
        for (size_t i = 0; i < s->n_sensors; i++)
            printf(" %s", s->sensors[i]);
        printf("\n");
    } else {
        print_failure("summary", handlers_Recorder_summary_future_base(f), st);
    }
    handlers_Recorder_summary_future_free(f); /* frees s too */
}

static void print_max(handlers_Recorder_ref r, const char *sensor) {
    handlers_Recorder_max_of_future *f;
    check(handlers_Recorder_max_of(r, sensor, &f), "max_of");
    double max;
    tact_status st = handlers_Recorder_max_of_future_get(f, TACT_FOREVER, &max);
    char what[64];
    snprintf(what, sizeof what, "max_of(%s)", sensor);
    if (st == TACT_OK)
        printf("%s = %.1f\n", what, max);
    else
        print_failure(what, handlers_Recorder_max_of_future_base(f), st);
    handlers_Recorder_max_of_future_free(f);
}

int main(void) {
    tact_system *sys;
    check(tact_system_new(NULL, &sys), "system");
    handlers_Recorder_ref r;

    /* CompAktor finds a missing handler when the message comes. A table built
     * with handlers_Recorder_HANDLERS() cannot miss one; one that leaves a
     * handler NULL anyway is refused before any message is sent. */
    handlers_Recorder_impl incomplete = recorder_impl;
    incomplete.median = NULL;
    tact_status refused = handlers_Recorder_spawn(sys, &incomplete, NULL, &r);
    printf("spawn without median: %s: %s\n", tact_strerror(refused), tact_error_text());

    check(handlers_Recorder_spawn(sys, &recorder_impl, NULL, &r), "spawn");

    /* Plain messages: tells return at once. The query after them is answered
     * after them, since one sender's messages arrive in order. */
    record(r, "kitchen", 21.5);
    record(r, "garden", 12.0);
    record(r, "kitchen", 23.0);
    record(r, "garden", 9.5);
    print_summary(r);
    print_max(r, "kitchen");
    print_max(r, "attic"); /* the handler fails: the future carries it */

    /* A query the recorder declines. */
    handlers_Recorder_median_future *mf;
    check(handlers_Recorder_median(r, &mf), "median");
    double median;
    tact_status st = handlers_Recorder_median_future_get(mf, TACT_FOREVER, &median);
    print_failure("median", handlers_Recorder_median_future_base(mf), st);
    handlers_Recorder_median_future_free(mf);

    /* The PoisonPill goes in the mailbox behind one more reading, which is
     * still recorded; after the pill the actor is gone. */
    record(r, "attic", 30.0);
    check(handlers_Recorder_poison_pill(r), "poison_pill");
    check(tact_actor_wait(r.actor, TACT_FOREVER), "wait for the recorder");
    handlers_Reading late = handlers_Reading_INIT;
    late.sensor = "attic";
    late.value = 31.0;
    printf("after the pill, record: %s\n", tact_strerror(handlers_Recorder_record(r, &late)));
    handlers_Recorder_ref_release(&r);

    /* A second Recorder, to see a failing tell: nobody is there to receive
     * the error, so the actor stops (on_failure runs, on stderr) and the
     * query queued behind the bad message fails with TACT_EDEAD. */
    check(handlers_Recorder_spawn(sys, &recorder_impl, NULL, &r), "spawn");
    record(r, "cellar", 14.0);
    record(r, "", 0.0);
    print_summary(r);
    check(tact_actor_wait(r.actor, TACT_FOREVER), "wait for the recorder");
    handlers_Recorder_ref_release(&r);

    tact_system_destroy(&sys);
    return 0;
}
