/* html_timeline: the HTML report's "Memory timeline" of one run, an inline
 * SVG chart over the plan's clock (ms) in MiB: a line per system series
 * (MemFree, MemAvailable, Cached, Shmem, SwapFree from timeline.tsv), per
 * cgroup and per step's resident memory (memory.tsv); a vertical marker at
 * each OOM kill labelled with its victim, thinner ones where steps start,
 * end or end their wait and where an allocation failed
 * (timeline-events.tsv); and a legend. */
#ifndef OOMTEST_REPORT_HTML_TIMELINE_H
#define OOMTEST_REPORT_HTML_TIMELINE_H

#include <libxml/tree.h>

#include "report/report.h"

/* 1 when the run has system memory samples (a run of before the timeline
 * has none). */
int html_timeline_drawable(const struct report_entry *e);
/* Appends the heading and the chart to sec; nothing when the run has no
 * system memory samples. */
void html_timeline_chart(xmlNodePtr sec, const struct report_entry *e);

#endif
