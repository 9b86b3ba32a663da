/* html_console: the HTML report's console view (the log with each OOM
 * report marked and linked) and the parser's account of the events. */
#include "report/html_console.h"

#include <stdlib.h>
#include <string.h>

#include "klog/klog.h"
#include "lib/json.h"
#include "report/html.h"
#include "report/html_tree.h"

struct range {
	long first, last;
};

/* Each OOM report's lines: its first line to its last kill line (or the
 * first line alone). */
static size_t oom_ranges(const char *events_json, struct range **out)
{
	struct strbuf err = STRBUF_INIT;
	json_object *doc = events_json ? json_parse(events_json, strlen(events_json), &err) : NULL, *evs;
	struct range *rs = NULL;
	size_t n = 0;

	if (doc && json_object_object_get_ex(doc, "oom_events", &evs) && json_object_is_type(evs, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(evs); i++) {
			json_object *ev = json_object_array_get_idx(evs, i), *v, *kills;
			if (!json_object_object_get_ex(ev, "line", &v))
				continue;
			struct range r = { json_object_get_int64(v), json_object_get_int64(v) };
			if (json_object_object_get_ex(ev, "kills", &kills) && json_object_is_type(kills, json_type_array))
				for (size_t k = 0; k < json_object_array_length(kills); k++)
					if (json_object_object_get_ex(json_object_array_get_idx(kills, k), "line", &v) &&
					    json_object_get_int64(v) > r.last)
						r.last = json_object_get_int64(v);
			rs = xrealloc(rs, (n + 1) * sizeof(*rs));
			rs[n++] = r;
		}
	}
	json_object_put(doc);
	strbuf_release(&err);
	*out = rs;
	return n;
}

/* The OOM report a console line is part of (1-based; 0: none): of those
 * whose lines hold it, the one begun last, so that a report printed right
 * after the previous one's kill line gets a <mark> (and anchor) of its own. */
static size_t range_of(const struct range *rs, size_t n, long line)
{
	size_t which = 0;
	for (size_t i = 0; i < n; i++)
		if (line >= rs[i].first && line <= rs[i].last && (!which || rs[i].first >= rs[which - 1].first))
			which = i + 1;
	return which;
}

/* One run of console lines: plain text, or a <mark> of report `in`, with
 * the anchor its link jumps to where the report begins. */
static void console_run(xmlNodePtr pre, const char *s, size_t len, const struct range *rs, size_t in,
			long first_line, const char *id)
{
	xmlNodePtr to = pre;
	if (in) {
		to = html_el(pre, "mark", NULL);
		html_set(to, "class", "oom");
		if (first_line == rs[in - 1].first)
			html_setf(to, "id", "%s-oom-%zu", id, in);
	}
	html_add_text(to, s, len);
}

void html_console_block(xmlNodePtr parent, const struct report_entry *e, const char *rel, const char *id)
{
	struct strbuf log = STRBUF_INIT;
	struct range *rs = NULL;
	int cut = report_read_log(e, "console.log", REPORT_HTML_CONSOLE_MAX, &log);
	size_t nr = cut ? 0 : oom_ranges(e->events_json, &rs);

	if (cut)
		html_elf(parent, "p", "Only the last %u bytes of the console are shown; the whole log is %s/console.log.",
		    REPORT_HTML_CONSOLE_MAX, rel);
	if (nr) {
		xmlNodePtr jump = html_el(parent, "p", NULL);
		for (size_t i = 0; i < nr; i++) {
			xmlNodePtr a = html_elf(jump, "a", "OOM report %zu (console line %ld)", i + 1, rs[i].first);
			html_setf(a, "href", "#%s-oom-%zu", id, i + 1);
			html_add_text(jump, " ", 1);
		}
	}
	xmlNodePtr pre = html_el(parent, "pre", NULL);
	html_set(pre, "class", "console");
	/* runs of plain lines become one text node; each OOM report's lines a <mark> */
	long line = 1, run_line = 1;
	const char *p = log.buf, *end = log.buf + log.len, *run = p;
	size_t run_in = range_of(rs, nr, 1);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : end;
		size_t in = range_of(rs, nr, line);
		if (in != run_in) {
			if (p > run)
				console_run(pre, run, (size_t)(p - run), rs, run_in, run_line, id);
			run = p;
			run_in = in;
			run_line = line;
		}
		p = next;
		line++;
	}
	if (end > run)
		console_run(pre, run, (size_t)(end - run), rs, run_in, run_line, id);
	free(rs);
	strbuf_release(&log);
}

/* The parser's plain-words account of each OOM event, from the console. */
void html_events_block(xmlNodePtr parent, const struct report_entry *e)
{
	struct strbuf log = STRBUF_INIT, text = STRBUF_INIT;
	struct klog *k = klog_new();

	report_read_log(e, "console.log", (size_t)-1, &log);
	klog_feed(k, log.buf, log.len);
	klog_end(k);
	klog_to_text(k, &text);
	/* one block per paragraph */
	const char *p = text.buf;
	while (*p) {
		const char *para = strstr(p, "\n\n");
		size_t len = para ? (size_t)(para - p) + 1 : strlen(p);
		xmlNodePtr d = html_el(parent, "div", NULL);
		html_set(d, "class", strncmp(p, "OOM event", 9) ? "event other" : "event oom");
		html_add_text(d, p, len);
		p += len + (para ? 1 : 0);
	}
	klog_free(k);
	strbuf_release(&log);
	strbuf_release(&text);
}
