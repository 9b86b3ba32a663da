/* Tests for bridge.c: a burst larger than the socket takes, read late and
 * slowly, arrives whole and in order, and memory stays bounded. The stream
 * is a stand-in with virStreamRecv's contract; no libvirt daemon. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backend/bridge.h"

#define BURST (512u << 10)
#define CHUNK (16u << 10)
#define PENDING_MAX (64u << 10)
/* More than the socket holds: the bridge has met EAGAIN by then. */
#define READ_LATE_AFTER (48u << 10)

static unsigned char burst_byte(size_t i)
{
	return (unsigned char)(i % 251);
}

struct fake_stream {
	struct bridge_io *io;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	size_t handed;         /* bytes given to the bridge */
	size_t most_pending;   /* the most bytes waiting when it asked for more */
	int ended;             /* bridge_run returned */
};

static int fake_recv(void *stream, char *buf, size_t n)
{
	struct fake_stream *f = stream;

	pthread_mutex_lock(&f->lock);
	if (f->io->pending.len > f->most_pending)
		f->most_pending = f->io->pending.len;
	if (n > CHUNK)
		n = CHUNK;
	if (n > BURST - f->handed)
		n = BURST - f->handed;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)burst_byte(f->handed + i);
	f->handed += n;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
	return (int)n; /* 0 after the burst: the end of the stream */
}

static int fake_send(void *stream, const char *buf, size_t n)
{
	(void)stream;
	(void)buf;
	return (int)n;
}

static void *run_bridge(void *arg)
{
	struct fake_stream *f = arg;

	bridge_run(f->io);
	pthread_mutex_lock(&f->lock);
	f->ended = 1;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

/* The bridge's socket takes little (4 KiB) before EAGAIN. */
static void setup(int fds[2], struct bridge_io *io, struct fake_stream *f)
{
	int sndbuf = 4096;

	*io = (struct bridge_io){ .recv = fake_recv, .send = fake_send, .stream = f,
				  .pending_max = PENDING_MAX, .pending = STRBUF_INIT };
	*f = (struct fake_stream){ .io = io };
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->cond, NULL);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
	assert_int_equal(setsockopt(fds[1], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)), 0);
	fcntl(fds[1], F_SETFL, O_NONBLOCK);
	io->fd = fds[1];
}

static void teardown(int fds[2], struct fake_stream *f)
{
	close(fds[0]);
	close(fds[1]);
	pthread_cond_destroy(&f->cond);
	pthread_mutex_destroy(&f->lock);
}

static void test_burst_read_late_and_slowly(void **state)
{
	int fds[2];
	struct bridge_io io;
	struct fake_stream f;
	unsigned char got[1000];
	size_t received = 0, misplaced = 0;
	pthread_t t;

	(void)state;
	setup(fds, &io, &f);
	assert_int_equal(pthread_create(&t, NULL, run_bridge, &f), 0);

	/* late: nothing is read until the socket is long full */
	pthread_mutex_lock(&f.lock);
	while (f.handed < READ_LATE_AFTER && !f.ended)
		pthread_cond_wait(&f.cond, &f.lock);
	pthread_mutex_unlock(&f.lock);

	/* slowly: a little at a time, each read bounded by a poll timeout */
	for (;;) {
		struct pollfd p = { fds[0], POLLIN, 0 };
		assert_int_equal(poll(&p, 1, 30000), 1);
		ssize_t n = read(fds[0], got, sizeof(got));
		assert_true(n >= 0);
		if (n == 0)
			break;
		for (ssize_t i = 0; i < n; i++)
			misplaced += got[i] != burst_byte(received + (size_t)i);
		received += (size_t)n;
	}
	pthread_join(t, NULL);

	assert_int_equal(received, BURST);
	assert_int_equal(misplaced, 0);
	assert_int_equal(f.handed, BURST);
	/* bytes did wait for the reader, and never more than the bound */
	assert_true(f.most_pending > 0);
	assert_true(f.most_pending < PENDING_MAX);
	assert_int_equal(io.pending.len, 0);
	teardown(fds, &f);
}

/* A runner that has gone ends the bridge, however much waits. */
static void test_reader_gone(void **state)
{
	int fds[2];
	struct bridge_io io;
	struct fake_stream f;

	(void)state;
	setup(fds, &io, &f);
	shutdown(fds[0], SHUT_RDWR);
	run_bridge(&f);
	assert_true(f.ended);
	assert_true(f.handed < BURST);
	assert_int_equal(io.pending.len, 0);
	teardown(fds, &f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_read_late_and_slowly),
		cmocka_unit_test(test_reader_gone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
