/* Helpers the guest/ tests share (include after cmocka.h): a temporary
 * file with given content, and the agent's records captured in a file and
 * looked up there. */
#ifndef OOMTEST_GUEST_TEST_UTIL_H
#define OOMTEST_GUEST_TEST_UTIL_H

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "guest/chan.h"
#include "guest/files.h"
#include "proto/codec.h"

/* A new file under /tmp holding n bytes of text, opened for reading;
 * path (a "/tmp/...XXXXXX" template) gets its name. */
static inline int temp_file(char *path, const char *text, size_t n)
{
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	return fd;
}

/* The agent's channel becomes a new file under /tmp; its name goes to
 * path (a "/tmp/...XXXXXX" template). */
static inline void capture_records(char *path)
{
	close(temp_file(path, "", 0));
	assert_true(chan_open(path) >= 0);
}

/* What the channel got so far, after a newline (free() it). */
static inline char *records_sent(const char *path)
{
	struct buf sent = { 0 }, out = { 0 };

	buf_reserve(&sent, 1 << 20);
	assert_int_equal(read_file(path, &sent), 0);
	buf_add(&out, "\n", 1);
	buf_add(&out, sent.p, sent.len);
	free(sent.p);
	return out.p;
}

/* Whether the channel got the record KIND FIELD... (C strings, NULL
 * ended), encoded as the agent sends it. */
static inline int sent_record(const char *path, const char *kind, ...)
{
	struct buf line = { 0 };
	char *sent = records_sent(path);
	const char *field;
	va_list ap;
	int found;

	buf_add(&line, "\n", 1);
	buf_add(&line, kind, strlen(kind));
	va_start(ap, kind);
	while ((field = va_arg(ap, const char *))) {
		size_t n = strlen(field);
		buf_reserve(&line, 1 + PROTO_ENCODED_MAX(n));
		line.p[line.len++] = ' ';
		line.len += proto_encode(line.p + line.len, field, n);
	}
	va_end(ap);
	buf_add(&line, "\n", 1);
	found = strstr(sent, line.p) != NULL;
	free(sent);
	free(line.p);
	return found;
}

#endif
