/* qmp: a minimal QMP client (see qmp.h). */
#include "backend/qmp.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/* Moves the first whole line of q->in into line; 1 if there was one. */
static int take_line(struct qmp *q, struct strbuf *line)
{
	char *nl = memchr(q->in.buf, '\n', q->in.len);
	size_t n;

	if (!nl)
		return 0;
	n = (size_t)(nl - q->in.buf);
	strbuf_reset(line);
	strbuf_add(line, q->in.buf, n);
	strbuf_rtrim(line);
	memmove(q->in.buf, nl + 1, q->in.len - n - 1);
	q->in.len -= n + 1;
	q->in.buf[q->in.len] = '\0';
	return 1;
}

/* Reads once, waiting up to timeout_ms; -1 at EOF or error. */
static int fill(struct qmp *q, int timeout_ms)
{
	struct pollfd p = { q->fd, POLLIN, 0 };
	char buf[4096];
	ssize_t n;

	if (timeout_ms && poll(&p, 1, timeout_ms) <= 0)
		return 0;
	n = read(q->fd, buf, sizeof(buf));
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n == 0)
		return -1;
	/* QEMU's lines are short; a peer that never ends a line is cut off. */
	if (q->in.len < (1u << 20))
		strbuf_add(&q->in, buf, (size_t)n);
	return 0;
}

static int is_event(const char *line)
{
	return strstr(line, "\"event\"") != NULL;
}

/* Waits for a line that is not an event; events are kept. */
static int next_answer(struct qmp *q, long deadline, struct strbuf *line, struct strbuf *err)
{
	for (;;) {
		while (take_line(q, line)) {
			if (!is_event(line->buf))
				return 0;
			strbuf_addf(&q->events, "%s\n", line->buf);
		}
		long left = deadline - now_ms();
		if (left <= 0) {
			strbuf_addstr(err, "QMP: no answer from QEMU in time");
			return -1;
		}
		if (fill(q, (int)left) < 0) {
			strbuf_addstr(err, "QMP: QEMU closed the connection");
			return -1;
		}
	}
}

int qmp_open(struct qmp *q, int fd, int timeout_ms, struct strbuf *err)
{
	struct strbuf line = STRBUF_INIT;
	long deadline = now_ms() + timeout_ms;
	int r;

	q->fd = fd;
	strbuf_init(&q->in);
	strbuf_init(&q->events);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	r = next_answer(q, deadline, &line, err);
	if (!r && !strstr(line.buf, "\"QMP\"")) {
		strbuf_addstr(err, "QMP: no greeting from QEMU");
		r = -1;
	}
	strbuf_release(&line);
	if (r)
		return -1;
	return qmp_command(q, "{\"execute\": \"qmp_capabilities\"}", (int)(deadline - now_ms()), NULL, err);
}

int qmp_command(struct qmp *q, const char *json, int timeout_ms, struct strbuf *reply, struct strbuf *err)
{
	struct strbuf line = STRBUF_INIT;
	size_t len = strlen(json), off = 0;
	long deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 1);
	int r = 0;

	while (off < len + 1) {
		const char *p = off < len ? json + off : "\n";
		size_t n = off < len ? len - off : 1;
		ssize_t w = send(q->fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			struct pollfd pf = { q->fd, POLLOUT, 0 };
			poll(&pf, 1, 50);
			if (now_ms() > deadline)
				break;
			continue;
		}
		if (w < 0) {
			strbuf_addf(err, "QMP: write: %s", strerror(errno));
			strbuf_release(&line);
			return -1;
		}
		off += (size_t)w;
	}
	if (off < len + 1) {
		strbuf_addstr(err, "QMP: QEMU does not read its commands");
		r = -1;
	} else if (!(r = next_answer(q, deadline, &line, err)) && !strstr(line.buf, "\"return\"")) {
		strbuf_addf(err, "QMP: %s", line.buf);
		r = -1;
	}
	if (reply) {
		strbuf_reset(reply);
		strbuf_addbuf(reply, &line);
	}
	strbuf_release(&line);
	return r;
}

int qmp_send_fd(struct qmp *q, int fd, const char *name, int timeout_ms, struct strbuf *err)
{
	struct strbuf cmd = STRBUF_INIT, line = STRBUF_INIT;
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov;
	struct msghdr msg = { 0 };
	struct cmsghdr *c;
	long deadline = now_ms() + timeout_ms;
	ssize_t w;
	int r = 0;

	strbuf_addf(&cmd, "{\"execute\": \"getfd\", \"arguments\": {\"fdname\": \"%s\"}}\n", name);
	memset(&ctl, 0, sizeof(ctl));
	iov.iov_base = cmd.buf;
	iov.iov_len = cmd.len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof(ctl.buf);
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	/* one short message: the socket has room for it */
	do
		w = sendmsg(q->fd, &msg, MSG_NOSIGNAL);
	while (w < 0 && errno == EINTR);
	if (w != (ssize_t)cmd.len) {
		strbuf_addf(err, "QMP: getfd: %s", w < 0 ? strerror(errno) : "short write");
		r = -1;
	} else if (!(r = next_answer(q, deadline, &line, err)) && !strstr(line.buf, "\"return\"")) {
		strbuf_addf(err, "QMP: %s", line.buf);
		r = -1;
	}
	strbuf_release(&cmd);
	strbuf_release(&line);
	return r;
}

void qmp_drain(struct qmp *q)
{
	struct strbuf line = STRBUF_INIT;

	if (q->fd < 0)
		return;
	while (!fill(q, 0) && memchr(q->in.buf, '\n', q->in.len))
		while (take_line(q, &line))
			if (is_event(line.buf))
				strbuf_addf(&q->events, "%s\n", line.buf);
	strbuf_release(&line);
}

int qmp_saw_event(const struct qmp *q, const char *name)
{
	struct strbuf pat = STRBUF_INIT;
	int r;

	strbuf_addf(&pat, "\"event\": \"%s\"", name);
	r = q->events.len && strstr(q->events.buf, pat.buf) != NULL;
	strbuf_release(&pat);
	return r;
}

void qmp_close(struct qmp *q)
{
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
	strbuf_release(&q->in);
	strbuf_release(&q->events);
}
