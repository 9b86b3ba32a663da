/* html_chart: the HTML report's inline SVG charts of one run: buddyinfo
 * free blocks per order, a chart per zone with a bar per snapshot, and the
 * steps' resident memory over time; then the memory timeline
 * (html_timeline.c), which draws with the helpers below. */
#ifndef OOMTEST_REPORT_HTML_CHART_H
#define OOMTEST_REPORT_HTML_CHART_H

#include <libxml/tree.h>

#include "report/report.h"

/* Appends both charts' headings and charts (or a note saying why there is
 * none) to sec, and the memory timeline when the run has one. */
void html_charts(xmlNodePtr sec, const struct report_entry *e);

/* A <figure> of class `cls` holding a W x H <svg> (role img, aria-label
 * `label`) with its two axes: the plot spans left..W-right, top..H-bottom.
 * Returns the svg; *fig is the figure. */
xmlNodePtr html_chart_open(xmlNodePtr parent, const char *cls, double W, double H, double left, double bottom,
			   double top, double right, const char *label, xmlNodePtr *fig);
/* A <text> at x, y (anchor: start, middle, end, or NULL). */
xmlNodePtr html_svg_text(xmlNodePtr svg, double x, double y, const char *anchor, const char *s);
/* A grey <line>. */
xmlNodePtr html_svg_line(xmlNodePtr svg, double x1, double y1, double x2, double y2);

#endif
