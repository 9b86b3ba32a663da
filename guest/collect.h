/* collect: the plan's `collect SNAPSHOT ITEM...` lines, as "snap" records.
 * The items are proto/collect.h's collectors: /proc files, every file of a
 * cgroup, a running step's /proc/PID/status. */
#ifndef OOMTEST_GUEST_COLLECT_H
#define OOMTEST_GUEST_COLLECT_H

#include <stddef.h>

struct plan_line;

/* Opens the /proc files the plan's collect lines will read, before any
 * step runs: later snapshots then allocate nothing to open them. */
void collect_open_early(const struct plan_line *plan, size_t n);
/* Snapshot snap of one item: "snap" records, or an "err" record. */
void collect(const char *snap, const char *item);

#endif
