/* compare_text: what `oomtest compare` prints on stdout — a line per pair
 * (its verdicts and how many facts differ), why a run did not pass when the
 * verdicts differ, the differing facts aligned in columns (fact, A's value,
 * B's value), and a summary line. */
#ifndef OOMTEST_REPORT_COMPARE_TEXT_H
#define OOMTEST_REPORT_COMPARE_TEXT_H

#include <stddef.h>

#include "report/compare.h"

/* Values longer than this many characters are cut ("..."). */
#define COMPARE_TEXT_VALUE_MAX 80

/* The whole text; with all, pairs in which nothing differs too. */
void compare_text(const struct compare_result *res, int all, struct strbuf *out);
/* s as one line of text: invalid UTF-8 as U+FFFD, '\' and the control
 * characters escaped (\\, \t, \n, \r, \xNN), cut after max characters. */
void compare_text_escape(struct strbuf *out, const char *s, size_t max);
/* A fact's value: "(absent)" for NULL, "\"\"" for the empty string, else
 * as compare_text_escape shows it. */
void compare_text_value(struct strbuf *out, const char *v, size_t max);

#endif
