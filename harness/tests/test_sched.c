/* Tests for sched.c: results cross the worker pipe intact, jobs report in
 * order whatever order they finish in, and a crashing worker costs only
 * its own job. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sched.h"

static void test_encode_decode(void **state)
{
	(void)state;
	struct run_result a, b;
	struct strbuf s = STRBUF_INIT;

	run_result_init(&a);
	a.verdict = V_FAIL;
	a.seconds = 3.25;
	strbuf_addstr(&a.reason, "two words\nand a line");
	a.failed = xcalloc(1, sizeof(*a.failed));
	a.nfailed = 1;
	a.failed[0] = (struct failed_expect){ xstrdup("x == \"a b\""), 7, xstrdup("== a b"), xstrdup("") };
	sched_encode_result(&a, &s);
	run_result_init(&b);
	assert_int_equal(sched_decode_result(s.buf, s.len, &b), 0);
	assert_int_equal(b.verdict, V_FAIL);
	assert_true(b.seconds > 3.24 && b.seconds < 3.26);
	assert_string_equal(b.reason.buf, "two words\nand a line");
	assert_int_equal(b.nfailed, 1);
	assert_string_equal(b.failed[0].text, "x == \"a b\"");
	assert_int_equal(b.failed[0].line, 7);
	assert_string_equal(b.failed[0].seen, "");
	run_result_release(&b);
	/* a cut-off stream is not a result */
	run_result_init(&b);
	assert_int_equal(sched_decode_result(s.buf, s.len / 2, &b), -1);
	run_result_release(&b);
	run_result_release(&a);
	strbuf_release(&s);
}

static size_t order[16], norder;
static enum verdict verdicts[16];

static void run_fn(const struct job *job, struct run_result *res)
{
	/* later jobs finish first */
	usleep((useconds_t)(5 - job->index) * 30000);
	if (job->index == 2)
		raise(SIGKILL);
	res->verdict = job->index % 2 ? V_FAIL : V_PASS;
}

static void report_fn(const struct job *job, const struct run_result *res)
{
	order[norder] = job->index;
	verdicts[norder++] = res->verdict;
}

static void test_order_and_crash(void **state)
{
	(void)state;
	struct job jobs[5];
	volatile sig_atomic_t stop = 0;

	for (size_t i = 0; i < 5; i++)
		jobs[i] = (struct job){ .index = i, .memory = 1 << 20 };
	norder = 0;
	assert_int_equal(sched_run(jobs, 5, 3, run_fn, report_fn, &stop), 5);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(order[i], i);
	assert_int_equal(verdicts[0], V_PASS);
	assert_int_equal(verdicts[1], V_FAIL);
	assert_int_equal(verdicts[2], V_ERROR);
	assert_int_equal(verdicts[4], V_PASS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_decode),
		cmocka_unit_test(test_order_and_crash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
