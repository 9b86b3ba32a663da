/* bridge: a console stream to a socket, without losing bytes. */
#include "backend/bridge.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

/* How often a stream with nothing to read is asked again, in ms: libvirt
 * gives a non-blocking stream no descriptor to poll. */
#define BRIDGE_IDLE_MS 5

/* Writes what fd takes now of the pending bytes: 1 if it took some, 0 if
 * none (EAGAIN or nothing pending), -1 if the reader has gone. */
static int flush_pending(struct bridge_io *b)
{
	size_t off = 0;
	int wrote = 0;

	while (off < b->pending.len) {
		ssize_t w = send(b->fd, b->pending.buf + off, b->pending.len - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (w <= 0)
			return -1;
		off += (size_t)w;
		wrote = 1;
	}
	strbuf_drop_front(&b->pending, off);
	return wrote;
}

/* The runner's bytes to the stream: 1 if there were some, 0 if none, -1
 * on an error. */
static int runner_to_stream(struct bridge_io *b, char *buf, size_t size)
{
	ssize_t r = read(b->fd, buf, size);

	if (r <= 0)
		return 0;
	for (ssize_t off = 0; off < r && !b->stop;) {
		int w = b->send(b->stream, buf + off, (size_t)(r - off));
		if (w == -2) {
			poll(NULL, 0, 2);
			continue;
		}
		if (w < 0)
			return -1;
		off += w;
	}
	return 1;
}

/* Waits until fd can take more, or has bytes from the runner, or it is
 * time to ask the stream again. */
static void wait_idle(struct bridge_io *b, int stream_ended)
{
	struct pollfd p = { b->fd, 0, 0 };

	if (b->writable && !stream_ended)
		p.events |= POLLIN;
	if (b->pending.len)
		p.events |= POLLOUT;
	poll(&p, 1, BRIDGE_IDLE_MS);
}

void bridge_run(struct bridge_io *b)
{
	size_t max = b->pending_max ? b->pending_max : BRIDGE_PENDING_MAX;
	char buf[65536];
	int stream_ended = 0;

	while (!b->stop && !(stream_ended && !b->pending.len)) {
		int busy = 0, r;

		if (!stream_ended && b->pending.len < max) {
			int n = b->recv(b->stream, buf, sizeof(buf));
			if (n == 0 || n == -1)
				stream_ended = 1;
			if (n > 0) {
				strbuf_add(&b->pending, buf, (size_t)n);
				busy = 1;
			}
		}
		if ((r = flush_pending(b)) < 0)
			break;
		busy |= r;
		if (b->writable && !stream_ended) {
			if ((r = runner_to_stream(b, buf, 4096)) < 0)
				break;
			busy |= r;
		}
		if (!busy)
			wait_idle(b, stream_ended);
	}
	shutdown(b->fd, SHUT_WR);
	strbuf_release(&b->pending);
}
