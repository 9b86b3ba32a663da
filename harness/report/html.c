/* report_html: the report model as one self-contained HTML page (index.html
 * in the run directory), built as a libxml2 HTML tree, so every piece of
 * text is escaped by the library. Charts are inline SVG; there is no script
 * and nothing is fetched. */
#include "report/html.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>

#include "klog/klog.h"
#include "run/results.h"
#include "lib/utf8.h"

#define X(s) ((const xmlChar *)(s))

static const char style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;max-width:75em}"
	"h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-top:1px solid #ccc;padding-top:1em}"
	"h3{font-size:1em;margin:1.2em 0 .4em}"
	"table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .6em;"
	"text-align:left;vertical-align:top}th{background:#f3f3f3}"
	".v{font-weight:bold;padding:0 .4em;border-radius:3px;color:#fff}"
	".v-ok{background:#2e7d32}.v-fail{background:#c62828}.v-error{background:#6a1b9a}"
	".v-timeout{background:#ef6c00}.v-skip{background:#757575}"
	"td.no{color:#c62828;font-weight:bold}td.yes{color:#2e7d32}"
	".event{white-space:pre-wrap;background:#fafafa;border-left:4px solid #c62828;padding:.4em .8em}"
	"pre.console{background:#111;color:#ddd;padding:.6em;overflow:auto;max-height:40em;font-size:12px}"
	"pre.console mark{background:#5c1a1a;color:#fff}"
	".charts{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0}figcaption{font-size:12px;color:#555}"
	"svg text{font:10px sans-serif;fill:#333}.note{color:#555}";

static const char *const snap_colors[] = { "#1e88e5", "#e53935", "#43a047", "#8e24aa" };
static const char *const line_colors[] = { "#1e88e5", "#e53935", "#43a047", "#fb8c00", "#8e24aa" };

/* ---- tree helpers: every string is made valid for XML first ---- */

static xmlNodePtr el(xmlNodePtr parent, const char *tag, const char *text)
{
	char *clean = text ? utf8_dup(text, UTF8_XML) : NULL;
	xmlNodePtr n = xmlNewChild(parent, NULL, X(tag), NULL);
	if (clean)
		xmlAddChild(n, xmlNewText(X(clean)));
	free(clean);
	return n;
}

static void add_text(xmlNodePtr parent, const char *s, size_t len)
{
	struct strbuf clean = STRBUF_INIT;
	utf8_sanitize(&clean, s, len, UTF8_XML);
	xmlAddChild(parent, xmlNewTextLen(X(clean.buf), (int)clean.len));
	strbuf_release(&clean);
}

static void set(xmlNodePtr n, const char *name, const char *value)
{
	char *clean = utf8_dup(value, UTF8_XML);
	xmlSetProp(n, X(name), X(clean));
	free(clean);
}

static void setf(xmlNodePtr n, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void setf(xmlNodePtr n, const char *name, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	set(n, name, sb.buf);
	strbuf_release(&sb);
}

static xmlNodePtr elf(xmlNodePtr parent, const char *tag, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static xmlNodePtr elf(xmlNodePtr parent, const char *tag, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	xmlNodePtr n = el(parent, tag, sb.buf);
	strbuf_release(&sb);
	return n;
}

static const char *verdict_word(enum verdict v)
{
	switch (v) {
	case V_PASS: return "ok";
	case V_FAIL: return "fail";
	case V_ERROR: return "error";
	case V_TIMEOUT: return "timeout";
	default: return "skip";
	}
}

static void verdict_badge(xmlNodePtr parent, enum verdict v)
{
	xmlNodePtr b = el(parent, "span", verdict_word(v));
	setf(b, "class", "v v-%s", verdict_word(v));
}

/* The entry's directory relative to the report (both under run_dir). */
static const char *rel_dir(const struct report *r, const struct report_entry *e)
{
	size_t n = strlen(r->run_dir);
	if (!strncmp(e->dir, r->run_dir, n) && e->dir[n] == '/')
		return e->dir + n + 1;
	return e->dir;
}

/* A link to one of the entry's files: its directory percent-encoded byte by
 * byte but for '/' and the unreserved characters. The directory is named
 * after the case, and a case file may be named "javascript:x.case" (a
 * scheme, not a path, unless ':' is encoded), or hold '#', '?', '%' or
 * bytes that are not UTF-8 (which set() would replace, breaking the link). */
static void set_file_href(xmlNodePtr a, const char *rel, const char *file)
{
	static const char hex[] = "0123456789ABCDEF";
	struct strbuf href = STRBUF_INIT;

	for (const unsigned char *p = (const unsigned char *)rel; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '.' || *p == '_' || *p == '~' || *p == '/')
			strbuf_addch(&href, (char)*p);
		else
			strbuf_addf(&href, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
	strbuf_addf(&href, "/%s", file);
	set(a, "href", href.buf);
	strbuf_release(&href);
}

/* ---- charts ---- */

struct series {
	char *name;
	double v[11];
	int have;
};

/* buddyinfo.SNAP.ZONE.orderK facts -> per zone, per snapshot, 11 orders */
struct zone_chart {
	char *zone;
	struct series *snaps;
	size_t nsnaps;
};

static struct series *find_series(struct zone_chart *z, const char *snap)
{
	for (size_t i = 0; i < z->nsnaps; i++)
		if (!strcmp(z->snaps[i].name, snap))
			return &z->snaps[i];
	z->snaps = xrealloc(z->snaps, (z->nsnaps + 1) * sizeof(*z->snaps));
	memset(&z->snaps[z->nsnaps], 0, sizeof(*z->snaps));
	z->snaps[z->nsnaps].name = xstrdup(snap);
	return &z->snaps[z->nsnaps++];
}

static size_t buddy_charts(const struct facts *f, struct zone_chart **out)
{
	struct zone_chart *zs = NULL;
	size_t nz = 0;

	for (size_t i = 0; i < f->n; i++) {
		const char *name = f->v[i].name;
		if (strncmp(name, "buddyinfo.", 10))
			continue;
		/* SNAP.ZONE.orderK, not SNAP.orderK (the sum) nor SNAP.nodeN.ZONE.orderK */
		char *copy = xstrdup(name + 10);
		char *dot1 = strchr(copy, '.'), *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
		int k;
		if (dot1 && dot2 && !strchr(dot2 + 1, '.') && sscanf(dot2 + 1, "order%d", &k) == 1 && k >= 0 &&
		    k <= 10) {
			*dot1 = *dot2 = '\0';
			const char *zone = dot1 + 1;
			struct zone_chart *z = NULL;
			for (size_t j = 0; j < nz; j++)
				if (!strcmp(zs[j].zone, zone))
					z = &zs[j];
			if (!z) {
				zs = xrealloc(zs, (nz + 1) * sizeof(*zs));
				z = &zs[nz++];
				memset(z, 0, sizeof(*z));
				z->zone = xstrdup(zone);
			}
			struct series *s = find_series(z, copy);
			s->v[k] = strtod(f->v[i].value, NULL);
			s->have |= 1 << k;
		}
		free(copy);
	}
	*out = zs;
	return nz;
}

static void free_charts(struct zone_chart *zs, size_t nz)
{
	for (size_t i = 0; i < nz; i++) {
		for (size_t j = 0; j < zs[i].nsnaps; j++)
			free(zs[i].snaps[j].name);
		free(zs[i].snaps);
		free(zs[i].zone);
	}
	free(zs);
}

static xmlNodePtr svg_text(xmlNodePtr svg, double x, double y, const char *anchor, const char *s)
{
	xmlNodePtr t = el(svg, "text", s);
	setf(t, "x", "%.1f", x);
	setf(t, "y", "%.1f", y);
	if (anchor)
		set(t, "text-anchor", anchor);
	return t;
}

static xmlNodePtr svg_line(xmlNodePtr svg, double x1, double y1, double x2, double y2)
{
	xmlNodePtr l = el(svg, "line", NULL);
	setf(l, "x1", "%.1f", x1);
	setf(l, "y1", "%.1f", y1);
	setf(l, "x2", "%.1f", x2);
	setf(l, "y2", "%.1f", y2);
	set(l, "stroke", "#999");
	return l;
}

/* A <figure> of class `cls` holding a W x H <svg> with its two axes;
 * returns the svg. */
static xmlNodePtr chart_open(xmlNodePtr parent, const char *cls, double W, double H, double left, double bottom,
			     double top, double right, const char *label, xmlNodePtr *fig)
{
	*fig = el(parent, "figure", NULL);
	set(*fig, "class", cls);
	xmlNodePtr svg = el(*fig, "svg", NULL);
	set(svg, "xmlns", "http://www.w3.org/2000/svg");
	setf(svg, "width", "%.0f", W);
	setf(svg, "height", "%.0f", H);
	setf(svg, "viewBox", "0 0 %.0f %.0f", W, H);
	set(svg, "role", "img");
	set(svg, "aria-label", label);
	svg_line(svg, left, H - bottom, W - right, H - bottom);
	svg_line(svg, left, top, left, H - bottom);
	return svg;
}

/* One zone: free blocks per order, a bar per snapshot, on a log scale
 * (order-0 counts are thousands, order-10 ones a handful). */
static void buddy_chart(xmlNodePtr parent, const struct zone_chart *z)
{
	const double W = 420, H = 200, left = 40, bottom = 30, top = 14;
	double max = 1;
	for (size_t s = 0; s < z->nsnaps; s++)
		for (int k = 0; k < 11; k++)
			max = z->snaps[s].v[k] > max ? z->snaps[s].v[k] : max;
	double lmax = log10(max + 1);
	size_t ns = z->nsnaps > 4 ? 4 : z->nsnaps;

	struct strbuf label = STRBUF_INIT;
	strbuf_addf(&label, "free blocks per order, zone %s", z->zone);
	xmlNodePtr fig, svg = chart_open(parent, "chart buddy", W, H, left, bottom, top, 10, label.buf, &fig);
	strbuf_release(&label);
	double plot_h = H - bottom - top, slot = (W - left - 10) / 11;
	for (double d = 1; d <= max * 10 && d <= 1e9; d *= 10) {
		double y = H - bottom - log10(d + 1) / lmax * plot_h;
		if (y < top - 1)
			break;
		char lab[32];
		snprintf(lab, sizeof(lab), "%.0f", d);
		svg_text(svg, left - 4, y + 3, "end", lab);
		svg_line(svg, left - 2, y, left, y);
	}
	for (int k = 0; k < 11; k++) {
		char lab[16];
		snprintf(lab, sizeof(lab), "%d", k);
		svg_text(svg, left + slot * k + slot / 2, H - bottom + 12, "middle", lab);
		for (size_t s = 0; s < ns; s++) {
			double v = z->snaps[s].v[k];
			double h = log10(v + 1) / lmax * plot_h;
			double bw = (slot - 4) / (double)ns;
			xmlNodePtr rect = el(svg, "rect", NULL);
			set(rect, "class", "bar");
			setf(rect, "x", "%.1f", left + slot * k + 2 + bw * (double)s);
			setf(rect, "y", "%.1f", H - bottom - h);
			setf(rect, "width", "%.1f", bw);
			setf(rect, "height", "%.1f", h);
			set(rect, "fill", snap_colors[s]);
			elf(rect, "title", "%s, order %d: %.0f free blocks", z->snaps[s].name, k, v);
		}
	}
	svg_text(svg, left + (W - left) / 2, H - 2, "middle", "order");
	xmlNodePtr cap = el(fig, "figcaption", NULL);
	elf(cap, "b", "zone %s", z->zone);
	add_text(cap, ": free blocks per order (log scale); ", strlen(": free blocks per order (log scale); "));
	for (size_t s = 0; s < ns; s++) {
		xmlNodePtr sw = el(cap, "span", "\xe2\x96\xa0 ");
		setf(sw, "style", "color:%s", snap_colors[s]);
		add_text(cap, z->snaps[s].name, strlen(z->snaps[s].name));
		add_text(cap, " ", 1);
	}
}

/* The steps' resident memory over time, as the agent sampled it. */
static void memory_chart(xmlNodePtr parent, const struct report_entry *e)
{
	const double W = 560, H = 220, left = 64, bottom = 30, top = 12, right = 24;
	unsigned long long tmax = 1, kmax = 1;
	char *steps[5];
	size_t nsteps = 0;

	for (size_t i = 0; i < e->nsamples; i++) {
		tmax = e->samples[i].ms > tmax ? e->samples[i].ms : tmax;
		kmax = e->samples[i].rss_kb > kmax ? e->samples[i].rss_kb : kmax;
		size_t j = 0;
		while (j < nsteps && strcmp(steps[j], e->samples[i].step))
			j++;
		if (j == nsteps && nsteps < 5)
			steps[nsteps++] = e->samples[i].step;
	}
	xmlNodePtr fig, svg = chart_open(parent, "chart memory", W, H, left, bottom, top, right,
					 "resident memory of the steps over time", &fig);
	double pw = W - left - right, ph = H - bottom - top;
	for (int i = 0; i <= 4; i++) {
		char lab[32];
		double y = H - bottom - ph * i / 4;
		if (kmax >= 10240)
			snprintf(lab, sizeof(lab), "%.1f MiB", (double)kmax * i / 4 / 1024);
		else
			snprintf(lab, sizeof(lab), "%.0f kB", (double)kmax * i / 4);
		svg_text(svg, left - 4, y + 3, "end", lab);
		snprintf(lab, sizeof(lab), "%.2f s", (double)tmax * i / 4 / 1000);
		svg_text(svg, left + pw * i / 4, H - bottom + 12, "middle", lab);
	}
	for (size_t j = 0; j < nsteps; j++) {
		struct strbuf pts = STRBUF_INIT;
		size_t n = 0;
		for (size_t i = 0; i < e->nsamples; i++)
			if (!strcmp(e->samples[i].step, steps[j])) {
				double x = left + pw * (double)e->samples[i].ms / (double)tmax;
				double y = H - bottom - ph * (double)e->samples[i].rss_kb / (double)kmax;
				strbuf_addf(&pts, "%s%.1f,%.1f", n++ ? " " : "", x, y);
				xmlNodePtr c = el(svg, "circle", NULL);
				set(c, "class", "point");
				setf(c, "cx", "%.1f", x);
				setf(c, "cy", "%.1f", y);
				set(c, "r", "2.5");
				set(c, "fill", line_colors[j]);
				elf(c, "title", "%s at %.3f s: %llu kB", steps[j], (double)e->samples[i].ms / 1000,
				    e->samples[i].rss_kb);
			}
		xmlNodePtr pl = el(svg, "polyline", NULL);
		set(pl, "points", pts.buf);
		set(pl, "fill", "none");
		set(pl, "stroke", line_colors[j]);
		set(pl, "stroke-width", "1.5");
		strbuf_release(&pts);
	}
	xmlNodePtr cap = el(fig, "figcaption", "resident memory (VmRSS) of each step over time since the plan began: ");
	for (size_t j = 0; j < nsteps; j++) {
		xmlNodePtr sw = el(cap, "span", "\xe2\x96\xa0 ");
		setf(sw, "style", "color:%s", line_colors[j]);
		add_text(cap, steps[j], strlen(steps[j]));
		add_text(cap, " ", 1);
	}
}

/* ---- console ---- */

struct range {
	long first, last;
};

/* Each OOM report's lines: its first line to its last kill line (or the
 * first line alone). */
static size_t oom_ranges(const char *events_json, struct range **out)
{
	json_object *doc = events_json ? json_tokener_parse(events_json) : NULL, *evs;
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
		to = el(pre, "mark", NULL);
		set(to, "class", "oom");
		if (first_line == rs[in - 1].first)
			setf(to, "id", "%s-oom-%zu", id, in);
	}
	add_text(to, s, len);
}

static void console_block(xmlNodePtr parent, const struct report_entry *e, const char *rel, const char *id)
{
	struct strbuf log = STRBUF_INIT;
	struct range *rs = NULL;
	int cut = report_read_log(e, "console.log", REPORT_HTML_CONSOLE_MAX, &log);
	size_t nr = cut ? 0 : oom_ranges(e->events_json, &rs);

	if (cut)
		elf(parent, "p", "Only the last %u bytes of the console are shown; the whole log is %s/console.log.",
		    REPORT_HTML_CONSOLE_MAX, rel);
	if (nr) {
		xmlNodePtr jump = el(parent, "p", NULL);
		for (size_t i = 0; i < nr; i++) {
			xmlNodePtr a = elf(jump, "a", "OOM report %zu (console line %ld)", i + 1, rs[i].first);
			setf(a, "href", "#%s-oom-%zu", id, i + 1);
			add_text(jump, " ", 1);
		}
	}
	xmlNodePtr pre = el(parent, "pre", NULL);
	set(pre, "class", "console");
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
static void events_block(xmlNodePtr parent, const struct report_entry *e)
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
		xmlNodePtr d = el(parent, "div", NULL);
		set(d, "class", strncmp(p, "OOM event", 9) ? "event other" : "event oom");
		add_text(d, p, len);
		p += len + (para ? 1 : 0);
	}
	klog_free(k);
	strbuf_release(&log);
	strbuf_release(&text);
}

static void expectations_table(xmlNodePtr parent, const struct report_entry *e)
{
	if (!e->nexpects) {
		el(parent, "p", "No expectations apply on this target.");
		return;
	}
	xmlNodePtr t = el(parent, "table", NULL);
	set(t, "class", "expectations");
	xmlNodePtr tr = el(t, "tr", NULL);
	el(tr, "th", "line");
	el(tr, "th", "expectation");
	el(tr, "th", "expected");
	el(tr, "th", "seen");
	el(tr, "th", "holds");
	for (size_t i = 0; i < e->nexpects; i++) {
		const struct report_expect *x = &e->expects[i];
		tr = el(t, "tr", NULL);
		if (x->line)
			elf(tr, "td", "%d", x->line);
		else
			el(tr, "td", "implied");
		el(el(tr, "td", NULL), "code", x->text);
		el(el(tr, "td", NULL), "code", x->expected);
		el(el(tr, "td", NULL), "code", x->seen ? x->seen : "(not judged: the run did not finish)");
		xmlNodePtr ok = el(tr, "td", !x->seen ? "-" : x->ok ? "yes" : "NO");
		if (x->seen)
			set(ok, "class", x->ok ? "yes" : "no");
	}
}

static void entry_section(xmlNodePtr body, const struct report *r, size_t idx)
{
	const struct report_entry *e = &r->v[idx];
	xmlNodePtr sec = el(body, "section", NULL);
	setf(sec, "id", "run-%zu", idx + 1);
	setf(sec, "class", "run verdict-%s", verdict_word(e->verdict));
	xmlNodePtr h = el(sec, "h2", NULL);
	add_text(h, e->name, strlen(e->name));
	elf(h, "span", " [%s] ", e->target);
	verdict_badge(h, e->verdict);
	if (e->description)
		el(sec, "p", e->description);
	xmlNodePtr meta = el(sec, "p", NULL);
	set(meta, "class", "note");
	struct strbuf m = STRBUF_INIT;
	strbuf_addf(&m, "case file %s; target %s (%s, %s)", e->case_path, e->target, e->arch, e->release);
	if (e->host)
		strbuf_addf(&m, " on %s", e->host);
	strbuf_addf(&m, "; %.2f s", e->seconds);
	const char *boot = facts_get(&e->facts, "boot.path");
	if (boot)
		strbuf_addf(&m, "; boot %s", boot);
	add_text(meta, m.buf, m.len);
	strbuf_release(&m);
	if (*e->reason)
		el(el(sec, "p", NULL), "strong", e->reason);
	if (!e->dir)
		return;
	const char *rel = rel_dir(r, e);

	el(sec, "h3", "Expectations");
	expectations_table(sec, e);

	el(sec, "h3", "What the kernel did");
	events_block(sec, e);

	struct zone_chart *zs;
	size_t nz = buddy_charts(&e->facts, &zs);
	el(sec, "h3", "Free memory by order (/proc/buddyinfo)");
	if (nz) {
		xmlNodePtr charts = el(sec, "div", NULL);
		set(charts, "class", "charts");
		for (size_t i = 0; i < nz; i++)
			buddy_chart(charts, &zs[i]);
	} else {
		el(sec, "p", "The case collected no buddyinfo snapshot (collect = buddyinfo).");
	}
	free_charts(zs, nz);

	el(sec, "h3", "Memory of the steps over time");
	if (e->nsamples)
		memory_chart(sec, e);
	else
		el(sec, "p", "No samples: no step ran long enough to be sampled (every 25 ms while the plan waits).");

	el(sec, "h3", "Console");
	xmlNodePtr links = el(sec, "p", NULL);
	static const char *const files[] = { "console.log", "agent.log", "facts.json", "events.json",
					     "memory.tsv", "plan.txt", "result.json" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		xmlNodePtr a = el(links, "a", files[i]);
		set_file_href(a, rel, files[i]);
		add_text(links, " ", 1);
	}
	struct strbuf id = STRBUF_INIT;
	strbuf_addf(&id, "run-%zu", idx + 1);
	console_block(sec, e, rel, id.buf);
	strbuf_release(&id);
}

static void summary_table(xmlNodePtr body, const struct report *r)
{
	xmlNodePtr t = el(body, "table", NULL);
	set(t, "class", "summary");
	xmlNodePtr tr = el(t, "tr", NULL);
	static const char *const heads[] = { "case", "target", "verdict", "seconds", "OOM events", "killed", "why" };
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		el(tr, "th", heads[i]);
	for (size_t i = 0; i < r->n; i++) {
		const struct report_entry *e = &r->v[i];
		tr = el(t, "tr", NULL);
		xmlNodePtr a = el(el(tr, "td", NULL), "a", e->name);
		setf(a, "href", "#run-%zu", i + 1);
		el(tr, "td", e->target);
		verdict_badge(el(tr, "td", NULL), e->verdict);
		elf(tr, "td", "%.2f", e->seconds);
		const char *count = facts_get(&e->facts, "oom.count");
		el(tr, "td", count ? count : "-");
		struct strbuf victims = STRBUF_INIT, key = STRBUF_INIT;
		for (int k = 1; k <= 5; k++) {
			strbuf_reset(&key);
			strbuf_addf(&key, "oom.%d.victim.comm", k);
			const char *v = facts_get(&e->facts, key.buf);
			if (v)
				strbuf_addf(&victims, "%s%s", victims.len ? ", " : "", v);
		}
		el(tr, "td", victims.len ? victims.buf : "-");
		strbuf_release(&victims);
		strbuf_release(&key);
		const char *why = e->reason;
		for (size_t j = 0; !*why && j < e->nexpects; j++)
			if (e->expects[j].seen && !e->expects[j].ok)
				why = e->expects[j].text;
		el(tr, "td", why);
	}
}

int report_html_build(const struct report *r, struct strbuf *out, struct strbuf *err)
{
	htmlDocPtr doc = htmlNewDocNoDtD(NULL, NULL);
	if (!doc) {
		strbuf_addstr(err, "HTML report: libxml2 could not start a document");
		return -1;
	}
	xmlCreateIntSubset(doc, X("html"), NULL, NULL);
	xmlNodePtr html = xmlNewNode(NULL, X("html"));
	xmlDocSetRootElement(doc, html);
	set(html, "lang", "en");
	xmlNodePtr head = el(html, "head", NULL);
	set(el(head, "meta", NULL), "charset", "utf-8");
	elf(head, "title", "oomtest %s", r->run_id);
	el(head, "style", style);
	xmlNodePtr body = el(html, "body", NULL);
	elf(body, "h1", "oomtest run %s", r->run_id);

	char when[32];
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", gmtime(&r->started));
	struct strbuf line = STRBUF_INIT;
	strbuf_addf(&line, "Started %s, %.1f s. %zu of %zu runs reported: %zu ok, %zu fail, %zu error, %zu timeout, "
		    "%zu skip.%s",
		    when, r->seconds, r->n, r->planned, report_count(r, V_PASS), report_count(r, V_FAIL),
		    report_count(r, V_ERROR), report_count(r, V_TIMEOUT), report_count(r, V_SKIP),
		    r->interrupted ? " The run was interrupted." : "");
	xmlNodePtr totals = el(body, "p", line.buf);
	set(totals, "id", "totals");
	strbuf_release(&line);
	summary_table(body, r);
	for (size_t i = 0; i < r->n; i++)
		entry_section(body, r, i);

	xmlChar *mem = NULL;
	int size = 0;
	htmlDocDumpMemoryFormat(doc, &mem, &size, 0);
	xmlFreeDoc(doc);
	if (!mem) {
		strbuf_addstr(err, "HTML report: libxml2 could not serialise it");
		return -1;
	}
	strbuf_add(out, mem, (size_t)size);
	xmlFree(mem);
	return 0;
}

int report_html_write(const struct report *r, const char *path, struct strbuf *err)
{
	struct strbuf doc = STRBUF_INIT;
	int ret = report_html_build(r, &doc, err);

	if (!ret && (ret = fs_write_atomic(path, doc.buf, doc.len))) {
		strbuf_addf(err, "writing the HTML report %s: %s", path, strerror(-ret));
		ret = -1;
	}
	strbuf_release(&doc);
	return ret;
}
