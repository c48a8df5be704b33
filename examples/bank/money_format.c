#include <stdio.h>
#include <stdlib.h>

#include "bank.h"

const char *money_format(char *buf, size_t size, int64_t cents, money_Currency currency) {
    const char *code = currency == money_EUR ? "EUR" : currency == money_USD ? "USD" : "???";
    long long abs_cents = llabs((long long)cents);
    snprintf(buf, size, "%s%lld.%02lld %s", cents < 0 ? "-" : "", abs_cents / 100,
             abs_cents % 100, code);
    return buf;
}
