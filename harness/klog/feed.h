/* feed: klog's input side. Raw bytes in any chunking become lines (a
 * partial last line waits for the next chunk; overlong lines are cut),
 * each line loses its prefix, and each kernel message (a line, or a part of
 * one rsyslog or /dev/kmsg escaped) goes to the module that reads it.
 * Console-split pr_cont lines are rejoined here. */
#ifndef OOMTEST_KLOG_FEED_H
#define OOMTEST_KLOG_FEED_H

#include <stddef.h>

struct klog;

struct klog *klog_new(void);
void klog_free(struct klog *k);
/* Feeds raw bytes in any chunking (a serial console delivers partial lines). */
void klog_feed(struct klog *k, const char *data, size_t len);
/* End of input: flushes a partial last line; an unfinished report is kept,
 * marked partial. */
void klog_end(struct klog *k);
size_t klog_oom_count(const struct klog *k);

#endif
