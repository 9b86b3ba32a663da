/* text: the human summary of a parsed log (`oomtest parse`, the HTML
 * report): one paragraph per OOM event, then panics, allocation failures,
 * oopses and watchdog reports. */
#ifndef OOMTEST_KLOG_TEXT_H
#define OOMTEST_KLOG_TEXT_H

#include "lib/strbuf.h"

struct klog;

/* Writes a human summary, one paragraph per event. */
void klog_to_text(const struct klog *k, struct strbuf *out);

#endif
