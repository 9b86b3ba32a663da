/* html_tap: the HTML report's view of a run's TAP steps: per step a line
 * of counts and a table of its test points (number, result, description,
 * directive, diagnostic), subtests indented under their parent. Read from
 * the run's tap.STEP.* facts (ktap/ktap_facts.h). */
#ifndef OOMTEST_REPORT_HTML_TAP_H
#define OOMTEST_REPORT_HTML_TAP_H

#include <libxml/tree.h>

#include "report/report.h"

/* Nothing when the run has no TAP step. */
void html_tap_block(xmlNodePtr parent, const struct report_entry *e);

#endif
