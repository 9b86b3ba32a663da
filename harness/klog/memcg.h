/* memcg: the memory cgroup blocks of a report: the usage/limit/failcnt
 * counters and "Memory cgroup stats for PATH" (both the one-line <= 5.2
 * form and the 5.3+ "key value" lines). */
#ifndef OOMTEST_KLOG_MEMCG_H
#define OOMTEST_KLOG_MEMCG_H

#include <stdbool.h>

#include "klog/event.h"

/* "memory: usage NkB, limit NkB, failcnt N" (and memory+swap, kmem, swap) */
bool on_memcg_counter(struct oom_event *ev, struct span s);
/* s: after "Memory cgroup stats for ". */
void on_memcg_stats(struct oom_event *ev, struct span s);
/* "  key 1234" lines of a 5.3+ memory.stat dump */
bool on_stat_line(struct oom_event *ev, struct span s);

#endif
