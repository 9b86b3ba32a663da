/* deframe: frame lines out of a console stream (see deframe.h). */
#include "run/deframe.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* The longest "[...]" prefix group: "[12345678.123456]", "[    T123]". */
#define GROUP_MAX 40
/* A record longer than this is dropped whole and counted, as the runner
 * does with a channel's lines. */
#define RECORD_MAX (1u << 20)
/* What of a problem line its description quotes. */
#define EXCERPT_MAX 80

void deframe_init(struct deframe *d, const unsigned char key[SIPHASH_KEY_BYTES], const struct deframe_sink *sink)
{
	memset(d, 0, sizeof(*d));
	memcpy(d->key, key, SIPHASH_KEY_BYTES);
	d->sink = *sink;
	strbuf_init(&d->line);
	strbuf_init(&d->rec);
	strbuf_init(&d->errors);
}

void deframe_release(struct deframe *d)
{
	strbuf_release(&d->line);
	strbuf_release(&d->rec);
	strbuf_release(&d->errors);
}

int deframe_frame_start(const char *s, size_t n, size_t *at)
{
	size_t p = 0;

	for (int groups = 0; groups < 3 && p < n && s[p] == '['; groups++) {
		size_t q = p + 1;
		for (; q < n && s[q] != ']'; q++)
			if (q - p > GROUP_MAX || !(s[q] == ' ' || s[q] == '.' || isalnum((unsigned char)s[q])))
				return 0;
		if (q + 1 >= n)
			return -1;
		if (s[q + 1] != ' ')
			return 0;
		p = q + 2;
	}
	size_t have = n - p < FRAME_PREFIX_LEN ? n - p : FRAME_PREFIX_LEN;
	if (memcmp(s + p, FRAME_PREFIX, have))
		return 0;
	if (have < FRAME_PREFIX_LEN)
		return -1;
	*at = p;
	return 1;
}

static void problem(struct deframe *d, const char *what, const char *line, size_t n)
{
	if (d->problems++ >= DEFRAME_ERRORS_KEPT)
		return;
	strbuf_addstr(&d->errors, what);
	if (line) {
		strbuf_addstr(&d->errors, ": \"");
		for (size_t i = 0; i < n && i < EXCERPT_MAX; i++)
			strbuf_addch(&d->errors, isprint((unsigned char)line[i]) ? line[i] : '?');
		strbuf_addstr(&d->errors, n > EXCERPT_MAX ? "...\"" : "\"");
	}
	strbuf_addch(&d->errors, '\n');
}

static void console_out(struct deframe *d, const char *p, size_t n)
{
	if (n)
		d->sink.console(d->sink.ctx, p, n);
}

/* A fragment in sequence joins the record (and ends it with '.'). */
static void add_fragment(struct deframe *d, const struct frame *f)
{
	if (d->rec.len + f->len > RECORD_MAX) {
		d->rec.len = 0;
		d->dropping = 1;
	}
	if (d->dropping)
		d->dropped += f->len;
	else
		strbuf_add(&d->rec, f->data, f->len);
	d->in_record = f->more;
	if (f->more)
		return;
	if (!d->dropping) {
		d->records++;
		d->sink.record(d->sink.ctx, d->rec.buf, d->rec.len);
	}
	d->dropping = 0;
	strbuf_reset(&d->rec);
}

/* A frame line of n bytes (from FRAME_PREFIX, no line end): 1 when it was
 * the agent's next fragment, 0 when its line stays in the console. */
static int take_frame(struct deframe *d, const char *p, size_t n)
{
	struct frame f;
	char what[160];

	if (frame_parse(d->key, p, n, &f)) {
		problem(d, "a console line looks like the agent's output but is not (forged, or damaged on its way)",
			p, n);
		return 0;
	}
	if (f.seq < d->next_seq) {
		snprintf(what, sizeof(what), "agent frame %llu came again (the next was %llu)", f.seq, d->next_seq);
		problem(d, what, NULL, 0);
		return 0;
	}
	if (f.seq > d->next_seq) {
		snprintf(what, sizeof(what), "agent output lost: frames %llu to %llu never came", d->next_seq,
			 f.seq - 1);
		problem(d, what, NULL, 0);
		strbuf_reset(&d->rec);
		d->in_record = d->dropping = 0;
		d->next_seq = f.seq + 1;
		/* where its record began is lost with them */
		d->resync = f.more;
		return 0;
	}
	d->next_seq++;
	if (d->resync) {
		d->resync = f.more;
		return 0;
	}
	d->frames++;
	add_fragment(d, &f);
	return 1;
}

static void too_long(struct deframe *d, const char *p, size_t n)
{
	problem(d, "a console line looks like the agent's output but is too long for it", p, n);
}

/* The held line is whole (it ends in '\n', or the stream ended). */
static void take_line(struct deframe *d)
{
	const char *s = d->line.buf;
	size_t n = d->line.len, at;

	if (n && s[n - 1] == '\n')
		n--;
	if (n && s[n - 1] == '\r')
		n--;
	int taken = 0;

	if (deframe_frame_start(s, n, &at) == 1) {
		if (n - at > FRAME_LINE_MAX)
			too_long(d, s + at, n - at);
		else
			taken = take_frame(d, s + at, n - at);
	}
	if (!taken)
		console_out(d, d->line.buf, d->line.len);
	strbuf_reset(&d->line);
}

/* A line not yet whole goes on at once when it cannot be a frame. */
static void maybe_pass(struct deframe *d)
{
	size_t at;
	int r = deframe_frame_start(d->line.buf, d->line.len, &at);

	/* room for the '\r' before its newline */
	if (r == 1 && d->line.len - at > FRAME_LINE_MAX + 1) {
		too_long(d, d->line.buf + at, d->line.len - at);
		r = 0;
	}
	if (r)
		return;
	console_out(d, d->line.buf, d->line.len);
	strbuf_reset(&d->line);
	d->passing = 1;
}

void deframe_feed(struct deframe *d, const char *buf, size_t n)
{
	while (n) {
		const char *nl = memchr(buf, '\n', n);
		size_t upto = nl ? (size_t)(nl - buf) + 1 : n;

		if (d->passing) {
			console_out(d, buf, upto);
			d->passing = !nl;
		} else {
			strbuf_add(&d->line, buf, upto);
			if (nl)
				take_line(d);
			else
				maybe_pass(d);
		}
		buf += upto;
		n -= upto;
	}
}

void deframe_end(struct deframe *d)
{
	char what[160];

	if (d->line.len)
		take_line(d);
	d->passing = 0;
	if (d->in_record) {
		snprintf(what, sizeof(what),
			 "the console ended inside an agent record (frame %llu said more follows)", d->next_seq - 1);
		problem(d, what, NULL, 0);
		d->in_record = 0;
		strbuf_reset(&d->rec);
	}
}
