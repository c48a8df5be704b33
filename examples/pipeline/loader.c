/* The Loader: reads the file and sends it on in chunks.
 *
 * Standardizing needs each column's mean and standard deviation over the
 * whole data set before the first chunk can be scaled. Rather than have the
 * Preprocessor hold every chunk back until the end (which would serialize
 * the pipeline), the Loader makes a quick first pass over the file that only
 * computes those statistics, sends them ahead, and then streams the chunks.
 * Messages from one sender arrive in the order sent, so the Preprocessor sees
 * the scaling before any chunk. Like pandas' dropna() followed by
 * (data - data.mean()) / data.std(), the statistics are those of the complete
 * rows, with the sample standard deviation.
 *
 * The Loader is spawned pinned: its handler blocks on file I/O, which should
 * not hold one of the pool's threads. */
#define _POSIX_C_SOURCE 200809L /* strerror_r */

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

typedef struct loader {
    pipeline_Preprocessor_ref next;
} loader;

static tact_status on_start(tact_ctx *ctx, void *self, pipeline_Preprocessor_ref next) {
    (void)ctx;
    ((loader *)self)->next = pipeline_Preprocessor_ref_dup(next); /* borrowed: keep a copy */
    return TACT_OK;
}

static tact_status on_stop(tact_ctx *ctx, void *self) {
    (void)ctx;
    pipeline_Preprocessor_ref_release(&((loader *)self)->next);
    return TACT_OK;
}

static void on_failure(tact_ctx *ctx, void *self, tact_status code, const char *message) {
    (void)code;
    (void)message;
    on_stop(ctx, self);
}

/* Reads the next line into buf; 1 on success, 0 at the end, -1 if too long. */
static int read_line(FILE *f, char *buf, size_t size) {
    if (!fgets(buf, (int)size, f))
        return 0;
    if (!strchr(buf, '\n') && !feof(f))
        return -1;
    return 1;
}

static tact_status fail_line(tact_ctx *ctx, const char *path, int line) {
    return tact_ctx_fail(ctx, PIPELINE_FORMAT, "%s:%d: expected x1,x2,x3,x4,y", path, line);
}

/* The first pass: Welford's running mean and variance of each feature over the
 * complete rows. */
static tact_status compute_scaling(tact_ctx *ctx, FILE *f, const char *path, double *mean,
                                   double *stddev) {
    double m2[N_FEATURES] = {0};
    long n = 0;
    char buf[256];
    int line = 1, r;
    while ((r = read_line(f, buf, sizeof buf)) > 0) {
        line++;
        csv_row row;
        if (!csv_parse(buf, &row))
            return fail_line(ctx, path, line);
        if (!csv_complete(&row))
            continue;
        n++;
        for (int i = 0; i < N_FEATURES; i++) {
            double d = row.value[i] - mean[i];
            mean[i] += d / (double)n;
            m2[i] += d * (row.value[i] - mean[i]);
        }
    }
    if (r < 0)
        return fail_line(ctx, path, line + 1);
    if (n < 2)
        return tact_ctx_fail(ctx, PIPELINE_FORMAT, "%s: fewer than two complete rows", path);
    for (int i = 0; i < N_FEATURES; i++)
        stddev[i] = sqrt(m2[i] / (double)(n - 1));
    return TACT_OK;
}

static tact_status send_scaling(tact_ctx *ctx, pipeline_Preprocessor_ref next, double *mean,
                                double *stddev) {
    /* A message on the stack: the copying proxy deep-copies it. */
    pipeline_Scaling s = pipeline_Scaling_INIT;
    s.n_mean = s.n_stddev = N_FEATURES;
    s.mean = mean;
    s.stddev = stddev;
    tact_status st = pipeline_Preprocessor_scale(next, &s);
    return st == TACT_OK ? TACT_OK : tact_ctx_fail(ctx, st, "sending the scaling: %s", tact_strerror(st));
}

static tact_status new_row(int line, const csv_row *cells, pipeline_Row **out) {
    pipeline_Row *row;
    tact_status st = tact_pb_new(&pipeline_Row_descriptor, (void **)&row);
    if (st != TACT_OK)
        return st;
    row->line = line;
    row->has_x1 = cells->present[0], row->x1 = cells->value[0];
    row->has_x2 = cells->present[1], row->x2 = cells->value[1];
    row->has_x3 = cells->present[2], row->x3 = cells->value[2];
    row->has_x4 = cells->present[3], row->x4 = cells->value[3];
    row->has_y = cells->present[4], row->y = cells->value[4];
    *out = row;
    return TACT_OK;
}

/* Sends *chunk on and leaves *chunk NULL. _give hands the chunk over instead of
 * copying it: the runtime owns it from the call on, even if the send fails. */
static tact_status send_chunk(tact_ctx *ctx, pipeline_Preprocessor_ref next, pipeline_Chunk **chunk) {
    tact_status st = pipeline_Preprocessor_clean_give(next, *chunk);
    *chunk = NULL;
    return st == TACT_OK ? TACT_OK : tact_ctx_fail(ctx, st, "sending a chunk: %s", tact_strerror(st));
}

/* The second pass: chunks of chunk_rows rows. */
static tact_status stream_chunks(tact_ctx *ctx, loader *l, FILE *f, const char *path,
                                 int32_t chunk_rows, pipeline_LoadReport *reply) {
    pipeline_Chunk *chunk = NULL;
    tact_status st = TACT_OK;
    char buf[256];
    int line = 1;
    while (st == TACT_OK && read_line(f, buf, sizeof buf) > 0) {
        line++;
        csv_row cells;
        if (!csv_parse(buf, &cells)) { /* the first pass read the same file */
            st = fail_line(ctx, path, line);
            break;
        }
        if (!chunk) {
            if ((st = tact_pb_new(&pipeline_Chunk_descriptor, (void **)&chunk)) != TACT_OK)
                break;
            chunk->index = reply->chunks;
            if (!(chunk->rows = calloc((size_t)chunk_rows, sizeof *chunk->rows))) {
                st = TACT_ENOMEM;
                break;
            }
        }
        if ((st = new_row(line, &cells, &chunk->rows[chunk->n_rows])) != TACT_OK)
            break;
        chunk->n_rows++;
        reply->rows++;
        if (chunk->n_rows == (size_t)chunk_rows) {
            reply->chunks++;
            st = send_chunk(ctx, l->next, &chunk);
        }
    }
    if (st == TACT_OK && chunk) { /* the last, shorter chunk */
        reply->chunks++;
        st = send_chunk(ctx, l->next, &chunk);
    }
    tact_pb_free(&pipeline_Chunk_descriptor, chunk); /* what a failure left */
    return st;
}

static tact_status load(tact_ctx *ctx, void *self, const char *path, int32_t chunk_rows,
                        pipeline_LoadReport *reply) {
    if (chunk_rows <= 0)
        return tact_ctx_fail(ctx, TACT_EINVAL, "chunk_rows must be positive");
    FILE *f = fopen(path, "r");
    if (!f) {
        char why[128];
        strerror_r(errno, why, sizeof why);
        return tact_ctx_fail(ctx, PIPELINE_IO, "cannot open %s: %s", path, why);
    }
    char header[256];
    double mean[N_FEATURES] = {0}, stddev[N_FEATURES];
    tact_status st;
    if (read_line(f, header, sizeof header) <= 0)
        st = tact_ctx_fail(ctx, PIPELINE_FORMAT, "%s: no header line", path);
    else if ((st = compute_scaling(ctx, f, path, mean, stddev)) == TACT_OK &&
             (st = send_scaling(ctx, ((loader *)self)->next, mean, stddev)) == TACT_OK) {
        rewind(f);
        read_line(f, header, sizeof header);
        st = stream_chunks(ctx, self, f, path, chunk_rows, reply);
    }
    if (st == TACT_OK && ferror(f))
        st = tact_ctx_fail(ctx, PIPELINE_IO, "%s: read error", path);
    fclose(f);
    return st;
}

const pipeline_Loader_impl loader_impl = {
    .state_size = sizeof(loader),
    .on_start = on_start,
    .on_stop = on_stop,
    .on_failure = on_failure,
    pipeline_Loader_HANDLERS(load),
};
