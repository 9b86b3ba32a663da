/* meminfo: the memory picture of a report: Mem-Info counters, per-node
 * counters, zones with lowmem_reserve, buddy lists (free blocks per order)
 * and the page totals ("N pages RAM", swap). */
#ifndef OOMTEST_KLOG_MEMINFO_H
#define OOMTEST_KLOG_MEMINFO_H

#include <stdbool.h>

#include "klog/event.h"

/* "key:123kB key2: 45 ..." tokens into l; strict: every token must be one.
 * Returns whether any was. */
bool parse_kv_tokens(struct oom_event *ev, struct kvlist *l, struct span s, bool strict);
/* Entries "N*SkB [(UME)]" up to "= TkB"; false while the line is incomplete. */
bool parse_buddy_entries(struct buddy *b, struct span s);
/* "<zone>: N*SkB ..." (node: -1 when the line has no "Node N "). */
bool on_buddy(struct klog *k, struct oom_event *ev, long long node, struct span s);
/* "<zone> free:NkB min:NkB ..." */
bool on_zone(struct oom_event *ev, long long node, struct span s);
/* s: after "lowmem_reserve[]:", for the last zone. */
void on_lowmem(struct oom_event *ev, struct span s);
/* "Node N ..." inside a report: zone, buddy, per-node counters. */
bool on_node_line(struct klog *k, struct oom_event *ev, struct span s);
/* "N pages RAM" and the other totals. */
bool on_total(struct oom_event *ev, struct span s);

#endif
