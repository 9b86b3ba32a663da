/* Tests for sched.c: results cross the worker pipe intact, jobs report in
 * order whatever order they finish in, a crashing worker costs only its
 * own job, and signals reach the workers and only them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/child.h"
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
	assert_int_equal(sched_run(jobs, 5, 3, sched_memory_budget(), run_fn, report_fn, &stop), 5);
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
	assert_int_equal(sched_run_hosts(jobs, 6, 3, sched_memory_budget(), hosts, 2, host_run_fn, host_report_fn, &stop), 6);
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
	assert_int_equal(sched_run_hosts(jobs, 3, 2, sched_memory_budget(), bad, 1, host_run_fn, host_report_fn, &stop), 3);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(verdicts[i], V_ERROR);
}

/* Signals. The handler does what oomtest's does: end its children and
 * pass the signal on to the workers. */
static volatile sig_atomic_t got_signal;
static pid_t test_pid;
static int sync_pipe[2];

static void on_term(int sig)
{
	got_signal = 1;
	child_kill_all();
	sched_signal_workers(sig);
}

static void catch_term(void (*handler)(int), struct sigaction *old)
{
	struct sigaction sa = { .sa_handler = handler };
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGTERM, &sa, old), 0);
}

/* A byte from sync_pipe; 0 when none came in a minute (a hang guard, not
 * a timing assertion). */
static int await_byte(void)
{
	struct pollfd p = { sync_pipe[0], POLLIN, 0 };
	char b;

	for (;;) {
		int r = poll(&p, 1, 60000);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		if (read(sync_pipe[0], &b, 1) == 1)
			return 1;
		if (errno != EINTR)
			return 0;
	}
}

/* Job 0 waits; job 1, started beside it (so job 0's worker is in the
 * scheduler's table when job 1's is forked), is sent SIGTERM, then lets
 * job 0 go on. Any signal job 1's handler sends job 0's worker is pending
 * there before the byte, so job 0 sees it by the time it reads the byte. */
static void sibling_run_fn(const struct job *job, struct run_result *res)
{
	if (job->index == 0) {
		if (!await_byte()) {
			res->verdict = V_ERROR;
			strbuf_addstr(&res->reason, "job 1 never ran beside job 0");
		} else if (got_signal) {
			res->verdict = V_FAIL;
			strbuf_addstr(&res->reason, "job 1's worker signalled job 0's");
		} else {
			res->verdict = V_PASS;
		}
		return;
	}
	raise(SIGTERM);
	res->verdict = got_signal ? V_PASS : V_ERROR;
	if (!got_signal)
		strbuf_addstr(&res->reason, "the handler did not run in job 1's worker");
	if (write(sync_pipe[1], "x", 1) != 1)
		strbuf_addstr(&res->reason, "cannot write to job 0");
}

static char reasons[16][128];

static void reason_report_fn(const struct job *job, const struct run_result *res)
{
	order[norder] = job->index;
	snprintf(reasons[norder], sizeof(reasons[norder]), "%s", res->reason.buf);
	verdicts[norder++] = res->verdict;
}

/* Whether pid is dead or has SIGKILL pending (both set before kill()
 * returns), from /proc. */
static int killed(pid_t pid)
{
	char path[64], line[256];
	int dead = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long mask;
		if (!strncmp(line, "State:\tZ", 8) || !strncmp(line, "State:\tX", 8))
			dead = 1;
		if ((sscanf(line, "SigPnd: %llx", &mask) == 1 || sscanf(line, "ShdPnd: %llx", &mask) == 1) &&
		    mask & (1ULL << (SIGKILL - 1)))
			dead = 1;
	}
	fclose(f);
	return dead;
}

/* A worker's handler must not signal what its fork-time copy of the
 * parent's tables names: the other workers, and the parent's own
 * children (here a sleeping process the test owns). */
static void test_worker_signals_only_its_own(void **state)
{
	(void)state;
	struct job jobs[2];
	volatile sig_atomic_t stop = 0;
	struct sigaction old;
	struct child sentinel;
	char *argv[] = { "sleep", "300", NULL };

	assert_int_equal(pipe(sync_pipe), 0);
	assert_int_equal(child_start(&sentinel, argv, -1), 0);
	catch_term(on_term, &old);
	got_signal = 0;
	for (size_t i = 0; i < 2; i++)
		jobs[i] = (struct job){ .index = i, .memory = 1 << 20 };
	norder = 0;
	assert_int_equal(sched_run(jobs, 2, 2, sched_memory_budget(), sibling_run_fn, reason_report_fn, &stop), 2);
	assert_int_equal(sigaction(SIGTERM, &old, NULL), 0);
	assert_string_equal(reasons[0], "");
	assert_string_equal(reasons[1], "");
	assert_int_equal(verdicts[0], V_PASS);
	assert_int_equal(verdicts[1], V_PASS);
	assert_int_equal(got_signal, 0);	/* the parent was not signalled */
	assert_false(killed(sentinel.pid));
	child_stop(&sentinel);
	close(sync_pipe[0]);
	close(sync_pipe[1]);
}

/* The parent's handler passes the signal on, then lets the worker go on;
 * a worker that got it (before the byte, as kill() came first) passes. */
static void on_term_relay(int sig)
{
	if (getpid() != test_pid) {
		got_signal = 1;
		return;
	}
	sched_signal_workers(sig);
	(void)!write(sync_pipe[1], "x", 1);
}

static void relayed_run_fn(const struct job *job, struct run_result *res)
{
	(void)job;
	if (!await_byte()) {
		res->verdict = V_ERROR;
		strbuf_addstr(&res->reason, "the parent's handler never ran");
	} else if (!got_signal) {
		res->verdict = V_FAIL;
		strbuf_addstr(&res->reason, "the signal did not reach the worker");
	} else {
		res->verdict = V_PASS;
	}
}

static volatile sig_atomic_t raise_after_fork;

/* Runs in the parent as fork returns, before the scheduler has recorded
 * the new worker. */
static void raise_in_parent(void)
{
	if (raise_after_fork && getpid() == test_pid) {
		raise_after_fork = 0;
		raise(SIGTERM);
	}
}

/* A signal between fork() and recording the worker's pid still reaches
 * the worker. */
static void test_signal_during_fork(void **state)
{
	(void)state;
	struct job job = { .index = 0, .memory = 1 << 20 };
	volatile sig_atomic_t stop = 0;
	struct sigaction old;

	test_pid = getpid();
	assert_int_equal(pipe(sync_pipe), 0);
	assert_int_equal(pthread_atfork(NULL, raise_in_parent, NULL), 0);
	catch_term(on_term_relay, &old);
	got_signal = 0;
	raise_after_fork = 1;
	norder = 0;
	assert_int_equal(sched_run(&job, 1, 1, sched_memory_budget(), relayed_run_fn, reason_report_fn, &stop), 1);
	assert_int_equal(sigaction(SIGTERM, &old, NULL), 0);
	assert_int_equal(raise_after_fork, 0);
	assert_string_equal(reasons[0], "");
	assert_int_equal(verdicts[0], V_PASS);
	close(sync_pipe[0]);
	close(sync_pipe[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_decode),
		cmocka_unit_test(test_order_and_crash),
		cmocka_unit_test(test_hosts_failover),
		cmocka_unit_test(test_worker_signals_only_its_own),
		cmocka_unit_test(test_signal_during_fork),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
