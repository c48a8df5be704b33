#ifndef BANK_H
#define BANK_H

#include "bank.tact.h"

extern const bank_Account_impl account_impl;
extern const bank_Teller_impl teller_impl;

/* "12.34 EUR" into buf; returns buf. */
const char *money_format(char *buf, size_t size, int64_t cents, money_Currency currency);

#endif
