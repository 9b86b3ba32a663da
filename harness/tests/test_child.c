/* Tests for child.c: process groups, reaping, kill-all, and a status lost
 * to an ignored SIGCHLD. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
/* oomtest may itself run under make -j (a test binary under make unit, a
 * user's CI target): MAKEFLAGS then names make's jobserver pipe by fd
 * numbers that mean something else in oomtest. A make that oomtest runs
 * (a module, a kernel) must not take them for its jobserver: GNU make sets
 * O_NONBLOCK on the read end it is given, and reads and writes tokens. */
static void test_make_jobserver_not_passed(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/oomtest-child-make.XXXXXX";
	int fds[2], out[2];
	struct strbuf flags = STRBUF_INIT, mk = STRBUF_INIT, said = STRBUF_INIT;
	char buf[256];
	ssize_t n;
	int fd = mkstemp(tmpl);

	assert_true(fd >= 0);
	assert_true(write(fd, "all:\n\t@echo \"[$(MAKEFLAGS)]\"\n", 30) == 30);
	close(fd);
	strbuf_addstr(&mk, tmpl);
	assert_int_equal(pipe(fds), 0);	/* inherited, as a jobserver's fds are */
	assert_int_equal(pipe(out), 0);
	strbuf_addf(&flags, " -j2 --jobserver-auth=%d,%d", fds[0], fds[1]);
	setenv("MAKEFLAGS", flags.buf, 1);
	setenv("MFLAGS", "-j2", 1);
	char *argv[] = { "make", "-s", "-f", mk.buf, NULL };
	int st = child_run(argv, out[1]);
	unsetenv("MAKEFLAGS");
	unsetenv("MFLAGS");
	close(out[1]);
	while ((n = read(out[0], buf, sizeof(buf))) > 0)
		strbuf_add(&said, buf, (size_t)n);
	close(out[0]);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_null(strstr(said.buf, "jobserver"));
	assert_int_equal(fcntl(fds[0], F_GETFL) & O_NONBLOCK, 0);
	close(fds[0]);
	close(fds[1]);
	unlink(tmpl);
	strbuf_release(&flags);
	strbuf_release(&mk);
	strbuf_release(&said);
}

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
		cmocka_unit_test(test_make_jobserver_not_passed),
		cmocka_unit_test(test_ignored_sigchld),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
