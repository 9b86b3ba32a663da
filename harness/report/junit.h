/* report_junit: the JUnit XML report (`--junit FILE`), in the shape CI
 * servers read (Jenkins' junit-10.xsd): one testsuite per run of oomtest,
 * one testcase per case x target (classname: the case; name: the target), a
 * failure listing the failed expectations with expected and seen, an error
 * for error and timeout verdicts, skipped for skips, and the console log as
 * system-out; and one testcase per top-level test point of each TAP step
 * (classname: "CASE.TARGET"; name: "STEP: N description"; a failure for
 * not ok, with its diagnostic, skipped for SKIP). Written with libxml2's
 * xmlTextWriter. */
#ifndef OOMTEST_REPORT_JUNIT_H
#define OOMTEST_REPORT_JUNIT_H

#include "report/report.h"

/* Console text kept per testcase: the end of the log past this. */
#define REPORT_JUNIT_CONSOLE_MAX (1u << 20)

/* Returns 0, or -1 with err. */
int report_junit_build(const struct report *r, struct strbuf *out, struct strbuf *err);
/* Written atomically; returns 0 or -1 with err. */
int report_junit_write(const struct report *r, const char *path, struct strbuf *err);

#endif
