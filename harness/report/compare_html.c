/* compare_html: the comparison as an HTML page (see compare_html.h). */
#include "report/compare_html.h"

#include <string.h>

#include <libxml/HTMLtree.h>

#include "report/html_tree.h"
#include "report/report.h"

/* The run report's look (report/html.c), and what a comparison adds. */
static const char style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;max-width:75em}"
	"h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-top:1px solid #ccc;padding-top:1em}"
	"table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .6em;"
	"text-align:left;vertical-align:top}th{background:#f3f3f3}"
	".v{font-weight:bold;padding:0 .4em;border-radius:3px;color:#fff}"
	".v-ok{background:#2e7d32}.v-fail{background:#c62828}.v-error{background:#6a1b9a}"
	".v-timeout{background:#ef6c00}.v-skip{background:#757575}.note{color:#555}"
	"tr.verdict-differs td:first-child{border-left:4px solid #c62828}"
	"td code{white-space:pre-wrap;word-break:break-all}td.absent{color:#757575;font-style:italic}";

/* report/html.c's badge colours; pass has ok's. */
static const char *badge_class(const char *verdict)
{
	static const char *const classes[][2] = {
		{ "pass", "v v-ok" }, { "fail", "v v-fail" }, { "error", "v v-error" }, { "timeout", "v v-timeout" },
	};

	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (!strcmp(verdict, classes[i][0]))
			return classes[i][1];
	return "v v-skip";
}

static void badge(xmlNodePtr parent, const char *verdict)
{
	html_set(html_el(parent, "span", verdict), "class", badge_class(verdict));
}

/* A pair has a section when it has lines under it in the text. */
static int has_section(const struct compare_pair *p)
{
	if (!p->a || !p->b)
		return 0;
	if (p->ndiffs)
		return 1;
	return p->verdict_differs && ((strcmp(p->a->verdict, "pass") && (*p->a->reason || p->a->nfailed)) ||
				      (strcmp(p->b->verdict, "pass") && (*p->b->reason || p->b->nfailed)));
}

static void pair_heading(xmlNodePtr h, const struct compare_pair *p)
{
	const struct compare_run *any = p->a ? p->a : p->b;
	struct strbuf target = STRBUF_INIT;

	compare_pair_target(p, &target);
	html_add_text(h, any->name, strlen(any->name));
	html_elf(h, "span", " [%s] ", target.buf);
	strbuf_release(&target);
}

static void summary_row(xmlNodePtr table, const struct compare_pair *p, size_t idx)
{
	const struct compare_run *any = p->a ? p->a : p->b;
	xmlNodePtr tr = html_el(table, "tr", NULL);
	struct strbuf target = STRBUF_INIT;

	if (p->verdict_differs)
		html_set(tr, "class", "verdict-differs");
	xmlNodePtr name = html_el(tr, "td", has_section(p) ? NULL : any->name);
	if (has_section(p))
		html_setf(html_el(name, "a", any->name), "href", "#pair-%zu", idx + 1);
	compare_pair_target(p, &target);
	html_el(tr, "td", target.buf);
	strbuf_release(&target);
	for (int side = 0; side < 2; side++) {
		const struct compare_run *r = side ? p->b : p->a;
		xmlNodePtr td = html_el(tr, "td", r ? NULL : "(not run)");
		if (r)
			badge(td, r->verdict);
		else
			html_set(td, "class", "absent");
	}
	if (!p->a || !p->b)
		html_elf(tr, "td", "only in %c", p->a ? 'A' : 'B');
	else if (p->no_facts)
		html_elf(tr, "td", "no facts in %c", p->no_facts == 'a' ? 'A' : 'B');
	else
		html_elf(tr, "td", "%zu", p->ndiffs);
}

static void why_block(xmlNodePtr sec, char side, const struct compare_run *r)
{
	if (!strcmp(r->verdict, "pass") || (!*r->reason && !r->nfailed))
		return;
	xmlNodePtr p = html_el(sec, "p", NULL);
	html_elf(p, "strong", "%c: ", side);
	if (*r->reason) {
		html_add_text(p, r->reason, strlen(r->reason));
		return;
	}
	xmlNodePtr ul = html_el(sec, "ul", NULL);
	html_set(ul, "class", "failed");
	html_add_text(p, "failed expectations", 19);
	for (size_t i = 0; i < r->nfailed; i++)
		html_el(html_el(ul, "li", NULL), "code", r->failed[i]);
}

static void value_cell(xmlNodePtr tr, const char *v)
{
	if (!v) {
		html_set(html_el(tr, "td", "(absent)"), "class", "absent");
		return;
	}
	html_el(html_el(tr, "td", NULL), "code", *v ? v : "\"\"");
}

static void pair_section(xmlNodePtr body, const struct compare_pair *p, size_t idx)
{
	xmlNodePtr sec = html_el(body, "section", NULL);
	html_setf(sec, "id", "pair-%zu", idx + 1);
	html_set(sec, "class", p->verdict_differs ? "pair verdict-differs" : "pair");
	xmlNodePtr h = html_el(sec, "h2", NULL);
	pair_heading(h, p);
	badge(h, p->a->verdict);
	html_add_text(h, p->verdict_differs ? " \xe2\x86\x92 " : " ", p->verdict_differs ? 5 : 1);
	badge(h, p->b->verdict);
	if (p->verdict_differs) {
		why_block(sec, 'A', p->a);
		why_block(sec, 'B', p->b);
	}
	if (!p->ndiffs)
		return;
	xmlNodePtr t = html_el(sec, "table", NULL);
	html_set(t, "class", "facts");
	xmlNodePtr tr = html_el(t, "tr", NULL);
	html_el(tr, "th", "fact");
	html_el(tr, "th", "A");
	html_el(tr, "th", "B");
	for (size_t i = 0; i < p->ndiffs; i++) {
		tr = html_el(t, "tr", NULL);
		html_el(html_el(tr, "td", NULL), "code", p->diffs[i].name);
		value_cell(tr, p->diffs[i].a);
		value_cell(tr, p->diffs[i].b);
	}
}

/* The head, and the body's heading, sides and totals; returns the body. */
static xmlNodePtr page_top(xmlNodePtr html, const struct compare_result *res)
{
	xmlNodePtr head = html_el(html, "head", NULL);
	html_set(html_el(head, "meta", NULL), "charset", "utf-8");
	html_el(head, "title", "oomtest compare");
	html_el(head, "style", style);
	xmlNodePtr body = html_el(html, "body", NULL);
	html_el(body, "h1", "oomtest compare");
	xmlNodePtr sides = html_el(body, "p", NULL);
	html_set(sides, "class", "note");
	html_el(sides, "strong", "A: ");
	html_add_text(sides, res->label_a, strlen(res->label_a));
	html_el(sides, "br", NULL);
	html_el(sides, "strong", "B: ");
	html_add_text(sides, res->label_b, strlen(res->label_b));
	if (res->by_name) {
		html_el(sides, "br", NULL);
		html_add_text(sides, "Runs matched by case name.", 26);
	}
	struct strbuf line = STRBUF_INIT;
	compare_summary(res, &line);
	strbuf_addch(&line, '.');
	html_set(html_el(body, "p", line.buf), "id", "totals");
	strbuf_release(&line);
	return body;
}

int compare_html_build(const struct compare_result *res, int all, struct strbuf *out, struct strbuf *err)
{
	htmlDocPtr doc = htmlNewDocNoDtD(NULL, NULL);
	if (!doc) {
		strbuf_addstr(err, "HTML comparison: libxml2 could not start a document");
		return -1;
	}
	xmlCreateIntSubset(doc, X("html"), NULL, NULL);
	xmlNodePtr html = xmlNewNode(NULL, X("html"));
	xmlDocSetRootElement(doc, html);
	html_set(html, "lang", "en");
	xmlNodePtr body = page_top(html, res);

	xmlNodePtr t = html_el(body, "table", NULL);
	html_set(t, "class", "summary");
	xmlNodePtr tr = html_el(t, "tr", NULL);
	static const char *const heads[] = { "case", "target", "A", "B", "facts that differ" };
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		html_el(tr, "th", heads[i]);
	size_t shown = 0;
	for (size_t i = 0; i < res->n; i++)
		if (all || compare_pair_differs(&res->v[i])) {
			summary_row(t, &res->v[i], i);
			shown++;
		}
	if (!shown)
		html_el(body, "p", "Nothing differs.");
	for (size_t i = 0; i < res->n; i++)
		if ((all || compare_pair_differs(&res->v[i])) && has_section(&res->v[i]))
			pair_section(body, &res->v[i], i);

	xmlChar *mem = NULL;
	int size = 0;
	htmlDocDumpMemoryFormat(doc, &mem, &size, 0);
	xmlFreeDoc(doc);
	if (!mem) {
		strbuf_addstr(err, "HTML comparison: libxml2 could not serialise it");
		return -1;
	}
	strbuf_add(out, mem, (size_t)size);
	xmlFree(mem);
	return 0;
}

int compare_html_write(const struct compare_result *res, int all, const char *path, struct strbuf *err)
{
	struct strbuf doc = STRBUF_INIT;
	int ret = compare_html_build(res, all, &doc, err);

	if (!ret && report_write_doc("comparison", path, &doc, err))
		ret = -1;
	strbuf_release(&doc);
	return ret;
}
