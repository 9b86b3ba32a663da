/* report_html: the report model as one self-contained HTML page (index.html
 * in the run directory), built as a libxml2 HTML tree, so every piece of
 * text is escaped by the library (html_tree.c). The page, its summary and
 * each run's section are here; the charts (inline SVG) are html_chart.c's,
 * the console view html_console.c's. There is no script and nothing is
 * fetched. */
#include "report/html.h"

#include <string.h>
#include <time.h>

#include <libxml/HTMLtree.h>

#include "report/html_chart.h"
#include "report/html_console.h"
#include "report/html_tap.h"
#include "report/html_tree.h"
#include "run/results.h"

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
	"svg text{font:10px sans-serif;fill:#333}.note{color:#555}"
	"table.tap td.skip,table.tap td.todo{color:#757575}pre.diag{margin:0;white-space:pre-wrap;font-size:12px}";

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
	xmlNodePtr b = html_el(parent, "span", verdict_word(v));
	html_setf(b, "class", "v v-%s", verdict_word(v));
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
 * bytes that are not UTF-8 (which html_set() would replace, breaking the link). */
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
	html_set(a, "href", href.buf);
	strbuf_release(&href);
}

static void expectations_table(xmlNodePtr parent, const struct report_entry *e)
{
	if (!e->nexpects) {
		html_el(parent, "p", "No expectations apply on this target.");
		return;
	}
	xmlNodePtr t = html_el(parent, "table", NULL);
	html_set(t, "class", "expectations");
	xmlNodePtr tr = html_el(t, "tr", NULL);
	html_el(tr, "th", "line");
	html_el(tr, "th", "expectation");
	html_el(tr, "th", "expected");
	html_el(tr, "th", "seen");
	html_el(tr, "th", "holds");
	for (size_t i = 0; i < e->nexpects; i++) {
		const struct report_expect *x = &e->expects[i];
		tr = html_el(t, "tr", NULL);
		if (x->line)
			html_elf(tr, "td", "%d", x->line);
		else
			html_el(tr, "td", "implied");
		html_el(html_el(tr, "td", NULL), "code", x->text);
		html_el(html_el(tr, "td", NULL), "code", x->expected);
		html_el(html_el(tr, "td", NULL), "code", x->seen ? x->seen : "(not judged: the run did not finish)");
		xmlNodePtr ok = html_el(tr, "td", !x->seen ? "-" : x->ok ? "yes" : "NO");
		if (x->seen)
			html_set(ok, "class", x->ok ? "yes" : "no");
	}
}

static void entry_section(xmlNodePtr body, const struct report *r, size_t idx)
{
	const struct report_entry *e = &r->v[idx];
	xmlNodePtr sec = html_el(body, "section", NULL);
	html_setf(sec, "id", "run-%zu", idx + 1);
	html_setf(sec, "class", "run verdict-%s", verdict_word(e->verdict));
	xmlNodePtr h = html_el(sec, "h2", NULL);
	html_add_text(h, e->name, strlen(e->name));
	html_elf(h, "span", " [%s] ", e->target);
	verdict_badge(h, e->verdict);
	if (e->description)
		html_el(sec, "p", e->description);
	xmlNodePtr meta = html_el(sec, "p", NULL);
	html_set(meta, "class", "note");
	struct strbuf m = STRBUF_INIT;
	strbuf_addf(&m, "case file %s; target %s (%s, %s)", e->case_path, e->target, e->arch, e->release);
	if (e->host)
		strbuf_addf(&m, " on %s", e->host);
	strbuf_addf(&m, "; %.2f s", e->seconds);
	const char *boot = facts_get(&e->facts, "boot.path");
	if (boot)
		strbuf_addf(&m, "; boot %s", boot);
	html_add_text(meta, m.buf, m.len);
	strbuf_release(&m);
	if (*e->reason)
		html_el(html_el(sec, "p", NULL), "strong", e->reason);
	if (!e->dir)
		return;
	const char *rel = rel_dir(r, e);

	html_el(sec, "h3", "Expectations");
	expectations_table(sec, e);
	html_tap_block(sec, e);

	html_el(sec, "h3", "What the kernel did");
	html_events_block(sec, e);

	html_charts(sec, e);

	html_el(sec, "h3", "Console");
	xmlNodePtr links = html_el(sec, "p", NULL);
	static const char *const files[] = { "console.log", "agent.log", "facts.json", "events.json",
					     "memory.tsv", "timeline.tsv", "timeline-events.tsv", "plan.txt",
					     "result.json" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		xmlNodePtr a = html_el(links, "a", files[i]);
		set_file_href(a, rel, files[i]);
		html_add_text(links, " ", 1);
	}
	if (facts_get(&e->facts, "payload.files")) {	/* the run brought files */
		xmlNodePtr a = html_el(links, "a", "payload.txt");
		set_file_href(a, rel, "payload.txt");
	}
	struct strbuf id = STRBUF_INIT;
	strbuf_addf(&id, "run-%zu", idx + 1);
	html_console_block(sec, e, rel, id.buf);
	strbuf_release(&id);
}

static void summary_table(xmlNodePtr body, const struct report *r)
{
	xmlNodePtr t = html_el(body, "table", NULL);
	html_set(t, "class", "summary");
	xmlNodePtr tr = html_el(t, "tr", NULL);
	static const char *const heads[] = { "case", "target", "verdict", "seconds", "OOM events", "killed", "why" };
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		html_el(tr, "th", heads[i]);
	for (size_t i = 0; i < r->n; i++) {
		const struct report_entry *e = &r->v[i];
		tr = html_el(t, "tr", NULL);
		xmlNodePtr a = html_el(html_el(tr, "td", NULL), "a", e->name);
		html_setf(a, "href", "#run-%zu", i + 1);
		html_el(tr, "td", e->target);
		verdict_badge(html_el(tr, "td", NULL), e->verdict);
		html_elf(tr, "td", "%.2f", e->seconds);
		const char *count = facts_get(&e->facts, "oom.count");
		html_el(tr, "td", count ? count : "-");
		struct strbuf victims = STRBUF_INIT, key = STRBUF_INIT;
		for (int k = 1; k <= 5; k++) {
			strbuf_reset(&key);
			strbuf_addf(&key, "oom.%d.victim.comm", k);
			const char *v = facts_get(&e->facts, key.buf);
			if (v)
				strbuf_addf(&victims, "%s%s", victims.len ? ", " : "", v);
		}
		html_el(tr, "td", victims.len ? victims.buf : "-");
		strbuf_release(&victims);
		strbuf_release(&key);
		const char *why = e->reason;
		for (size_t j = 0; !*why && j < e->nexpects; j++)
			if (e->expects[j].seen && !e->expects[j].ok)
				why = e->expects[j].text;
		html_el(tr, "td", why);
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
	html_set(html, "lang", "en");
	xmlNodePtr head = html_el(html, "head", NULL);
	html_set(html_el(head, "meta", NULL), "charset", "utf-8");
	html_elf(head, "title", "oomtest %s", r->run_id);
	html_el(head, "style", style);
	xmlNodePtr body = html_el(html, "body", NULL);
	html_elf(body, "h1", "oomtest run %s", r->run_id);

	char when[32];
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", gmtime(&r->started));
	struct strbuf line = STRBUF_INIT;
	strbuf_addf(&line, "Started %s, %.1f s. %zu of %zu runs reported: %zu ok, %zu fail, %zu error, %zu timeout, "
		    "%zu skip.%s",
		    when, r->seconds, r->n, r->planned, report_count(r, V_PASS), report_count(r, V_FAIL),
		    report_count(r, V_ERROR), report_count(r, V_TIMEOUT), report_count(r, V_SKIP),
		    r->interrupted ? " The run was interrupted." : "");
	xmlNodePtr totals = html_el(body, "p", line.buf);
	html_set(totals, "id", "totals");
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
	return report_build_and_write(r, report_html_build, "HTML", path, err);
}
