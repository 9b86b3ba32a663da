/* Tests for report/junit.c: the JUnit XML over the shared report fixture
 * validates against junit.xsd and says what failed, and why. */
#include "fixtures/report/report_fixture.h"

/* ---- JUnit ---- */

static void schema_error(void *ctx, xmlErrorPtr e)
{
	strbuf_addstr(ctx, e->message ? e->message : "?");
}

static void test_junit_schema(void **state)
{
	(void)state;
	xmlSchemaParserCtxtPtr pctx = xmlSchemaNewParserCtxt(JUNIT_XSD);
	assert_non_null(pctx);
	xmlSchemaPtr schema = xmlSchemaParse(pctx);
	assert_non_null(schema);
	xmlSchemaValidCtxtPtr vctx = xmlSchemaNewValidCtxt(schema);
	assert_non_null(vctx);
	xmlDocPtr doc = xmlReadMemory(fx.junit.buf, (int)fx.junit.len, "junit.xml", NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	assert_int_equal(xmlSchemaValidateDoc(vctx, doc), 0);
	/* the schema has teeth: a testcase without its name does not validate */
	xmlNodePtr tc = find_element(xmlDocGetRootElement(doc), "testcase", 0);
	assert_non_null(tc);
	xmlUnsetProp(tc, X("name"));
	struct strbuf errors = STRBUF_INIT;
	xmlSchemaSetValidStructuredErrors(vctx, schema_error, &errors);
	assert_int_not_equal(xmlSchemaValidateDoc(vctx, doc), 0);
	assert_non_null(strstr(errors.buf, "'name' is required"));
	strbuf_release(&errors);
	xmlFreeDoc(doc);
	xmlSchemaFreeValidCtxt(vctx);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pctx);
}

static void test_junit_content(void **state)
{
	(void)state;
	/* well-formed XML with nothing XML forbids, in the bytes and in what they say */
	assert_valid_utf8(fx.junit.buf, fx.junit.len);
	assert_no_control_bytes(fx.junit.buf, fx.junit.len);
	xmlDocPtr doc = xmlReadMemory(fx.junit.buf, (int)fx.junit.len, "junit.xml", NULL,
				      XML_PARSE_NONET | XML_PARSE_NOERROR);
	assert_non_null(doc);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	assert_string_equal((const char *)root->name, "testsuites");
	assert_tree_clean(root);

	assert_int_equal(count_elements(root, "testsuite"), 1);
	assert_int_equal(count_elements(root, "testcase"), NENTRIES);
	assert_int_equal(count_elements(root, "failure"), 1);
	assert_int_equal(count_elements(root, "error"), 1);
	assert_int_equal(count_elements(root, "skipped"), 1);
	assert_int_equal(count_elements(root, "system-out"), 3);

	xmlNodePtr suite = find_element(root, "testsuite", 0);
	static const char *const counts[][2] = {
		{ "tests", "4" }, { "failures", "1" }, { "errors", "1" }, { "skipped", "1" },
		{ "time", "75.123" }, { "timestamp", "2023-11-14T22:13:20" },
	};
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		char *v = prop(suite, counts[i][0]);
		assert_non_null(v);
		assert_string_equal(v, counts[i][1]);
		xmlFree(v);
	}

	/* every time attribute: at most 3 decimals */
	regex_t re;
	assert_int_equal(regcomp(&re, "^[0-9]+(\\.[0-9]{1,3})?$", REG_EXTENDED | REG_NOSUB), 0);
	static const char *const times[] = { "12.346", "3.000", "60.000", "0.000" };
	for (size_t i = 0; i < NENTRIES; i++) {
		xmlNodePtr tc = find_element(root, "testcase", i);
		char *t = prop(tc, "time");
		assert_int_equal(regexec(&re, t, 0, NULL, 0), 0);
		assert_string_equal(t, times[i]);
		xmlFree(t);
	}
	char *t = prop(suite, "time");
	assert_int_equal(regexec(&re, t, 0, NULL, 0), 0);
	xmlFree(t);
	regfree(&re);

	/* classname: the case (and variant), name: the target (and host) */
	xmlNodePtr tc = find_element(root, "testcase", PASS);
	char *v = prop(tc, "classname");
	assert_string_equal(v, "kmod-order0");
	xmlFree(v);
	v = prop(tc, "name");
	assert_string_equal(v, "x86_64");
	xmlFree(v);
	/* the console as system-out, \r\n as \n, ESC replaced */
	xmlChar *out = xmlNodeGetContent(find_element(tc, "system-out", 0));
	assert_non_null(strstr((char *)out, "] insmod invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, "
					    "oom_score_adj=0\n[    2.846669] CPU: 0 PID: 78"));
	assert_non_null(strstr((char *)out, R "[0mtrailer " R "\n"));
	xmlFree(out);

	tc = find_element(root, "testcase", FAIL);
	v = prop(tc, "classname");
	assert_string_equal(v, "a<b&c]]>" R R);
	xmlFree(v);
	v = prop(tc, "name");
	assert_string_equal(v, "x86_64 on qemu+ssh://h<1>/system");
	xmlFree(v);
	/* the failure names what was expected and what was seen, for each failed one */
	xmlNodePtr fl = find_element(tc, "failure", 0);
	v = prop(fl, "message");
	assert_string_equal(v, "oom.count == 2: expected == 2, seen 1 (and 2 more)");
	xmlFree(v);
	v = prop(fl, "type");
	assert_string_equal(v, "expectation");
	xmlFree(v);
	out = xmlNodeGetContent(fl);
	assert_string_equal((char *)out, "cases/a<b&c]]>" R R ".case:5: oom.count == 2\n"
					 "  expected: == 2\n"
					 "  seen:     1\n"
					 "cases/a<b&c]]>" R R ".case:6: oom.1.victim.comm == hog\n"
					 "  expected: == hog\n"
					 "  seen:     bad" R "<&]]>" R "\n"
					 "no unexpected kernel panic (implied; expect panic to decide)\n"
					 "  expected: panic == 0\n"
					 "  seen:     panic 1: Out of memory <and> " R " no killable\n");
	/* the one that holds is not a failure */
	assert_null(strstr((char *)out, "!= init"));
	xmlFree(out);
	out = xmlNodeGetContent(find_element(tc, "system-out", 0));
	assert_string_equal((char *)out, "boot\n" R "[31m<b>bold</b> & ]]> " R R "\nno newline at the end");
	xmlFree(out);

	tc = find_element(root, "testcase", ERROR);
	xmlNodePtr er = find_element(tc, "error", 0);
	v = prop(er, "type");
	assert_string_equal(v, "error");
	xmlFree(v);
	v = prop(er, "message");
	assert_string_equal(v, "guest did not boot within 60 s: <no login> & " R R);
	xmlFree(v);

	tc = find_element(root, "testcase", SKIP);
	v = prop(tc, "classname");
	assert_string_equal(v, "big-memory[memory=64M]");
	xmlFree(v);
	v = prop(find_element(tc, "skipped", 0), "message");
	assert_string_equal(v, "the target needs 128M");
	xmlFree(v);
	assert_null(find_element(tc, "system-out", 0));

	xmlFreeDoc(doc);
}

/* A console past REPORT_JUNIT_CONSOLE_MAX: its end is kept, and the cut said. */
static void test_junit_long_console(void **state)
{
	(void)state;
	struct report r;
	struct oomcase c;
	struct run_result res;
	struct strbuf log = STRBUF_INIT, out = STRBUF_INIT, err = STRBUF_INIT;
	char *dir = run_dir_for("long");

	parse_case(&c, "cases/long.case", error_case);
	run_result_init(&res);
	res.verdict = V_TIMEOUT;
	strbuf_addstr(&res.reason, "no byte for 30 s");
	strbuf_addstr(&log, "FIRST LINE\r\n");
	while (log.len < REPORT_JUNIT_CONSOLE_MAX + 4096)
		strbuf_addstr(&log, "[    1.000000] filler line\r\n");
	strbuf_addstr(&log, "LAST LINE\r\n");
	write_in(dir, "console.log", log.buf, log.len);
	report_init(&r, fx.root, 0, 1);
	report_add(&r, &c, &fx.t, NULL, &res, dir);
	assert_int_equal(report_junit_build(&r, &out, &err), 0);
	assert_null(strstr(out.buf, "FIRST LINE"));
	assert_non_null(strstr(out.buf, "LAST LINE\n\n[oomtest: only the last 1048576 bytes of "));
	assert_non_null(strstr(out.buf, "<error message=\"no byte for 30 s\" type=\"timeout\">"));
	xmlDocPtr doc = xmlReadMemory(out.buf, (int)out.len, "junit.xml", NULL, XML_PARSE_NONET | XML_PARSE_HUGE);
	assert_non_null(doc);
	xmlFreeDoc(doc);
	report_release(&r);
	run_result_release(&res);
	case_release(&c);
	strbuf_release(&log);
	strbuf_release(&out);
	strbuf_release(&err);
	free(dir);
}

static void test_junit_write(void **state)
{
	(void)state;
	assert_written(report_junit_write, "written.xml", &fx.junit);
	assert_write_fails(report_junit_write, "/proc/nonexistent/j.xml", -1,
			   "writing the JUnit report /proc/nonexistent/j.xml: ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_junit_schema),
		cmocka_unit_test(test_junit_content),
		cmocka_unit_test(test_junit_long_console),
		cmocka_unit_test(test_junit_write),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
