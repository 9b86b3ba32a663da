/* Tests for report/compare_html.c: the page parsed back with libxml2's HTML
 * parser (its summary rows and fact rows, hostile text escaped, nothing
 * fetched), and written atomically. */
#include "fixtures/compare/compare_fixture.h"

#include <dirent.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "report/compare_html.h"

#define X(s) ((const xmlChar *)(s))

static int has_class(xmlNodePtr n, const char *cls)
{
	xmlChar *v = xmlGetProp(n, X("class"));
	int found = 0;
	if (v) {
		char *save = NULL, *copy = xstrdup((const char *)v);
		for (char *w = strtok_r(copy, " ", &save); w && !found; w = strtok_r(NULL, " ", &save))
			found = !strcmp(w, cls);
		free(copy);
	}
	xmlFree(v);
	return found;
}

/* The elements <tag> (of class cls, when given) among the nodes from n on
 * and below them, in document order, up to max of them into out; returns
 * how many there are. */
static size_t collect_from(xmlNodePtr n, const char *tag, const char *cls, xmlNodePtr *out, size_t max)
{
	size_t count = 0;
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!xmlStrcasecmp(n->name, X(tag)) && (!cls || has_class(n, cls))) {
			if (count < max)
				out[count] = n;
			count++;
		}
		count += collect_from(n->children, tag, cls, count < max ? out + count : NULL,
				      count < max ? max - count : 0);
	}
	return count;
}

/* The same below the element parent. */
static size_t collect(xmlNodePtr parent, const char *tag, const char *cls, xmlNodePtr *out, size_t max)
{
	return collect_from(parent->children, tag, cls, out, max);
}

static size_t count(xmlNodePtr n, const char *tag, const char *cls)
{
	return collect(n, tag, cls, NULL, 0);
}

static xmlNodePtr first(xmlNodePtr n, const char *tag, const char *cls)
{
	xmlNodePtr found = NULL;
	collect(n, tag, cls, &found, 1);
	assert_non_null(found);
	return found;
}

/* The text of the node, to be free()d. */
static char *text(xmlNodePtr n)
{
	xmlChar *t = xmlNodeGetContent(n);
	char *copy = xstrdup((const char *)t);
	xmlFree(t);
	return copy;
}

static void expect_text(xmlNodePtr n, const char *want)
{
	char *t = text(n);
	assert_string_equal(t, want);
	free(t);
}

static htmlDocPtr parse(const struct strbuf *page)
{
	htmlDocPtr doc = htmlReadMemory(page->buf, (int)page->len, "compare.html", "UTF-8",
					HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	assert_non_null(doc);
	assert_non_null(xmlDocGetRootElement(doc));
	return doc;
}

/* No script, no event handler, nothing fetched: links are fragments. */
static void expect_self_contained(xmlNodePtr n)
{
	static const char *const banned[] = { "script", "iframe", "img", "object", "embed", "link" };
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (size_t i = 0; i < sizeof(banned) / sizeof(banned[0]); i++)
			assert_int_not_equal(xmlStrcasecmp(n->name, X(banned[i])), 0);
		for (xmlAttrPtr a = n->properties; a; a = a->next) {
			assert_int_not_equal(strncasecmp((const char *)a->name, "on", 2), 0);
			assert_int_not_equal(strcasecmp((const char *)a->name, "src"), 0);
			if (!strcasecmp((const char *)a->name, "href")) {
				xmlChar *v = xmlGetProp(n, a->name);
				assert_int_equal(v[0], '#');
				xmlFree(v);
			}
		}
		expect_self_contained(n->children);
	}
}

static void page_of_fixture(int all, struct strbuf *page)
{
	struct compare_report r[2];
	struct compare_result res;
	struct compare_options opt = { 0 };
	struct strbuf err = STRBUF_INIT;

	load_fixture(&r[0], REPORT_A);
	load_fixture(&r[1], REPORT_B);
	compare_reports(&res, &r[0], &r[1], &opt);
	assert_int_equal(compare_html_build(&res, all, page, &err), 0);
	assert_int_equal(err.len, 0);
	compare_result_release(&res);
	compare_report_release(&r[0]);
	compare_report_release(&r[1]);
	strbuf_release(&err);
}

static void test_page_rows(void **state)
{
	struct strbuf page = STRBUF_INIT;
	(void)state;

	page_of_fixture(0, &page);
	assert_true(!strncmp(page.buf, "<!DOCTYPE html>", 15));
	htmlDocPtr doc = parse(&page);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	expect_self_contained(root);
	assert_int_equal(count(root, "style", NULL), 1);
	expect_text(first(root, "p", NULL),
		    "A: " REPORT_A " (run 20261206-084734)B: " REPORT_B " (run 20261206-084734-edited)");
	xmlNodePtr totals = first(root, "p", NULL)->next;
	expect_text(totals, "7 pairs, 1 verdict differs, 2 with differing facts, 1 only in A, 1 only in B.");

	/* a summary row per pair that differs, after the header */
	xmlNodePtr summary = first(root, "table", "summary");
	xmlNodePtr rows[8], cells[6];
	assert_int_equal(collect(summary, "tr", NULL, rows, 8), 1 + 4);
	assert_int_equal(collect(rows[1], "td", NULL, cells, 6), 5);
	expect_text(cells[0], "kmod-order0-backup");
	expect_text(cells[1], "x86_64");
	expect_text(cells[2], "pass");
	expect_text(cells[3], "fail");
	expect_text(cells[4], "5");
	assert_true(has_class(first(cells[2], "span", NULL), "v-ok"));
	assert_true(has_class(first(cells[3], "span", NULL), "v-fail"));
	assert_true(has_class(rows[1], "verdict-differs"));
	collect(rows[2], "td", NULL, cells, 6);
	expect_text(cells[0], "memcg-v1-kill");
	expect_text(cells[3], "(not run)");
	expect_text(cells[4], "only in A");
	collect(rows[4], "td", NULL, cells, 6);
	expect_text(cells[4], "only in B");

	/* a section per pair with differing facts, reached from its row */
	xmlNodePtr secs[4];
	assert_int_equal(collect(root, "section", "pair", secs, 4), 2);
	xmlChar *href = xmlGetProp(first(rows[1], "a", NULL), X("href"));
	xmlChar *id = xmlGetProp(secs[0], X("id"));
	assert_string_equal((const char *)href + 1, (const char *)id);
	xmlFree(href);
	xmlFree(id);
	assert_int_equal(count(rows[2], "a", NULL), 0);
	expect_text(first(secs[0], "ul", "failed"), "oom.1.victim.comm == insmod (seen hog)");

	/* its facts: a header and a row per differing fact, A and B */
	xmlNodePtr facts[8];
	assert_int_equal(collect(first(secs[0], "table", "facts"), "tr", NULL, facts, 8), 1 + 5);
	collect(facts[2], "td", NULL, cells, 6);
	expect_text(cells[0], "oom.1.victim.comm");
	expect_text(cells[1], "insmod");
	expect_text(cells[2], "hog");
	collect(facts[4], "td", NULL, cells, 6);
	expect_text(cells[0], "oom.1.partial");
	expect_text(cells[2], "(absent)");
	assert_true(has_class(cells[2], "absent"));
	assert_int_equal(collect(first(secs[1], "table", "facts"), "tr", NULL, facts, 8), 1 + 4);
	xmlFreeDoc(doc);
	strbuf_reset(&page);

	/* --all: every pair has a row */
	page_of_fixture(1, &page);
	doc = parse(&page);
	assert_int_equal(count(first(xmlDocGetRootElement(doc), "table", "summary"), "tr", NULL), 1 + 9);
	xmlFreeDoc(doc);
	strbuf_release(&page);
}

static void test_page_hostile(void **state)
{
	struct compare_report r[2];
	struct compare_result res;
	struct compare_options opt = { 0 };
	struct strbuf page = STRBUF_INIT, err = STRBUF_INIT;
	(void)state;

	report_from(&r[0], "<a.json>",
		    HEAD RUN("<script>alert(1)</script>", "t\\\"><img src=x onerror=alert(1)>", "pass",
			     "\"</td><td>\": \"<b onclick=x>&amp;\", \"ctl\": \"\\u0001\\u001b\", \"bad\": \"\xff\xfe\"") TAIL);
	report_from(&r[1], "b.json",
		    HEAD RUN("<script>alert(1)</script>", "t\\\"><img src=x onerror=alert(1)>", "</td>",
			     "\"</td><td>\": \"]]><!--\", \"ctl\": \"x\", \"bad\": \"y\"") TAIL);
	compare_reports(&res, &r[0], &r[1], &opt);
	assert_int_equal(compare_html_build(&res, 0, &page, &err), 0);
	assert_null(strstr(page.buf, "<script"));
	assert_null(strstr(page.buf, "<b "));
	htmlDocPtr doc = parse(&page);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	expect_self_contained(root);
	/* the text comes back as it was, control bytes and invalid UTF-8 as U+FFFD */
	xmlNodePtr sec = first(root, "section", "pair");
	char *h = text(first(sec, "h2", NULL));
	assert_non_null(strstr(h, "<script>alert(1)</script> [t\"><img src=x onerror=alert(1)>] "));
	free(h);
	xmlNodePtr rows[5], cells[3];
	assert_int_equal(collect(first(sec, "table", "facts"), "tr", NULL, rows, 5), 4);
	collect(rows[1], "td", NULL, cells, 3);
	expect_text(cells[0], "</td><td>");
	expect_text(cells[1], "<b onclick=x>&amp;");
	expect_text(cells[2], "]]><!--");
	collect(rows[2], "td", NULL, cells, 3);
	expect_text(cells[1], "\xef\xbf\xbd\xef\xbf\xbd");
	collect(rows[3], "td", NULL, cells, 3);
	expect_text(cells[1], "\xef\xbf\xbd\xef\xbf\xbd");
	/* an unknown verdict gets the neutral badge */
	assert_int_equal(count(root, "span", "v-skip"), 2);
	xmlFreeDoc(doc);
	compare_result_release(&res);
	compare_report_release(&r[0]);
	compare_report_release(&r[1]);
	strbuf_release(&page);
	strbuf_release(&err);
}

/* Nothing differs: a page that says so. */
static void test_page_nothing(void **state)
{
	struct compare_report r[2];
	struct compare_result res;
	struct compare_options opt = { 0 };
	struct strbuf page = STRBUF_INIT, err = STRBUF_INIT;
	(void)state;

	report_from(&r[0], "a.json", HEAD RUN("c", "t", "pass", "\"x\": \"1\"") TAIL);
	report_from(&r[1], "b.json", HEAD RUN("c", "t", "pass", "\"x\": \"1\"") TAIL);
	compare_reports(&res, &r[0], &r[1], &opt);
	assert_int_equal(compare_html_build(&res, 0, &page, &err), 0);
	htmlDocPtr doc = parse(&page);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	assert_int_equal(count(first(root, "table", "summary"), "tr", NULL), 1);
	assert_int_equal(count(root, "section", NULL), 0);
	char *body = text(first(root, "body", NULL));
	assert_non_null(strstr(body, "Nothing differs."));
	free(body);
	xmlFreeDoc(doc);
	compare_result_release(&res);
	compare_report_release(&r[0]);
	compare_report_release(&r[1]);
	strbuf_release(&page);
	strbuf_release(&err);
}

static size_t entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;
	assert_non_null(d);
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static void test_write(void **state)
{
	struct compare_report r[2];
	struct compare_result res;
	struct compare_options opt = { 0 };
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT, built = STRBUF_INIT;
	char dir[64];
	(void)state;

	load_fixture(&r[0], REPORT_A);
	load_fixture(&r[1], REPORT_B);
	compare_reports(&res, &r[0], &r[1], &opt);
	temp_dir(dir);
	/* over an old page: the new one whole, no temporary file left */
	write_in(dir, "compare.html", "old", &path);
	assert_int_equal(compare_html_write(&res, 0, path.buf, &err), 0);
	assert_int_equal(compare_html_build(&res, 0, &built, &err), 0);
	char *written = slurp(path.buf);
	assert_string_equal(written, built.buf);
	free(written);
	assert_int_equal(entries(dir), 1);

	/* a directory that is not there: an error naming the file */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/missing/compare.html", dir);
	assert_int_equal(compare_html_write(&res, 0, path.buf, &err), -1);
	assert_non_null(strstr(err.buf, path.buf));
	assert_non_null(strstr(err.buf, "No such file or directory"));
	assert_int_equal(entries(dir), 1);

	remove_dir(dir);
	compare_result_release(&res);
	compare_report_release(&r[0]);
	compare_report_release(&r[1]);
	strbuf_release(&path);
	strbuf_release(&err);
	strbuf_release(&built);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_rows),
		cmocka_unit_test(test_page_hostile),
		cmocka_unit_test(test_page_nothing),
		cmocka_unit_test(test_write),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
