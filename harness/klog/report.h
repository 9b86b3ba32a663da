/* report: the lines inside an open OOM report, between its header and its
 * kill: the CPU line, the 4.x cpuset line, section starts, and the routing
 * to meminfo, memcg and tasks. */
#ifndef OOMTEST_KLOG_REPORT_H
#define OOMTEST_KLOG_REPORT_H

#include <stdbool.h>

#include "klog/event.h"

/* Whether m belonged to ev's report. */
bool on_report_line(struct klog *k, struct oom_event *ev, struct span m);

#endif
