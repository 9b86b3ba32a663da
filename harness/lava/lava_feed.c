/* lava_feed: a LAVA job's console lines on to the runner, its first error
 * kept (see lava_feed.h). */
#include "lava/lava_feed.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

void lava_feed_init(struct lava_feed *f, bool (*give_up)(void *ctx), void *ctx)
{
	f->fd = -1;
	atomic_init(&f->runner_gone, 0);
	strbuf_init(&f->first_error);
	f->give_up = give_up;
	f->give_up_ctx = ctx;
}

void lava_feed_release(struct lava_feed *f)
{
	strbuf_release(&f->first_error);
}

void lava_feed_write(struct lava_feed *f, const char *p, size_t n)
{
	while (n && !atomic_load(&f->runner_gone)) {
		struct pollfd pfd = { f->fd, POLLOUT, 0 };
		ssize_t w;

		if (f->give_up && f->give_up(f->give_up_ctx))
			return;
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		w = send(f->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			atomic_store(&f->runner_gone, 1);
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

void lava_feed_take(struct lava_feed *f, struct lava_log *log)
{
	struct lava_event ev;

	while (lava_log_next(log, &ev)) {
		if (ev.kind == LAVA_EVENT_CONSOLE) {
			lava_feed_write(f, ev.text, ev.text_len);
			lava_feed_write(f, "\n", 1);
		} else if (ev.kind == LAVA_EVENT_ERROR && !f->first_error.len) {
			strbuf_add(&f->first_error, ev.text, strcspn(ev.text, "\n"));
		}
		lava_event_release(&ev);
	}
}

void lava_feed_end(struct lava_feed *f, struct lava_log *log)
{
	lava_log_end(log);
	lava_feed_take(f, log);
	shutdown(f->fd, SHUT_WR);
}

void lava_feed_runner_gone(struct lava_feed *f)
{
	atomic_store(&f->runner_gone, 1);
}
