/* libFuzzer target for run/deframe.c: the input is a console stream under
 * the key 00..0f (the golden file's), fed whole and byte by byte; both ways
 * must give the same console, records and problems, and the console plus
 * the frames taken out must never be more than came in. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "run/deframe.h"

static const unsigned char key[SIPHASH_KEY_BYTES] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };

struct out {
	struct strbuf console, records;
};

static void on_console(void *ctx, const char *p, size_t n)
{
	strbuf_add(&((struct out *)ctx)->console, p, n);
}

static void on_record(void *ctx, const char *line, size_t n)
{
	struct out *o = ctx;

	strbuf_add(&o->records, line, n);
	strbuf_addch(&o->records, '\n');
}

static void run(const uint8_t *data, size_t size, size_t piece, struct out *o, struct deframe *d)
{
	const struct deframe_sink sink = { on_console, on_record, o };

	strbuf_init(&o->console);
	strbuf_init(&o->records);
	deframe_init(d, key, &sink);
	for (size_t at = 0; at < size; at += piece)
		deframe_feed(d, (const char *)data + at, size - at < piece ? size - at : piece);
	deframe_end(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct out whole, bytes;
	struct deframe dw, db;

	run(data, size, size ? size : 1, &whole, &dw);
	run(data, size, 1, &bytes, &db);
	if (strcmp(whole.console.buf, bytes.console.buf) || whole.console.len != bytes.console.len ||
	    strcmp(whole.records.buf, bytes.records.buf) || dw.problems != db.problems ||
	    strcmp(dw.errors.buf, db.errors.buf) || dw.frames != db.frames)
		abort();
	if (whole.console.len > size || whole.records.len > size + dw.records)
		abort();
	deframe_release(&dw);
	deframe_release(&db);
	strbuf_release(&whole.console);
	strbuf_release(&whole.records);
	strbuf_release(&bytes.console);
	strbuf_release(&bytes.records);
	return 0;
}
