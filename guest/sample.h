/* sample: the run's memory on the plan's clock (ms from the plan's start):
 * "mem STEP MS RSS_KB" for each running step every 25 ms, "sys" (system
 * memory from /proc/meminfo) and "cgmem" (each cgroup's usage) every
 * 50 ms, and "event" records for steps starting, exiting and waits met,
 * and for the kernel's OOM kills and allocation failures read from
 * /dev/kmsg as they come (proto/proto.h). Every file is opened before the
 * plan's steps and then reread with pread: reading them allocates nothing
 * when memory is exhausted. */
#ifndef OOMTEST_GUEST_SAMPLE_H
#define OOMTEST_GUEST_SAMPLE_H

#include <stddef.h>
#include "lib/clock.h" /* clock_now_ms */

/* The plan starts now: MS counts from here. */
void sample_begin(void);
/* The cgroup NAME (directory dir) was made: its usage is sampled too. */
void sample_cgroup(const char *name, const char *dir);
/* Samples what is due and forwards the kernel's new events. */
void sample_steps(void);
/* "event MS KIND WHAT" now. */
void sample_event(const char *kind, const char *what, size_t len);

/* For tests: the kB value of "KEY:" in meminfo text, -1 if absent. */
long long sample_meminfo_kb(const char *text, const char *key);

#endif
