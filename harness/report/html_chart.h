/* html_chart: the HTML report's inline SVG charts of one run: buddyinfo
 * free blocks per order, a chart per zone with a bar per snapshot, and the
 * steps' resident memory over time. */
#ifndef OOMTEST_REPORT_HTML_CHART_H
#define OOMTEST_REPORT_HTML_CHART_H

#include <libxml/tree.h>

#include "report/report.h"

/* Appends both charts' headings and charts (or a note saying why there is
 * none) to sec. */
void html_charts(xmlNodePtr sec, const struct report_entry *e);

#endif
