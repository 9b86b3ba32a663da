/* panic: what is not an OOM report but tells how a test ended: kernel
 * panics, "no killable processes", page allocation failures, oops/BUG/
 * WARNING headers and watchdog reports (lockups, hung tasks, RCU stalls). */
#ifndef OOMTEST_KLOG_PANIC_H
#define OOMTEST_KLOG_PANIC_H

#include <stdbool.h>
#include <stddef.h>

#include "klog/event.h"

void on_no_killable(struct klog *k);
/* r: the reason after "Kernel panic - not syncing: ". */
void on_panic(struct klog *k, struct span r);
/* m: the message, whose comm ends at c before ": page allocation failure";
 * false if the rest is not the kernel's form. */
bool on_alloc_failure(struct klog *k, struct span m, size_t c);
/* Whether m is a die header "<what>: <err> [#<n>]". */
bool is_oops(struct span m);
/* Counts m if it is a watchdog report; returns whether it was one. */
bool on_watchdog(struct klog *k, struct span m);

#endif
