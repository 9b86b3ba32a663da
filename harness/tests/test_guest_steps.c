/* Tests for guest/steps.c: reap() sends a step's output and its "exit"
 * when the step has ended, also while a process the step left behind
 * holds its output pipe open. A program named without '/' is looked for
 * in the PATH's directories in order; a step's environment is PATH, HOME
 * and TERM only; a program found nowhere exits 127, saying so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest_test_util.h"
#include "guest/steps.h"

static char records[] = "/tmp/oomtest-guest-records.XXXXXX";

static int setup(void **state)
{
	(void)state;
	capture_records(records);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(records);
	return 0;
}

/* In a process of the test's: starts a step that writes `out`, leaves a
 * child of its own behind (with the pipe) if asked, and exits 3; once it
 * has exited, reap() runs. Then writes to done_fd whether the step's pipe
 * is still open, and ends, which ends the child left behind: it waits
 * for the end of a pipe only this process holds. */
static void reap_step(int done_fd, const char *out, int leave_child)
{
	int pipe_out[2], hold[2];
	siginfo_t si;
	char c;

	if (pipe(pipe_out) || pipe(hold))
		_exit(1);
	pid_t pid = fork();
	if (pid == 0) {
		if (leave_child && fork() == 0) {
			close(done_fd);
			close(hold[1]);
			(void)!read(hold[0], &c, 1);
			_exit(0);
		}
		(void)!write(pipe_out[1], out, strlen(out));
		_exit(3);
	}
	close(pipe_out[1]);
	close(hold[0]);
	fcntl(pipe_out[0], F_SETFL, O_NONBLOCK);
	/* ended, not yet waited for: reap() does that */
	if (pid < 0 || waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT))
		_exit(1);
	struct step s = { .name = "parent", .pid = pid, .out_fd = pipe_out[0], .status_fd = -1, .running = 1 };
	step_list = &s;
	reap();
	c = s.running ? 'r' : s.out_fd >= 0 ? 'o' : 'c';
	(void)!write(done_fd, &c, 1);
	_exit(0);
}

/* What reap_step reported ('o': the pipe open, 'c': closed), or 0 if
 * reap() did not return within 30 s. */
static char run_reap_step(const char *out, int leave_child)
{
	struct pollfd p = { -1, POLLIN, 0 };
	int done[2];
	char c = 0;

	assert_int_equal(pipe(done), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(done[0]);
		reap_step(done[1], out, leave_child);
	}
	close(done[1]);
	p.fd = done[0];
	if (poll(&p, 1, 30000) != 1 || read(done[0], &c, 1) != 1)
		kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	close(done[0]);
	return c;
}

static void test_reap_while_a_grandchild_holds_the_pipe(void **state)
{
	(void)state;
	assert_int_equal(run_reap_step("hello\n", 1), 'o');
	assert_true(sent_record(records, "out", "parent", "hello", NULL));
	assert_true(sent_record(records, "exit", "parent", "3", NULL));
}

/* Alone, its pipe ends with it: closed, the unended last line sent. */
static void test_reap_alone(void **state)
{
	(void)state;
	assert_int_equal(run_reap_step("one\ntwo", 0), 'c');
	assert_true(sent_record(records, "out", "parent", "one", NULL));
	assert_true(sent_record(records, "out", "parent", "two", NULL));
}

static void make_file_in(const char *dir, const char *name, mode_t mode)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	close(open(path, O_WRONLY | O_CREAT | O_TRUNC, mode));
	assert_int_equal(chmod(path, mode), 0);
}

/* a: "prog" not executable, "sub" a directory; b: both executable files;
 * c: "prog" executable. */
static void test_find_program(void **state)
{
	char a[] = "/tmp/oomtest-path-a.XXXXXX", b[] = "/tmp/oomtest-path-b.XXXXXX",
	     c[] = "/tmp/oomtest-path-c.XXXXXX", dirs[256], want[256], sub[256];
	char *got;

	(void)state;
	assert_non_null(mkdtemp(a));
	assert_non_null(mkdtemp(b));
	assert_non_null(mkdtemp(c));
	make_file_in(a, "prog", 0644);
	snprintf(sub, sizeof(sub), "%s/sub", a);
	assert_int_equal(mkdir(sub, 0755), 0);
	make_file_in(b, "prog", 0755);
	make_file_in(b, "sub", 0755);
	make_file_in(c, "prog", 0755);

	snprintf(dirs, sizeof(dirs), "%s:%s:%s", a, b, c);
	snprintf(want, sizeof(want), "%s/prog", b);
	got = steps_find_program("prog", dirs);
	assert_string_equal(got, want);
	free(got);
	snprintf(want, sizeof(want), "%s/sub", b);
	got = steps_find_program("sub", dirs);
	assert_string_equal(got, want);
	free(got);
	snprintf(dirs, sizeof(dirs), "%s:%s", c, b);
	snprintf(want, sizeof(want), "%s/prog", c);
	got = steps_find_program("prog", dirs);
	assert_string_equal(got, want);
	free(got);
	assert_null(steps_find_program("none", dirs));
	snprintf(dirs, sizeof(dirs), "%s", a);
	assert_null(steps_find_program("prog", dirs));
	assert_null(steps_find_program("prog", ""));

	for (char *d[] = { a, b, c }, **p = d; p < d + 3; p++) {
		char rm[256];
		snprintf(rm, sizeof(rm), "%s/prog", *p);
		unlink(rm);
		snprintf(rm, sizeof(rm), "%s/sub", *p);
		unlink(rm);
		rmdir(rm);
		rmdir(*p);
	}
}

/* Steps run in this process, waited for: a program found nowhere, and
 * env (found in the PATH) showing its environment. */
static void test_step_path_and_environment(void **state)
{
	char *argv_missing[] = { "oomtest-no-such-program" };
	char *argv_env[] = { "env" };

	(void)state;
	assert_int_equal(setenv("OOMTEST_AGENT_ONLY", "1", 1), 0);
	start_step("run", "missing", 0, "-", "-", argv_missing, 1);
	assert_true(sent_record(records, "out", "missing", "oomtest-init: oomtest-no-such-program: not found", NULL));
	assert_true(sent_record(records, "exit", "missing", "127", NULL));

	start_step("run", "env", 0, "-", "-", argv_env, 1);
	assert_true(sent_record(records, "out", "env", "PATH=" STEPS_PATH, NULL));
	assert_true(sent_record(records, "out", "env", "HOME=/", NULL));
	assert_true(sent_record(records, "out", "env", "TERM=linux", NULL));
	assert_true(sent_record(records, "exit", "env", "0", NULL));
	char *sent = records_sent(records);
	assert_null(strstr(sent, "OOMTEST_AGENT_ONLY"));
	free(sent);
	unsetenv("OOMTEST_AGENT_ONLY");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reap_while_a_grandchild_holds_the_pipe),
		cmocka_unit_test(test_reap_alone),
		cmocka_unit_test(test_find_program),
		cmocka_unit_test(test_step_path_and_environment),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
