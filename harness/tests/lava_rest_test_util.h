/* lava_rest_test_util: what the fake LAVA servers of the REST tests share
 * (test_lava_rest.c, test_backend_lava_server.c): a listening socket on
 * 127.0.0.1 and its URL, reading one HTTP request, an answer around a
 * body, and the body of a recorded answer (fixtures/lava-rest/); included
 * after cmocka.h. */
#ifndef OOMTEST_LAVA_REST_TEST_UTIL_H
#define OOMTEST_LAVA_REST_TEST_UTIL_H

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/strbuf.h"

/* Reads one request (headers, then Content-Length bytes) from fd. */
static inline void lava_rest_read_request(int fd, struct strbuf *req)
{
	char buf[4096];
	char *end = NULL;
	size_t want = 0;

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n <= 0)
			return;
		strbuf_add(req, buf, (size_t)n);
		if (!end && (end = strstr(req->buf, "\r\n\r\n"))) {
			const char *cl = strcasestr(req->buf, "\r\nContent-Length:");

			want = (size_t)(end - req->buf) + 4 + (cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0);
		}
		if (end && req->len >= want)
			return;
	}
}

/* A socket listening on a free port of 127.0.0.1; its base URL into url
 * (replacing what it held). */
static inline int lava_rest_listen(struct strbuf *url)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(lfd >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(lfd, 8), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&a, &alen), 0);
	strbuf_reset(url);
	strbuf_addf(url, "http://127.0.0.1:%u", (unsigned)ntohs(a.sin_port));
	return lfd;
}

/* An HTTP answer (the connection closed after it) around len bytes of body. */
static inline void lava_rest_answer(struct strbuf *out, int status, const char *type, const char *body,
				    size_t len)
{
	strbuf_addf(out, "HTTP/1.1 %d X\r\nConnection: close\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n",
		    status, type, len);
	strbuf_add(out, body, len);
}

/* A recorded answer, fixtures/lava-rest/NAME (run from harness/tests):
 * whole into answer, or only its body (after the headers) when body_only. */
static inline void lava_rest_fixture(const char *name, int body_only, struct strbuf *answer)
{
	struct strbuf path = STRBUF_INIT;
	const char *body;

	strbuf_addf(&path, "fixtures/lava-rest/%s", name);
	strbuf_reset(answer);
	assert_int_equal(strbuf_read_file(answer, path.buf), 0);
	if (body_only) {
		body = strstr(answer->buf, "\r\n\r\n");
		assert_non_null(body);
		strbuf_drop_front(answer, (size_t)(body + 4 - answer->buf));
	}
	strbuf_release(&path);
}

#endif
