/* Wrong: the reply of add (an int64) cannot be forwarded to greet (a Greeting). */
#include "calculator.tact.h"
#include "small.tact.h"

tact_status forward(calc_Calculator_add_reply *r, small_Greeter_ref g);
tact_status forward(calc_Calculator_add_reply *r, small_Greeter_ref g) {
    return small_Greeter_greet_forward(g, "you", r);
}
