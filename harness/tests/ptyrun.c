/* ptyrun: run a command on a pseudo-terminal and script a conversation with
 * it, like a minimal expect(1). A test helper; one file, no project headers:
 *
 *   cc -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -o ptyrun ptyrun.c -lutil
 *
 *   ptyrun [-t SECONDS] [-c COLSxROWS] [-l LOGFILE] [-E NAME=VALUE] [-u NAME]
 *          ACTION... [--] COMMAND [ARG...]
 *
 * ACTIONs are done in order:
 *   -e REGEX  wait until the output not yet consumed by an earlier match
 *             matches the POSIX extended REGEX; the output up to the end of
 *             the match is then consumed. Matching is on the raw bytes (ANSI
 *             escape sequences included), in the C locale, without
 *             REG_NEWLINE: '.' matches a newline too, '^' is the start of the
 *             unconsumed output and '$' its end (what has arrived so far).
 *             NUL bytes are seen as '.'. At most the newest 1 MiB of
 *             unconsumed output is kept.
 *   -s TEXT   send TEXT; the escapes \n \r \t \e (ESC) \\ and \xHH are
 *             decoded, so -s '\x1d' sends Ctrl-].
 *   -w        wait for the command to exit (output still in the terminal
 *             can be matched by a later -e).
 * Deadlines are checked between matches: a regex that is slow on a long
 * buffer (say "(a|b)*c$" over a megabyte of a's) can overrun them.
 * Options:
 *   -t SECONDS  the time each action after it may take (default 30; fractions
 *               allowed); a -t after the last action is a usage error
 *   -c COLSxROWS  terminal size (default 80x24)
 *   -l LOGFILE  append all output of the terminal to LOGFILE (raw bytes);
 *               without it the output is discarded
 *   -E NAME=VALUE, -u NAME  set or unset a variable in the command's
 *               environment (in the order given)
 *
 * At the end (after the last action, or when one fails) the pty master is
 * closed (the kernel hangs up the terminal: SIGHUP); if the command still
 * runs, its process group gets SIGTERM, then SIGKILL after 5 s. The command
 * is always reaped.
 *
 * COMMAND is run with execvp, as the leader of a new session whose
 * controlling terminal is the pty.
 *
 * Exit status: the command's (128+N if killed by signal N; 127 if it could
 * not be run) when every action succeeded; 3 when an action failed (an -e
 * timed out or the output ended without a match, a -w timed out, a -s could
 * not be written); 2 on usage errors or when the pty cannot be set up. */
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
#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proto/proto.h"

#define EXIT_ACTION_FAILED 3
#define EXIT_USAGE 2
#define MATCH_MAX ((size_t)1 << 20) /* unconsumed output kept for matching */
#define TAIL_MAX 400                /* output shown when an action fails */
#define READ_BURST ((size_t)256 << 10) /* read at most this much before matching */
#define TERM_GRACE_MS 5000
#define NO_DEADLINE INT64_MAX

enum act_kind { ACT_EXPECT, ACT_SEND, ACT_WAIT };

struct action {
	enum act_kind kind;
	const char *arg;    /* as given, for messages */
	regex_t re;         /* ACT_EXPECT */
	char *data;         /* ACT_SEND, decoded */
	size_t len;
	int64_t timeout_ms;
};

struct envop {
	const char *name;
	const char *value;  /* NULL: unset */
};

struct run {
	pid_t pid;
	int master;         /* -1 once closed */
	int eof;            /* the terminal's output has ended (slave closed) */
	int reaped;
	int status;         /* from waitpid, once reaped */
	int logfd;          /* -1: none */
	const char *logname;
	char *mb;           /* unconsumed output, NULs as '.', NUL-terminated */
	size_t mb_len, mb_cap;
	unsigned long gen;  /* bumped whenever mb changes */
	unsigned char tail[TAIL_MAX]; /* the newest raw output */
	size_t tail_len;
	unsigned long long total; /* bytes of output in all */
};

static int sig_pipe[2] = { -1, -1 };

/* file scope, so that every way out of main can release them */
static struct action *acts;
static struct envop *envs;
static size_t nacts, nenvs;
static struct run r = { .master = -1, .logfd = -1 };

static void on_sigchld(int sig)
{
	int saved = errno;
	(void)sig;
	if (write(sig_pipe[1], "c", 1) < 0) {
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

static void usage(void)
{
	fprintf(stderr,
		"usage: ptyrun [-t SECONDS] [-c COLSxROWS] [-l LOGFILE] [-E NAME=VALUE] [-u NAME]\n"
		"              ACTION... [--] COMMAND [ARG...]\n"
		"ACTION: -e REGEX (wait for output matching the extended regex)\n"
		"        -s TEXT  (send TEXT; \\n \\r \\t \\e \\\\ \\xHH decoded)\n"
		"        -w       (wait for COMMAND to exit)\n");
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (!q) {
		fprintf(stderr, "ptyrun: out of memory\n");
		exit(EXIT_USAGE);
	}
	return q;
}

/* Decodes the escapes of a -s argument into a new buffer. Returns 0, or -1
 * (with a message) on a bad escape. */
static int decode_text(const char *s, char **out, size_t *outlen)
{
	size_t n = 0;
	char *d = xrealloc(NULL, strlen(s) + 1);

	for (const char *p = s; *p; p++) {
		if (*p != '\\') {
			d[n++] = *p;
			continue;
		}
		switch (*++p) {
		case 'n': d[n++] = '\n'; break;
		case 'r': d[n++] = '\r'; break;
		case 't': d[n++] = '\t'; break;
		case 'e': d[n++] = '\033'; break;
		case '\\': d[n++] = '\\'; break;
		case 'x': {
			int h1 = proto_hexval((unsigned char)p[1]), h2;
			if (h1 < 0) {
				fprintf(stderr, "ptyrun: -s '%s': \\x needs a hex digit\n", s);
				free(d);
				return -1;
			}
			p++;
			if ((h2 = proto_hexval((unsigned char)p[1])) >= 0) {
				h1 = h1 * 16 + h2;
				p++;
			}
			d[n++] = (char)h1;
			break;
		}
		case '\0':
			fprintf(stderr, "ptyrun: -s '%s': a lone '\\' at the end\n", s);
			free(d);
			return -1;
		default:
			fprintf(stderr, "ptyrun: -s '%s': unknown escape '\\%c'\n", s, *p);
			free(d);
			return -1;
		}
	}
	*out = d;
	*outlen = n;
	return 0;
}

static int parse_timeout(const char *s, int64_t *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0 && v <= 1e7)) /* NaN too */
		return -1;
	*ms = (int64_t)(v * 1000 + 0.999);
	return 0;
}

static int parse_size(const char *s, struct winsize *ws)
{
	char *end;
	unsigned long c, r;

	errno = 0;
	c = strtoul(s, &end, 10);
	if (errno || end == s || (*end != 'x' && *end != 'X') || c < 1 || c > USHRT_MAX)
		return -1;
	s = end + 1;
	r = strtoul(s, &end, 10);
	if (errno || end == s || *end || r < 1 || r > USHRT_MAX)
		return -1;
	memset(ws, 0, sizeof(*ws));
	ws->ws_col = (unsigned short)c;
	ws->ws_row = (unsigned short)r;
	return 0;
}

static void log_output(struct run *r, const char *b, size_t n)
{
	while (r->logfd >= 0 && n > 0) {
		ssize_t w = write(r->logfd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			fprintf(stderr, "ptyrun: writing %s: %s; not logging any more\n", r->logname,
				w < 0 ? strerror(errno) : "short write");
			close(r->logfd);
			r->logfd = -1;
			return;
		}
		b += w;
		n -= (size_t)w;
	}
}

static void on_output(struct run *r, const char *b, size_t n)
{
	log_output(r, b, n);
	r->total += n;

	/* the tail, for messages */
	if (n >= TAIL_MAX) {
		memcpy(r->tail, b + n - TAIL_MAX, TAIL_MAX);
		r->tail_len = TAIL_MAX;
	} else {
		size_t keep = r->tail_len + n > TAIL_MAX ? TAIL_MAX - n : r->tail_len;
		memmove(r->tail, r->tail + r->tail_len - keep, keep);
		memcpy(r->tail + keep, b, n);
		r->tail_len = keep + n;
	}

	/* the match buffer: only the newest MATCH_MAX bytes */
	if (n > MATCH_MAX) {
		b += n - MATCH_MAX;
		n = MATCH_MAX;
	}
	if (r->mb_len + n > MATCH_MAX) {
		size_t drop = r->mb_len + n - MATCH_MAX;
		memmove(r->mb, r->mb + drop, r->mb_len - drop);
		r->mb_len -= drop;
	}
	if (r->mb_len + n + 1 > r->mb_cap) {
		size_t cap = r->mb_cap ? r->mb_cap : 4096;
		while (cap < r->mb_len + n + 1)
			cap *= 2;
		r->mb = xrealloc(r->mb, cap);
		r->mb_cap = cap;
	}
	for (size_t i = 0; i < n; i++)
		r->mb[r->mb_len + i] = b[i] ? b[i] : '.';
	r->mb_len += n;
	r->mb[r->mb_len] = '\0';
	r->gen++;
}

static void consume(struct run *r, size_t n)
{
	memmove(r->mb, r->mb + n, r->mb_len - n + 1);
	r->mb_len -= n;
	r->gen++;
}

/* Reads what the terminal has (up to READ_BURST) without blocking; sets
 * r->eof when the output has ended. */
static void read_output(struct run *r)
{
	char buf[65536];
	size_t got = 0;

	while (!r->eof && got < READ_BURST) {
		ssize_t n = read(r->master, buf, sizeof(buf));
		if (n > 0) {
			on_output(r, buf, (size_t)n);
			got += (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			return;
		} else {
			/* 0, or EIO: no process has the slave side open any more */
			if (n < 0 && errno != EIO)
				fprintf(stderr, "ptyrun: reading the pty: %s\n", strerror(errno));
			r->eof = 1;
		}
	}
}

static void reap_nohang(struct run *r)
{
	int st;
	pid_t p;

	if (r->reaped)
		return;
	while ((p = waitpid(r->pid, &st, WNOHANG)) < 0 && errno == EINTR)
		;
	if (p == r->pid) {
		r->reaped = 1;
		r->status = st;
	} else if (p < 0) {
		fprintf(stderr, "ptyrun: waitpid: %s\n", strerror(errno));
		r->reaped = 1;
		r->status = 0xff00; /* as exit(255) */
	}
}

/* Waits until something happens (output, room to write if want_write, a
 * child status change) or the deadline passes, and handles it. */
static void pump(struct run *r, int64_t deadline, int want_write)
{
	struct pollfd p[2];
	nfds_t n = 1;
	int timeout = -1;
	char drain[64];

	p[0].fd = sig_pipe[0];
	p[0].events = POLLIN;
	p[0].revents = 0;
	if (!r->eof && r->master >= 0) {
		p[1].fd = r->master;
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
		while (read(sig_pipe[0], drain, sizeof(drain)) > 0)
			;
		reap_nohang(r);
	}
	if (n == 2 && (p[1].revents & (POLLIN | POLLHUP | POLLERR)))
		read_output(r);
}

/* Prints the newest output with control bytes made visible. */
static void show_tail(const struct run *r)
{
	if (!r->total) {
		fprintf(stderr, "ptyrun: there was no output at all\n");
		return;
	}
	fprintf(stderr, "ptyrun: the last %zu bytes of output (%llu in all):\n", r->tail_len,
		r->total);
	for (size_t i = 0; i < r->tail_len; i++) {
		unsigned char c = r->tail[i];
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

static int do_expect(struct run *r, struct action *a, int idx)
{
	int64_t deadline = now_ms() + a->timeout_ms;
	unsigned long checked = r->gen - 1;

	for (;;) {
		if (checked != r->gen) {
			regmatch_t m;
			checked = r->gen;
			if (regexec(&a->re, r->mb, 1, &m, 0) == 0) {
				consume(r, (size_t)m.rm_eo);
				return 0;
			}
		}
		if (r->eof) {
			fprintf(stderr, "ptyrun: action %d, -e '%s': the output ended (the command "
				"exited or closed the terminal) without a match\n", idx, a->arg);
			return -1;
		}
		if (now_ms() >= deadline) {
			fprintf(stderr, "ptyrun: action %d, -e '%s': no match within %.10g s\n", idx,
				a->arg, a->timeout_ms / 1000.0);
			return -1;
		}
		pump(r, deadline, 0);
	}
}

static int do_send(struct run *r, struct action *a, int idx)
{
	int64_t deadline = now_ms() + a->timeout_ms;
	size_t off = 0;

	while (off < a->len) {
		ssize_t n;
		if (r->eof) {
			fprintf(stderr, "ptyrun: action %d, -s '%s': the terminal is closed (the "
				"command exited or closed it)\n", idx, a->arg);
			return -1;
		}
		n = write(r->master, a->data + off, a->len - off);
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
			pump(r, deadline, 1);
		} else if (n < 0 && errno == EIO) {
			read_output(r); /* what is left, and the EOF */
			r->eof = 1;
		} else {
			fprintf(stderr, "ptyrun: action %d, -s '%s': write: %s\n", idx, a->arg,
				n < 0 ? strerror(errno) : "wrote nothing");
			return -1;
		}
	}
	return 0;
}

static int do_wait(struct run *r, struct action *a, int idx)
{
	int64_t deadline = now_ms() + a->timeout_ms;

	for (;;) {
		reap_nohang(r);
		if (r->reaped)
			return 0;
		if (now_ms() >= deadline) {
			fprintf(stderr, "ptyrun: action %d, -w: the command still runs after %.10g s\n",
				idx, a->timeout_ms / 1000.0);
			return -1;
		}
		pump(r, deadline, 0);
	}
}

/* Closes the terminal, ends the command if it still runs, and reaps it. */
static void finish(struct run *r)
{
	if (!r->eof)
		read_output(r); /* whatever is left, for the log */
	close(r->master);
	r->master = -1;
	r->eof = 1;

	reap_nohang(r);
	if (!r->reaped) {
		int64_t deadline = now_ms() + TERM_GRACE_MS;
		kill(-r->pid, SIGTERM);
		while (!r->reaped && now_ms() < deadline)
			pump(r, deadline, 0);
		reap_nohang(r);
	}
	if (!r->reaped) {
		pid_t p;
		int st;
		fprintf(stderr, "ptyrun: the command ignored SIGTERM for %d s; SIGKILL\n",
			TERM_GRACE_MS / 1000);
		kill(-r->pid, SIGKILL);
		while ((p = waitpid(r->pid, &st, 0)) < 0 && errno == EINTR)
			;
		r->reaped = 1;
		r->status = p == r->pid ? st : 0xff00;
	}
}

static void release(void)
{
	for (size_t i = 0; i < nacts; i++) {
		if (acts[i].kind == ACT_EXPECT)
			regfree(&acts[i].re);
		free(acts[i].data);
	}
	for (size_t i = 0; i < nenvs; i++)
		if (envs[i].value)
			free((char *)envs[i].name);
	free(acts);
	free(envs);
	free(r.mb);
	acts = NULL;
	envs = NULL;
	r.mb = NULL;
	nacts = nenvs = 0;
	if (r.logfd >= 0)
		close(r.logfd);
	r.logfd = -1;
	for (int i = 0; i < 2; i++)
		if (sig_pipe[i] >= 0)
			close(sig_pipe[i]);
}

/* Releases everything and gives rc back, for "return quit(rc);". */
static int quit(int rc)
{
	release();
	return rc;
}

int main(int argc, char **argv)
{
	int64_t timeout_ms = 30000;
	int timeout_trailing = 0;
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	const char *logname = NULL;
	struct sigaction sa;
	int opt, errfd, failed = 0;

	while ((opt = getopt(argc, argv, "+t:c:l:e:s:wE:u:h")) != -1) {
		struct action *a;
		switch (opt) {
		case 't':
			if (parse_timeout(optarg, &timeout_ms) < 0) {
				fprintf(stderr, "ptyrun: -t '%s': want a number of seconds > 0\n", optarg);
				return quit(EXIT_USAGE);
			}
			timeout_trailing = 1;
			break;
		case 'c':
			if (parse_size(optarg, &ws) < 0) {
				fprintf(stderr, "ptyrun: -c '%s': want COLSxROWS, e.g. 80x24\n", optarg);
				return quit(EXIT_USAGE);
			}
			break;
		case 'l':
			logname = optarg;
			break;
		case 'E':
		case 'u': {
			const char *eq = strchr(optarg, '=');
			envs = xrealloc(envs, (nenvs + 1) * sizeof(*envs));
			if (opt == 'E') {
				if (!eq || eq == optarg) {
					fprintf(stderr, "ptyrun: -E '%s': want NAME=VALUE\n", optarg);
					return quit(EXIT_USAGE);
				}
				envs[nenvs].name = strndup(optarg, (size_t)(eq - optarg));
				envs[nenvs].value = eq + 1;
			} else {
				if (eq || !*optarg) {
					fprintf(stderr, "ptyrun: -u '%s': want a variable name\n", optarg);
					return quit(EXIT_USAGE);
				}
				envs[nenvs].name = optarg;
				envs[nenvs].value = NULL;
			}
			if (!envs[nenvs].name) {
				fprintf(stderr, "ptyrun: out of memory\n");
				return quit(EXIT_USAGE);
			}
			nenvs++;
			break;
		}
		case 'e':
		case 's':
		case 'w':
			acts = xrealloc(acts, (nacts + 1) * sizeof(*acts));
			a = &acts[nacts];
			memset(a, 0, sizeof(*a));
			a->arg = optarg;
			a->timeout_ms = timeout_ms;
			timeout_trailing = 0;
			if (opt == 'e') {
				int rc = regcomp(&a->re, optarg, REG_EXTENDED);
				a->kind = ACT_EXPECT;
				if (rc) {
					char msg[256];
					regerror(rc, &a->re, msg, sizeof(msg));
					fprintf(stderr, "ptyrun: -e '%s': %s\n", optarg, msg);
					return quit(EXIT_USAGE);
				}
			} else if (opt == 's') {
				a->kind = ACT_SEND;
				if (decode_text(optarg, &a->data, &a->len) < 0)
					return quit(EXIT_USAGE);
			} else {
				a->kind = ACT_WAIT;
			}
			nacts++;
			break;
		case 'h':
			usage();
			return quit(0);
		default:
			usage();
			return quit(EXIT_USAGE);
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "ptyrun: no command given\n");
		usage();
		return quit(EXIT_USAGE);
	}
	if (timeout_trailing && nacts) {
		fprintf(stderr, "ptyrun: a -t after the last action would apply to no action; "
			"put it before the actions it is for\n");
		return quit(EXIT_USAGE);
	}

	r.logname = logname;
	r.mb = xrealloc(NULL, 1);
	r.mb[0] = '\0';
	r.mb_cap = 1;
	if (logname && (r.logfd = open(logname, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
				       0644)) < 0) {
		fprintf(stderr, "ptyrun: %s: %s\n", logname, strerror(errno));
		return quit(EXIT_USAGE);
	}

	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		fprintf(stderr, "ptyrun: pipe: %s\n", strerror(errno));
		return quit(EXIT_USAGE);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigchld;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* the child reports a failed exec here, not on the terminal only */
	errfd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);

	r.pid = forkpty(&r.master, NULL, NULL, &ws);
	if (r.pid < 0) {
		fprintf(stderr, "ptyrun: forkpty: %s\n", strerror(errno));
		return quit(EXIT_USAGE);
	}
	if (r.pid == 0) {
		int e;
		signal(SIGPIPE, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		for (size_t i = 0; i < nenvs; i++) {
			if (envs[i].value)
				setenv(envs[i].name, envs[i].value, 1);
			else
				unsetenv(envs[i].name);
		}
		execvp(argv[optind], argv + optind);
		e = errno;
		if (errfd >= 0)
			dprintf(errfd, "ptyrun: cannot run %s: %s\n", argv[optind], strerror(e));
		dprintf(STDERR_FILENO, "ptyrun: cannot run %s: %s\r\n", argv[optind], strerror(e));
		_exit(e == ENOENT ? 127 : 126);
	}
	if (errfd >= 0)
		close(errfd);
	fcntl(r.master, F_SETFL, fcntl(r.master, F_GETFL) | O_NONBLOCK);
	fcntl(r.master, F_SETFD, FD_CLOEXEC);

	for (size_t i = 0; i < nacts && !failed; i++) {
		struct action *a = &acts[i];
		int idx = (int)i + 1, rc;
		if (a->kind == ACT_EXPECT)
			rc = do_expect(&r, a, idx);
		else if (a->kind == ACT_SEND)
			rc = do_send(&r, a, idx);
		else
			rc = do_wait(&r, a, idx);
		if (rc < 0) {
			show_tail(&r);
			failed = 1;
		}
	}
	finish(&r);

	if (failed)
		return quit(EXIT_ACTION_FAILED);
	if (WIFEXITED(r.status))
		return quit(WEXITSTATUS(r.status));
	if (WIFSIGNALED(r.status))
		return quit(128 + WTERMSIG(r.status));
	return quit(255);
}
