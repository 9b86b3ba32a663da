/* qmp: a minimal QMP client (see qmp.h). */
#include "backend/qmp.h"
#include "lib/clock.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* A peer that never ends a message is cut off here. */
#define QMP_MESSAGE_MAX (1u << 20)

/* The text of the first whole message in q->in and, when it is JSON, the
 * parsed message; 1 if there was one. Text that is not JSON is taken up to
 * the end of its line, as a message that did not parse. */
static int take_message(struct qmp *q, struct strbuf *text, json_object **msg)
{
	size_t end;

	*msg = NULL;
	if (!q->fed) {
		/* what ends the message before (QEMU's "\r\n") */
		size_t blank = 0;
		while (blank < q->in.len && isspace((unsigned char)q->in.buf[blank]))
			blank++;
		strbuf_drop_front(&q->in, blank);
	}
	if (q->fed == q->in.len)
		return 0;
	*msg = json_tokener_parse_ex(q->tok, q->in.buf + q->fed, (int)(q->in.len - q->fed));
	enum json_tokener_error e = json_tokener_get_error(q->tok);
	if (e == json_tokener_continue) {
		q->fed = q->in.len;
		return 0;
	}
	if (e == json_tokener_success) {
		end = q->fed + json_tokener_get_parse_end(q->tok);
	} else {
		const char *nl = memchr(q->in.buf, '\n', q->in.len);
		json_tokener_reset(q->tok);
		q->fed = 0;
		if (!nl)
			return 0;	/* the rest of the line may still come */
		end = (size_t)(nl - q->in.buf) + 1;
	}
	json_tokener_reset(q->tok);
	strbuf_reset(text);
	strbuf_add(text, q->in.buf, end);
	strbuf_rtrim(text);
	strbuf_drop_front(&q->in, end);
	q->fed = 0;
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
	if (q->in.len < QMP_MESSAGE_MAX)
		strbuf_add(&q->in, buf, (size_t)n);
	return 0;
}

/* Keeps msg if it is an event (1), else leaves it to the caller (0). */
static int keep_event(struct qmp *q, json_object *msg)
{
	json_object *name;

	if (!json_object_object_get_ex(msg, "event", &name) || !json_object_is_type(name, json_type_string))
		return 0;
	json_object_array_add(q->events, msg);
	return 1;
}

/* Waits for a message that is not an event; events are kept. */
static int next_answer(struct qmp *q, uint64_t deadline, struct strbuf *text, json_object **answer,
		       struct strbuf *err)
{
	for (;;) {
		while (take_message(q, text, answer))
			if (!keep_event(q, *answer))
				return 0;
		uint64_t now = clock_now_ms();
		if (now >= deadline) {
			strbuf_addstr(err, "QMP: no answer from QEMU in time");
			return -1;
		}
		if (fill(q, (int)(deadline - now)) < 0) {
			strbuf_addstr(err, "QMP: QEMU closed the connection");
			return -1;
		}
	}
}

/* The answer to what was sent: 0 on "return" (its value in ret), -1 else. */
static int await_return(struct qmp *q, uint64_t deadline, struct strbuf *reply, json_object **ret,
			struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT;
	json_object *answer = NULL, *value;
	int r = next_answer(q, deadline, &text, &answer, err);

	if (!r && !json_object_object_get_ex(answer, "return", &value)) {
		strbuf_addf(err, "QMP: %s", text.buf);
		r = -1;
	}
	if (!r && ret)
		*ret = json_object_get(value);
	if (reply) {
		strbuf_reset(reply);
		strbuf_addbuf(reply, &text);
	}
	json_object_put(answer);
	strbuf_release(&text);
	return r;
}

static void command_line(json_object *cmd, struct strbuf *line)
{
	strbuf_addstr(line, json_object_to_json_string_ext(cmd, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	strbuf_addch(line, '\n');
}

/* Sends cmd on a line and waits for its answer; takes cmd. */
static int transact(struct qmp *q, json_object *cmd, int timeout_ms, struct strbuf *reply, json_object **ret,
		    struct strbuf *err)
{
	struct strbuf line = STRBUF_INIT;
	uint64_t deadline = clock_now_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 1);
	size_t off = 0;
	int r;

	command_line(cmd, &line);
	json_object_put(cmd);
	while (off < line.len) {
		ssize_t w = send(q->fd, line.buf + off, line.len - off, MSG_NOSIGNAL);

		if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			struct pollfd pf = { q->fd, POLLOUT, 0 };
			poll(&pf, 1, 50);
			if (clock_now_ms() > deadline)
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
	if (off < line.len) {
		strbuf_addstr(err, "QMP: QEMU does not read its commands");
		r = -1;
	} else {
		r = await_return(q, deadline, reply, ret, err);
	}
	strbuf_release(&line);
	return r;
}

int qmp_open(struct qmp *q, int fd, int timeout_ms, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT;
	json_object *greeting = NULL;
	uint64_t deadline = clock_now_ms() + (uint64_t)timeout_ms;
	int r;

	q->fd = fd;
	strbuf_init(&q->in);
	q->fed = 0;
	q->tok = json_tokener_new();
	q->events = json_object_new_array();
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	r = next_answer(q, deadline, &text, &greeting, err);
	if (!r && !json_object_object_get_ex(greeting, "QMP", NULL)) {
		strbuf_addstr(err, "QMP: no greeting from QEMU");
		r = -1;
	}
	json_object_put(greeting);
	strbuf_release(&text);
	if (r)
		return -1;
	return qmp_execute(q, "qmp_capabilities", NULL, (int)(deadline - clock_now_ms()), NULL, NULL, err);
}

int qmp_command(struct qmp *q, const char *json, int timeout_ms, struct strbuf *reply, struct strbuf *err)
{
	struct strbuf why = STRBUF_INIT;
	json_object *cmd = json_parse(json, strlen(json), &why);

	if (!json_object_is_type(cmd, json_type_object)) {
		strbuf_addf(err, "QMP: not a command: %s", cmd ? "not a JSON object" : why.buf);
		json_object_put(cmd);
		strbuf_release(&why);
		return -1;
	}
	strbuf_release(&why);
	return transact(q, cmd, timeout_ms, reply, NULL, err);
}

int qmp_execute(struct qmp *q, const char *command, json_object *arguments, int timeout_ms,
		struct strbuf *reply, json_object **ret, struct strbuf *err)
{
	json_object *cmd = json_object_new_object();

	json_put(cmd, "execute", json_str(command));
	if (arguments)
		json_put(cmd, "arguments", arguments);
	return transact(q, cmd, timeout_ms, reply, ret, err);
}

int qmp_send_fd(struct qmp *q, int fd, const char *name, int timeout_ms, struct strbuf *err)
{
	struct strbuf line = STRBUF_INIT;
	json_object *cmd = json_object_new_object(), *args = json_object_new_object();
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov;
	struct msghdr msg = { 0 };
	struct cmsghdr *c;
	uint64_t deadline = clock_now_ms() + (uint64_t)timeout_ms;
	ssize_t w;
	int r = 0;

	json_put(args, "fdname", json_str(name));
	json_put(cmd, "execute", json_str("getfd"));
	json_put(cmd, "arguments", args);
	command_line(cmd, &line);
	json_object_put(cmd);
	memset(&ctl, 0, sizeof(ctl));
	iov.iov_base = line.buf;
	iov.iov_len = line.len;
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
	if (w != (ssize_t)line.len) {
		strbuf_addf(err, "QMP: getfd: %s", w < 0 ? strerror(errno) : "short write");
		r = -1;
	} else {
		r = await_return(q, deadline, NULL, NULL, err);
	}
	strbuf_release(&line);
	return r;
}

void qmp_drain(struct qmp *q)
{
	struct strbuf text = STRBUF_INIT;
	json_object *msg;

	if (q->fd < 0)
		return;
	for (;;) {
		while (take_message(q, &text, &msg))
			if (!keep_event(q, msg))
				json_object_put(msg);
		size_t had = q->in.len;
		if (fill(q, 0) || q->in.len == had)
			break;
	}
	strbuf_release(&text);
}

int qmp_saw_event(const struct qmp *q, const char *name)
{
	size_t n = q->events ? json_object_array_length(q->events) : 0;

	for (size_t i = 0; i < n; i++) {
		json_object *event;
		json_object_object_get_ex(json_object_array_get_idx(q->events, i), "event", &event);
		if (!strcmp(json_object_get_string(event), name))
			return 1;
	}
	return 0;
}

void qmp_close(struct qmp *q)
{
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
	strbuf_release(&q->in);
	if (q->tok)
		json_tokener_free(q->tok);
	q->tok = NULL;
	json_object_put(q->events);
	q->events = NULL;
}
