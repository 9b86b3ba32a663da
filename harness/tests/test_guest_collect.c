/* Tests for guest/collect.c: `collect proc:STEP` reads the status file the
 * step opened as it started, never a new /proc/PID/status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest_test_util.h"
#include "guest/collect.h"
#include "guest/steps.h"

static char records[] = "/tmp/oomtest-guest-records.XXXXXX";

static int setup(void **state)
{
	(void)state;
	capture_records(records);
	collect_open_early(NULL, 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(records);
	return 0;
}

/* A process that is gone: no /proc/PID of it to open. */
static pid_t gone_pid(void)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (!pid)
		_exit(0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	return pid;
}

static void test_status_from_the_early_fd(void **state)
{
	static const char status[] = "Name:\thog\nState:\tR (running)\nVmRSS:\t1234 kB\n";
	char path[] = "/tmp/oomtest-guest-status.XXXXXX";
	struct step s = { .name = "hog", .pid = gone_pid(), .out_fd = -1, .running = 1 };

	(void)state;
	s.status_fd = temp_file(path, status, sizeof(status) - 1);
	step_list = &s;
	collect("s1", "proc:hog");
	assert_true(sent_record(records, "snap", "s1", "proc", "hog", status, NULL));
	step_list = NULL;
	close(s.status_fd);
	unlink(path);
}

/* No status file open for it: an error, not a new open of /proc/PID/status
 * (here the test's own, which exists). */
static void test_no_early_fd(void **state)
{
	struct step s = { .name = "idle", .pid = getpid(), .out_fd = -1, .status_fd = -1, .running = 1 };

	(void)state;
	step_list = &s;
	collect("s2", "proc:idle");
	char *sent = records_sent(records), msg[128];
	assert_null(strstr(sent, "\nsnap s2 "));
	free(sent);
	snprintf(msg, sizeof(msg), "collect s2: /proc/%d/status of step idle: Bad file descriptor", (int)getpid());
	assert_true(sent_record(records, "err", msg, NULL));
	step_list = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_from_the_early_fd),
		cmocka_unit_test(test_no_early_fd),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
