/* sample: "mem STEP MS RSS_KB" records, every running step's VmRSS at most
 * every 25 ms, timed from the start of the plan. */
#ifndef OOMTEST_GUEST_SAMPLE_H
#define OOMTEST_GUEST_SAMPLE_H

#include "lib/clock.h" /* clock_now_ms */
/* The plan starts now: MS counts from here. */
void sample_begin(void);
/* Samples the running steps if the last sample is old enough. */
void sample_steps(void);

#endif
