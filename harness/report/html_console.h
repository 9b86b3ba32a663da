/* html_console: the HTML report's console view of one run (the end of
 * console.log with each OOM report, as events.json places it, in a <mark>
 * its link jumps to) and the parser's plain-words account of the events. */
#ifndef OOMTEST_REPORT_HTML_CONSOLE_H
#define OOMTEST_REPORT_HTML_CONSOLE_H

#include <libxml/tree.h>

#include "report/report.h"

/* The console block; rel is the run's directory as the page links it, id
 * the run section's id the marks' anchors start with. */
void html_console_block(xmlNodePtr parent, const struct report_entry *e, const char *rel, const char *id);
/* One <div> per event of what the parser makes of console.log. */
void html_events_block(xmlNodePtr parent, const struct report_entry *e);

#endif
