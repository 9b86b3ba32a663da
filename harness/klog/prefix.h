/* prefix: what a log writer puts in front of a kernel message: syslog and
 * RFC 3339 stamps with host and tag, dmesg --time-format=iso, /dev/kmsg
 * records, Android log tools' date and time, the console's "<6>",
 * "[    1.234567]", dmesg -T stamps and printk caller ids, and the context
 * fields vendor kernels add (cpu, pid, comm). Each reader returns what it
 * found and never looks past the span. */
#ifndef OOMTEST_KLOG_PREFIX_H
#define OOMTEST_KLOG_PREFIX_H

#include <stdbool.h>
#include <stddef.h>

#include "klog/span.h"

/* "Jan  5 15:19:27 " / "Aug 12 03:54:03.123456 " (month names may be
 * localised); returns the length including the space, or 0. */
size_t syslog_stamp(struct span s);
/* "2024-01-07T17:53:49[.,frac][Z|+00:00|+0000] ": its length with the
 * space, or 0; *comma tells dmesg --time-format=iso (comma) from syslog
 * RFC 3339 (dot). */
size_t iso_stamp(struct span s, bool *comma);
/* After a syslog stamp: "[host ]kernel: msg" is the kernel (s moves to
 * msg), any other "[host ]tag[pid]: msg" is not. */
bool syslog_kernel(struct span *s);
/* The kernel's "[%5lu.%06lu] " while uptime < 100000 s. */
bool kernel_stamp(struct span t);
/* Skips the console prefix: "<6>", "[    1.234567]" or dmesg -T "[Di Aug
 * 12 03:54:03 2025]", then the caller id "[T123]"/"[C1]", then one space.
 * The stamp goes to *time, a thread caller id to *caller_tid; each is left
 * alone when absent. */
void console_prefix(struct span *s, struct span *time, long long *caller_tid);
/* Skips "6,1234,5678901,-;" (/dev/kmsg); false if s does not start so. */
bool kmsg_prefix(struct span *s);
/* "07-13 08:41:51.341 " (an Android log tool's date and time): its
 * length with the space, or 0. */
size_t logcat_stamp(struct span s);
/* Skips the context vendor kernels print after the stamp, and one space:
 * HiSilicon "[pid:1361,cpu5,comm]", Samsung " [3:  comm:22875]", MediaTek
 * "-(1)[106:kswapd0]" or " (0)[]" (after an optional "<0>"), any run of
 * such fields. False, s untouched, when s does not start with one. */
bool context_fields(struct span *s);

#endif
