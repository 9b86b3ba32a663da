/* Tests for report/html.c: the page over the shared report fixture (its
 * structure, hostile bytes, no script and no outside link), and writing it. */
#include "fixtures/report/report_fixture.h"

/* ---- HTML ---- */

static void test_html_structure(void **state)
{
	(void)state;
	assert_valid_utf8(fx.html.buf, fx.html.len);
	assert_no_control_bytes(fx.html.buf, fx.html.len);
	assert_null(strcasestr(fx.html.buf, "<script"));
	xmlDocPtr doc = parse_html(&fx.html);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	assert_self_contained(root);

	/* one section.run per entry, a summary row per entry */
	xmlNodePtr secs[NENTRIES + 1];
	assert_int_equal(collect(root, "section", "run", secs, NENTRIES + 1), NENTRIES);
	xmlNodePtr summary = first(root, "table", "summary");
	assert_int_equal(count(summary, "tr", NULL), NENTRIES + 1);
	xmlNodePtr rows[NENTRIES + 1];
	collect(summary, "tr", NULL, rows, NENTRIES + 1);
	for (size_t i = 0; i < NENTRIES; i++) {
		char want[32];
		snprintf(want, sizeof(want), "#run-%zu", i + 1);
		char *href = prop(first(rows[i + 1], "a", NULL), "href");
		assert_string_equal(href, want);
		xmlFree(href);
		char *id = prop(secs[i], "id");
		assert_string_equal(id, want + 1);
		xmlFree(id);
	}
	xmlNodePtr cells[8];
	assert_int_equal(collect(rows[1], "td", NULL, cells, 8), 7);
	xmlChar *txt = xmlNodeGetContent(cells[4]);
	assert_string_equal((char *)txt, "1");
	xmlFree(txt);
	txt = xmlNodeGetContent(cells[5]);
	assert_string_equal((char *)txt, "insmod");
	xmlFree(txt);
	/* the failing row says why: its first failed expectation */
	collect(rows[2], "td", NULL, cells, 8);
	txt = xmlNodeGetContent(cells[6]);
	assert_string_equal((char *)txt, "oom.count == 2");
	xmlFree(txt);
	assert_true(has_class(secs[FAIL], "verdict-fail"));
	assert_int_equal(count(secs[SKIP], "span", "v-skip"), 1);

	/* buddyinfo: one chart per zone (not for the sums, not for node1),
	 * a bar per order per snapshot */
	xmlNodePtr figs[4];
	assert_int_equal(collect(secs[PASS], "figure", "buddy", figs, 4), 2);
	for (int z = 0; z < 2; z++) {
		assert_int_equal(count(figs[z], "svg", NULL), 1);
		assert_int_equal(count(figs[z], "rect", "bar"), 11 * 2);
	}
	txt = xmlNodeGetContent(first(figs[1], "b", NULL));
	assert_string_equal((char *)txt, "zone DMA32");
	xmlFree(txt);
	xmlNodePtr bars[22];
	collect(figs[1], "rect", "bar", bars, 22);
	txt = xmlNodeGetContent(first(bars[2 * 3 + 1], "title", NULL));
	assert_string_equal((char *)txt, "after, order 3: 0 free blocks");
	xmlFree(txt);
	txt = xmlNodeGetContent(first(bars[0], "title", NULL));
	assert_string_equal((char *)txt, "before, order 0: 2000 free blocks");
	xmlFree(txt);
	assert_int_equal(count(secs[FAIL], "figure", "buddy"), 0);

	/* memory: one polyline per step, a point per sample */
	xmlNodePtr mem = first(secs[PASS], "figure", "memory");
	assert_int_equal(count(mem, "polyline", NULL), 2);
	assert_int_equal(count(mem, "circle", "point"), 6);
	char *pts = prop(first(mem, "polyline", NULL), "points");
	size_t npts = 1;
	for (char *p = pts; *p; p++)
		npts += *p == ' ';
	assert_int_equal(npts, 4);
	xmlFree(pts);
	assert_int_equal(count(secs[FAIL], "figure", "memory"), 0);

	/* expectations, passes too; the implied one says so */
	xmlNodePtr ex = first(secs[FAIL], "table", "expectations");
	assert_int_equal(count(ex, "tr", NULL), 1 + 4);
	assert_int_equal(count(ex, "td", "no"), 3);
	assert_int_equal(count(ex, "td", "yes"), 1);
	xmlNodePtr erows[5];
	collect(ex, "tr", NULL, erows, 5);
	txt = xmlNodeGetContent(first(erows[4], "td", NULL));
	assert_string_equal((char *)txt, "implied");
	xmlFree(txt);
	ex = first(secs[ERROR], "table", "expectations");
	txt = xmlNodeGetContent(ex);
	assert_non_null(strstr((char *)txt, "(not judged: the run did not finish)"));
	xmlFree(txt);

	/* the parser's account of the OOM event */
	assert_true(count(secs[PASS], "div", "oom") >= 1);

	xmlFreeDoc(doc);
}

static void test_html_hostile(void **state)
{
	(void)state;
	xmlDocPtr doc;
	xmlNodePtr secs[NENTRIES], root = fixture_sections(&doc, secs);

	/* the '<' of the name is text: the heading holds no <b>, it reads as the name */
	xmlNodePtr h2 = first(secs[FAIL], "h2", NULL);
	assert_int_equal(count(h2, "b", NULL), 0);
	assert_true(h2->children && h2->children->type == XML_TEXT_NODE);
	assert_string_equal((char *)h2->children->content, "a<b&c]]>" R R);
	xmlChar *txt = xmlNodeGetContent(first(first(root, "table", "summary"), "a", NULL));
	assert_string_equal((char *)txt, "kmod-order0");
	xmlFree(txt);
	/* the console's markup is text too */
	xmlNodePtr pre = first(secs[FAIL], "pre", "console");
	assert_int_equal(count(pre, "b", NULL), 0);
	txt = xmlNodeGetContent(pre);
	assert_string_equal((char *)txt, "boot\n" R "[31m<b>bold</b> & ]]> " R R "\nno newline at the end");
	xmlFree(txt);
	/* in the raw page, escaped (libxml2 writes what is not ASCII as references) */
	assert_non_null(strstr(fx.html.buf, "<h2>a&lt;b&amp;c]]&gt;&#65533;&#65533;<span>"));
	assert_non_null(strstr(fx.html.buf, "&#65533;[31m&lt;b&gt;bold&lt;/b&gt; &amp; ]]&gt; &#65533;&#65533;\n"));
	/* its files are linked to with the name percent-encoded */
	char *href = prop(first(secs[FAIL], "a", NULL), "href");
	assert_string_equal(href, "a%3Cb%26c%5D%5D%3E%1B%FF/x86_64/console.log");
	xmlFree(href);
	/* the reason, the host */
	txt = xmlNodeGetContent(first(secs[ERROR], "strong", NULL));
	assert_string_equal((char *)txt, "guest did not boot within 60 s: <no login> & " R R);
	xmlFree(txt);
	txt = xmlNodeGetContent(first(secs[FAIL], "p", "note"));
	assert_non_null(strstr((char *)txt, " on qemu+ssh://h<1>/system; 3.00 s"));
	xmlFree(txt);
	/* a case named "javascript:alert(1)" links to its files, not to a script */
	xmlNodePtr as[32];
	size_t na = collect(secs[ERROR], "a", NULL, as, 32);
	assert_true(na >= 7);
	for (size_t i = 0; i < na && i < 32; i++) {
		char *href = prop(as[i], "href");
		assert_true(strncasecmp(href, "javascript:", 11) != 0);
		xmlFree(href);
	}
	char *href0 = prop(as[0], "href");
	assert_string_equal(href0, "javascript%3Aalert%281%29/x86_64/console.log");
	xmlFree(href0);
	xmlFreeDoc(doc);
}

/* Every "#anchor" has its target, once, for the consoles of fixtures/klog/
 * (events.json made by the parser, as the runner does). */

static void test_html_write(void **state)
{
	(void)state;
	assert_written(report_html_write, "written.html", &fx.html);
	assert_write_fails(report_html_write, "/proc/nonexistent/i.html", -1,
			   "writing the HTML report /proc/nonexistent/i.html: ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_structure),
		cmocka_unit_test(test_html_hostile),
		cmocka_unit_test(test_html_write),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
