/* tasks: the task table of a report: the header names the columns
 * between "[  pid  ]" and "name" (they changed across kernels), each row
 * gives those numbers and the comm. */
#ifndef OOMTEST_KLOG_TASKS_H
#define OOMTEST_KLOG_TASKS_H

#include <stdbool.h>

#include "klog/event.h"

/* "[  pid  ]   uid  tgid total_vm ... name": starts a new table. */
bool on_task_header(struct oom_event *ev, struct span s);
/* "[ 1234]  uid  tgid ... name": the columns the header named, then comm */
bool on_task_row(struct oom_event *ev, struct span s);

#endif
