/* Tests for qmp.c against a scripted peer on a socketpair: the handshake,
 * events kept while a command waits, errors, a peer that goes away,
 * messages parsed as JSON (split across reads, text that looks like
 * another message), commands written by json-c, fds handed over. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backend/qmp.h"

#define GREETING "{\"QMP\": {\"version\": {}, \"capabilities\": [\"oob\"]}}\r\n"

static int peer_with(const char *script, int *peer)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(write(sv[1], script, strlen(script)), (ssize_t)strlen(script));
	*peer = sv[1];
	return sv[0];
}

static void test_handshake_and_events(void **state)
{
	struct qmp q;
	struct strbuf err = STRBUF_INIT, reply = STRBUF_INIT;
	char sent[256] = { 0 };
	int peer, fd = peer_with(GREETING "{\"return\": {}}\r\n"
				 "{\"timestamp\": {\"seconds\": 1}, \"event\": \"RTC_CHANGE\", \"data\": {}}\r\n"
				 "{\"return\": {\"status\": \"running\"}}\r\n"
				 "{\"timestamp\": {\"seconds\": 2}, \"event\": \"GUEST_PANICKED\", \"data\": {}}\r\n",
				 &peer);

	(void)state;
	assert_int_equal(qmp_open(&q, fd, 1000, &err), 0);
	assert_int_equal(qmp_command(&q, "{\"execute\": \"query-status\"}", 1000, &reply, &err), 0);
	assert_string_equal(reply.buf, "{\"return\": {\"status\": \"running\"}}");
	assert_true(qmp_saw_event(&q, "RTC_CHANGE"));
	assert_false(qmp_saw_event(&q, "GUEST_PANICKED"));
	qmp_drain(&q);
	assert_true(qmp_saw_event(&q, "GUEST_PANICKED"));
	assert_false(qmp_saw_event(&q, "SHUTDOWN"));
	/* what the client said, one command a line, as json-c writes it */
	assert_true(read(peer, sent, sizeof(sent) - 1) > 0);
	assert_string_equal(sent, "{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"query-status\"}\n");
	qmp_close(&q);
	close(peer);
	strbuf_release(&err);
	strbuf_release(&reply);
}

static void test_errors(void **state)
{
	struct qmp q;
	struct strbuf err = STRBUF_INIT;
	int peer, fd;

	(void)state;
	/* no greeting */
	fd = peer_with("{\"return\": {}}\n", &peer);
	assert_int_equal(qmp_open(&q, fd, 200, &err), -1);
	assert_string_equal(err.buf, "QMP: no greeting from QEMU");
	qmp_close(&q);
	close(peer);

	/* an error answer is quoted */
	strbuf_reset(&err);
	fd = peer_with(GREETING "{\"return\": {}}\n{\"error\": {\"class\": \"GenericError\", \"desc\": \"no\"}}\n",
		       &peer);
	assert_int_equal(qmp_open(&q, fd, 1000, &err), 0);
	assert_int_equal(qmp_command(&q, "{\"execute\": \"x\"}", 1000, NULL, &err), -1);
	assert_string_equal(err.buf, "QMP: {\"error\": {\"class\": \"GenericError\", \"desc\": \"no\"}}");

	/* silence: a timeout, not a hang */
	strbuf_reset(&err);
	assert_int_equal(qmp_command(&q, "{\"execute\": \"x\"}", 100, NULL, &err), -1);
	assert_string_equal(err.buf, "QMP: no answer from QEMU in time");

	/* the peer goes away */
	strbuf_reset(&err);
	close(peer);
	assert_int_equal(qmp_command(&q, "{\"execute\": \"x\"}", 1000, NULL, &err), -1);
	assert_non_null(strstr(err.buf, "QMP: "));
	qmp_drain(&q);
	qmp_close(&q);
	strbuf_release(&err);
}

/* The peer's side of one exchange, read after the client is done. */
static json_object *sent_command(int peer)
{
	char buf[512] = { 0 };
	struct strbuf err = STRBUF_INIT;
	ssize_t n = read(peer, buf, sizeof(buf) - 1);
	json_object *cmd;

	assert_true(n > 0);
	assert_int_equal(buf[n - 1], '\n');
	cmd = json_parse(buf, (size_t)n, &err);
	assert_non_null(cmd);
	strbuf_release(&err);
	return cmd;
}

static void test_text_that_looks_like_another_message(void **state)
{
	struct qmp q;
	struct strbuf err = STRBUF_INIT, reply = STRBUF_INIT;
	int peer, fd = peer_with(GREETING "{\"return\": {}}\r\n"
				 /* an event whose data holds another event */
				 "{\"event\": \"RTC_CHANGE\", \"data\": {\"note\": \"\\\"event\\\": \\\"GUEST_PANICKED\\\"\", "
				 "\"inner\": {\"event\": \"GUEST_PANICKED\"}}}\r\n"
				 /* an answer that holds an event */
				 "{\"return\": {\"event\": \"SHUTDOWN\"}}\r\n"
				 "{\"event\": \"SHUTDOWN\", \"data\": {\"guest\": true, \"reason\": \"guest-shutdown\"}}\r\n",
				 &peer);

	(void)state;
	assert_int_equal(qmp_open(&q, fd, 1000, &err), 0);
	assert_int_equal(qmp_command(&q, "{\"execute\": \"query-status\"}", 1000, &reply, &err), 0);
	assert_string_equal(reply.buf, "{\"return\": {\"event\": \"SHUTDOWN\"}}");
	assert_true(qmp_saw_event(&q, "RTC_CHANGE"));
	assert_false(qmp_saw_event(&q, "GUEST_PANICKED"));
	assert_false(qmp_saw_event(&q, "SHUTDOWN"));
	qmp_drain(&q);
	assert_true(qmp_saw_event(&q, "SHUTDOWN"));
	/* a name is a whole name */
	assert_false(qmp_saw_event(&q, "SHUT"));
	assert_false(qmp_saw_event(&q, "RTC_CHANGE\", \"data"));
	qmp_close(&q);
	close(peer);
	strbuf_release(&err);
	strbuf_release(&reply);
}

struct late_writer {
	int fd;
	const char *text;
};

static void *write_late(void *arg)
{
	struct late_writer *w = arg;

	usleep(100000);
	assert_int_equal(write(w->fd, w->text, strlen(w->text)), (ssize_t)strlen(w->text));
	return NULL;
}

static void test_message_split_across_reads(void **state)
{
	struct qmp q;
	struct strbuf err = STRBUF_INIT, reply = STRBUF_INIT, big = STRBUF_INIT;
	struct late_writer rest;
	pthread_t t;
	json_object *ret = NULL;
	int peer, fd = peer_with(GREETING "{\"return\": {}}\r\n{\"return\": {\"status\": \"run", &peer);

	(void)state;
	assert_int_equal(qmp_open(&q, fd, 1000, &err), 0);
	/* the rest of the answer comes while the client waits */
	rest.fd = peer;
	rest.text = "ning\", \"singlestep\": false}}\r\n";
	assert_int_equal(pthread_create(&t, NULL, write_late, &rest), 0);
	assert_int_equal(qmp_execute(&q, "query-status", NULL, 2000, &reply, &ret, &err), 0);
	pthread_join(t, NULL);
	assert_string_equal(reply.buf, "{\"return\": {\"status\": \"running\", \"singlestep\": false}}");
	assert_string_equal(json_object_get_string(json_object_object_get(ret, "status")), "running");
	json_object_put(ret);

	/* more than one read's worth, over several lines (QMP's pretty=on), an
	 * event and its answer in one read */
	strbuf_addstr(&big, "{\"event\": \"RTC_CHANGE\",\n \"data\": {\"pad\": \"");
	for (int i = 0; i < 10000; i++)
		strbuf_addch(&big, 'x');
	strbuf_addstr(&big, "\"}}\r\n{\n  \"return\": {\n    \"status\": \"paused\"\n  }\n}\r\n");
	assert_int_equal(write(peer, big.buf, big.len), (ssize_t)big.len);
	ret = NULL;
	assert_int_equal(qmp_execute(&q, "query-status", NULL, 1000, &reply, &ret, &err), 0);
	assert_string_equal(json_object_get_string(json_object_object_get(ret, "status")), "paused");
	assert_string_equal(reply.buf, "{\n  \"return\": {\n    \"status\": \"paused\"\n  }\n}");
	assert_true(qmp_saw_event(&q, "RTC_CHANGE"));
	json_object_put(ret);
	qmp_close(&q);
	close(peer);
	strbuf_release(&err);
	strbuf_release(&reply);
	strbuf_release(&big);
}

static void test_commands_built_with_json(void **state)
{
	struct qmp q;
	struct strbuf err = STRBUF_INIT;
	json_object *args = json_object_new_object(), *cmd;
	char drop[256];
	int peer, fd = peer_with(GREETING "{\"return\": {}}\n{\"return\": {}}\n", &peer);

	(void)state;
	assert_int_equal(qmp_open(&q, fd, 1000, &err), 0);
	assert_true(read(peer, drop, sizeof(drop)) > 0);	/* qmp_capabilities */
	json_object_object_add(args, "uri", json_object_new_string("fd:\"snap\"\n"));
	json_object_object_add(args, "max-bandwidth", json_object_new_int64(1099511627776LL));
	assert_int_equal(qmp_execute(&q, "migrate", args, 1000, NULL, NULL, &err), 0);
	cmd = sent_command(peer);
	assert_string_equal(json_object_get_string(json_object_object_get(cmd, "execute")), "migrate");
	args = json_object_object_get(cmd, "arguments");
	assert_string_equal(json_object_get_string(json_object_object_get(args, "uri")), "fd:\"snap\"\n");
	assert_int_equal(json_object_get_int64(json_object_object_get(args, "max-bandwidth")), 1099511627776LL);
	json_object_put(cmd);

	/* what is not a JSON object is not sent */
	assert_int_equal(qmp_command(&q, "{\"execute\": ", 1000, NULL, &err), -1);
	assert_non_null(strstr(err.buf, "QMP: not a command: invalid JSON"));
	strbuf_reset(&err);
	assert_int_equal(qmp_command(&q, "[1]", 1000, NULL, &err), -1);
	assert_string_equal(err.buf, "QMP: not a command: not a JSON object");
	assert_int_equal(recv(peer, drop, sizeof(drop), MSG_DONTWAIT), -1);
	qmp_close(&q);
	close(peer);
	strbuf_release(&err);
}

static void test_send_fd(void **state)
{
	struct qmp q;
	struct strbuf err = STRBUF_INIT;
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	char buf[256] = { 0 }, drop[256];
	struct iovec iov = { buf, sizeof(buf) - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	int pipefd[2], got = -1;
	int peer, fd = peer_with(GREETING "{\"return\": {}}\n{\"return\": {}}\n", &peer);

	(void)state;
	assert_int_equal(pipe(pipefd), 0);
	assert_int_equal(qmp_open(&q, fd, 1000, &err), 0);
	assert_true(read(peer, drop, sizeof(drop)) > 0);	/* qmp_capabilities */
	assert_int_equal(qmp_send_fd(&q, pipefd[1], "sn\"ap", 1000, &err), 0);
	assert_true(recvmsg(peer, &msg, 0) > 0);
	assert_string_equal(buf, "{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"sn\\\"ap\"}}\n");
	assert_non_null(CMSG_FIRSTHDR(&msg));
	assert_int_equal(CMSG_FIRSTHDR(&msg)->cmsg_type, SCM_RIGHTS);
	memcpy(&got, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(int));
	/* the fd that arrived is the pipe's write end */
	assert_int_equal(write(got, "x", 1), 1);
	assert_int_equal(read(pipefd[0], drop, 1), 1);
	assert_int_equal(drop[0], 'x');
	close(got);
	close(pipefd[0]);
	close(pipefd[1]);
	qmp_close(&q);
	close(peer);
	strbuf_release(&err);
}

static void test_not_json(void **state)
{
	struct qmp q;
	struct strbuf err = STRBUF_INIT;
	int peer, fd = peer_with(GREETING "{\"return\": {}}\nnot json at all\n{\"return\": {}}\n", &peer);

	(void)state;
	assert_int_equal(qmp_open(&q, fd, 1000, &err), 0);
	/* a line that is not JSON answers the command, as an error */
	assert_int_equal(qmp_command(&q, "{\"execute\": \"x\"}", 1000, NULL, &err), -1);
	assert_string_equal(err.buf, "QMP: not json at all");
	/* and the next message is read as it should be */
	strbuf_reset(&err);
	assert_int_equal(qmp_command(&q, "{\"execute\": \"x\"}", 1000, NULL, &err), 0);
	assert_int_equal(err.len, 0);
	qmp_close(&q);
	close(peer);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handshake_and_events),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_text_that_looks_like_another_message),
		cmocka_unit_test(test_message_split_across_reads),
		cmocka_unit_test(test_commands_built_with_json),
		cmocka_unit_test(test_send_fd),
		cmocka_unit_test(test_not_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
