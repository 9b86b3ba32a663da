/* klog: streaming parser for kernel logs (serial console, dmesg, dmesg -T,
 * journalctl -k, syslog, /dev/kmsg) of kernels 2.6-6.12. It finds OOM
 * reports (header, memcg context, Mem-Info, zones, buddy lists, task table,
 * summary, kills, oom_reaper), panics, "no killable processes", page
 * allocation failures and oops/BUG/WARNING headers. It keeps events, never
 * the log, so its memory does not grow with the log; the README lists the
 * facts it makes. This header is the whole public API; the modules behind
 * it are feed (lines and messages), prefix, span, event (the model), oom,
 * report, meminfo, memcg, tasks, panic, and the writers facts, json, text. */
#ifndef OOMTEST_KLOG_H
#define OOMTEST_KLOG_H

/* The longest part of one line that is looked at; the rest is skipped. */
#define KLOG_MAX_LINE (64 * 1024)
/* OOM events kept in detail: past this, the last slot always holds the
 * latest event (oom.count and oom.last.* stay right). */
#define KLOG_MAX_EVENTS 1000

#include "klog/facts.h"
#include "klog/feed.h"
#include "klog/json.h"
#include "klog/text.h"

#endif
