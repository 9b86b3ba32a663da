/* Tests for the TAP views of the reports (report/html_tap.c, the TAP
 * testcases of report/junit.c): a run whose facts hold four TAP steps made
 * from real output (fixtures/ktap/) and one that was not TAP, and a skipped
 * run with none. The report fixture's readers are reused; its own
 * fixture is not built. Run from harness/tests. */
#include "fixtures/report/report_fixture.h"

#include "ktap/ktap_facts.h"

static struct {
	char root[64];
	struct oomcase c[2];
	struct target t;
	struct run_result res[2];
	struct report r;
	struct strbuf html, junit;
} tx;

#define HOSTILE_TAP "TAP version 13\n# <script>alert(1)</script>\x1b\nnot ok 1 <b>&\x01\xff\n"

static void step_facts(struct facts *f, const char *step, const char *fixture, const char *text)
{
	struct strbuf in = STRBUF_INIT, path = STRBUF_INIT;
	struct ktap_doc doc;
	struct strbuf name = STRBUF_INIT;

	if (fixture) {
		strbuf_addf(&path, "fixtures/ktap/%s", fixture);
		assert_int_equal(strbuf_read_file(&in, path.buf), 0);
	} else {
		strbuf_addstr(&in, text);
	}
	ktap_parse(&doc, in.buf, in.len);
	ktap_facts(&doc, step, f);
	ktap_release(&doc);
	strbuf_addf(&name, "tap.%s.capped", step);
	facts_set(f, name.buf, "0");
	strbuf_release(&in);
	strbuf_release(&path);
	strbuf_release(&name);
}

static int tap_setup(void **state)
{
	(void)state;
	struct strbuf err = STRBUF_INIT;

	strcpy(tx.root, "/tmp/oomtest-ktap-report.XXXXXX");
	assert_non_null(mkdtemp(tx.root));
	tx.t = (struct target){ .name = "x86_64", .arch = "x86_64", .release = "6.12.57+deb13-amd64" };
	parse_case(&tx.c[0], "cases/tapcase.case", "[step selftest]\nrun = hog\n[expect]\ntap.selftest.fail == 0\n");
	parse_case(&tx.c[1], "cases/skipped.case", "[expect]\noom.count == 0\n");

	run_result_init(&tx.res[0]);
	tx.res[0].verdict = V_FAIL;
	tx.res[0].seconds = 3;
	struct facts *f = &tx.res[0].facts;
	facts_set(f, "agent.done", "1");
	step_facts(f, "selftest", "kselftest-mount_setattr.tap", NULL);
	step_facts(f, "kunit", "ktap-rst-example.ktap", NULL);
	step_facts(f, "mincore", "kselftest-mincore.tap", NULL);
	step_facts(f, "hostile", NULL, HOSTILE_TAP);
	step_facts(f, "noise", NULL, "Killed\n");
	run_result_init(&tx.res[1]);
	tx.res[1].verdict = V_SKIP;
	strbuf_addstr(&tx.res[1].reason, "needs more memory");

	report_init(&tx.r, tx.root, 1700000000, 2);
	struct strbuf dir = STRBUF_INIT;
	strbuf_addf(&dir, "%s/tapcase/x86_64", tx.root);
	assert_int_equal(fs_mkdirs(dir.buf), 0);
	report_add(&tx.r, &tx.c[0], &tx.t, NULL, &tx.res[0], dir.buf);
	report_add(&tx.r, &tx.c[1], &tx.t, NULL, &tx.res[1], NULL);
	strbuf_release(&dir);
	tx.r.seconds = 4;
	assert_int_equal(report_html_build(&tx.r, &tx.html, &err), 0);
	assert_int_equal(report_junit_build(&tx.r, &tx.junit, &err), 0);
	strbuf_release(&err);
	return 0;
}

static int tap_teardown(void **state)
{
	(void)state;
	report_release(&tx.r);
	for (int i = 0; i < 2; i++) {
		case_release(&tx.c[i]);
		run_result_release(&tx.res[i]);
	}
	strbuf_release(&tx.html);
	strbuf_release(&tx.junit);
	nftw(tx.root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	xmlCleanupParser();
	return 0;
}

static char *text_of(xmlNodePtr n)
{
	return (char *)xmlNodeGetContent(n);
}

static void assert_text(xmlNodePtr n, const char *want)
{
	char *t = text_of(n);
	assert_string_equal(t, want);
	xmlFree(t);
}

static void test_html_tables(void **state)
{
	(void)state;
	assert_valid_utf8(tx.html.buf, tx.html.len);
	assert_no_control_bytes(tx.html.buf, tx.html.len);
	assert_null(strcasestr(tx.html.buf, "<script"));
	xmlDocPtr doc = parse_html(&tx.html);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	assert_self_contained(root);
	xmlNodePtr secs[3];
	assert_int_equal(collect(root, "section", "run", secs, 3), 2);

	/* one heading and summary per TAP step, a table for each that has points */
	assert_int_equal(count(secs[0], "p", "tap-summary"), 5);
	assert_int_equal(count(secs[0], "table", "tap"), 4);
	assert_int_equal(count(secs[1], "table", "tap"), 0);
	xmlNodePtr tables[4], sums[5];
	collect(secs[0], "table", "tap", tables, 4);
	collect(secs[0], "p", "tap-summary", sums, 5);
	assert_text(sums[0], "TAP 13: 21 planned, 21 seen: 20 pass, 1 fail, 0 skip.");
	assert_text(sums[1], "KTAP 1: 1 planned, 1 seen: 0 pass, 1 fail, 0 skip.");
	assert_text(sums[4], "The step's output was not TAP. Lines that are not TAP: 1.");

	/* a row per point; the failed one says so and shows its diagnostic */
	assert_int_equal(count(tables[0], "tr", NULL), 1 + 21);
	assert_int_equal(count(tables[0], "td", "no"), 1);
	assert_int_equal(count(tables[0], "td", "yes"), 20);
	xmlNodePtr row = nth(tables[0], "tr", NULL, 15);
	xmlNodePtr cells[5];
	assert_int_equal(collect(row, "td", NULL, cells, 5), 5);
	assert_text(cells[0], "15");
	assert_text(cells[1], "not ok");
	assert_text(cells[2], "mount_setattr_idmapped.invalid_fd_initial_userns");
	assert_text(cells[3], "");
	char *diag = text_of(first(cells[4], "pre", "diag"));
	assert_non_null(strstr(diag, "Expected errno (22) == EPERM (1)"));
	xmlFree(diag);

	/* nested: parents before their subtests, each level further in */
	assert_int_equal(count(tables[1], "tr", NULL), 1 + 10);
	assert_int_equal(count(tables[1], "tr", "tap-depth-0"), 1);
	assert_int_equal(count(tables[1], "tr", "tap-depth-1"), 3);
	assert_int_equal(count(tables[1], "tr", "tap-depth-2"), 6);
	row = nth(tables[1], "tr", NULL, 3);
	assert_true(has_class(row, "tap-depth-2"));
	collect(row, "td", NULL, cells, 5);
	assert_text(cells[0], "1.1.1");
	char *style = prop(cells[0], "style");
	assert_string_equal(style, "padding-left:3.6em");
	xmlFree(style);
	assert_text(cells[2], "test_1");
	/* a skip with its reason */
	row = nth(tables[1], "tr", NULL, 5);
	collect(row, "td", NULL, cells, 5);
	assert_text(cells[0], "1.2.1");
	assert_true(has_class(cells[1], "skip"));
	assert_text(cells[3], "SKIP test_1 skipped");

	/* what the program printed is text, made valid */
	collect(tables[3], "td", NULL, cells, 5);
	assert_text(cells[2], "<b>&" R R);
	assert_int_equal(count(tables[3], "b", NULL), 0);
	diag = text_of(first(cells[4], "pre", "diag"));
	assert_string_equal(diag, "# <script>alert(1)</script>" R);
	xmlFree(diag);
	xmlFreeDoc(doc);
}

static void test_junit_testcases(void **state)
{
	(void)state;
	assert_valid_utf8(tx.junit.buf, tx.junit.len);
	assert_no_control_bytes(tx.junit.buf, tx.junit.len);

	/* still what CI servers read */
	xmlSchemaParserCtxtPtr pctx = xmlSchemaNewParserCtxt(JUNIT_XSD);
	xmlSchemaPtr schema = xmlSchemaParse(pctx);
	xmlSchemaValidCtxtPtr vctx = xmlSchemaNewValidCtxt(schema);
	xmlDocPtr doc = xmlReadMemory(tx.junit.buf, (int)tx.junit.len, "junit.xml", NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	assert_int_equal(xmlSchemaValidateDoc(vctx, doc), 0);
	xmlSchemaFreeValidCtxt(vctx);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pctx);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	assert_tree_clean(root);

	/* 2 runs; the top-level points: 21 + 1 + 5 + 1 */
	assert_int_equal(count_elements(root, "testcase"), 2 + 21 + 1 + 5 + 1);
	xmlNodePtr suite = find_element(root, "testsuite", 0);
	static const char *const counts[][2] = {
		{ "tests", "30" }, { "failures", "4" }, { "errors", "0" }, { "skipped", "2" },
	};
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		char *v = prop(suite, counts[i][0]);
		assert_string_equal(v, counts[i][1]);
		xmlFree(v);
	}
	assert_int_equal(count_elements(root, "failure"), 4);
	assert_int_equal(count_elements(root, "skipped"), 2);

	/* the run's own testcase comes first, then its points */
	xmlNodePtr tc = find_element(root, "testcase", 0);
	char *name = prop(tc, "name");
	assert_string_equal(name, "x86_64");
	xmlFree(name);
	tc = find_element(root, "testcase", 15);
	name = prop(tc, "name");
	assert_string_equal(name, "selftest: 15 mount_setattr_idmapped.invalid_fd_initial_userns");
	xmlFree(name);
	char *cls = prop(tc, "classname");
	assert_string_equal(cls, "tapcase.x86_64");
	xmlFree(cls);
	xmlNodePtr failure = first(tc, "failure", NULL);
	char *msg = prop(failure, "message");
	assert_string_equal(msg, "not ok 15");
	xmlFree(msg);
	char *body = text_of(failure);
	assert_non_null(strstr(body, "Test terminated by assertion"));
	xmlFree(body);
	/* a passing point has neither failure nor skipped */
	tc = find_element(root, "testcase", 1);
	assert_int_equal(count_elements(tc, "failure") + count_elements(tc, "skipped"), 0);

	/* subtests are not testcases of their own: the KTAP step has one */
	tc = find_element(root, "testcase", 22);
	name = prop(tc, "name");
	assert_string_equal(name, "kunit: 1 main_test");
	xmlFree(name);
	/* a skip with its directive */
	tc = find_element(root, "testcase", 25);
	name = prop(tc, "name");
	assert_string_equal(name, "mincore: 3 global.check_huge_pages");
	xmlFree(name);
	msg = prop(first(tc, "skipped", NULL), "message");
	assert_string_equal(msg, "SKIP No huge pages available or CONFIG_HUGETLB_PAGE disabled.");
	xmlFree(msg);
	/* hostile bytes are made valid */
	tc = find_element(root, "testcase", 28);
	name = prop(tc, "name");
	assert_string_equal(name, "hostile: 1 <b>&" R R);
	xmlFree(name);
	/* the skipped run is last, with no points */
	tc = find_element(root, "testcase", 29);
	cls = prop(tc, "classname");
	assert_string_equal(cls, "skipped");
	xmlFree(cls);
	xmlFreeDoc(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_tables),
		cmocka_unit_test(test_junit_testcases),
	};
	return cmocka_run_group_tests(tests, tap_setup, tap_teardown);
}
