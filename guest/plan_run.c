/* plan_run: the plan's commands. */
#include "guest/plan_run.h"
#include "guest/cgroup.h"
#include "guest/chan.h"
#include "guest/collect.h"
#include "guest/disks.h"
#include "guest/files.h"
#include "guest/payload.h"
#include "guest/plan_read.h"
#include "guest/sample.h"
#include "guest/steps.h"
#include "guest/wait.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Modules the plan loaded, unloaded before power-off. */
static char *loaded_modules[16];
static int nloaded_modules;

static void note_module(const char *name)
{
	for (int i = 0; i < nloaded_modules; i++)
		if (!strcmp(loaded_modules[i], name))
			return;
	if (nloaded_modules < (int)(sizeof(loaded_modules) / sizeof(loaded_modules[0])))
		loaded_modules[nloaded_modules++] = strdup(name);
}

void unload_plan_modules(void)
{
	for (int i = 0; i < nloaded_modules; i++)
		if (loaded_modules[i])
			syscall(SYS_delete_module, loaded_modules[i], O_NONBLOCK);
}

/* `oomtest shell`: an interactive /bin/sh (busybox) on the console, the
 * serial port the user's terminal is bridged to; returns when it exits. */
static void run_shell(int rows, int cols)
{
	pid_t pid = fork();

	if (pid < 0) {
		send_err("shell: fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
		setsid();
		int fd = open("/dev/ttyS0", O_RDWR);
		if (fd < 0)
			_exit(127);
		ioctl(fd, TIOCSCTTY, 0);
		if (rows > 0 && cols > 0)
			ioctl(fd, TIOCSWINSZ, &ws);
		for (int i = 0; i < 3; i++)
			dup2(fd, i);
		if (fd > 2)
			close(fd);
		signal(SIGPIPE, SIG_DFL);
		char *argv[] = { "sh", "-i", NULL };
		char *envp[] = { "PATH=/bin", "HOME=/", "TERM=vt100", "PS1=oomtest-guest# ", NULL };
		execve("/bin/sh", argv, envp);
		_exit(127);
	}
	send_rec("start", S("shell"), S("-"), NULL);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	char st[32];
	format_status(status, st, sizeof(st));
	send_rec("exit", S("shell"), S(st), NULL);
}

static void make_cgroup(const char *name)
{
	char *dir = cgroup_dir(name);

	if (!cgroup_mounted())
		send_err("cgroup %s: no cgroup hierarchy mounted", name);
	else if (!dir || mkdir(dir, 0755))
		send_err("cgroup %s: mkdir: %s", name, strerror(errno));
	else
		sample_cgroup(name, dir);
	free(dir);
}

static void set_cgroup_file(const char *name, const char *file, const char *val)
{
	char *dir = cgroup_dir(name), *path = NULL;
	int r;

	if (!dir || asprintf(&path, "%s/%s", dir, file) < 0)
		send_err("cgset: out of memory");
	else if ((r = write_file(path, val)))
		send_err("cgroup %s: writing '%s' to %s: %s", name, val, file, strerror(-r));
	free(dir);
	free(path);
}

/* sysctl vm.panic_on_oom 1: /proc/sys/vm/panic_on_oom */
static void set_sysctl(char *key, const char *val)
{
	char *path = NULL;
	int r;

	for (char *p = key; *p; p++)
		if (*p == '.')
			*p = '/';
	if (asprintf(&path, "/proc/sys/%s", key) >= 0 && (r = write_file(path, val)))
		send_err("sysctl %s = %s: %s", key, val, strerror(-r));
	free(path);
}

void run_line(struct plan_line *l)
{
	const char *cmd = l->f[0];
	int r;

	if (!strcmp(cmd, "payload") && l->n == 1) {
		payload_run();
	} else if (!strcmp(cmd, "swap") && l->n == 1) {
		disks_swap_on();
	} else if (!strcmp(cmd, "disk") && l->n == 1) {
		disks_mount();
	} else if (!strcmp(cmd, "mount") && l->n == 2) {
		if ((r = cgroup_mount(l->f[1])))
			send_err("mount %s: %s", l->f[1], strerror(-r));
	} else if (!strcmp(cmd, "cgroup") && l->n == 2) {
		make_cgroup(l->f[1]);
	} else if (!strcmp(cmd, "cgset") && l->n == 4) {
		set_cgroup_file(l->f[1], l->f[2], l->f[3]);
	} else if (!strcmp(cmd, "sysctl") && l->n == 3) {
		set_sysctl(l->f[1], l->f[2]);
	} else if ((!strcmp(cmd, "run") || !strcmp(cmd, "module")) && l->n >= 6) {
		/* run|module NAME BG CGROUP ADJ ARGV... */
		if (!strcmp(cmd, "module"))
			note_module(l->f[5]);
		start_step(cmd, l->f[1], !strcmp(l->f[2], "1"), l->f[3], l->f[4], l->f + 5, l->n - 5);
	} else if (!strcmp(cmd, "write") && l->n == 3) {
		/* sysrq-trigger c does not return: the console says why */
		if ((r = write_file(l->f[1], l->f[2])))
			send_err("write '%s' to %s: %s", l->f[2], l->f[1], strerror(-r));
	} else if (!strcmp(cmd, "rmmod") && l->n == 2) {
		if (syscall(SYS_delete_module, l->f[1], O_NONBLOCK))
			send_err("rmmod %s: %s", l->f[1], strerror(errno));
	} else if (!strcmp(cmd, "sleep") && l->n == 2) {
		pump(atoll(l->f[1]), NULL, NULL);
	} else if (!strcmp(cmd, "arm") && l->n >= 3) {
		wait_arm(l->f + 1, l->n - 1);
	} else if (!strcmp(cmd, "wait") && l->n == 3) {
		wait_run(l->f[1], atoll(l->f[2]));
	} else if (!strcmp(cmd, "shell") && l->n == 3) {
		run_shell(atoi(l->f[1]), atoi(l->f[2]));
	} else if (!strcmp(cmd, "collect") && l->n >= 3) {
		for (int i = 2; i < l->n; i++)
			collect(l->f[1], l->f[i]);
	} else {
		send_err("plan: cannot run '%s' with %d fields", cmd, l->n - 1);
	}
}
