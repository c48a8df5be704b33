/* The Recorder's handlers, one per message type. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recorder.h"

#define MAX_SENSORS 16

typedef struct sensor {
    char *name;
    double max;
} sensor;

typedef struct recorder {
    sensor sensors[MAX_SENSORS];
    size_t n_sensors;
    int32_t readings;
    double sum;
} recorder;

static sensor *find_sensor(recorder *r, const char *name) {
    for (size_t i = 0; i < r->n_sensors; i++)
        if (strcmp(r->sensors[i].name, name) == 0)
            return &r->sensors[i];
    return NULL;
}

static void free_sensors(recorder *r) {
    for (size_t i = 0; i < r->n_sensors; i++)
        free(r->sensors[i].name);
    r->n_sensors = 0;
}

/* A tell's handler: nobody waits for it, so a failure cannot be returned to a
 * sender. Like CompAktor's handle_fail(), it stops the actor (on_failure
 * runs); queued queries then fail with TACT_EDEAD. */
static tact_status record(tact_ctx *ctx, void *self, const handlers_Reading *reading) {
    recorder *r = self;
    /* A plain message field may arrive NULL (its .proto field is optional). */
    if (!reading->sensor || reading->sensor[0] == '\0')
        return tact_ctx_fail(ctx, RECORDER_BAD_READING, "a reading without a sensor");
    sensor *s = find_sensor(r, reading->sensor);
    if (!s) {
        if (r->n_sensors == MAX_SENSORS)
            return tact_ctx_fail(ctx, RECORDER_BAD_READING, "too many sensors");
        s = &r->sensors[r->n_sensors];
        if (!(s->name = tact_strdup(reading->sensor)))
            return TACT_ENOMEM;
        s->max = reading->value;
        r->n_sensors++;
    }
    s->max = fmax(s->max, reading->value);
    r->readings++;
    r->sum += reading->value;
    return TACT_OK;
}

/* A query: QueryMessage's result.set_result(response) is the reply written
 * here. The Summary is an empty message made by the runtime; everything put in
 * it is heap memory that the runtime frees with it. */
static tact_status summary(tact_ctx *ctx, void *self, handlers_Summary *reply) {
    (void)ctx;
    recorder *r = self;
    reply->readings = r->readings;
    reply->mean = r->readings ? r->sum / r->readings : 0.0;
    if (r->n_sensors == 0)
        return TACT_OK;
    if (!(reply->sensors = calloc(r->n_sensors, sizeof *reply->sensors)))
        return TACT_ENOMEM;
    for (size_t i = 0; i < r->n_sensors; i++) {
        if (!(reply->sensors[i] = tact_strdup(r->sensors[i].name)))
            return TACT_ENOMEM; /* the ones made so far are freed with the reply */
        reply->n_sensors = i + 1;
    }
    return TACT_OK;
}

/* A query that fails: set_exception(ex) becomes tact_ctx_fail(). The asker
 * gets TACT_EHANDLER with this code and text; the actor goes on. */
static tact_status max_of(tact_ctx *ctx, void *self, const char *name, double *reply) {
    sensor *s = find_sensor(self, name);
    if (!s)
        return tact_ctx_fail(ctx, RECORDER_UNKNOWN_SENSOR, "no readings from '%s'", name);
    *reply = s->max;
    return TACT_OK;
}

/* A query this recorder declines: it keeps sums, not every reading. A
 * handler that does not apply fails like any other; leaving it NULL in the
 * table is no way out (spawn refuses the table, see main.c). */
static tact_status median(tact_ctx *ctx, void *self, double *reply) {
    (void)self, (void)reply;
    return tact_ctx_fail(ctx, RECORDER_UNSUPPORTED,
                         "a median needs every reading; this recorder keeps sums");
}

/* The PoisonPill. tact_ctx_stop() refuses new messages from now on and stops
 * the actor once the messages already in its mailbox are handled. (CompAktor's
 * loop ends at the pill itself; here a message queued in the instant between
 * the pill and this handler is still handled. Senders that need a hard cut
 * use the actor's stop, _stop(), which refuses sends as soon as it is made.) */
static tact_status poison_pill(tact_ctx *ctx, void *self) {
    (void)self;
    return tact_ctx_stop(ctx);
}

static tact_status on_stop(tact_ctx *ctx, void *self) {
    (void)ctx;
    free_sensors(self);
    return TACT_OK;
}

/* Runs instead of on_stop when a tell failed. */
static void on_failure(tact_ctx *ctx, void *self, tact_status code, const char *message) {
    (void)ctx;
    /* stderr: this runs on the actor's thread, concurrently with main. */
    fprintf(stderr, "recorder failed (code %d): %s\n", code, message);
    free_sensors(self);
}

const handlers_Recorder_impl recorder_impl = {
    .state_size = sizeof(recorder),
    .on_stop = on_stop,
    .on_failure = on_failure,
    /* One handler per member, in the order of handlers.actor: leaving one out
     * does not compile (CompAktor's HandlerNotFoundError, at build time). */
    handlers_Recorder_HANDLERS(record, summary, max_of, median, poison_pill),
};
