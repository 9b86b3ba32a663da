/* compare_read: what `oomtest compare` reads of a finished run — its
 * report.json (report/json.c writes it; the README's "JSON report" gives its
 * shape), parsed with json-c into each run's name, target, verdict, why it
 * did not pass, and facts — and where a result directory keeps that file. */
#ifndef OOMTEST_REPORT_COMPARE_READ_H
#define OOMTEST_REPORT_COMPARE_READ_H

#include <stddef.h>

#include "lib/facts.h"
#include "lib/strbuf.h"

/* One case x target of a report.json. */
struct compare_run {
	char *name;                /* "case" or "case[memory=64M]" */
	char *target;
	char *arch;                /* "" when the report has none */
	char *release;             /* "" when the report has none */
	char *verdict;             /* as report.json spells it: pass, fail, skip... */
	char *reason;              /* "" when none */
	char **failed;             /* each failed expectation: "TEXT (seen VALUE)" */
	size_t nfailed;
	struct facts facts;
};

struct compare_report {
	char *path;                /* the report.json read */
	char *run_id;              /* "" when the report has none */
	struct compare_run *v;
	size_t n;
};

/* The report.json of a result directory: DIR/report.json (a run directory),
 * else DIR/latest/report.json (a results directory). 0 with its path in
 * path, or -1 with "DIR: no report.json (tried P1 and P2)" in err (or
 * "DIR: why", when DIR is no directory). */
int compare_find_report(const char *dir, struct strbuf *path, struct strbuf *err);
/* Parses len bytes of a report.json (path names it in messages) into r.
 * 0, or -1 with "PATH: what is wrong" in err and r left empty. */
int compare_parse_report(struct compare_report *r, const char *path, const char *text, size_t len,
			 struct strbuf *err);
/* Reads the file and parses it as compare_parse_report does. */
int compare_load_report(struct compare_report *r, const char *path, struct strbuf *err);
void compare_report_release(struct compare_report *r);
/* The distinct targets of r's runs, in the order they first appear; the
 * strings are r's. Returns the count; *out is to be free()d. */
size_t compare_report_targets(const struct compare_report *r, const char ***out);

#endif
