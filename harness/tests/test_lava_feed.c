/* Tests for lava_feed.c through a real socketpair: LAVA log lines in, the
 * console lines (target and feedback) out on the runner's end each with
 * its newline, results dropped, the first error's first line kept; a
 * runner that went away (its end closed, or said so) makes writes return
 * at once and drop the rest; the give_up hook ends a write that waits on
 * a runner who does not read; a large write arrives whole while the
 * runner reads slowly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lava/lava_feed.h"
#include "lava/lava_log.h"
#include "lib/clock.h"
#include "lib/strbuf.h"

static const char log_lines[] =
	"{\"dt\": \"2026-12-06T11:50:33.28\", \"lvl\": \"info\", \"msg\": \"start: 1 deployimages\"}\n"
	"{\"dt\": \"2026-12-06T11:50:33.29\", \"lvl\": \"target\", \"msg\": \"Booting from ROM...\"}\n"
	"{\"dt\": \"2026-12-06T11:50:36.87\", \"lvl\": \"target\", \"msg\": \"[    0.000000] say \\\"hi\\\"\"}\n"
	"{\"dt\": \"2026-12-06T11:51:18.47\", \"lvl\": \"exception\", \"msg\": \"Connection closed\\nTraceback\"}\n"
	"{\"dt\": \"2026-12-06T11:51:18.48\", \"lvl\": \"error\", \"msg\": \"ConnectionClosedError: connection closed\"}\n"
	"{\"dt\": \"2026-12-06T11:51:18.49\", \"lvl\": \"results\", \"msg\": {\"case\": \"job\", \"definition\": \"lava\", "
	"\"error_msg\": \"Connection closed\", \"error_type\": \"Infrastructure\", \"result\": \"fail\"}}\n"
	"{\"dt\": \"2026-12-06T11:51:18.50\", \"lvl\": \"feedback\", \"msg\": \"poweroff\"}";

struct pair {
	int sv[2];            /* [0]: the runner's end; [1]: the feed's */
	struct lava_feed feed;
};

static void pair_open(struct pair *p, bool (*give_up)(void *), void *ctx)
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p->sv), 0);
	lava_feed_init(&p->feed, give_up, ctx);
	p->feed.fd = p->sv[1];
}

static void pair_close(struct pair *p)
{
	if (p->sv[0] >= 0)
		close(p->sv[0]);
	close(p->sv[1]);
	lava_feed_release(&p->feed);
}

/* The runner's end read to its end of stream. */
static void read_all(int fd, struct strbuf *out)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		strbuf_add(out, buf, (size_t)n);
	assert_int_equal(n, 0);
}

static void test_console_lines_and_first_error(void **state)
{
	struct pair p;
	struct lava_log *log = lava_log_new();
	struct strbuf got = STRBUF_INIT;

	(void)state;
	pair_open(&p, NULL, NULL);
	lava_log_feed(log, log_lines, sizeof(log_lines) - 1);
	lava_feed_take(&p.feed, log);
	/* the last line has no newline: only the end of the input brings it */
	lava_feed_end(&p.feed, log);
	read_all(p.sv[0], &got);
	assert_string_equal(got.buf, "Booting from ROM...\n[    0.000000] say \"hi\"\npoweroff\n");
	assert_string_equal(p.feed.first_error.buf, "Connection closed");
	assert_int_equal(atomic_load(&p.feed.runner_gone), 0);
	assert_int_equal(lava_log_job_end(log), LAVA_JOB_INCOMPLETE);
	lava_log_free(log);
	strbuf_release(&got);
	pair_close(&p);
}

static void test_events_in_pieces(void **state)
{
	struct pair p;
	struct lava_log *log = lava_log_new();
	struct strbuf got = STRBUF_INIT;

	(void)state;
	pair_open(&p, NULL, NULL);
	for (size_t i = 0; i < sizeof(log_lines) - 1; i += 5) {
		size_t n = sizeof(log_lines) - 1 - i < 5 ? sizeof(log_lines) - 1 - i : 5;

		lava_log_feed(log, log_lines + i, n);
		lava_feed_take(&p.feed, log);
	}
	lava_feed_end(&p.feed, log);
	read_all(p.sv[0], &got);
	assert_string_equal(got.buf, "Booting from ROM...\n[    0.000000] say \"hi\"\npoweroff\n");
	assert_string_equal(p.feed.first_error.buf, "Connection closed");
	lava_log_free(log);
	strbuf_release(&got);
	pair_close(&p);
}

static void test_runner_closed_its_end(void **state)
{
	struct pair p;
	struct lava_log *log = lava_log_new();
	unsigned long long t0;

	(void)state;
	pair_open(&p, NULL, NULL);
	close(p.sv[0]);
	p.sv[0] = -1;
	t0 = clock_now_ms();
	lava_log_feed(log, log_lines, sizeof(log_lines) - 1);
	lava_feed_end(&p.feed, log);
	/* the first send fails (EPIPE, no SIGPIPE): no wait for a reader */
	assert_int_equal(atomic_load(&p.feed.runner_gone), 1);
	assert_true(clock_now_ms() - t0 < 2000);
	/* errors are still kept for the run's reason */
	assert_string_equal(p.feed.first_error.buf, "Connection closed");
	lava_log_free(log);
	pair_close(&p);
}

static void test_runner_said_gone(void **state)
{
	struct pair p;
	char buf[16];

	(void)state;
	pair_open(&p, NULL, NULL);
	lava_feed_runner_gone(&p.feed);
	lava_feed_write(&p.feed, "dropped\n", 8);
	shutdown(p.sv[1], SHUT_WR);
	assert_int_equal(read(p.sv[0], buf, sizeof(buf)), 0);
	pair_close(&p);
}

/* Fills the feed's end until a send would block. */
static size_t fill(int fd)
{
	static const char junk[4096];
	size_t total = 0;
	ssize_t w;

	while ((w = send(fd, junk, sizeof(junk), MSG_DONTWAIT)) > 0)
		total += (size_t)w;
	return total;
}

struct counter {
	int calls, stop_at;
};

static bool give_up_after(void *ctx)
{
	struct counter *c = ctx;

	return ++c->calls >= c->stop_at;
}

static void test_give_up_ends_a_waiting_write(void **state)
{
	struct pair p;
	struct counter c = { 0, 3 };
	struct strbuf got = STRBUF_INIT;
	size_t filled;

	(void)state;
	pair_open(&p, give_up_after, &c);
	filled = fill(p.sv[1]);
	assert_true(filled > 0);
	lava_feed_write(&p.feed, "late\n", 5);
	/* asked before each wait on the full end: the third time said stop */
	assert_int_equal(c.calls, 3);
	assert_int_equal(atomic_load(&p.feed.runner_gone), 0);
	shutdown(p.sv[1], SHUT_WR);
	read_all(p.sv[0], &got);
	assert_int_equal(got.len, filled);
	assert_null(memmem(got.buf, got.len, "late", 4));
	strbuf_release(&got);
	pair_close(&p);
}

static void *slow_reader(void *arg)
{
	int fd = *(int *)arg;
	struct strbuf *got = xcalloc(1, sizeof(*got));
	char buf[1000];
	ssize_t n;

	strbuf_init(got);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		strbuf_add(got, buf, (size_t)n);
		usleep(100);
	}
	return got;
}

static void test_waits_while_the_runner_reads(void **state)
{
	struct pair p;
	struct strbuf big = STRBUF_INIT, *got;
	pthread_t reader;
	void *ret;

	(void)state;
	pair_open(&p, NULL, NULL);
	for (int i = 0; big.len < (2u << 20); i++)
		strbuf_addf(&big, "line %d\n", i);
	assert_int_equal(pthread_create(&reader, NULL, slow_reader, &p.sv[0]), 0);
	lava_feed_write(&p.feed, big.buf, big.len);
	shutdown(p.sv[1], SHUT_WR);
	assert_int_equal(pthread_join(reader, &ret), 0);
	got = ret;
	assert_int_equal(got->len, big.len);
	assert_memory_equal(got->buf, big.buf, big.len);
	assert_int_equal(atomic_load(&p.feed.runner_gone), 0);
	strbuf_release(got);
	free(got);
	strbuf_release(&big);
	pair_close(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_console_lines_and_first_error),
		cmocka_unit_test(test_events_in_pieces),
		cmocka_unit_test(test_runner_closed_its_end),
		cmocka_unit_test(test_runner_said_gone),
		cmocka_unit_test(test_give_up_ends_a_waiting_write),
		cmocka_unit_test(test_waits_while_the_runner_reads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
