/* klog: streaming parser for kernel logs (serial console, dmesg, dmesg -T,
 * journalctl -k, syslog, /dev/kmsg) of kernels 2.6-6.12. It owns the line
 * splitting, prefix stripping and the event model: OOM reports (header,
 * memcg context, Mem-Info, zones, buddy lists, task table, summary, kills,
 * oom_reaper), panics, "no killable processes", page allocation failures and
 * oops/BUG/WARNING headers. It keeps events, never the log, so its memory
 * does not grow with the log; the README lists the facts it makes. */
#ifndef OOMTEST_KLOG_H
#define OOMTEST_KLOG_H

#include <stddef.h>

#include "lib/facts.h"
#include "lib/strbuf.h"

/* The longest part of one line that is looked at; the rest is skipped. */
#define KLOG_MAX_LINE (64 * 1024)
/* OOM events kept in detail: past this, the last slot always holds the
 * latest event (oom.count and oom.last.* stay right). */
#define KLOG_MAX_EVENTS 1000

struct klog;

struct klog *klog_new(void);
void klog_free(struct klog *k);
/* Feeds raw bytes in any chunking (a serial console delivers partial lines). */
void klog_feed(struct klog *k, const char *data, size_t len);
/* End of input: flushes a partial last line; an unfinished report is kept,
 * marked partial. */
void klog_end(struct klog *k);
/* Adds every fact derived from the events to f (listed in the README). */
void klog_add_facts(const struct klog *k, struct facts *f);
/* Writes the full event structure as one JSON object. */
void klog_to_json(const struct klog *k, struct strbuf *out);
/* Writes a human summary, one paragraph per event. */
void klog_to_text(const struct klog *k, struct strbuf *out);
size_t klog_oom_count(const struct klog *k);

#endif
