/* deframe: the agent's frames (proto/frame.h) taken back out of a console
 * stream. Fed the console's bytes in any chunking, it hands on (a) the
 * kernel console without the frame lines, byte for byte as it came, and
 * (b) the agent's record lines, reassembled from their fragments, in order.
 * A line that starts like a frame ("oomtest:" after the console's "[...] "
 * prefixes) but whose tag is not the run's key, a fragment out of sequence
 * (repeated, or after fragments that were lost), or a record the stream
 * ends inside is a problem: its line stays in the console and the problem
 * is kept, to make the run an error. */
#ifndef OOMTEST_DEFRAME_H
#define OOMTEST_DEFRAME_H

#include <stddef.h>
#include "lib/strbuf.h"
#include "proto/frame.h"

/* The problems described in errors; the rest are only counted. */
#define DEFRAME_ERRORS_KEPT 8

struct deframe_sink {
	/* kernel console bytes, lines whole or not, in order */
	void (*console)(void *ctx, const char *p, size_t n);
	/* one agent record line, without its newline */
	void (*record)(void *ctx, const char *line, size_t n);
	void *ctx;
};

struct deframe {
	unsigned char key[SIPHASH_KEY_BYTES];
	struct deframe_sink sink;
	struct strbuf line;        /* the console line so far while it may be a frame */
	int passing;               /* the current line is not one: its bytes go straight on */
	struct strbuf rec;         /* the record being put together */
	int in_record;             /* its last fragment said more follows */
	int resync;                /* fragments were lost inside a record: skip to its end */
	int dropping;              /* the record grew past 1 MiB: dropped, up to its end */
	unsigned long long dropped; /* bytes of such records */
	unsigned long long next_seq;
	unsigned long long frames, records, problems;
	struct strbuf errors;      /* the first DEFRAME_ERRORS_KEPT problems, one a line */
};

void deframe_init(struct deframe *d, const unsigned char key[SIPHASH_KEY_BYTES], const struct deframe_sink *sink);
void deframe_release(struct deframe *d);
void deframe_feed(struct deframe *d, const char *buf, size_t n);
/* The stream has ended: a last line without its newline is read, and a
 * record left open is a problem. */
void deframe_end(struct deframe *d);

/* Where a frame begins in a console line of n bytes (after up to three
 * "[...] " prefixes: time, caller): 1 with *at set, 0 when it is no frame,
 * -1 when the n bytes do not tell yet. For tests. */
int deframe_frame_start(const char *line, size_t n, size_t *at);

#endif
