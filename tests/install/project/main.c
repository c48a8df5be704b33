/* The install test's program: built outside the tact tree against an installed
 * tact, once with CMake (find_package) and once with pkg-config and make. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "greeter.tact.h"

typedef struct greeter {
    char *greeting;
    int32_t greeted;
} greeter;

static tact_status on_start(tact_ctx *ctx, void *self, const char *greeting) {
    (void)ctx;
    greeter *g = self;
    g->greeting = tact_strdup(greeting); /* spawn arguments are borrowed */
    return g->greeting ? TACT_OK : TACT_ENOMEM;
}

static tact_status on_stop(tact_ctx *ctx, void *self) {
    (void)ctx;
    free(((greeter *)self)->greeting);
    return TACT_OK;
}

static tact_status greet(tact_ctx *ctx, void *self, const char *name, char **reply) {
    greeter *g = self;
    if (name[0] == '\0')
        return tact_ctx_fail(ctx, 1, "nobody to greet");
    size_t n = strlen(g->greeting) + strlen(name) + 4;
    if (!(*reply = malloc(n)))
        return TACT_ENOMEM;
    snprintf(*reply, n, "%s, %s!", g->greeting, name);
    g->greeted++;
    return TACT_OK;
}

static tact_status get_greeted(tact_ctx *ctx, void *self, int32_t *reply) {
    (void)ctx;
    *reply = ((greeter *)self)->greeted;
    return TACT_OK;
}

static tact_status set_greeted(tact_ctx *ctx, void *self, int32_t value) {
    (void)ctx;
    ((greeter *)self)->greeted = value;
    return TACT_OK;
}

static const hello_Greeter_impl greeter_impl = {
    .state_size = sizeof(greeter),
    .on_start = on_start,
    .on_stop = on_stop,
    .greet = greet,
    .get_greeted = get_greeted,
    .set_greeted = set_greeted,
};

static void check(tact_status st, const char *what) {
    if (st != TACT_OK) {
        fprintf(stderr, "app: %s: %s\n", what, tact_strerror(st));
        exit(1);
    }
}

static void greet_and_print(hello_Greeter_ref g, const char *name) {
    hello_Greeter_greet_future *f;
    const char *text;
    check(hello_Greeter_greet(g, name, &f), "greet");
    tact_status st = hello_Greeter_greet_future_get(f, 5000, &text);
    if (st == TACT_OK) {
        printf("%s\n", text);
    } else if (st == TACT_EHANDLER) {
        tact_status code;
        const char *why;
        tact_future_error(hello_Greeter_greet_future_base(f), &code, &why);
        printf("greet(\"%s\") failed: %d %s\n", name, code, why);
    } else {
        check(st, "greet result");
    }
    hello_Greeter_greet_future_free(f);
}

int main(void) {
    tact_system_opts opts = TACT_SYSTEM_OPTS_INIT;
    opts.workers = 2;
    tact_system *sys;
    check(tact_system_new(&opts, &sys), "system");

    hello_Greeter_ref g;
    check(hello_Greeter_spawn(sys, &greeter_impl, "Hello", NULL, &g), "spawn");
    greet_and_print(g, "Ada");
    greet_and_print(g, "Grace");
    greet_and_print(g, "");

    hello_Greeter_get_greeted_future *f;
    int32_t n;
    check(hello_Greeter_get_greeted(g, &f), "get greeted");
    check(hello_Greeter_get_greeted_future_get(f, 5000, &n), "greeted");
    hello_Greeter_get_greeted_future_free(f);
    printf("greeted: %d\n", (int)n);

    check(hello_Greeter_stop_wait(g, 5000), "stop");
    hello_Greeter_ref_release(&g);
    tact_system_destroy(&sys);
    return 0;
}
