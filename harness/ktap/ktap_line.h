/* ktap_line: one line of TAP or KTAP, taken apart: its indentation (in
 * columns, a tab to the next multiple of 8), what kind of line it is, and
 * the parts of a version, plan or test point line. The nesting is
 * ktap.c's. */
#ifndef OOMTEST_KTAP_LINE_H
#define OOMTEST_KTAP_LINE_H

#include <stddef.h>
#include "ktap/ktap.h"

enum ktap_kind {
	KTAP_L_UNKNOWN,            /* not TAP */
	KTAP_L_VERSION,            /* "TAP version N", "KTAP version N" (checked by ktap_line_version) */
	KTAP_L_PLAN,               /* starts "1.." (checked by ktap_line_plan) */
	KTAP_L_POINT,              /* starts "ok" or "not" (checked by ktap_line_point) */
	KTAP_L_BAIL,               /* "Bail out!" */
	KTAP_L_SUBTEST,            /* "# Subtest: NAME" */
	KTAP_L_PRAGMA,             /* "pragma +strict" */
	KTAP_L_DIAG,               /* any other '#' line */
};

struct ktap_line {
	const char *raw;           /* the line, a NUL and what follows it, '\r' and trailing blanks cut */
	size_t rawlen;
	const char *c;             /* the content: raw without its indentation */
	size_t len;
	size_t indent;             /* columns */
	size_t no;                 /* 1-based */
};

/* Fills l from one line of text (no newline); `no` is its number. */
void ktap_line_split(struct ktap_line *l, const char *line, size_t len, size_t no);
enum ktap_kind ktap_line_kind(const struct ktap_line *l);

/* Each returns 1 when the line is well-formed, else 0 (then nothing is
 * allocated). */
int ktap_line_version(const struct ktap_line *l, enum ktap_format *format, int *version);
/* *reason (malloc'd, "" when none) is set for "1..0" only: a plan that skips all. */
int ktap_line_plan(const struct ktap_line *l, unsigned long *n, int *skip_all, char **reason);
/* Fills every field of *p but number (when not printed), diagnostic
 * (initialised empty), sub and no_result_line. */
int ktap_line_point(const struct ktap_line *l, struct ktap_point *p);

/* The name of a "# Subtest: NAME" line, the reason of a "Bail out! WHY" (malloc'd). */
char *ktap_line_subtest_name(const struct ktap_line *l);
char *ktap_line_bail_reason(const struct ktap_line *l);

/* s without up to `cols` columns of its leading blanks. */
const char *ktap_dedent(const char *s, size_t len, size_t cols, size_t *outlen);

#endif
