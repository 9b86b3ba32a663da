/* chan: the agent channel, or the console through /dev/kmsg. */
#include "guest/chan.h"
#include "guest/buf.h"
#include "guest/modules.h"
#include "proto/codec.h"
#include "proto/frame.h"
#include "proto/proto.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static int chan = -1;
/* oomtest.chan=kmsg: the plan came baked (its lines here, read from
 * plan_at on) and records go out as frames under key */
static int on_kmsg;
static struct buf baked;
static size_t plan_at;
static unsigned char key[SIPHASH_KEY_BYTES];
static unsigned long long next_seq;
/* frames held back (chan_hold), each "<N>frame\n", in a buffer made
 * before the hold began: it never grows while memory may be gone */
static int held;
/* frames go to /dev/kmsg, "<8>" first (else to oomtest_console) */
static int kmsg_prefix = 1;
static struct buf held_frames;
#define HELD_FRAMES_MAX (256u << 10)

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

int chan_take_baked(int fd, const char *text, size_t n)
{
	static const char head[] = "key ";
	const char *eol = memchr(text, '\n', n);

	if (!eol || (size_t)(eol - text) < sizeof(head) - 1 || memcmp(text, head, sizeof(head) - 1) ||
	    frame_key_parse(key, text + sizeof(head) - 1, (size_t)(eol - text) - (sizeof(head) - 1)))
		return -1;
	free(baked.p);
	baked = (struct buf){ 0 };
	buf_add(&baked, eol + 1, n - (size_t)(eol + 1 - text));
	plan_at = 0;
	next_seq = 0;
	on_kmsg = 1;
	chan = fd;
	return 0;
}

/* The plan file: read whole, then gone before any step can look. */
/* Where frames are written: oomtest_console's device, whose records need
 * no memory (kmod/oomtest_console.c), or path (/dev/kmsg, whose do) when
 * the module cannot be loaded. */
static int open_record_writer(const char *path, int *via_module)
{
	static const char dev[] = "/dev/" OOMTEST_CONSOLE_DEVICE;
	int fd = -1;

	modules_load_dir(OOMTEST_CONSOLE_MODULE_DIR);
	/* devtmpfs makes the node a moment after the module registers it */
	for (int i = 0; i < 200 && (fd = open(dev, O_WRONLY | O_CLOEXEC)) < 0 && errno == ENOENT; i++)
		usleep(10000);
	if (fd >= 0) {
		*via_module = 1;
		return fd;
	}
	fprintf(stderr, "oomtest-init: %s: %s; records go through %s, which needs memory for each\n", dev,
		strerror(errno), path);
	*via_module = 0;
	return open(path, O_WRONLY | O_CLOEXEC);
}

static int open_kmsg(const char *path)
{
	static const char plan[] = "/" FRAME_PLAN_MEMBER;
	struct buf text = { 0 };
	char part[4096];
	ssize_t n;
	int fd = open(plan, O_RDONLY | O_CLOEXEC), r;

	if (fd < 0) {
		fprintf(stderr, "oomtest-init: %s: %s\n", plan, strerror(errno));
		errno = EPROTO;
		return -1;
	}
	while ((n = read(fd, part, sizeof(part))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			buf_add(&text, part, (size_t)n);
	close(fd);
	unlink(plan);
	char dir[] = "/" FRAME_PLAN_MEMBER;
	*strrchr(dir, '/') = '\0';
	rmdir(dir);
	int via_module = 0;
	fd = open_record_writer(path, &via_module);
	if (fd < 0) {
		free(text.p);
		return -1;
	}
	r = text.p ? chan_take_baked(fd, text.p, text.len) : -1;
	kmsg_prefix = !via_module;
	free(text.p);
	if (r) {
		fprintf(stderr, "oomtest-init: the baked plan does not begin with \"key HEX\"\n");
		close(fd);
		errno = EPROTO;
		return -1;
	}
	return chan;
}

int chan_open(const char *tty)
{
	struct termios t;

	if (!strcmp(tty, "/dev/" OOMTEST_CHAN_KMSG))
		return open_kmsg(tty);
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
	/* a /dev/kmsg write has reached the console when it returns */
	if (!on_kmsg)
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

static void write_frame(const char *rec, size_t len)
{
	while (write(chan, rec, len) < 0 && errno == EINTR)
		;
}

static void flush_held(void)
{
	for (size_t at = 0; at < held_frames.len;) {
		const char *eol = memchr(held_frames.p + at, '\n', held_frames.len - at);
		size_t len = (size_t)(eol - (held_frames.p + at)) + 1;

		write_frame(held_frames.p + at, len);
		at += len;
	}
	held_frames.len = 0;
}

void chan_hold(void)
{
	if (!on_kmsg || !kmsg_prefix || held++)
		return;
	if (held_frames.alloc < HELD_FRAMES_MAX) {
		buf_reserve(&held_frames, HELD_FRAMES_MAX);
		/* the pages are there before the step begins */
		memset(held_frames.p, 0, held_frames.alloc);
	}
	held_frames.len = 0;
}

void chan_release(void)
{
	if (!on_kmsg || !held || --held)
		return;
	flush_held();
}

/* One printk record per fragment, each written whole by one write(); while
 * held, kept in order instead (all that was held goes out first when the
 * buffer is full). */
static void send_frames(const char *line, size_t n)
{
	char rec[sizeof(FRAME_KMSG_PRIORITY) + FRAME_LINE_MAX + 1];
	const size_t pri = kmsg_prefix ? sizeof(FRAME_KMSG_PRIORITY) - 1 : 0;

	memcpy(rec, FRAME_KMSG_PRIORITY, pri);
	while (n) {
		size_t take = frame_cut(line, n), len;
		len = pri + frame_format(rec + pri, key, next_seq++, take < n, line, take);
		rec[len++] = '\n';
		if (held && held_frames.alloc - held_frames.len <= len)
			flush_held();
		if (held && held_frames.alloc - held_frames.len > len) {
			memcpy(held_frames.p + held_frames.len, rec, len);
			held_frames.len += len;
		} else {
			write_frame(rec, len);
		}
		line += take;
		n -= take;
	}
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
	if (on_kmsg) {
		send_frames(b.p, b.len);
	} else {
		buf_add(&b, "\n", 1);
		write_all(chan, b.p, b.len);
	}
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

/* The next line of the baked plan. */
static char *baked_line(void)
{
	struct buf b = { 0 };
	char *eol;

	if (plan_at >= baked.len)
		return NULL;
	eol = memchr(baked.p + plan_at, '\n', baked.len - plan_at);
	size_t len = eol ? (size_t)(eol - (baked.p + plan_at)) : baked.len - plan_at;
	buf_add(&b, baked.p + plan_at, len);
	plan_at += len + (eol != NULL);
	if (b.len && b.p[b.len - 1] == '\r')
		b.p[--b.len] = '\0';
	return b.p;
}

char *chan_read_line(void)
{
	struct buf b = { 0 };
	char c;

	if (on_kmsg)
		return baked_line();
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
