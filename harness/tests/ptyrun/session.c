/* session: the command on a pty, the I/O loop around it, and the actions
 * done against its output. */
#include "session.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pty.h>
#include <regex.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MATCH_MAX ((size_t)1 << 20) /* unconsumed output kept for matching */
#define READ_BURST ((size_t)256 << 10) /* read at most this much before matching */
#define TERM_GRACE_MS 5000
#define NO_DEADLINE INT64_MAX

/* SIGCHLD writes a byte here, so that poll wakes up when the command exits */
static int sigchld_pipe[2] = { -1, -1 };

static void on_sigchld(int sig)
{
	int saved = errno;
	(void)sig;
	if (write(sigchld_pipe[1], "c", 1) < 0) {
		/* full pipe: a wake-up is pending anyway */
	}
	errno = saved;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void log_output(struct session *s, const char *b, size_t n)
{
	while (s->logfd >= 0 && n > 0) {
		ssize_t w = write(s->logfd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			fprintf(stderr, "ptyrun: writing %s: %s; not logging any more\n", s->logname,
				w < 0 ? strerror(errno) : "short write");
			close(s->logfd);
			s->logfd = -1;
			return;
		}
		b += w;
		n -= (size_t)w;
	}
}

static void on_output(struct session *s, const char *b, size_t n)
{
	log_output(s, b, n);
	s->total += n;

	/* the tail, for messages */
	if (n >= TAIL_MAX) {
		memcpy(s->tail, b + n - TAIL_MAX, TAIL_MAX);
		s->tail_len = TAIL_MAX;
	} else {
		size_t keep = s->tail_len + n > TAIL_MAX ? TAIL_MAX - n : s->tail_len;
		memmove(s->tail, s->tail + s->tail_len - keep, keep);
		memcpy(s->tail + keep, b, n);
		s->tail_len = keep + n;
	}

	/* the match buffer: only the newest MATCH_MAX bytes */
	if (n > MATCH_MAX) {
		b += n - MATCH_MAX;
		n = MATCH_MAX;
	}
	if (s->unconsumed_len + n > MATCH_MAX) {
		size_t drop = s->unconsumed_len + n - MATCH_MAX;
		memmove(s->unconsumed, s->unconsumed + drop, s->unconsumed_len - drop);
		s->unconsumed_len -= drop;
	}
	if (s->unconsumed_len + n + 1 > s->unconsumed_cap) {
		size_t cap = s->unconsumed_cap ? s->unconsumed_cap : 4096;
		while (cap < s->unconsumed_len + n + 1)
			cap *= 2;
		s->unconsumed = xrealloc(s->unconsumed, cap);
		s->unconsumed_cap = cap;
	}
	for (size_t i = 0; i < n; i++)
		s->unconsumed[s->unconsumed_len + i] = b[i] ? b[i] : '.';
	s->unconsumed_len += n;
	s->unconsumed[s->unconsumed_len] = '\0';
	s->generation++;
}

static void consume(struct session *s, size_t n)
{
	memmove(s->unconsumed, s->unconsumed + n, s->unconsumed_len - n + 1);
	s->unconsumed_len -= n;
	s->generation++;
}

/* Reads what the terminal has (up to READ_BURST) without blocking; sets
 * s->eof when the output has ended. */
static void read_output(struct session *s)
{
	char buf[65536];
	size_t got = 0;

	while (!s->eof && got < READ_BURST) {
		ssize_t n = read(s->master, buf, sizeof(buf));
		if (n > 0) {
			on_output(s, buf, (size_t)n);
			got += (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			return;
		} else {
			/* 0, or EIO: no process has the slave side open any more */
			if (n < 0 && errno != EIO)
				fprintf(stderr, "ptyrun: reading the pty: %s\n", strerror(errno));
			s->eof = 1;
		}
	}
}

static void reap_nohang(struct session *s)
{
	int st;
	pid_t p;

	if (s->reaped)
		return;
	while ((p = waitpid(s->pid, &st, WNOHANG)) < 0 && errno == EINTR)
		;
	if (p == s->pid) {
		s->reaped = 1;
		s->status = st;
	} else if (p < 0) {
		fprintf(stderr, "ptyrun: waitpid: %s\n", strerror(errno));
		s->reaped = 1;
		s->status = 0xff00; /* as exit(255) */
	}
}

/* Waits until something happens (output, room to write if want_write, a
 * child status change) or the deadline passes, and handles it. */
static void pump(struct session *s, int64_t deadline, int want_write)
{
	struct pollfd p[2];
	nfds_t n = 1;
	int timeout = -1;
	char drain[64];

	p[0].fd = sigchld_pipe[0];
	p[0].events = POLLIN;
	p[0].revents = 0;
	if (!s->eof && s->master >= 0) {
		p[1].fd = s->master;
		p[1].events = (short)(POLLIN | (want_write ? POLLOUT : 0));
		p[1].revents = 0;
		n = 2;
	}
	if (deadline != NO_DEADLINE) {
		int64_t left = deadline - now_ms();
		timeout = left < 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
	}
	if (poll(p, n, timeout) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "ptyrun: poll: %s\n", strerror(errno));
			exit(EXIT_USAGE);
		}
		return;
	}
	if (p[0].revents) {
		while (read(sigchld_pipe[0], drain, sizeof(drain)) > 0)
			;
		reap_nohang(s);
	}
	if (n == 2 && (p[1].revents & (POLLIN | POLLHUP | POLLERR)))
		read_output(s);
}

/* Prints the newest output with control bytes made visible. */
static void show_tail(const struct session *s)
{
	if (!s->total) {
		fprintf(stderr, "ptyrun: there was no output at all\n");
		return;
	}
	fprintf(stderr, "ptyrun: the last %zu bytes of output (%llu in all):\n", s->tail_len,
		s->total);
	for (size_t i = 0; i < s->tail_len; i++) {
		unsigned char c = s->tail[i];
		switch (c) {
		case '\n': fputs("\\n\n", stderr); break;
		case '\r': fputs("\\r", stderr); break;
		case '\t': fputs("\\t", stderr); break;
		case '\033': fputs("\\e", stderr); break;
		case '\\': fputs("\\\\", stderr); break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(stderr, "\\x%02x", c);
			else
				fputc(c, stderr);
		}
	}
	fputs("\n", stderr);
}

static int do_expect(struct session *s, const struct action *a, int idx)
{
	int64_t deadline = now_ms() + a->timeout_ms;
	unsigned long checked = s->generation - 1;

	for (;;) {
		if (checked != s->generation) {
			regmatch_t m;
			checked = s->generation;
			if (regexec(&a->re, s->unconsumed, 1, &m, 0) == 0) {
				consume(s, (size_t)m.rm_eo);
				return 0;
			}
		}
		if (s->eof) {
			fprintf(stderr, "ptyrun: action %d, -e '%s': the output ended (the command "
				"exited or closed the terminal) without a match\n", idx, a->arg);
			return -1;
		}
		if (now_ms() >= deadline) {
			fprintf(stderr, "ptyrun: action %d, -e '%s': no match within %.10g s\n", idx,
				a->arg, a->timeout_ms / 1000.0);
			return -1;
		}
		pump(s, deadline, 0);
	}
}

static int do_send(struct session *s, const struct action *a, int idx)
{
	int64_t deadline = now_ms() + a->timeout_ms;
	size_t off = 0;

	while (off < a->len) {
		ssize_t n;
		if (s->eof) {
			fprintf(stderr, "ptyrun: action %d, -s '%s': the terminal is closed (the "
				"command exited or closed it)\n", idx, a->arg);
			return -1;
		}
		n = write(s->master, a->data + off, a->len - off);
		if (n > 0) {
			off += (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (now_ms() >= deadline) {
				fprintf(stderr, "ptyrun: action %d, -s '%s': could not send within "
					"%.10g s (%zu of %zu bytes sent; is the command reading?)\n",
					idx, a->arg, a->timeout_ms / 1000.0, off, a->len);
				return -1;
			}
			pump(s, deadline, 1);
		} else if (n < 0 && errno == EIO) {
			read_output(s); /* what is left, and the EOF */
			s->eof = 1;
		} else {
			fprintf(stderr, "ptyrun: action %d, -s '%s': write: %s\n", idx, a->arg,
				n < 0 ? strerror(errno) : "wrote nothing");
			return -1;
		}
	}
	return 0;
}

static int do_wait(struct session *s, const struct action *a, int idx)
{
	int64_t deadline = now_ms() + a->timeout_ms;

	for (;;) {
		reap_nohang(s);
		if (s->reaped)
			return 0;
		if (now_ms() >= deadline) {
			fprintf(stderr, "ptyrun: action %d, -w: the command still runs after %.10g s\n",
				idx, a->timeout_ms / 1000.0);
			return -1;
		}
		pump(s, deadline, 0);
	}
}

int session_init(struct session *s, const char *logname)
{
	s->logname = logname;
	s->unconsumed = xrealloc(NULL, 1);
	s->unconsumed[0] = '\0';
	s->unconsumed_cap = 1;
	if (logname && (s->logfd = open(logname, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
				       0644)) < 0) {
		fprintf(stderr, "ptyrun: %s: %s\n", logname, strerror(errno));
		return -1;
	}
	return 0;
}

int session_start(struct session *s, const struct winsize *ws, const struct script *sc,
		  char **argv)
{
	struct sigaction sa;
	int errfd;

	if (pipe2(sigchld_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		fprintf(stderr, "ptyrun: pipe: %s\n", strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigchld;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* the child reports a failed exec here, not on the terminal only */
	errfd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);

	s->pid = forkpty(&s->master, NULL, NULL, ws);
	if (s->pid < 0) {
		fprintf(stderr, "ptyrun: forkpty: %s\n", strerror(errno));
		return -1;
	}
	if (s->pid == 0) {
		int e;
		signal(SIGPIPE, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		for (size_t i = 0; i < sc->nenv_changes; i++) {
			const struct env_change *change = &sc->env_changes[i];
			if (change->value)
				setenv(change->name, change->value, 1);
			else
				unsetenv(change->name);
		}
		execvp(argv[0], argv);
		e = errno;
		if (errfd >= 0)
			dprintf(errfd, "ptyrun: cannot run %s: %s\n", argv[0], strerror(e));
		dprintf(STDERR_FILENO, "ptyrun: cannot run %s: %s\r\n", argv[0], strerror(e));
		_exit(e == ENOENT ? 127 : 126);
	}
	if (errfd >= 0)
		close(errfd);
	fcntl(s->master, F_SETFL, fcntl(s->master, F_GETFL) | O_NONBLOCK);
	fcntl(s->master, F_SETFD, FD_CLOEXEC);
	return 0;
}

int session_do_actions(struct session *s, const struct script *sc)
{
	for (size_t i = 0; i < sc->nactions; i++) {
		const struct action *a = &sc->actions[i];
		int idx = (int)i + 1, rc;
		if (a->kind == ACTION_EXPECT)
			rc = do_expect(s, a, idx);
		else if (a->kind == ACTION_SEND)
			rc = do_send(s, a, idx);
		else
			rc = do_wait(s, a, idx);
		if (rc < 0) {
			show_tail(s);
			return -1;
		}
	}
	return 0;
}

void session_finish(struct session *s)
{
	if (!s->eof)
		read_output(s); /* whatever is left, for the log */
	close(s->master);
	s->master = -1;
	s->eof = 1;

	reap_nohang(s);
	if (!s->reaped) {
		int64_t deadline = now_ms() + TERM_GRACE_MS;
		kill(-s->pid, SIGTERM);
		while (!s->reaped && now_ms() < deadline)
			pump(s, deadline, 0);
		reap_nohang(s);
	}
	if (!s->reaped) {
		pid_t p;
		int st;
		fprintf(stderr, "ptyrun: the command ignored SIGTERM for %d s; SIGKILL\n",
			TERM_GRACE_MS / 1000);
		kill(-s->pid, SIGKILL);
		while ((p = waitpid(s->pid, &st, 0)) < 0 && errno == EINTR)
			;
		s->reaped = 1;
		s->status = p == s->pid ? st : 0xff00;
	}
}

void session_release(struct session *s)
{
	free(s->unconsumed);
	s->unconsumed = NULL;
	if (s->logfd >= 0)
		close(s->logfd);
	s->logfd = -1;
	for (int i = 0; i < 2; i++) {
		if (sigchld_pipe[i] >= 0)
			close(sigchld_pipe[i]);
		sigchld_pipe[i] = -1;
	}
}
