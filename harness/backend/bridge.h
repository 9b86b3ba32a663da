/* bridge: moves a console stream's bytes to a non-blocking socket the
 * runner reads, and, for a channel the runner writes too, the socket's
 * bytes back to the stream. A reader that falls behind loses nothing: what
 * the socket does not take now waits in memory, and the stream is not read
 * while more than a bound waits, so memory stays bounded. The stream is
 * reached through functions with virStreamRecv's and virStreamSend's
 * contract, so that the bridge runs without a libvirt daemon too. */
#ifndef OOMTEST_BACKEND_BRIDGE_H
#define OOMTEST_BACKEND_BRIDGE_H

#include "lib/strbuf.h"

#include <stddef.h>

/* Bytes waiting for the socket over which the stream is not read. */
#define BRIDGE_PENDING_MAX (1u << 20)

struct bridge_io {
	/* >0: bytes read, 0: end of stream, -1: error, -2: none now */
	int (*recv)(void *stream, char *buf, size_t n);
	/* bytes sent, -1: error, -2: not now */
	int (*send)(void *stream, const char *buf, size_t n);
	void *stream;
	int fd;                /* our end of the socket, non-blocking */
	int writable;          /* the runner writes too (the agent channel) */
	size_t pending_max;    /* 0: BRIDGE_PENDING_MAX */
	volatile int stop;     /* set by another thread: end now */
	struct strbuf pending; /* from the stream, not yet taken by fd */
};

/* Runs until stop is set, the stream ends (after fd took every byte read
 * from it), a stream error or the reader closing its end; then shuts fd
 * for writing, so that the reader sees the end, and releases pending. */
void bridge_run(struct bridge_io *b);

#endif
