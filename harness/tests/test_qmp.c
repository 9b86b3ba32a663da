/* Tests for qmp.c against a scripted peer on a socketpair: the handshake,
 * events kept while a command waits, errors, a peer that goes away. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
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
	/* what the client said, one command a line */
	assert_true(read(peer, sent, sizeof(sent) - 1) > 0);
	assert_string_equal(sent, "{\"execute\": \"qmp_capabilities\"}\n{\"execute\": \"query-status\"}\n");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handshake_and_events),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
