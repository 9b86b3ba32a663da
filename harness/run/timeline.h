/* timeline: the agent's memory timeline records (proto/proto.h) — "sys"
 * (/proc/meminfo every 50 ms), "cgmem" (a cgroup's memory use, sampled
 * with it) and "event" (steps starting and ending, OOM kills, allocation
 * failures, on the same clock) — checked, kept as the rows of
 * timeline.tsv and timeline-events.tsv, and summed up as timeline.* facts. */
#ifndef OOMTEST_TIMELINE_H
#define OOMTEST_TIMELINE_H

#include <stddef.h>
#include "lib/facts.h"
#include "lib/strbuf.h"

struct timeline {
	struct strbuf rows;        /* "MS\tSERIES\tKB\n": MemFree ... SwapFree, cgroup:GROUP */
	struct strbuf events;      /* "MS\tKIND\tWHAT\n" */
};

void timeline_init(struct timeline *t);
void timeline_release(struct timeline *t);

/* Takes one decoded record (v[0] its kind, n fields) when it is a
 * well-formed sys, cgmem or event record: appends its rows, sets
 * timeline.SERIES.min and .max (kB; cgroup.GROUP for a group),
 * timeline.samples (sys records), timeline.oom_kills and
 * timeline.alloc_fails (the last three are 0 from the first timeline
 * record on), and returns 1. Returns 0, and changes nothing, for any
 * other record or a malformed one. */
int timeline_apply(struct timeline *t, struct facts *f, char **v, size_t n);

#endif
