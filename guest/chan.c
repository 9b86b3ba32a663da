/* chan: the agent channel. */
#include "guest/chan.h"
#include "guest/buf.h"
#include "proto/codec.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static int chan = -1;

int chan_device(const char *cmdline, char *out, size_t size)
{
	static const char key[] = "oomtest.chan=", sep[] = " \t\n";
	const char *name = "ttyS1";
	size_t len = 5;

	for (const char *w = cmdline + strspn(cmdline, sep); *w; w += strspn(w, sep)) {
		size_t wl = strcspn(w, sep), n;
		if (wl > sizeof(key) - 1 && !memcmp(w, key, sizeof(key) - 1)) {
			n = wl - (sizeof(key) - 1);
			const char *v = w + sizeof(key) - 1;
			int ok = 1;
			for (size_t i = 0; i < n; i++)
				ok &= (v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
				      (v[i] >= '0' && v[i] <= '9');
			if (!ok)
				return -1;
			name = v;
			len = n;
		}
		w += wl;
	}
	if (snprintf(out, size, "/dev/%.*s", (int)len, name) >= (int)size)
		return -1;
	return 0;
}

int chan_open(const char *tty)
{
	struct termios t;

	chan = open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (chan < 0)
		return -1;
	if (!tcgetattr(chan, &t)) {
		cfmakeraw(&t);
		cfsetispeed(&t, B115200);
		cfsetospeed(&t, B115200);
		tcsetattr(chan, TCSANOW, &t);
	}
	return chan;
}

void chan_drain(void)
{
	tcdrain(chan);
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

static void add_field(struct buf *b, const char *s, size_t n)
{
	buf_reserve(b, 1 + PROTO_ENCODED_MAX(n));
	b->p[b->len++] = ' ';
	b->len += proto_encode(b->p + b->len, s, n);
	b->p[b->len] = '\0';
}

void send_rec(const char *kind, ...)
{
	struct buf b = { 0 };
	va_list ap;
	const char *s;

	buf_add(&b, kind, strlen(kind));
	va_start(ap, kind);
	while ((s = va_arg(ap, const char *))) {
		size_t n = va_arg(ap, size_t);
		add_field(&b, s, n);
	}
	va_end(ap);
	buf_add(&b, "\n", 1);
	write_all(chan, b.p, b.len);
	free(b.p);
}

void send_err(const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	send_rec("err", S(msg ? msg : "?"), NULL);
	free(msg);
}

char *chan_read_line(void)
{
	struct buf b = { 0 };
	char c;

	for (;;) {
		ssize_t n = read(chan, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return b.p;
		if (c == '\n') {
			if (!b.p)
				buf_add(&b, "", 0);
			return b.p;
		}
		if (c != '\r')
			buf_add(&b, &c, 1);
	}
}
