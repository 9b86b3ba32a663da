/* steps: starting, forwarding, reaping. */
#include "guest/steps.h"
#include "guest/buf.h"
#include "guest/cgroup.h"
#include "guest/chan.h"
#include "guest/files.h"
#include "guest/kmsg.h"
#include "guest/sample.h"
#include "guest/wait.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct step *step_list;

struct step *find_step(const char *name)
{
	for (struct step *s = step_list; s; s = s->next)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

void format_status(int status, char *out, size_t n)
{
	if (WIFEXITED(status))
		snprintf(out, n, "%d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(out, n, "signal:%d", WTERMSIG(status));
	else
		snprintf(out, n, "unknown:%d", status);
}

static void flush_out(struct step *s, int final)
{
	char *start = s->partial;
	size_t left = s->partial_len;
	char *nl;

	while ((nl = memchr(start, '\n', left))) {
		send_rec("out", S(s->name), start, (size_t)(nl - start), NULL);
		wait_note_output(s->name, start, (size_t)(nl - start));
		left -= (size_t)(nl - start) + 1;
		start = nl + 1;
	}
	if (final && left) {
		send_rec("out", S(s->name), start, left, NULL);
		wait_note_output(s->name, start, left);
		left = 0;
	}
	memmove(s->partial, start, left);
	s->partial_len = left;
}

/* Forwards what the pipe holds now; at its end, the last unended line too,
 * and closes it. Returns 1 when there may be more to read at once. */
static int drain_step(struct step *s)
{
	char tmp[4096];
	ssize_t n;

	if (s->out_fd < 0)
		return 0;
	n = read(s->out_fd, tmp, sizeof(tmp));
	if (n > 0) {
		s->partial = xrealloc(s->partial, s->partial_len + (size_t)n);
		memcpy(s->partial + s->partial_len, tmp, (size_t)n);
		s->partial_len += (size_t)n;
		flush_out(s, 0);
		return 1;
	}
	if (n < 0 && errno == EINTR)
		return 1;
	if (n < 0 && errno == EAGAIN)
		return 0;
	flush_out(s, 1);
	close(s->out_fd);
	s->out_fd = -1;
	return 0;
}

/* The module's outcome, from the kernel's own record of its result line,
 * read from /dev/kmsg opened before the load (see kmsg.h). */
static void send_module_result(struct step *s)
{
	const char *text;
	size_t len;

	if (!kmsg_module_result(s->kmsg_fd, s->module, &text, &len))
		send_rec("kmod", S(s->module), text, len, NULL);
	close(s->kmsg_fd);
	s->kmsg_fd = -1;
}

void reap(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (struct step *s = step_list; s; s = s->next) {
			if (s->pid == pid && s->running) {
				char st[32];
				s->running = 0;
				if (s->status_fd >= 0) {
					close(s->status_fd);
					s->status_fd = -1;
				}
				/* All it wrote is in the pipe by now. A process it
				 * left behind may hold the pipe open: pump forwards
				 * what that one writes, as it comes. */
				while (drain_step(s))
					;
				if (s->kmsg_fd >= 0)
					send_module_result(s);
				format_status(status, st, sizeof(st));
				send_rec("exit", S(s->name), S(st), NULL);
				sample_event("exit", S(s->name));
				if (s->module)
					chan_release();
			}
		}
	}
}

int step_ended(void *step)
{
	return !((struct step *)step)->running;
}

int pump(long long ms, int (*until)(void *), void *arg)
{
	long long end = (long long)clock_now_ms() + ms;

	for (;;) {
		struct pollfd pfd[64];
		struct step *who[64];
		int n = 0;

		reap();
		sample_steps();
		if (until && until(arg))
			return 1;
		long long left = end - (long long)clock_now_ms();
		if (left <= 0)
			return 0;
		for (struct step *s = step_list; s && n < 64; s = s->next)
			if (s->out_fd >= 0) {
				pfd[n].fd = s->out_fd;
				pfd[n].events = POLLIN;
				who[n++] = s;
			}
		if (poll(pfd, (nfds_t)n, left > 20 ? 20 : (int)left) > 0)
			for (int i = 0; i < n; i++)
				if (pfd[i].revents)
					drain_step(who[i]);
	}
}

/* The step's /proc/PID/status is opened, and read once, as it starts:
 * opening a /proc file allocates (an inode, a seq_file buffer), and under a
 * global OOM that made the agent, PID 1, the task that invoked the OOM
 * killer. Rereading the open file allocates nothing. */
static void open_status(struct step *s)
{
	char path[64], buf[2048];

	snprintf(path, sizeof(path), "/proc/%d/status", (int)s->pid);
	s->status_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s->status_fd >= 0 && pread(s->status_fd, buf, sizeof(buf), 0) < 0) {
		close(s->status_fd);
		s->status_fd = -1;
	}
}

static struct step *new_step(const char *name)
{
	struct step *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->name = strdup(name);
	s->out_fd = -1;
	s->status_fd = -1;
	s->kmsg_fd = -1;
	s->next = step_list;
	step_list = s;
	return s;
}

/* Grows the stack by what the rest of the loader may use. */
static __attribute__((noinline)) void touch_stack(void)
{
	volatile char room[64 * 1024];

	for (size_t i = 0; i < sizeof(room); i += 1024)
		room[i] = 0;
}

/* A module may leave the guest without a free page (order 4 fails only
 * when nearly everything is taken): the loader's own page faults after
 * the load (a deeper stack, its exit) would then call the OOM killer on
 * it, which is not what the module did (seen on arm64). So everything it
 * has is faulted in and locked first. */
static void lock_in_memory(void)
{
	touch_stack();
	if (mlockall(MCL_CURRENT))
		fprintf(stderr, "oomtest-init: mlockall: %s\n", strerror(errno));
}

/* The exit status is the module's errno. */
static int load_module(const char *name, char **params, int nparams)
{
	char *path = NULL, *args;
	size_t len = 1;
	int fd, ret = 0;

	for (int i = 0; i < nparams; i++)
		len += strlen(params[i]) + 1;
	args = calloc(1, len);
	for (int i = 0; i < nparams; i++) {
		if (i)
			strcat(args, " ");
		strcat(args, params[i]);
	}
	if (asprintf(&path, "/lib/modules/%s.ko", name) < 0)
		return ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "oomtest-init: %s: %s\n", path, strerror(errno));
		return 127;
	}
	lock_in_memory();
	if (syscall(SYS_finit_module, fd, args, 0)) {
		ret = errno;
		fprintf(stderr, "oomtest-init: finit_module %s: %s\n", name, strerror(errno));
	}
	return ret;
}

int steps_module_main(int argc, char **argv)
{
	prctl(PR_SET_NAME, "insmod", 0, 0, 0);
	/* no exit handlers, no stdio flush: nothing more to fault in */
	_exit(load_module(argv[2], argv + 3, argc - 3));
}

char *steps_find_program(const char *name, const char *dirs)
{
	for (const char *d = dirs; *d;) {
		size_t len = strcspn(d, ":");
		char *path = NULL;

		/* an empty entry is the current directory, as for execvp */
		if (asprintf(&path, "%.*s%s%s", (int)len, d, len ? "/" : "", name) < 0)
			return NULL;
		struct stat st;
		/* root may "execute" a directory, as far as access() says */
		if (!stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK))
			return path;
		free(path);
		d += len;
		d += *d == ':';
	}
	return NULL;
}

/* In the child: join the cgroup, set oom_score_adj, then become the step. */
static void become_step(const char *kind, const char *cg, const char *adj, char **argv, int argc)
{
	sigset_t all;

	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	cgroup_enter(cg);
	if (strcmp(adj, "-") && write_file("/proc/self/oom_score_adj", adj)) {
		fprintf(stderr, "oomtest-init: oom_score_adj %s: %s\n", adj, strerror(errno));
		_exit(126);
	}
	if (!strcmp(kind, "module")) {
		/* Loaded by the agent's image anew (steps_module_main), not in
		 * this fork: a fork shares the agent's pages copy-on-write as
		 * long as it lives, and the agent, PID 1, writing to one while a
		 * module holds all memory needs a page nobody can give (a panic,
		 * "no killable processes", seen on arm64). */
		char **av = calloc((size_t)argc + 3, sizeof(char *));
		char *envp[] = { NULL };
		if (!av) {
			fprintf(stderr, "oomtest-init: loading %s: out of memory\n", argv[0]);
			_exit(127);
		}
		av[0] = "insmod";
		av[1] = STEPS_LOAD_MODULE;
		memcpy(av + 2, argv, (size_t)argc * sizeof(char *));
		execve("/init", av, envp);
		fprintf(stderr, "oomtest-init: exec /init to load %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	char *path = strchr(argv[0], '/') ? argv[0] : steps_find_program(argv[0], STEPS_PATH);
	if (!path) {
		fprintf(stderr, "oomtest-init: %s: not found\n", argv[0]);
		_exit(127);
	}
	char **av = calloc((size_t)argc + 1, sizeof(char *));
	memcpy(av, argv, (size_t)argc * sizeof(char *));
	char *envp[] = { "PATH=" STEPS_PATH, "HOME=/", "TERM=linux", NULL };
	execve(path, av, envp);
	fprintf(stderr, "oomtest-init: exec %s: %s\n", path, strerror(errno));
	_exit(127);
}

void start_step(const char *kind, const char *name, int bg, const char *cg,
		const char *adj, char **argv, int argc)
{
	struct step *s = new_step(name);
	int pfd[2];

	if (!s || pipe2(pfd, O_CLOEXEC)) {
		send_err("step %s: %s", name, strerror(errno));
		return;
	}
	/* before the load: its records come after this point */
	if (!strcmp(kind, "module")) {
		s->kmsg_fd = kmsg_open();
		chan_hold();
	}
	pid_t pid = fork();
	if (pid < 0) {
		send_err("step %s: fork: %s", name, strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return;
	}
	if (pid == 0) {
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		become_step(kind, cg, adj, argv, argc);
	}
	close(pfd[1]);
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	if (!strcmp(kind, "module"))
		s->module = strdup(argv[0]);
	s->pid = pid;
	s->out_fd = pfd[0];
	s->running = 1;
	open_status(s);
	char pids[16];
	snprintf(pids, sizeof(pids), "%d", (int)pid);
	send_rec("start", S(name), S(pids), NULL);
	sample_event("start", S(name));
	if (!bg)
		pump(1LL << 40, step_ended, s);
}

void steps_end(void)
{
	reap();
	for (struct step *s = step_list; s; s = s->next)
		if (s->running) {
			send_rec("left", S(s->name), NULL);
			kill(s->pid, SIGKILL);
		}
	for (struct step *s = step_list; s; s = s->next)
		if (s->running)
			pump(2000, step_ended, s);
}
