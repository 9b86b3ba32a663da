/* libFuzzer target for lava_log: the input is fed whole, in small pieces
 * and byte by byte; every way must yield the same events and the same end,
 * and every event must be whole (console and error text, a result's
 * fields as LAVA gave them). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lava/lava_log.h"
#include "lib/strbuf.h"

static void add_field(struct strbuf *out, const char *s)
{
	strbuf_addstr(out, s ? s : "(none)");
	strbuf_addch(out, '\0');
}

static void drain(struct lava_log *log, struct strbuf *out)
{
	struct lava_event ev;

	while (lava_log_next(log, &ev)) {
		strbuf_addf(out, "%d%d%d:", (int)ev.kind, (int)ev.feedback, (int)ev.exception);
		if (ev.kind == LAVA_EVENT_RESULT) {
			add_field(out, ev.result.definition);
			add_field(out, ev.result.case_name);
			add_field(out, ev.result.result);
			add_field(out, ev.result.level);
			add_field(out, ev.result.error_type);
			add_field(out, ev.result.error_msg);
		} else {
			if (!ev.text || ev.text[ev.text_len] != '\0')
				abort();
			strbuf_add(out, ev.text, ev.text_len);
		}
		strbuf_addch(out, '\n');
		lava_event_release(&ev);
	}
}

static void run(const uint8_t *data, size_t size, size_t chunk, struct strbuf *out)
{
	struct lava_log *log = lava_log_new();

	for (size_t off = 0; off < size; off += chunk) {
		lava_log_feed(log, (const char *)data + off, size - off < chunk ? size - off : chunk);
		drain(log, out);
	}
	lava_log_end(log);
	drain(log, out);
	strbuf_addf(out, "end %s %zu\n", lava_job_end_name(lava_log_job_end(log)), lava_log_bad_lines(log));
	if ((lava_log_job_end(log) == LAVA_JOB_INCOMPLETE || lava_log_job_end(log) == LAVA_JOB_CANCELED) !=
	    (lava_log_error_type(log) != NULL))
		abort();
	add_field(out, lava_log_error_type(log));
	add_field(out, lava_log_error_msg(log));
	lava_log_free(log);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t chunks[] = { 0, 1, 7, 256 };
	struct strbuf first = STRBUF_INIT, other = STRBUF_INIT;

	for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		size_t chunk = chunks[c] ? chunks[c] : (size ? size : 1);

		/* byte by byte is slow on big inputs; small ones cover it */
		if (chunks[c] == 1 && size > 4096)
			continue;
		strbuf_reset(c ? &other : &first);
		run(data, size, chunk, c ? &other : &first);
		if (c && (other.len != first.len || memcmp(other.buf, first.buf, first.len)))
			abort();
	}
	strbuf_release(&first);
	strbuf_release(&other);
	return 0;
}
