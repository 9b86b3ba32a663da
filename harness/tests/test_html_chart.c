/* Tests for report/html_chart.c: a buddyinfo chart per zone with a bar per
 * snapshot and order, the memory chart's points and lines per step, and
 * the notes when there is nothing to draw. */
#include "fixtures/report/report_fixture.h"
#include "report/html_chart.h"

static xmlNodePtr charts_of(const struct report_entry *e, xmlDocPtr *doc)
{
	*doc = xmlNewDoc(X("1.0"));
	xmlNodePtr sec = xmlNewNode(NULL, X("section"));
	xmlDocSetRootElement(*doc, sec);
	html_charts(sec, e);
	assert_self_contained(sec);
	assert_tree_clean(sec);
	return sec;
}

static void assert_has_text(xmlNodePtr n, const char *needle)
{
	xmlChar *s = xmlNodeGetContent(n);
	if (!strstr((const char *)s, needle))
		fail_msg("\"%s\" not in \"%s\"", needle, (const char *)s);
	xmlFree(s);
}

static void test_nothing_to_draw(void **state)
{
	(void)state;
	struct report_entry e = { .facts = FACTS_INIT };
	xmlDocPtr doc;

	facts_set(&e.facts, "buddyinfo.after.order0", "36");
	facts_set(&e.facts, "buddyinfo.after.node1.Normal.order0", "4");
	facts_set(&e.facts, "buddyinfo.after.Normal.order11", "4");
	facts_set(&e.facts, "buddyinfo.after.Normal.orderx", "4");
	xmlNodePtr sec = charts_of(&e, &doc);
	assert_int_equal(count(sec, "h3", NULL), 2);
	assert_int_equal(count(sec, "figure", NULL), 0);
	assert_int_equal(count(sec, "p", NULL), 2);
	assert_has_text(sec, "The case collected no buddyinfo snapshot (collect = buddyinfo).");
	assert_has_text(sec, "No samples: no step ran long enough to be sampled");
	xmlFreeDoc(doc);
	facts_release(&e.facts);
}

static void test_buddy_charts(void **state)
{
	(void)state;
	struct report_entry e = { .facts = FACTS_INIT };
	static const char *const snaps[] = { "before", "after", "s3", "s4", "s5" };
	xmlDocPtr doc;

	/* DMA: five snapshots (only four drawn); Normal <x>: one, one order */
	for (int s = 0; s < 5; s++)
		for (int k = 0; k <= 10; k++) {
			struct strbuf name = STRBUF_INIT;
			strbuf_addf(&name, "buddyinfo.%s.DMA.order%d", snaps[s], k);
			facts_setf(&e.facts, name.buf, "%d", 1000 >> k);
			strbuf_release(&name);
		}
	facts_set(&e.facts, "buddyinfo.after.Normal<x>.order3", "12");
	xmlNodePtr sec = charts_of(&e, &doc);
	assert_int_equal(count(sec, "figure", "buddy"), 2);
	xmlNodePtr dma = first(sec, "figure", "buddy");
	assert_int_equal(count(dma, "rect", "bar"), 11 * 4);
	assert_has_text(first(dma, "figcaption", NULL), "zone DMA: free blocks per order (log scale); ");
	assert_has_text(dma, "s4, order 10: 0 free blocks");
	char *label = prop(first(dma, "svg", NULL), "aria-label");
	assert_string_equal(label, "free blocks per order, zone DMA");
	xmlFree(label);
	xmlNodePtr normal = nth(sec, "figure", "buddy", 1);
	assert_int_equal(count(normal, "rect", "bar"), 11);
	assert_has_text(normal, "after, order 3: 12 free blocks");
	assert_has_text(first(normal, "figcaption", NULL), "zone Normal<x>");
	/* the memory chart's note still */
	assert_has_text(sec, "No samples");
	xmlFreeDoc(doc);
	facts_release(&e.facts);
}

static void test_memory_chart(void **state)
{
	(void)state;
	struct report_sample samples[] = {
		{ "load", 0, 1024 }, { "load", 25, 40960 }, { "hog", 10, 2048 }, { "s3", 1, 1 },
		{ "s4", 1, 1 },      { "s5", 1, 1 },        { "s6", 2, 2 },      { "load", 50, 81920 },
	};
	struct report_entry e = { .facts = FACTS_INIT, .samples = samples, .nsamples = 8 };
	xmlDocPtr doc;

	xmlNodePtr sec = charts_of(&e, &doc);
	xmlNodePtr fig = first(sec, "figure", "memory");
	/* five steps at most: s6's sample is not drawn */
	assert_int_equal(count(fig, "polyline", NULL), 5);
	assert_int_equal(count(fig, "circle", "point"), 7);
	char *pts = prop(first(fig, "polyline", NULL), "points");
	assert_int_equal(strlen(pts) - strlen(strchr(pts, ' ')), strlen("64.0,188.0"));
	xmlFree(pts);
	assert_has_text(fig, "load at 0.025 s: 40960 kB");
	/* 80 MiB at the top: the axis speaks MiB */
	assert_has_text(fig, "80.0 MiB");
	assert_has_text(fig, "0.05 s");
	assert_has_text(first(fig, "figcaption", NULL), "resident memory (VmRSS) of each step over time");
	assert_int_equal(count(sec, "p", NULL), 1);
	xmlFreeDoc(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_to_draw),
		cmocka_unit_test(test_buddy_charts),
		cmocka_unit_test(test_memory_chart),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
