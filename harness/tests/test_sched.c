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

#include "run/sched.h"

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
	a.failed[0] = (struct judged_expect){ xstrdup("x == \"a b\""), 7, xstrdup("== a b"), xstrdup("") };
	a.held = xcalloc(1, sizeof(*a.held));
	a.nheld = 1;
	a.held[0] = (struct judged_expect){ xstrdup("console ~ x"), 8, xstrdup("~ x"), xstrdup("a x\tb") };
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
	/* the expectations that held come too, with what was seen */
	assert_int_equal(b.nheld, 1);
	assert_string_equal(b.held[0].text, "console ~ x");
	assert_int_equal(b.held[0].line, 8);
	assert_string_equal(b.held[0].expected, "~ x");
	assert_string_equal(b.held[0].seen, "a x\tb");
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

/* Host 0 fails every run it gets; host 1 works. */
static int ran_on[16], moved[16];

static void host_run_fn(const struct job *job, struct run_result *res)
{
	usleep(20000);
	if (job->host == 0) {
		res->verdict = V_ERROR;
		res->host_failed = 1;
		strbuf_addstr(&res->reason, "host 0 went away");
		return;
	}
	res->verdict = V_PASS;
}

static void host_report_fn(const struct job *job, const struct run_result *res)
{
	order[norder] = job->index;
	verdicts[norder++] = res->verdict;
	ran_on[job->index] = job->host;
	moved[job->index] = job->moved_from;
}

static void test_hosts_failover(void **state)
{
	(void)state;
	struct job jobs[6];
	struct sched_host hosts[2] = { { "a", 2, 0, 0 }, { "b", 1, 0, 0 } };
	volatile sig_atomic_t stop = 0;

	for (size_t i = 0; i < 6; i++)
		jobs[i] = (struct job){ .index = i, .memory = 1 << 20 };
	norder = 0;
	assert_int_equal(sched_run_hosts(jobs, 6, 3, hosts, 2, host_run_fn, host_report_fn, &stop), 6);
	assert_true(hosts[0].dead);
	assert_false(hosts[1].dead);
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(order[i], i);
		assert_int_equal(verdicts[i], V_PASS);	/* no verdict lost */
		assert_int_equal(ran_on[i], 1);
	}
	/* the first jobs went to host 0 (two slots) and were moved */
	assert_int_equal(moved[0], 0);
	assert_int_equal(moved[5], -1);

	/* every host failing: an error each, nothing hangs */
	struct sched_host bad[1] = { { "a", 2, 0, 0 } };
	norder = 0;
	assert_int_equal(sched_run_hosts(jobs, 3, 2, bad, 1, host_run_fn, host_report_fn, &stop), 3);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(verdicts[i], V_ERROR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_decode),
		cmocka_unit_test(test_order_and_crash),
		cmocka_unit_test(test_hosts_failover),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
