/* case_test: what the case-file tests share: parsing text named "t.case"
 * and checking its whole error output, the messages' fixed parts. */
#ifndef OOMTEST_CASE_TEST_H
#define OOMTEST_CASE_TEST_H

#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/casefile.h"

#define KNOWN_CASE "(known: description targets memory timeout cmdline needs)"
#define KNOWN_STEP "(known: run module write rmmod cgroup background sleep collect oom_score_adj)"
#define SECTIONS_LIST "[case] [params] [sysctl] [cgroup NAME] [step NAME] [expect] [expect SELECTOR]"
#define SECTIONS "(known: " SECTIONS_LIST ")"
#define DURATION_HELP "a positive whole number with ms, s or m suffix, e.g. 60s; bare: seconds"
#define SIZE_HELP "a whole number of bytes with optional K, M or G suffix, e.g. 128M"
#define COLLECT_HELP "(known: buddyinfo meminfo vmstat cgroup:NAME proc:STEP; " \
	"NAME, STEP: letters, digits, _ and -)"
#define OPS "(allowed: == != < <= > >= ~ !~)"
#define EXPECT "\n[expect]\noom.count == 0\n"

static inline int parse(struct oomcase *c, const char *text, struct strbuf *err)
{
	return case_parse(c, "t.case", text, strlen(text), err);
}

/* The text must fail with exactly `want` as the whole error output. */
static inline void fails_with(const char *text, const char *want)
{
	struct oomcase c;
	struct strbuf err = STRBUF_INIT;
	struct oomcase zero;

	memset(&zero, 0, sizeof(zero));
	assert_int_equal(parse(&c, text, &err), -1);
	assert_string_equal(err.buf, want);
	/* a failed parse leaves nothing to release */
	assert_memory_equal(&c, &zero, sizeof(c));
	case_release(&c);
	strbuf_release(&err);
}

static inline void parses(const char *text, struct oomcase *c)
{
	struct strbuf err = STRBUF_INIT;
	int rc = parse(c, text, &err);

	if (rc)
		fprintf(stderr, "unexpected errors:\n%s", err.buf);
	assert_int_equal(rc, 0);
	assert_int_equal(err.len, 0);
	strbuf_release(&err);
}

static inline char *regerr(const char *pattern)
{
	regex_t re;
	int rc = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB);
	size_t n;
	char *msg;

	assert_int_not_equal(rc, 0);
	n = regerror(rc, &re, NULL, 0);
	msg = malloc(n);
	regerror(rc, &re, msg, n);
	return msg;
}

static inline int parse_all(const char *text, struct oomcase **cases, size_t *n, struct strbuf *err)
{
	return case_parse_all("t.case", text, strlen(text), cases, n, err);
}

static inline void parses_all(const char *text, struct oomcase **cases, size_t *n)
{
	struct strbuf err = STRBUF_INIT;
	int rc = parse_all(text, cases, n, &err);

	if (rc)
		fprintf(stderr, "unexpected errors:\n%s", err.buf);
	assert_int_equal(rc, 0);
	assert_int_equal(err.len, 0);
	strbuf_release(&err);
}

static inline void release_all(struct oomcase *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		case_release(&cases[i]);
	free(cases);
}

static inline void fails_all_with(const char *text, const char *want)
{
	struct oomcase *cases = (struct oomcase *)1;
	struct strbuf err = STRBUF_INIT;
	size_t n = 99;

	assert_int_equal(parse_all(text, &cases, &n, &err), -1);
	assert_string_equal(err.buf, want);
	assert_null(cases);
	assert_int_equal(n, 0);
	strbuf_release(&err);
}

#endif
