/* oom: the lines of an OOM report that name who asked and who was killed:
 * the header "<comm> invoked oom-killer: ...", the 5.0+ "oom-kill:" summary,
 * kill lines (all their forms since 2.6), memory.oom.group, oom_reaper. */
#ifndef OOMTEST_KLOG_OOM_H
#define OOMTEST_KLOG_OOM_H

#include <stdbool.h>
#include <stddef.h>

#include "klog/event.h"

/* Parses the header text after "gfp_mask="; false if it stops short of
 * "order=" (a console split the line: more will come). */
bool parse_header_tail(struct oom_event *ev, struct span s);
/* m: the message; its comm ends at comm_len. */
void on_header(struct klog *k, struct span m, size_t comm_len);
/* Parses ev->summary; false if it stops short of ",uid=". */
bool parse_summary(struct oom_event *ev);
/* m: the message after "oom-kill:". */
void on_summary(struct klog *k, struct span m);
/* s: after "Killed process ". */
void on_killed(struct klog *k, struct span s, enum kill_kind kind);
/* s: after "Kill process ". */
void on_kill_process(struct klog *k, struct span s, enum kill_kind kind);
/* s: after "Out of memory: " or "Memory cgroup out of memory: ". */
void on_kill_prefixed(struct klog *k, struct span s, enum kill_kind kind);
/* s: after "Tasks in ". */
void on_group(struct klog *k, struct span s);
/* s: after "oom_reaper: ". */
void on_reaper(struct klog *k, struct span s);

#endif
