/* Positive control: the reply of add (an int64) forwards to sub and to the
 * property getter, which answer an int64 too; a Greeting to greet. */
#include "calculator.tact.h"
#include "small.tact.h"

tact_status forward(calc_Calculator_add_reply *r, calc_Calculator_ref c);
tact_status forward(calc_Calculator_add_reply *r, calc_Calculator_ref c) {
    int64_t one = 1;
    return r ? calc_Calculator_sub_forward(c, 1, &one, r) : calc_Calculator_get_last_result_forward(c, r);
}

tact_status forward_greeting(small_Greeter_greet_reply *r, small_Greeter_ref g);
tact_status forward_greeting(small_Greeter_greet_reply *r, small_Greeter_ref g) {
    return small_Greeter_greet_forward(g, "you", r);
}
