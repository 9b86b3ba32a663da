/* Tests for child.c: process groups, reaping, kill-all, and a status lost
 * to an ignored SIGCHLD. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/child.h"
#include "lib/strbuf.h"

static void test_run_status(void **state)
{
	(void)state;
	char *t[] = { "true", NULL }, *f[] = { "false", NULL }, *none[] = { "/nonexistent/x", NULL };
	int st = child_run(t, -1);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = child_run(f, -1);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	assert_int_equal(child_run(none, -1), -ENOENT);
}

/* Output captured through a temporary file that is gone afterwards. */
static void test_run_capture(void **state)
{
	char dir[] = "/tmp/oomtest-child.XXXXXX";
	struct strbuf out = STRBUF_INIT;
	char *echo[] = { "printf", "one\\ntwo\\n", NULL };
	char *fails[] = { "false", NULL };
	char *missing[] = { "no-such-program-oomtest", NULL };
	(void)state;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(child_run_capture(echo, dir, &out), 0);
	assert_string_equal(out.buf, "one\ntwo\n");
	strbuf_reset(&out);
	int st = child_run_capture(fails, dir, &out);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	assert_int_equal(child_run_capture(missing, dir, &out), -ENOENT);
	char *list[] = { "ls", "-A", dir, NULL };
	strbuf_reset(&out);
	assert_int_equal(child_run_capture(list, "/tmp", &out), 0);
	assert_string_equal(out.buf, "");
	assert_int_equal(rmdir(dir), 0);
	strbuf_release(&out);
}

/* Processes of group pgid that are not zombies (a killed grandchild may
 * wait a while for its new parent to reap it). */
static int live_in_group(pid_t pgid)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d))) {
		char path[300], buf[512], *rp;
		FILE *f;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		if (!(f = fopen(path, "r")))
			continue;
		if (fgets(buf, sizeof(buf), f) && (rp = strrchr(buf, ')'))) {
			char st;
			int ppid, pg;
			if (sscanf(rp + 2, "%c %d %d", &st, &ppid, &pg) == 3 && pg == pgid && st != 'Z')
				n++;
		}
		fclose(f);
	}
	if (d)
		closedir(d);
	return n;
}

static void test_group_is_killed(void **state)
{
	(void)state;
	/* a shell with a grandchild: both must go with the group */
	char *argv[] = { "sh", "-c", "sleep 30 & sleep 30", NULL };
	struct child c;
	assert_int_equal(child_start(&c, argv, -1), 0);
	pid_t pgid = c.pid;
	assert_int_equal(child_wait(&c, 100), 0);
	child_kill_all();
	assert_int_equal(child_wait(&c, 5000), 1);
	assert_true(WIFSIGNALED(c.status));
	for (int i = 0; i < 50 && live_in_group(pgid); i++)
		usleep(20000);
	assert_int_equal(live_in_group(pgid), 0);
}

static void test_stop(void **state)
{
	(void)state;
	char *argv[] = { "sleep", "30", NULL };
	struct child c;
	assert_int_equal(child_start(&c, argv, -1), 0);
	child_stop(&c);
	assert_int_equal(c.pid, 0);
	child_stop(&c); /* twice is harmless */
}

/* SIGCHLD inherited as SIG_IGN: the kernel reaps the child and its status
 * is gone; that must not read as exit 0. */
static void test_ignored_sigchld(void **state)
{
	(void)state;
	char *argv[] = { "sh", "-c", "exit 3", NULL };
	struct child c;

	signal(SIGCHLD, SIG_IGN);
	assert_int_equal(child_run(argv, -1), -ECHILD);
	assert_int_equal(child_start(&c, argv, -1), 0);
	assert_int_equal(child_wait(&c, -1), 1);
	assert_int_equal(c.wait_error, ECHILD);
	assert_string_equal(child_strerror(ECHILD), "exit status lost (SIGCHLD was ignored)");

	child_default_sigchld();
	int st = child_run(argv, -1);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 3);
	assert_int_equal(child_start(&c, argv, -1), 0);
	assert_int_equal(child_wait(&c, -1), 1);
	assert_int_equal(c.wait_error, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_status),
		cmocka_unit_test(test_run_capture),
		cmocka_unit_test(test_group_is_killed),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_ignored_sigchld),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
