/* Helpers the run/ tests share (include after cmocka.h): a case parsed
 * or the test fails, a file of a run directory read, a directory removed. */
#ifndef OOMTEST_RUN_TEST_UTIL_H
#define OOMTEST_RUN_TEST_UTIL_H

#include <stdio.h>
#include <string.h>
#include "case/casefile.h"
#include "lib/child.h"
#include "lib/strbuf.h"

static inline void parse_ok(struct oomcase *c, const char *text)
{
	struct strbuf err = STRBUF_INIT;
	int r = case_parse(c, "t.case", text, strlen(text), &err);
	if (r)
		fprintf(stderr, "%s", err.buf);
	assert_int_equal(r, 0);
	strbuf_release(&err);
}

static inline void read_run_file(const char *dir, const char *name, struct strbuf *out)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/%s", dir, name);
	strbuf_reset(out);
	assert_int_equal(strbuf_read_file(out, p.buf), 0);
	strbuf_release(&p);
}

static inline void remove_dir(const char *dir)
{
	char *argv[] = { "rm", "-rf", (char *)dir, NULL };
	assert_int_equal(child_run(argv, -1), 0);
}

#endif
