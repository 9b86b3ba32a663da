/* case_test: what the case-file tests share: parsing text named "t.case"
 * and checking its whole error output, the messages' fixed parts, and a
 * directory of real files for the paths a case names. */
#ifndef OOMTEST_CASE_TEST_H
#define OOMTEST_CASE_TEST_H

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case/casefile.h"

#define KNOWN_CASE "(known: description targets memory timeout cmdline needs swap disk packages)"
#define KNOWN_STEP "(known: run module write rmmod cgroup background sleep wait wait_max collect oom_score_adj tap)"
#define SECTIONS_LIST "[case] [params] [sysctl] [files] [cgroup NAME] [step NAME] [expect] [expect SELECTOR]"
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

/* A new empty directory (free it, remove_tree it). */
static inline char *make_tmpdir(void)
{
	const char *tmp = getenv("TMPDIR");
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/oomtest-case-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(sb.buf));
	return strbuf_detach(&sb);
}

/* dir/rel with text in it; rel ending in '/' makes a directory. Parents
 * must exist. */
static inline void put_file(const char *dir, const char *rel, const char *text)
{
	struct strbuf path = STRBUF_INIT;
	size_t n = strlen(rel);

	strbuf_addf(&path, "%s/%s", dir, rel);
	if (n && rel[n - 1] == '/') {
		assert_int_equal(mkdir(path.buf, 0755), 0);
	} else {
		FILE *f = fopen(path.buf, "w");

		assert_non_null(f);
		assert_int_equal(fputs(text, f) >= 0, 1);
		assert_int_equal(fclose(f), 0);
	}
	strbuf_release(&path);
}

static inline int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline void remove_tree(char *dir)
{
	assert_int_equal(nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS), 0);
	free(dir);
}

/* Parses text as the case file dir/t.case; *err gets the messages. */
static inline int parse_in(const char *dir, struct oomcase *c, const char *text, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT;
	int rc;

	strbuf_addf(&path, "%s/t.case", dir);
	rc = case_parse(c, path.buf, text, strlen(text), err);
	strbuf_release(&path);
	return rc;
}

/* The text, as dir/t.case, must fail with want, where "{D}" stands for dir. */
static inline void fails_in(const char *dir, const char *text, const char *want)
{
	struct strbuf err = STRBUF_INIT, w = STRBUF_INIT;
	struct oomcase c;

	for (const char *s = want; *s; s++) {
		if (!strncmp(s, "{D}", 3)) {
			strbuf_addstr(&w, dir);
			s += 2;
		} else {
			strbuf_addch(&w, *s);
		}
	}
	assert_int_equal(parse_in(dir, &c, text, &err), -1);
	assert_string_equal(err.buf, w.buf);
	strbuf_release(&err);
	strbuf_release(&w);
}

static inline void parses_in(const char *dir, const char *text, struct oomcase *c)
{
	struct strbuf err = STRBUF_INIT;
	int rc = parse_in(dir, c, text, &err);

	if (rc)
		fprintf(stderr, "unexpected errors:\n%s", err.buf);
	assert_int_equal(rc, 0);
	assert_int_equal(err.len, 0);
	strbuf_release(&err);
}

#endif
