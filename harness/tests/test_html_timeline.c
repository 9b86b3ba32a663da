/* Tests for report/html_timeline.c: over a run directory of a 256M guest
 * with swap whose hog is OOM-killed (fixtures/timeline/, read by
 * report_add), a line per system series, per cgroup and per step, a marker
 * per event (the OOM kill labelled with its victim, above the plot), a
 * legend, axes in MiB and seconds; no chart for a run without system
 * samples; hostile names stay text; what does not fit is said.
 * TEST_TIMELINE_KEEP=DIR keeps the fixture's whole report as DIR/index.html. */
#include "fixtures/report/report_fixture.h"
#include "report/html_chart.h"
#include "report/html_timeline.h"

#define TIMELINE_ROOT "fixtures/timeline"
#define TIMELINE_RUN TIMELINE_ROOT "/swap-oom/x86_64"

static const char swap_case[] =
	"[case]\n"
	"description = a hog fills memory and swap until the OOM killer ends it\n"
	"memory = 256M\n"
	"[step hog]\n"
	"run = hog --chunk 1M\n"
	"[step look]\n"
	"run = cat /proc/meminfo\n"
	"[expect]\n"
	"oom.count == 1\n"
	"timeline.oom_kills == 1\n";

static struct target target_x86 = { .name = "x86_64", .arch = "x86_64", .release = "6.1.0-50-amd64" };

/* The fixture's run as the report has it. */
static void fixture_report(struct report *r, struct oomcase *c, struct run_result *res)
{
	parse_case(c, "cases/swap-oom.case", swap_case);
	run_result_init(res);
	res->verdict = V_PASS;
	res->seconds = 9.5;
	facts_set(&res->facts, "oom.count", "1");
	facts_set(&res->facts, "oom.1.victim.comm", "hog");
	facts_set(&res->facts, "timeline.oom_kills", "1");
	report_init(r, TIMELINE_ROOT, 1700000000, 1);
	report_add(r, c, &target_x86, NULL, res, TIMELINE_RUN);
}

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

static char *text_of(xmlNodePtr n)
{
	return (char *)xmlNodeGetContent(n);
}

static void assert_text(xmlNodePtr n, const char *want)
{
	char *got = text_of(n);
	assert_string_equal(got, want);
	xmlFree(got);
}

static void assert_has_text(xmlNodePtr n, const char *needle)
{
	char *s = text_of(n);
	if (!strstr(s, needle))
		fail_msg("\"%s\" not in \"%.200s\"", needle, s);
	xmlFree(s);
}

/* The polyline whose <title> is label, or NULL. */
static xmlNodePtr line_titled(xmlNodePtr fig, const char *label)
{
	xmlNodePtr v[32];
	size_t n = collect(fig, "polyline", "series", v, 32);
	for (size_t i = 0; i < n && i < 32; i++) {
		char *t = text_of(first(v[i], "title", NULL));
		int same = !strcmp(t, label);
		xmlFree(t);
		if (same)
			return v[i];
	}
	return NULL;
}

/* A polyline's points: how many, and the lowest and highest y (SVG y
 * grows downwards: the highest y is the smallest value). */
static size_t points_of(xmlNodePtr pl, double *ymin, double *ymax)
{
	char *pts = prop(pl, "points"), *p = pts;
	size_t n = 0;
	*ymin = 1e9;
	*ymax = -1e9;
	while (*p) {
		double x, y;
		int used;
		assert_int_equal(sscanf(p, "%lf,%lf%n", &x, &y, &used), 2);
		*ymin = y < *ymin ? y : *ymin;
		*ymax = y > *ymax ? y : *ymax;
		n++;
		p += used;
		while (*p == ' ')
			p++;
	}
	xmlFree(pts);
	return n;
}

static void test_fixture_lines(void **state)
{
	(void)state;
	struct report r;
	struct oomcase c;
	struct run_result res;
	xmlDocPtr doc;

	fixture_report(&r, &c, &res);
	const struct report_entry *e = &r.v[0];
	assert_int_equal(e->npoints, 141 * 6);
	assert_int_equal(e->nevents, 7);
	assert_true(html_timeline_drawable(e));
	xmlNodePtr sec = charts_of(e, &doc);
	assert_text(nth(sec, "h3", NULL, 2), "Memory timeline");
	xmlNodePtr fig = first(sec, "figure", "timeline");
	char *label = prop(first(fig, "svg", NULL), "aria-label");
	assert_string_equal(label, "system, cgroup and step memory over time, with events");
	xmlFree(label);

	/* five system series, the hog's cgroup, the hog's RSS (look was never sampled) */
	assert_int_equal(count(fig, "polyline", "system"), 5);
	assert_int_equal(count(fig, "polyline", "cgroup"), 1);
	assert_int_equal(count(fig, "polyline", "rss"), 1);
	static const char *const names[] = { "MemFree", "MemAvailable", "Cached", "Shmem", "SwapFree" };
	for (size_t i = 0; i < 5; i++)
		assert_non_null(line_titled(fig, names[i]));
	/* 7 s on a 0..7 s axis, 0..250 MiB (MemAvailable peaks at 208 MiB) */
	double ymin, ymax;
	xmlNodePtr memfree = line_titled(fig, "MemFree");
	assert_int_equal(points_of(memfree, &ymin, &ymax), 141);
	/* from 200 MiB (y 340 - 300 * 200/250 = 100) to 5 MiB (y 334) */
	assert_true(ymin > 99 && ymin < 102);
	assert_true(ymax > 332 && ymax < 335);
	char *pts = prop(memfree, "points");
	assert_int_equal(strncmp(pts, "64.0,100.", 9), 0);
	assert_non_null(strstr(pts, " 936.0,"));       /* 7 s: the right end of the plot */
	xmlFree(pts);
	assert_int_equal(points_of(line_titled(fig, "SwapFree"), &ymin, &ymax), 141);
	assert_true(ymax > 338);                          /* swap all but used up */
	xmlNodePtr cg = line_titled(fig, "cgroup hog");
	assert_non_null(cg);
	char *dash = prop(cg, "stroke-dasharray");
	assert_non_null(dash);
	xmlFree(dash);
	assert_int_equal(points_of(cg, &ymin, &ymax), 141);
	assert_int_equal(points_of(line_titled(fig, "hog RSS"), &ymin, &ymax), 220);
	assert_has_text(fig, "250 MiB");
	assert_has_text(fig, "0 MiB");
	assert_has_text(fig, "7 s");
	assert_has_text(fig, "time since the plan began");

	/* markers: the OOM kill at 5.6 s (x 64 + 872 * 0.8) reaches above the plot */
	assert_int_equal(count(fig, "line", "oom_kill"), 1);
	xmlNodePtr kill = first(fig, "line", "oom_kill");
	char *x1 = prop(kill, "x1"), *y1 = prop(kill, "y1");
	assert_string_equal(x1, "761.6");
	assert_true(atof(y1) < 40);
	xmlFree(x1);
	xmlFree(y1);
	assert_has_text(first(kill, "title", NULL), "oom_kill at 5.600 s: 231 hog");
	xmlNodePtr kill_label = first(fig, "text", "oom_kill");
	assert_text(kill_label, "OOM kill: 231 hog");
	char *anchor = prop(kill_label, "text-anchor");
	assert_string_equal(anchor, "end");                 /* past 70 % of the width: to the left */
	xmlFree(anchor);
	assert_int_equal(count(fig, "line", "start"), 2);
	assert_int_equal(count(fig, "line", "exit"), 2);
	assert_int_equal(count(fig, "line", "waited"), 1);
	assert_int_equal(count(fig, "line", "alloc_fail"), 1);
	assert_text(first(fig, "text", "alloc_fail"), "alloc_fail hog");
	assert_text(nth(fig, "text", "start", 1), "start look");
	/* the thin ones are thinner than the kill's */
	char *w = prop(first(fig, "line", "start"), "stroke-width");
	assert_true(atof(w) < 1);
	xmlFree(w);

	/* the legend: seven lines, five kinds of marker */
	xmlNodePtr legend = first(fig, "g", "legend");
	assert_int_equal(count(legend, "g", "legend-item"), 12);
	assert_text(first(first(legend, "g", "legend-item"), "text", NULL), "MemFree");
	assert_has_text(legend, "cgroup hog");
	assert_has_text(legend, "hog RSS");
	assert_has_text(legend, "OOM kill (its victim)");
	assert_has_text(legend, "allocation failure");
	assert_has_text(legend, "step's wait over");
	/* the legend is inside the picture */
	char *h = prop(first(fig, "svg", NULL), "height");
	assert_true(atof(h) >= 340 + 48 + 18);
	xmlFree(h);
	assert_has_text(first(fig, "figcaption", NULL), "(/proc/meminfo)");

	/* the older charts are still there */
	assert_int_equal(count(sec, "figure", "memory"), 1);
	xmlFreeDoc(doc);
	report_release(&r);
	case_release(&c);
	run_result_release(&res);
}

/* The whole page of the fixture's run links the two new files. */
static void test_fixture_page(void **state)
{
	(void)state;
	struct report r;
	struct oomcase c;
	struct run_result res;
	struct strbuf html = STRBUF_INIT, err = STRBUF_INIT;

	fixture_report(&r, &c, &res);
	assert_int_equal(report_html_build(&r, &html, &err), 0);
	xmlDocPtr doc = parse_html(&html);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	assert_self_contained(root);
	assert_int_equal(count(root, "figure", "timeline"), 1);
	int linked = 0;
	xmlNodePtr as[64];
	size_t na = collect(root, "a", NULL, as, 64);
	for (size_t i = 0; i < na && i < 64; i++) {
		char *href = prop(as[i], "href");
		linked += !strcmp(href, "swap-oom/x86_64/timeline.tsv") ||
			  !strcmp(href, "swap-oom/x86_64/timeline-events.tsv");
		xmlFree(href);
	}
	assert_int_equal(linked, 2);
	const char *keep = getenv("TEST_TIMELINE_KEEP");
	if (keep) {
		write_in(keep, "index.html", html.buf, html.len);
		fprintf(stderr, "report kept in %s/index.html\n", keep);
	}
	xmlFreeDoc(doc);
	strbuf_release(&html);
	strbuf_release(&err);
	report_release(&r);
	case_release(&c);
	run_result_release(&res);
}

/* A run of before the timeline, or with cgroup rows only: the old charts. */
static void test_no_system_samples(void **state)
{
	(void)state;
	struct report_sample samples[] = { { "hog", 25, 1024 }, { "hog", 50, 2048 } };
	struct report_point cg[] = { { "cgroup:hog", 50, 4 } };
	struct report_event ev[] = { { 60, "oom_kill", "231 hog" } };
	struct report_entry e = { .facts = FACTS_INIT, .samples = samples, .nsamples = 2 };
	xmlDocPtr doc;

	xmlNodePtr sec = charts_of(&e, &doc);
	assert_int_equal(count(sec, "figure", "timeline"), 0);
	assert_int_equal(count(sec, "figure", "memory"), 1);
	assert_int_equal(count(sec, "h3", NULL), 2);
	xmlFreeDoc(doc);
	e.points = cg;
	e.npoints = 1;
	e.events = ev;
	e.nevents = 1;
	assert_false(html_timeline_drawable(&e));
	sec = charts_of(&e, &doc);
	assert_int_equal(count(sec, "figure", "timeline"), 0);
	assert_int_equal(count(sec, "line", "marker"), 0);
	xmlFreeDoc(doc);
}

/* Names from the guest are text; cgroups and steps past the colours are
 * left out and the caption says how many; an unknown event is not drawn. */
static void test_hostile_and_too_many(void **state)
{
	(void)state;
	struct report_point pts[] = {
		{ "MemFree", 0, 2048 },  { "MemFree", 100, 1024 }, { "Bogus", 50, 99999999 },
		{ "cgroup:" HOSTILE_NAME, 0, 10 },
		{ "cgroup:g1", 0, 1 }, { "cgroup:g2", 0, 1 }, { "cgroup:g3", 0, 1 }, { "cgroup:g4", 0, 1 },
		{ "cgroup:g5", 0, 1 }, { "cgroup:g6", 0, 1 }, { "cgroup:g7", 0, 1 }, { "cgroup:g7", 100, 1 },
	};
	struct report_sample samples[] = { { HOSTILE_NAME, 10, 100 }, { "s2", 10, 1 }, { "s3", 10, 1 },
					   { "s4", 10, 1 }, { "s5", 10, 1 }, { "s6", 10, 1 }, { "s7", 10, 1 },
					   { "s7", 20, 1 } };
	struct report_event ev[] = { { 50, "oom_kill", "231 " HOSTILE_COMM }, { 60, "reboot", "now" },
				     { 70, "exit", HOSTILE_NAME } };
	struct report_entry e = { .facts = FACTS_INIT,
				  .points = pts, .npoints = sizeof(pts) / sizeof(pts[0]),
				  .samples = samples, .nsamples = sizeof(samples) / sizeof(samples[0]),
				  .events = ev, .nevents = sizeof(ev) / sizeof(ev[0]) };
	xmlDocPtr doc;

	xmlNodePtr sec = charts_of(&e, &doc);
	xmlNodePtr fig = first(sec, "figure", "timeline");
	/* MemFree only (no "Bogus" series), six cgroups of eight, six steps of
	 * seven; those left out are counted once each, whatever their samples */
	assert_int_equal(count(fig, "polyline", "system"), 1);
	assert_int_equal(count(fig, "polyline", "cgroup"), 6);
	assert_int_equal(count(fig, "polyline", "rss"), 6);
	assert_has_text(first(fig, "figcaption", NULL), " 3 more cgroups or steps are not drawn.");
	/* the unknown "Bogus" did not stretch the axis: 2 MiB at the top */
	assert_has_text(fig, "2.0 MiB");
	assert_int_equal(count(fig, "line", "marker"), 2);
	assert_text(first(fig, "text", "oom_kill"), "OOM kill: 231 bad" R "<&]]>" R);
	assert_non_null(line_titled(fig, "cgroup a<b&c]]>" R R));
	assert_non_null(line_titled(fig, "a<b&c]]>" R R " RSS"));
	/* the kill at 50 ms of 100: in the left part, labelled to the right */
	char *anchor = prop(first(fig, "text", "oom_kill"), "text-anchor");
	assert_string_equal(anchor, "start");
	xmlFree(anchor);
	xmlFreeDoc(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_lines),
		cmocka_unit_test(test_fixture_page),
		cmocka_unit_test(test_no_system_samples),
		cmocka_unit_test(test_hostile_and_too_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
