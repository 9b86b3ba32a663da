/* libFuzzer target for compare_read.c (report.json read back) and the rest
 * of `oomtest compare` over what it reads. The input is one report.json, or
 * two split at the first 0x1e byte (ASCII record separator). A report that
 * does not parse must say why, naming the file, and leave nothing behind.
 * One that parses is compared with itself: every run pairs with itself and
 * nothing differs. Two that parse are compared both ways: the counts must
 * mirror each other (pairs, verdicts and facts that differ; only in A is
 * only in B the other way). The text must be valid UTF-8 with no control
 * byte but newlines, and the HTML page must parse, with no script and no
 * link out of the page. Anything else aborts. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "lib/utf8.h"
#include "report/compare.h"
#include "report/compare_html.h"
#include "report/compare_read.h"
#include "report/compare_text.h"

#define SEP 0x1e
#define X(s) ((const xmlChar *)(s))

static void check_text(const struct compare_result *res)
{
	struct strbuf out = STRBUF_INIT, clean = STRBUF_INIT;

	compare_text(res, 1, &out);
	utf8_sanitize(&clean, out.buf, out.len, 0);
	if (clean.len != out.len || memcmp(clean.buf, out.buf, out.len))
		abort();
	for (size_t i = 0; i < out.len; i++)
		if (((unsigned char)out.buf[i] < 0x20 && out.buf[i] != '\n') || out.buf[i] == 0x7f)
			abort();
	strbuf_release(&out);
	strbuf_release(&clean);
}

static void check_tree(xmlNodePtr n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!xmlStrcasecmp(n->name, X("script")) || !xmlStrcasecmp(n->name, X("img")) ||
		    !xmlStrcasecmp(n->name, X("iframe")) || !xmlStrcasecmp(n->name, X("link")))
			abort();
		for (xmlAttrPtr a = n->properties; a; a = a->next) {
			if (!strncasecmp((const char *)a->name, "on", 2) || !strcasecmp((const char *)a->name, "src"))
				abort();
			if (!strcasecmp((const char *)a->name, "href")) {
				xmlChar *v = xmlGetProp(n, a->name);
				if (v[0] != '#')
					abort();
				xmlFree(v);
			}
		}
		check_tree(n->children);
	}
}

static void check_html(const struct compare_result *res)
{
	struct strbuf page = STRBUF_INIT, err = STRBUF_INIT;

	if (compare_html_build(res, 1, &page, &err))
		abort();
	htmlDocPtr doc = htmlReadMemory(page.buf, (int)page.len, "compare.html", "UTF-8",
					HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	if (!doc || !xmlDocGetRootElement(doc))
		abort();
	check_tree(xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
	strbuf_release(&page);
	strbuf_release(&err);
}

static size_t total_diffs(const struct compare_result *res)
{
	size_t n = 0;
	for (size_t i = 0; i < res->n; i++)
		n += res->v[i].ndiffs;
	return n;
}

/* Parses a report; a failure must be explained and leave r empty. */
static int parse(struct compare_report *r, const char *path, const char *text, size_t len)
{
	struct strbuf err = STRBUF_INIT;
	int rc = compare_parse_report(r, path, text, len, &err);

	if (rc && (strncmp(err.buf, path, strlen(path)) || err.len <= strlen(path) + 2 || r->v || r->path || r->n))
		abort();
	if (!rc && (!r->path || !r->run_id))
		abort();
	for (size_t i = 0; !rc && i < r->n; i++)
		if (!r->v[i].name || !r->v[i].target || !r->v[i].verdict || !r->v[i].reason || !r->v[i].arch)
			abort();
	strbuf_release(&err);
	return rc;
}

static void self_compare(const struct compare_report *r, const struct compare_options *opt)
{
	struct compare_result res;

	compare_reports(&res, r, r, opt);
	if (res.pairs != r->n || res.verdicts_differ || res.facts_differ || res.only_a || res.only_b ||
	    total_diffs(&res))
		abort();
	check_text(&res);
	check_html(&res);
	compare_result_release(&res);
}

static void both_ways(const struct compare_report *a, const struct compare_report *b,
		      const struct compare_options *opt)
{
	struct compare_result ab, ba;

	compare_reports(&ab, a, b, opt);
	compare_reports(&ba, b, a, opt);
	if (ab.pairs != ba.pairs || ab.verdicts_differ != ba.verdicts_differ || ab.facts_differ != ba.facts_differ ||
	    ab.only_a != ba.only_b || ab.only_b != ba.only_a || ab.by_name != ba.by_name ||
	    total_diffs(&ab) != total_diffs(&ba) || ab.n != ba.n)
		abort();
	check_text(&ab);
	check_html(&ab);
	compare_result_release(&ab);
	compare_result_release(&ba);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *sep = memchr(text, SEP, size);
	size_t len_a = sep ? (size_t)(sep - text) : size;
	struct compare_report a, b;
	struct compare_options opt = { .timing = size & 1 };

	int ok_a = !parse(&a, "a/report.json", text, len_a);
	int ok_b = sep && !parse(&b, "b/report.json", sep + 1, size - len_a - 1);
	if (ok_a)
		self_compare(&a, &opt);
	if (ok_a && ok_b)
		both_ways(&a, &b, &opt);
	if (ok_a)
		compare_report_release(&a);
	if (ok_b)
		compare_report_release(&b);
	return 0;
}
