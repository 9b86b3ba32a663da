/* compare_html: `oomtest compare --html FILE` — the comparison as one
 * self-contained page in the run report's style (inline CSS, no script,
 * nothing fetched), built as a libxml2 tree so the library escapes every
 * string: a summary table with a row per pair, then per pair that has
 * something to show a table of the facts that differ. */
#ifndef OOMTEST_REPORT_COMPARE_HTML_H
#define OOMTEST_REPORT_COMPARE_HTML_H

#include "report/compare.h"

/* The page; with all, pairs in which nothing differs too. 0, or -1 with
 * err. */
int compare_html_build(const struct compare_result *res, int all, struct strbuf *out, struct strbuf *err);
/* Builds the page and writes it atomically (a temporary file renamed); 0,
 * or -1 with err naming the file. */
int compare_html_write(const struct compare_result *res, int all, const char *path, struct strbuf *err);

#endif
