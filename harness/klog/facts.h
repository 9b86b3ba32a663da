/* facts: the facts a case file can test, derived from klog's events
 * (oom.count, oom.N.* and oom.last.*, panic.*, alloc_failure.*, counts of
 * oopses and watchdog reports; the README lists them). */
#ifndef OOMTEST_KLOG_FACTS_H
#define OOMTEST_KLOG_FACTS_H

#include "lib/facts.h"

struct klog;

/* Adds every fact derived from the events to f. */
void klog_add_facts(const struct klog *k, struct facts *f);

#endif
