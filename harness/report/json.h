/* report_json: the JSON report (`--json FILE`, and report.json in every run
 * directory): "format": "oomtest-report", "version": 1, totals and one object
 * per case x target. */
#ifndef OOMTEST_REPORT_JSON_H
#define OOMTEST_REPORT_JSON_H

#include "report/report.h"

void report_json_build(const struct report *r, struct strbuf *out);
/* Written atomically; returns 0 or -errno with err. */
int report_json_write(const struct report *r, const char *path, struct strbuf *err);

#endif
