/* oomtest-init: the guest agent, PID 1 of every oomtest guest.
 *
 * Mounts what the guest needs, says "ready" on the agent channel (the second
 * serial port), reads the run's plan up to "end", runs it line by line,
 * streams records back (see proto.h) and powers the machine off. Static, no
 * shell: steps are exec'd from argv vectors taken from the plan. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "proto/proto.h"

#define CG_ROOT "/sys/fs/cgroup"

static int chan = -1;          /* agent channel */
static int cg_version;         /* 0: none mounted, 1 or 2 */

struct step {
	char *name;
	pid_t pid;
	int out_fd;                /* read end of its stdout+stderr, -1 when closed */
	int status_fd;             /* its /proc/PID/status, open while it runs, -1: none */
	char *partial;             /* output line not yet ended */
	size_t partial_len;
	int running;
	struct step *next;
};
static struct step *steps;

/* ---- output ---- */

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		static const char msg[] = "oomtest-init: out of memory\n";
		(void)!write(2, msg, sizeof(msg) - 1);
		reboot(RB_POWER_OFF);
		_exit(1);
	}
	return p;
}

struct buf {
	char *p;
	size_t len, alloc;
};

static void buf_add(struct buf *b, const void *d, size_t n)
{
	if (b->len + n + 1 > b->alloc) {
		b->alloc = (b->len + n + 1) * 2;
		b->p = xrealloc(b->p, b->alloc);
	}
	memcpy(b->p + b->len, d, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void buf_add_field(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";

	if (b->len)
		buf_add(b, " ", 1);
	if (!n)
		buf_add(b, "%-", 2); /* the empty field */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (proto_needs_escape(c)) {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			buf_add(b, e, 3);
		} else {
			buf_add(b, &s[i], 1);
		}
	}
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Sends one record: fields given as (pointer, length) pairs, ended by NULL. */
static void send_rec(const char *kind, ...)
{
	struct buf b = { 0 };
	va_list ap;
	const char *s;

	buf_add(&b, kind, strlen(kind));
	va_start(ap, kind);
	while ((s = va_arg(ap, const char *))) {
		size_t n = va_arg(ap, size_t);
		buf_add_field(&b, s, n);
	}
	va_end(ap);
	buf_add(&b, "\n", 1);
	write_all(chan, b.p, b.len);
	free(b.p);
}

#define S(x) (x), strlen(x)

static void send_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void send_err(const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	send_rec("err", S(msg ? msg : "?"), NULL);
	free(msg);
}

/* ---- small helpers ---- */

/* Reads fd to its end into out (replacing what out held). The buffer is
 * static so that reading allocates nothing when memory is short. */
static int read_fd(int fd, struct buf *out)
{
	static char tmp[16384];
	ssize_t n;

	out->len = 0;
	buf_add(out, "", 0);
	while ((n = read(fd, tmp, sizeof(tmp))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf_add(out, tmp, (size_t)n);
	}
	return 0;
}

static int read_file(const char *path, struct buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return -errno;
	r = read_fd(fd, out);
	close(fd);
	return r;
}

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	return ret;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void format_status(int status, char *out, size_t n)
{
	if (WIFEXITED(status))
		snprintf(out, n, "%d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(out, n, "signal:%d", WTERMSIG(status));
	else
		snprintf(out, n, "unknown:%d", status);
}

/* ---- step output and reaping ---- */

static struct step *find_step(const char *name)
{
	for (struct step *s = steps; s; s = s->next)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

static void flush_out(struct step *s, int final)
{
	char *start = s->partial;
	size_t left = s->partial_len;
	char *nl;

	while ((nl = memchr(start, '\n', left))) {
		send_rec("out", S(s->name), start, (size_t)(nl - start), NULL);
		left -= (size_t)(nl - start) + 1;
		start = nl + 1;
	}
	if (final && left) {
		send_rec("out", S(s->name), start, left, NULL);
		left = 0;
	}
	memmove(s->partial, start, left);
	s->partial_len = left;
}

static void drain_step(struct step *s)
{
	char tmp[4096];
	ssize_t n;

	if (s->out_fd < 0)
		return;
	n = read(s->out_fd, tmp, sizeof(tmp));
	if (n > 0) {
		s->partial = xrealloc(s->partial, s->partial_len + (size_t)n);
		memcpy(s->partial + s->partial_len, tmp, (size_t)n);
		s->partial_len += (size_t)n;
		flush_out(s, 0);
	} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
		flush_out(s, 1);
		close(s->out_fd);
		s->out_fd = -1;
	}
}

static void reap(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (struct step *s = steps; s; s = s->next) {
			if (s->pid == pid && s->running) {
				char st[32];
				s->running = 0;
				if (s->status_fd >= 0) {
					close(s->status_fd);
					s->status_fd = -1;
				}
				while (s->out_fd >= 0)
					drain_step(s);
				format_status(status, st, sizeof(st));
				send_rec("exit", S(s->name), S(st), NULL);
			}
		}
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

/* When the plan started, and when the steps' memory was last sampled. */
static long long plan_t0, last_sample;
#define SAMPLE_MS 25

/* "mem STEP MS RSS_KB" for every running step: VmRSS from /proc/PID/status. */
static void sample_steps(void)
{
	long long t = now_ms();

	if (t - last_sample < SAMPLE_MS)
		return;
	last_sample = t;
	for (struct step *s = steps; s; s = s->next) {
		char buf[2048], ms[24], kb[24];
		if (!s->running || s->status_fd < 0)
			continue;
		ssize_t n = pread(s->status_fd, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		/* a zombie or kernel thread has no VmRSS line */
		char *rss = strstr(buf, "\nVmRSS:");
		if (!rss)
			continue;
		snprintf(ms, sizeof(ms), "%lld", t - plan_t0);
		snprintf(kb, sizeof(kb), "%lld", atoll(rss + 8));
		send_rec("mem", S(s->name), S(ms), S(kb), NULL);
	}
}

/* Forwards step output, samples the steps' memory and reaps children for
 * up to ms milliseconds, or until `until` (if given) has ended. */
static void pump(long long ms, struct step *until)
{
	long long end = now_ms() + ms;

	for (;;) {
		struct pollfd pfd[64];
		struct step *who[64];
		int n = 0;

		reap();
		sample_steps();
		if (until && !until->running)
			return;
		long long left = end - now_ms();
		if (left <= 0)
			return;
		for (struct step *s = steps; s && n < 64; s = s->next)
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

/* ---- plan commands ---- */

static char *cgroup_dir(const char *name)
{
	char *p = NULL;

	if (asprintf(&p, cg_version == 1 ? CG_ROOT "/memory/%s" : CG_ROOT "/%s", name) < 0)
		return NULL;
	return p;
}

static int do_mount(const char *what)
{
	if (!strcmp(what, "cgroup1")) {
		if (mount("cgroup", CG_ROOT, "tmpfs", 0, "mode=755") && errno != EBUSY)
			return -errno;
		mkdir(CG_ROOT "/memory", 0755);
		if (mount("cgroup", CG_ROOT "/memory", "cgroup", 0, "memory"))
			return -errno;
		cg_version = 1;
		return 0;
	}
	if (!strcmp(what, "cgroup2")) {
		if (mount("cgroup2", CG_ROOT, "cgroup2", 0, NULL))
			return -errno;
		cg_version = 2;
		return write_file(CG_ROOT "/cgroup.subtree_control", "+memory");
	}
	return -EINVAL;
}

static void set_comm(const char *name)
{
	prctl(PR_SET_NAME, name, 0, 0, 0);
}

/* In the child: join the cgroup, then become the step. */
static void child_enter_cgroup(const char *cg)
{
	if (cg && *cg && strcmp(cg, "-")) {
		char *dir = cgroup_dir(cg), *procs = NULL;
		if (!dir || asprintf(&procs, "%s/cgroup.procs", dir) < 0 ||
		    write_file(procs, "0")) {
			fprintf(stderr, "oomtest-init: cannot join cgroup %s: %s\n", cg, strerror(errno));
			_exit(126);
		}
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
	s->next = steps;
	steps = s;
	return s;
}

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
	if (syscall(SYS_finit_module, fd, args, 0)) {
		ret = errno;
		fprintf(stderr, "oomtest-init: finit_module %s: %s\n", name, strerror(errno));
	}
	return ret;
}

/* kind: "run" (argv exec'd from /bin) or "module" (argv: module name and
 * params). adj: oom_score_adj for the process, or "-". */
static void start_step(const char *kind, const char *name, int bg, const char *cg,
		       const char *adj, char **argv, int argc)
{
	struct step *s = new_step(name);
	int pfd[2];

	if (!s || pipe2(pfd, O_CLOEXEC)) {
		send_err("step %s: %s", name, strerror(errno));
		return;
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
		sigset_t all;
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		child_enter_cgroup(cg);
		if (strcmp(adj, "-") && write_file("/proc/self/oom_score_adj", adj)) {
			fprintf(stderr, "oomtest-init: oom_score_adj %s: %s\n", adj, strerror(errno));
			_exit(126);
		}
		if (!strcmp(kind, "module")) {
			set_comm("insmod");
			_exit(load_module(argv[0], argv + 1, argc - 1));
		}
		char *path = NULL;
		if (strchr(argv[0], '/'))
			path = argv[0];
		else if (asprintf(&path, "/bin/%s", argv[0]) < 0)
			_exit(127);
		char **av = calloc((size_t)argc + 1, sizeof(char *));
		memcpy(av, argv, (size_t)argc * sizeof(char *));
		execv(path, av);
		fprintf(stderr, "oomtest-init: exec %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	s->pid = pid;
	s->out_fd = pfd[0];
	s->running = 1;
	open_status(s);
	char pids[16];
	snprintf(pids, sizeof(pids), "%d", (int)pid);
	send_rec("start", S(name), S(pids), NULL);
	if (!bg)
		pump(1LL << 40, s);
}

/* /proc files stay open once opened: rereading an open seq_file reuses its
 * buffer, so a snapshot taken when memory is exhausted allocates nothing. */
struct open_proc {
	char *path;
	int fd;
	struct open_proc *next;
};
static struct open_proc *open_procs;

static int proc_fd(const char *path)
{
	struct open_proc *o;

	for (o = open_procs; o; o = o->next)
		if (!strcmp(o->path, path))
			return o->fd;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	o = calloc(1, sizeof(*o));
	o->path = strdup(path);
	o->fd = fd;
	o->next = open_procs;
	open_procs = o;
	return fd;
}

static int read_proc(const char *path, struct buf *out)
{
	int fd = proc_fd(path);

	if (fd < 0)
		return fd;
	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	return read_fd(fd, out);
}

static void snap_file(const char *snap, const char *kind, const char *key, const char *path)
{
	struct buf b = { 0 };
	int r = !strncmp(path, "/proc/", 6) ? read_proc(path, &b) : read_file(path, &b);

	if (r == 0)
		send_rec("snap", S(snap), S(kind), S(key), b.p, b.len, NULL);
	else if (r != -EINVAL && r != -EACCES && r != -EPERM)
		send_err("collect %s: %s: %s", snap, path, strerror(-r));
	free(b.p);
}

static void collect_cgroup(const char *snap, const char *name)
{
	char *dir = cgroup_dir(name);
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *de;

	if (!d) {
		send_err("collect %s: cgroup %s: %s", snap, name, strerror(errno));
		free(dir);
		return;
	}
	while ((de = readdir(d))) {
		char *path = NULL, *key = NULL;
		struct stat st;
		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&path, "%s/%s", dir, de->d_name) < 0)
			continue;
		if (!stat(path, &st) && S_ISREG(st.st_mode) && (st.st_mode & 0444) &&
		    asprintf(&key, "%s/%s", name, de->d_name) >= 0) {
			struct buf b = { 0 };
			if (!read_file(path, &b))
				send_rec("snap", S(snap), S("cgroup"), S(key), b.p, b.len, NULL);
			free(b.p);
		}
		free(key);
		free(path);
	}
	closedir(d);
	free(dir);
}

static void collect(const char *snap, const char *what)
{
	if (!strcmp(what, "buddyinfo") || !strcmp(what, "meminfo") || !strcmp(what, "vmstat")) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%s", what);
		snap_file(snap, what, "-", path);
	} else if (!strncmp(what, "cgroup:", 7)) {
		collect_cgroup(snap, what + 7);
	} else if (!strncmp(what, "proc:", 5)) {
		struct step *s = find_step(what + 5);
		char path[64];
		reap();
		if (!s) {
			send_err("collect %s: no step %s", snap, what + 5);
		} else if (s->running) {
			snprintf(path, sizeof(path), "/proc/%d/status", (int)s->pid);
			snap_file(snap, "proc", s->name, path);
		}
	} else {
		send_err("collect %s: unknown item %s", snap, what);
	}
}

/* ---- plan reading ---- */

struct line {
	char **f;
	int n;
};

/* Splits and decodes one plan line in place. */
static struct line split_line(char *s)
{
	struct line l = { NULL, 0 };
	char *tok, *save = NULL;

	for (tok = strtok_r(s, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *w = tok;
		if (!strcmp(tok, "%-")) {
			*tok = '\0';
			goto add;
		}
		for (char *r = tok; *r; r++) {
			int hi, lo;
			if (*r == '%' && (hi = proto_hexval(r[1])) >= 0 && (lo = proto_hexval(r[2])) >= 0) {
				*w++ = (char)(hi * 16 + lo);
				r += 2;
			} else {
				*w++ = *r;
			}
		}
		*w = '\0';
add:
		l.f = xrealloc(l.f, sizeof(char *) * (size_t)(l.n + 2));
		l.f[l.n++] = tok;
		l.f[l.n] = NULL;
	}
	return l;
}

static char *read_plan_line(void)
{
	struct buf b = { 0 };
	char c;

	for (;;) {
		ssize_t n = read(chan, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return b.p;
		if (c == '\n') {
			if (!b.p)
				buf_add(&b, "", 0);
			return b.p;
		}
		if (c != '\r')
			buf_add(&b, &c, 1);
	}
}

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

static void run_shell(int rows, int cols);

static void run_line(struct line *l)
{
	const char *cmd = l->f[0];
	int r;

	if (!strcmp(cmd, "mount") && l->n == 2) {
		if ((r = do_mount(l->f[1])))
			send_err("mount %s: %s", l->f[1], strerror(-r));
	} else if (!strcmp(cmd, "cgroup") && l->n == 2) {
		char *dir = cgroup_dir(l->f[1]);
		if (!cg_version)
			send_err("cgroup %s: no cgroup hierarchy mounted", l->f[1]);
		else if (!dir || mkdir(dir, 0755))
			send_err("cgroup %s: mkdir: %s", l->f[1], strerror(errno));
		free(dir);
	} else if (!strcmp(cmd, "cgset") && l->n == 4) {
		char *dir = cgroup_dir(l->f[1]), *path = NULL;
		if (!dir || asprintf(&path, "%s/%s", dir, l->f[2]) < 0)
			send_err("cgset: out of memory");
		else if ((r = write_file(path, l->f[3])))
			send_err("cgroup %s: writing '%s' to %s: %s", l->f[1], l->f[3], l->f[2], strerror(-r));
		free(dir);
		free(path);
	} else if (!strcmp(cmd, "sysctl") && l->n == 3) {
		char *path = NULL;
		for (char *p = l->f[1]; *p; p++)
			if (*p == '.')
				*p = '/';
		if (asprintf(&path, "/proc/sys/%s", l->f[1]) >= 0 && (r = write_file(path, l->f[2])))
			send_err("sysctl %s = %s: %s", l->f[1], l->f[2], strerror(-r));
		free(path);
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
		pump(atoll(l->f[1]), NULL);
	} else if (!strcmp(cmd, "wait") && l->n == 3) {
		struct step *s = find_step(l->f[1]);
		if (s)
			pump(atoll(l->f[2]), s);
		else
			send_err("wait: no step %s", l->f[1]);
	} else if (!strcmp(cmd, "shell") && l->n == 3) {
		run_shell(atoi(l->f[1]), atoi(l->f[2]));
	} else if (!strcmp(cmd, "collect") && l->n >= 3) {
		for (int i = 2; i < l->n; i++)
			collect(l->f[1], l->f[i]);
	} else {
		send_err("plan: cannot run '%s' with %d fields", cmd, l->n - 1);
	}
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

/* ---- setup ---- */

static void setup_mounts(void)
{
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("tmpfs", "/tmp", "tmpfs", 0, NULL);
	/* Without /dev/console in the image the kernel gave us no stdio. */
	if (fcntl(2, F_GETFD) < 0) {
		int fd = open("/dev/console", O_RDWR | O_NOCTTY);
		for (int i = 0; fd >= 0 && i < 3; i++)
			if (fcntl(i, F_GETFD) < 0)
				dup2(fd, i);
		if (fd > 2)
			close(fd);
	}
}

static int open_channel(void)
{
	struct termios t;
	int fd = open("/dev/ttyS1", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (!tcgetattr(fd, &t)) {
		cfmakeraw(&t);
		cfsetispeed(&t, B115200);
		cfsetospeed(&t, B115200);
		tcsetattr(fd, TCSANOW, &t);
	}
	return fd;
}

static void finish(void)
{
	/* Background steps still running when the plan ends are reported as
	 * "left" (still running) before they are killed. */
	reap();
	for (struct step *s = steps; s; s = s->next)
		if (s->running) {
			send_rec("left", S(s->name), NULL);
			kill(s->pid, SIGKILL);
		}
	for (struct step *s = steps; s; s = s->next)
		if (s->running)
			pump(2000, s);
	send_rec("done", NULL);
	tcdrain(chan);
	/* A module may still hold all memory: powering off needs some. */
	for (int i = 0; i < nloaded_modules; i++)
		if (loaded_modules[i])
			syscall(SYS_delete_module, loaded_modules[i], O_NONBLOCK);
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

/* The agent must keep working when a step has eaten nearly all memory:
 * keep freed heap, prefault some, and lock everything it maps. */
static void reserve_memory(void)
{
	char stack[64 << 10];

	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	free(calloc(1, 1 << 20));
	memset(stack, 0, sizeof(stack));
	__asm__ volatile("" : : "r"(stack) : "memory");
	mlockall(MCL_CURRENT | MCL_FUTURE);
}

/* Modules the image carries for the harness's sake (pvpanic), loaded in
 * name order from /lib/modules/boot; a kernel without them just lacks
 * what they give. */
static void load_boot_modules(void)
{
	struct dirent **names;
	int n = scandir("/lib/modules/boot", &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		char *path = NULL;
		int fd;

		if (names[i]->d_name[0] != '.' && asprintf(&path, "/lib/modules/boot/%s", names[i]->d_name) >= 0 &&
		    (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
			if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST)
				fprintf(stderr, "oomtest-init: finit_module %s: %s\n", path, strerror(errno));
			close(fd);
		}
		free(path);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

/* Whether a pvpanic driver has a device: then QEMU hears of a panic. */
static int pvpanic_bound(void)
{
	static const char *const dirs[] = { "/sys/bus/platform/drivers/pvpanic-mmio",
					    "/sys/bus/pci/drivers/pvpanic-pci", NULL };
	int found = 0;

	for (int i = 0; dirs[i] && !found; i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *e;

		while (d && (e = readdir(d)))
			found |= strchr(e->d_name, ':') != NULL;
		if (d)
			closedir(d);
	}
	return found;
}

int main(void)
{
	struct utsname u;
	char *line;

	setup_mounts();
	reserve_memory();
	chan = open_channel();
	if (chan < 0) {
		fprintf(stderr, "oomtest-init: no agent channel /dev/ttyS1: %s\n", strerror(errno));
		reboot(RB_POWER_OFF);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	load_boot_modules();
	uname(&u);
	send_rec("ready", S(OOMTEST_PROTO_VERSION), S(u.release), S(u.machine), S(pvpanic_bound() ? "1" : "0"), NULL);

	/* The whole plan arrives before anything runs. */
	struct line *plan = NULL;
	size_t nplan = 0;
	while ((line = read_plan_line())) {
		struct line l = split_line(line);
		if (l.n == 0)
			continue;
		if (!strcmp(l.f[0], "end"))
			break;
		plan = xrealloc(plan, sizeof(*plan) * (nplan + 1));
		plan[nplan++] = l;
	}
	/* Open the /proc files the plan will read before any step runs. */
	for (size_t i = 0; i < nplan; i++)
		for (int j = 2; !strcmp(plan[i].f[0], "collect") && j < plan[i].n; j++)
			if (!strchr(plan[i].f[j], ':')) {
				char path[64];
				snprintf(path, sizeof(path), "/proc/%s", plan[i].f[j]);
				struct buf b = { 0 };
				read_proc(path, &b);
				free(b.p);
			}
	plan_t0 = now_ms();
	for (size_t i = 0; i < nplan; i++)
		run_line(&plan[i]);
	finish();
	return 0;
}
