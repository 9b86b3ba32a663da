/* child: process groups, reaping, and kill-all for signal handlers. */
#include "lib/child.h"
#include "lib/clock.h"
#include "lib/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_TRACKED 256

static volatile pid_t tracked[MAX_TRACKED];

static void track(pid_t pid)
{
	for (int i = 0; i < MAX_TRACKED; i++)
		if (!tracked[i]) {
			tracked[i] = pid;
			return;
		}
}

static void untrack(pid_t pid)
{
	for (int i = 0; i < MAX_TRACKED; i++)
		if (tracked[i] == pid)
			tracked[i] = 0;
}

void child_kill_all(void)
{
	for (int i = 0; i < MAX_TRACKED; i++) {
		pid_t p = tracked[i];
		if (p > 0)
			kill(-p, SIGKILL);
	}
}

void child_default_sigchld(void)
{
	signal(SIGCHLD, SIG_DFL);
}

void child_forget_all(void)
{
	for (int i = 0; i < MAX_TRACKED; i++)
		tracked[i] = 0;
}

extern char **environ;

/* oomtest's environment without make's MAKEFLAGS and MFLAGS: run under
 * make -j, oomtest inherits a jobserver named by fd numbers that mean
 * something else here, and a make it runs (a module, a kernel) would take
 * those fds for its jobserver: set them non-blocking, read and write them.
 * Made before fork: the child of a threaded process only execs. */
static char **environ_without_make(void)
{
	size_t n = 0, k = 0;

	while (environ[n])
		n++;
	char **env = xmalloc((n + 1) * sizeof(*env));
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "MAKEFLAGS=", 10) && strncmp(environ[i], "MFLAGS=", 7))
			env[k++] = environ[i];
	env[k] = NULL;
	return env;
}

int child_start(struct child *c, char *const argv[], int out_fd)
{
	int errpipe[2];
	pid_t parent = getpid();
	pid_t pid;
	int err = 0;
	ssize_t n;

	c->pid = 0;
	c->status = 0;
	c->cpu_seconds = 0;
	c->wait_error = 0;
	if (pipe2(errpipe, O_CLOEXEC))
		return -errno;
	char **env = environ_without_make();
	pid = fork();
	if (pid < 0) {
		err = -errno;
		free(env);
		close(errpipe[0]);
		close(errpipe[1]);
		return err;
	}
	if (pid == 0) {
		int nullfd = open("/dev/null", O_RDWR);
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		dup2(nullfd, 0);
		dup2(out_fd >= 0 ? out_fd : nullfd, 1);
		dup2(out_fd >= 0 ? out_fd : nullfd, 2);
		execvpe(argv[0], argv, env);
		err = errno;
		(void)!write(errpipe[1], &err, sizeof(err));
		_exit(127);
	}
	free(env);
	/* Also set it here, so the group exists before anyone signals it. */
	setpgid(pid, pid);
	close(errpipe[1]);
	do
		n = read(errpipe[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(errpipe[0]);
	if (n == sizeof(err)) {
		waitpid(pid, NULL, 0);
		return -err;
	}
	c->pid = pid;
	track(pid);
	return 0;
}

int child_wait(struct child *c, int timeout_ms)
{
	uint64_t start;

	if (!c->pid)
		return 1;
	start = clock_now_ms();
	for (;;) {
		struct rusage ru;
		pid_t r = wait4(c->pid, &c->status, timeout_ms < 0 ? 0 : WNOHANG, &ru);
		if (r == c->pid)
			c->cpu_seconds = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
					 (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
		if (r < 0 && errno == ECHILD)
			/* reaped by someone else (SIGCHLD ignored): not an exit 0 */
			c->wait_error = ECHILD;
		if (r == c->pid || c->wait_error) {
			untrack(c->pid);
			c->pid = 0;
			return 1;
		}
		if (r < 0 && errno != EINTR)
			return 0;
		if (timeout_ms < 0)
			continue;
		if (clock_now_ms() - start >= (uint64_t)timeout_ms)
			return 0;
		poll(NULL, 0, 5);
	}
}

void child_kill(struct child *c, int sig)
{
	if (c->pid > 0)
		kill(-c->pid, sig);
}

void child_stop(struct child *c)
{
	if (!c->pid)
		return;
	child_kill(c, SIGKILL);
	child_wait(c, -1);
}

int child_run(char *const argv[], int out_fd)
{
	struct child c;
	int r = child_start(&c, argv, out_fd);

	if (r)
		return r;
	child_wait(&c, -1);
	return c.wait_error ? -c.wait_error : c.status;
}

const char *child_strerror(int err)
{
	if (err == ECHILD)
		return "exit status lost (SIGCHLD was ignored)";
	return strerror(err);
}

int child_run_capture(char *const argv[], const char *scratch_dir, struct strbuf *out)
{
	struct strbuf tmp = STRBUF_INIT;
	int fd, st;

	strbuf_addf(&tmp, "%s/tool-output.XXXXXX", scratch_dir);
	fd = mkstemp(tmp.buf);
	if (fd < 0) {
		st = -errno;
		strbuf_release(&tmp);
		return st;
	}
	unlink(tmp.buf);
	st = child_run(argv, fd);
	if (lseek(fd, 0, SEEK_SET) == 0) {
		char buf[8192];
		ssize_t n;
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			strbuf_add(out, buf, (size_t)n);
	}
	close(fd);
	strbuf_release(&tmp);
	return st;
}

char *child_find_program(const char *name)
{
	struct strbuf dirs = STRBUF_INIT;
	const char *path = getenv("PATH");
	char *found = NULL;

	strbuf_addf(&dirs, "%s:/usr/sbin:/sbin", path && *path ? path : "/usr/bin:/bin");
	for (char *d = dirs.buf; d && !found;) {
		char *colon = strchr(d, ':');
		struct strbuf full = STRBUF_INIT;
		struct stat st;

		if (colon)
			*colon = '\0';
		strbuf_addf(&full, "%s/%s", *d ? d : ".", name);
		if (!stat(full.buf, &st) && S_ISREG(st.st_mode) && !access(full.buf, X_OK))
			found = strbuf_detach(&full);
		strbuf_release(&full);
		d = colon ? colon + 1 : NULL;
	}
	strbuf_release(&dirs);
	return found;
}
