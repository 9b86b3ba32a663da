/* report_html: index.html of a run directory — a self-contained page (no
 * script, no network) with a summary table and, per case x target, the
 * verdict, expectations with expected and seen, each OOM event in plain
 * words, buddyinfo bar charts per zone and order, the steps' memory over
 * time and the console with the OOM reports highlighted. */
#ifndef OOMTEST_REPORT_HTML_H
#define OOMTEST_REPORT_HTML_H

#include "report/report.h"

/* Console text shown per run: the end of the log past this. */
#define REPORT_HTML_CONSOLE_MAX (2u << 20)

int report_html_build(const struct report *r, struct strbuf *out, struct strbuf *err);
/* Written atomically; returns 0 or -1 with err. */
int report_html_write(const struct report *r, const char *path, struct strbuf *err);

#endif
