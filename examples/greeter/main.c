/* Spawn arguments: two Greeters of one type, started with different words, as
 * a Pykka user would write
 *
 *   english = Greeter.start(greeting="Hello").proxy()
 *   french = Greeter.start(greeting="Bonjour", punctuation=" !").proxy()
 *   english.greet("Alice").get()
 *
 * Each actor keeps its own arguments: they were copied into its first message,
 * so the caller's strings may change or go away right after spawn returns. */
#include <stdio.h>
#include <stdlib.h>

#include "greeter.h"

static void check(tact_status st, const char *what) {
    if (st != TACT_OK) {
        fprintf(stderr, "greeter: %s: %s\n", what, tact_strerror(st));
        exit(1);
    }
}

/* Asks g to greet name and prints the answer, or how the ask failed. */
static void greet_and_print(const char *who, greet_Greeter_ref g, const char *name) {
    greet_Greeter_greet_future *f;
    tact_status st = greet_Greeter_greet(g, name, &f);
    if (st == TACT_EDEAD) { /* refused at once: the actor is already dead */
        printf("%s greet(\"%s\"): %s\n", who, name, tact_strerror(st));
        return;
    }
    check(st, "greet");
    const char *text;
    st = greet_Greeter_greet_future_get(f, TACT_FOREVER, &text);
    if (st == TACT_OK) {
        printf("%s greet(\"%s\"): %s\n", who, name, text); /* text lives as long as f */
    } else if (st == TACT_EHANDLER) {
        tact_status code;
        const char *why;
        tact_future_error(greet_Greeter_greet_future_base(f), &code, &why);
        printf("%s greet(\"%s\") failed: code %d, %s\n", who, name, code, why);
    } else {
        /* Queued before the actor died: the future says so. */
        printf("%s greet(\"%s\"): %s\n", who, name, tact_strerror(st));
    }
    greet_Greeter_greet_future_free(f);
}

static int32_t greeted(greet_Greeter_ref g) {
    greet_Greeter_greeted_future *f;
    int32_t n;
    check(greet_Greeter_greeted(g, &f), "greeted");
    check(greet_Greeter_greeted_future_get(f, TACT_FOREVER, &n), "greeted result");
    greet_Greeter_greeted_future_free(f);
    return n;
}

int main(void) {
    tact_system *sys;
    check(tact_system_new(NULL, &sys), "system");

    greet_Greeter_ref english, french, mute;
    check(greet_Greeter_spawn(sys, &greeter_impl, "Hello", NULL, NULL, &english), "spawn english");
    check(greet_Greeter_spawn(sys, &greeter_impl, "Bonjour", " !", NULL, &french), "spawn french");

    greet_and_print("english", english, "Alice");
    greet_and_print("french", french, "Alice");
    greet_and_print("english", english, "Bob");
    /* A failing ask answers the asker and leaves the actor running. */
    greet_and_print("english", english, "");
    printf("english has greeted %d, french %d\n", greeted(english), greeted(french));

    /* Spawn returns at once, before on_start has run, so a bad argument cannot
     * fail the spawn itself (Pykka's start() would raise). on_start refuses
     * it, the actor dies, and every message sent to it fails with
     * TACT_EDEAD. */
    check(greet_Greeter_spawn(sys, &greeter_impl, "", NULL, NULL, &mute), "spawn mute");
    greet_and_print("mute", mute, "Alice");
    /* Already dead: stop_wait says so, harmlessly. */
    tact_status st = greet_Greeter_stop_wait(mute, TACT_FOREVER);
    if (st != TACT_EDEAD)
        check(st, "stop mute");

    check(greet_Greeter_stop_wait(english, TACT_FOREVER), "stop english");
    check(greet_Greeter_stop_wait(french, TACT_FOREVER), "stop french");
    greet_Greeter_ref_release(&english);
    greet_Greeter_ref_release(&french);
    greet_Greeter_ref_release(&mute);
    tact_system_destroy(&sys);
    return 0;
}
