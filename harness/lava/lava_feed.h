/* lava_feed: what both LAVA backends (backend/lava_local.c,
 * backend/lava_server.c) do with the events of a job's log
 * (lava/lava_log.h): the guest's console lines go on, each with its
 * newline, to the runner through the feed's end of a socketpair, and
 * LAVA's first error line is kept for the run's reason. Results are
 * dropped. Writing waits while the runner reads; bytes are dropped once
 * the runner has gone (a send failed, or the backend said so) or the
 * backend's give_up hook says to stop waiting. */
#ifndef OOMTEST_LAVA_FEED_H
#define OOMTEST_LAVA_FEED_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "lava/lava_log.h"
#include "lib/strbuf.h"

struct lava_feed {
	int fd;                     /* the feed's end of the socketpair, not owned; -1 until set */
	atomic_int runner_gone;     /* the runner's end is closed: nothing more is handed on */
	struct strbuf first_error;  /* LAVA's first error, its first line only */
	/* NULL, or asked before each wait for the runner: true drops the rest */
	bool (*give_up)(void *ctx);
	void *give_up_ctx;
};

/* fd -1, no error, the runner there; give_up may be NULL. */
void lava_feed_init(struct lava_feed *f, bool (*give_up)(void *ctx), void *ctx);
void lava_feed_release(struct lava_feed *f);
/* Hands n bytes on, waiting (in 100 ms polls) while the runner's end is
 * full. A send that fails for another reason than EAGAIN or EINTR marks
 * the runner gone. */
void lava_feed_write(struct lava_feed *f, const char *p, size_t n);
/* Takes every pending event out of log: console lines written, each with
 * a newline; the first error kept; the rest released. */
void lava_feed_take(struct lava_feed *f, struct lava_log *log);
/* The log's input ended: its last events taken, then the runner's stream
 * ends (shutdown for writing). */
void lava_feed_end(struct lava_feed *f, struct lava_log *log);
/* Any thread: the runner reads no more; a write waiting for it returns
 * within one poll. */
void lava_feed_runner_gone(struct lava_feed *f);

#endif
