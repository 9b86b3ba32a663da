/* clock: the monotonic clock, in the units the harness measures with. */
#ifndef OOMTEST_CLOCK_H
#define OOMTEST_CLOCK_H

#include <stdint.h>

double clock_now_s(void);    /* seconds, CLOCK_MONOTONIC */
uint64_t clock_now_ms(void); /* milliseconds, CLOCK_MONOTONIC */

#endif
