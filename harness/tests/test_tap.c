/* Tests for tap.c: a run's result as a TAP test point. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/tap.h"
#include "run/judge.h"

static void test_tap_output(void **state)
{
	(void)state;
	struct run_result r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	char dir[] = "/tmp/oomtest-tap.XXXXXX", log[64], want[160];

	assert_non_null(mkdtemp(dir));
	snprintf(log, sizeof(log), "%s/console.log", dir);
	fclose(fopen(log, "w"));
	tap_begin(f, 14, 3);
	run_result_init(&r);
	r.verdict = V_PASS;
	tap_result(f, 1, "a#b\x1b[31m", "x86_64", &r, "/r/a/x86_64");
	r.verdict = V_SKIP;
	strbuf_addstr(&r.reason, "needs cgroup v1\x07");
	tap_result(f, 2, "c", "i386", &r, NULL);
	strbuf_reset(&r.reason);
	r.verdict = V_FAIL;
	r.failed = xcalloc(1, sizeof(*r.failed));
	r.nfailed = 1;
	r.failed[0].text = xstrdup("x == \"q\"");
	r.failed[0].expected = xstrdup("== q");
	r.failed[0].seen = xstrdup("a\nb\x01");
	r.failed[0].line = 9;
	tap_result(f, 3, "d", "i386", &r, dir);
	fclose(f);
	assert_non_null(strstr(buf, "TAP version 14\n1..3\n"));
	assert_non_null(strstr(buf, "ok 1 - a_b_[31m [x86_64]\n"));
	assert_non_null(strstr(buf, "ok 2 - c [i386] # SKIP needs cgroup v1_\n"));
	assert_non_null(strstr(buf, "not ok 3 - d [i386]\n  ---\n  verdict: fail\n"));
	assert_non_null(strstr(buf, "    - expectation: \"x == \\\"q\\\"\"\n      line: 9\n"));
	assert_non_null(strstr(buf, "      seen: \"a\\nb\\u0001\"\n"));
	/* only the logs that exist are listed */
	snprintf(want, sizeof(want), "  logs:\n    console.log: \"%s/console.log\"\n  seconds:", dir);
	assert_non_null(strstr(buf, want));
	unlink(log);
	rmdir(dir);
	assert_non_null(strstr(buf, "  ...\n"));
	run_result_release(&r);
	free(buf);
}

/* A run that was a LAVA server's job names the job's page (its run
 * directory's lava-job.url): a comment after an ok line, a key of a not
 * ok one's diagnostics; the job's files are among the logs. */
static void test_lava_job_page(void **state)
{
	(void)state;
	struct run_result r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len), *u;
	char dir[] = "/tmp/oomtest-tap.XXXXXX", url[80], job[80], want[200];

	assert_non_null(mkdtemp(dir));
	snprintf(url, sizeof(url), "%s/lava-job.url", dir);
	snprintf(job, sizeof(job), "%s/lava-job.yaml", dir);
	u = fopen(url, "w");
	assert_non_null(u);
	fputs("http://lava.example/scheduler/job/7\n", u);
	fclose(u);
	fclose(fopen(job, "w"));
	run_result_init(&r);
	r.verdict = V_PASS;
	tap_result(f, 1, "a", "x86_64", &r, dir);
	r.verdict = V_ERROR;
	strbuf_addstr(&r.reason, "LAVA said no");
	tap_result(f, 2, "b", "x86_64", &r, dir);
	fclose(f);
	assert_non_null(strstr(buf, "ok 1 - a [x86_64]\n# LAVA job: http://lava.example/scheduler/job/7\nnot ok 2"));
	assert_non_null(strstr(buf, "  lava_job: \"http://lava.example/scheduler/job/7\"\n"));
	snprintf(want, sizeof(want), "    lava-job.yaml: \"%s/lava-job.yaml\"\n", dir);
	assert_non_null(strstr(buf, want));
	unlink(url);
	unlink(job);
	rmdir(dir);
	run_result_release(&r);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tap_output),
		cmocka_unit_test(test_lava_job_page),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
