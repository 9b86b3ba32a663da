/* Tests for report/compare_text.c: the golden outputs of the real fixture
 * (dir vs edited dir, with and without --timing --all; x86_64 vs
 * x86_64-6.12 in one dir), the pair lines, columns and escaping. */
#include "fixtures/compare/compare_fixture.h"

#include "report/compare_text.h"

static void expect_golden(const struct compare_result *res, int all, const char *golden)
{
	struct strbuf out = STRBUF_INIT;
	char *want = slurp(golden);

	compare_text(res, all, &out);
	if (strcmp(out.buf, want))
		fail_msg("%s differs; got:\n%s", golden, out.buf);
	free(want);
	strbuf_release(&out);
}

static void test_golden_edited(void **state)
{
	struct compare_report r[2];
	struct compare_result res;
	struct compare_options opt = { 0 };
	(void)state;

	load_fixture(&r[0], REPORT_A);
	load_fixture(&r[1], REPORT_B);
	compare_reports(&res, &r[0], &r[1], &opt);
	expect_golden(&res, 0, "fixtures/compare/edited.txt");
	compare_result_release(&res);
	opt.timing = 1;
	compare_reports(&res, &r[0], &r[1], &opt);
	expect_golden(&res, 1, "fixtures/compare/edited-timing-all.txt");
	compare_result_release(&res);
	compare_report_release(&r[0]);
	compare_report_release(&r[1]);
}

static void test_golden_targets(void **state)
{
	struct compare_report r;
	struct compare_result res;
	struct compare_options opt = { 0 };
	struct strbuf err = STRBUF_INIT;
	(void)state;

	load_fixture(&r, REPORT_A);
	assert_int_equal(compare_targets(&res, &r, "x86_64", "x86_64-6.12", &opt, &err), 0);
	expect_golden(&res, 0, "fixtures/compare/targets.txt");
	compare_result_release(&res);
	compare_report_release(&r);
	strbuf_release(&err);
}

/* The text of a comparison of two hand-made reports. */
static void text_of(const char *json_a, const char *json_b, int all, struct strbuf *out)
{
	struct compare_report r[2];
	struct compare_result res;
	struct compare_options opt = { 0 };

	report_from(&r[0], "a.json", json_a);
	report_from(&r[1], "b.json", json_b);
	compare_reports(&res, &r[0], &r[1], &opt);
	compare_text(&res, all, out);
	compare_result_release(&res);
	compare_report_release(&r[0]);
	compare_report_release(&r[1]);
}

static void test_lines(void **state)
{
	struct strbuf out = STRBUF_INIT;
	(void)state;

	text_of(HEAD RUN("same", "t", "pass", "\"x\": \"1\"") "," RUN("one", "t", "pass", "\"x\": \"1\"") ","
		     RUN("gone", "t", "error", "") "," RUN("skipped", "t", "pass", "\"x\": \"1\"") TAIL,
		HEAD RUN("same", "t", "pass", "\"x\": \"1\"") "," RUN("one", "t", "pass", "\"x\": \"2\"") ","
		     RUN("skipped", "t", "skip", "") ",{\"name\": \"new\", \"target\": \"t\", \"verdict\": \"fail\", "
		     "\"reason\": \"no\\tfacts\"}" TAIL,
		0, &out);
	assert_string_equal(out.buf, "A: a.json (run t)\n"
				     "B: b.json (run t)\n"
				     "\n"
				     "= one [t]: pass, pass, 1 fact differs\n"
				     "    x  1  2\n"
				     "\n"
				     "< gone [t]: only in A (error)\n"
				     "! skipped [t]: pass -> skip, no facts in B\n"
				     "> new [t]: only in B (fail)\n"
				     "\n"
				     "3 pairs, 1 verdict differs, 1 with differing facts, 1 only in A, 1 only in B\n");
	strbuf_reset(&out);

	/* --all: the pair in which nothing differs too; the reason of a run
	 * that did not pass, else its failed expectations */
	text_of(HEAD RUN("same", "t", "pass", "\"x\": \"1\"") ","
		     "{\"name\": \"f\", \"target\": \"t\", \"verdict\": \"fail\", \"expectations\": ["
		     "{\"text\": \"oom.count == 1\", \"seen\": \"0\", \"ok\": false},"
		     "{\"text\": \"panic == 0\", \"seen\": \"0\", \"ok\": true},"
		     "{\"text\": \"step.hog.exit == signal:9\", \"seen\": \"exit 0\", \"ok\": false}]}" TAIL,
		HEAD RUN("same", "t", "pass", "\"x\": \"1\"") ","
		     "{\"name\": \"f\", \"target\": \"t\", \"verdict\": \"error\", \"reason\": \"guest died\"}" TAIL,
		1, &out);
	assert_string_equal(out.buf, "A: a.json (run t)\n"
				     "B: b.json (run t)\n"
				     "\n"
				     "= same [t]: pass, pass, no fact differs\n"
				     "\n"
				     "! f [t]: fail -> error\n"
				     "    A: oom.count == 1 (seen 0)\n"
				     "    A: step.hog.exit == signal:9 (seen exit 0)\n"
				     "    B: guest died\n"
				     "\n"
				     "2 pairs, 1 verdict differs, 0 with differing facts, 0 only in A, 0 only in B\n");
	strbuf_reset(&out);

	/* one kernel against another: the targets of each pair, and how they
	 * were matched */
	text_of(HEAD RUN("c", "x86_64", "pass", "\"x\": \"1\"") TAIL, HEAD RUN("c", "mine", "fail", "\"x\": \"1\"") TAIL, 0,
		&out);
	assert_string_equal(out.buf, "A: a.json (run t)\n"
				     "B: b.json (run t)\n"
				     "(runs matched by case name)\n"
				     "\n"
				     "! c [x86_64 -> mine]: pass -> fail\n"
				     "\n"
				     "1 pair, 1 verdict differs, 0 with differing facts, 0 only in A, 0 only in B\n");
	strbuf_release(&out);
}

/* Columns: names padded to the longest, A's values to the longest, in
 * characters; a value past the column pushes only its own row. */
static void test_columns(void **state)
{
	struct strbuf out = STRBUF_INIT;
	(void)state;

	text_of(HEAD RUN("c", "t", "pass",
			 "\"a\": \"\xc3\xa9t\xc3\xa9\", \"long.name\": \"1\", \"b\": \"0123456789012345678901234567890123456789"
			 "0123456789\", \"e\": \"\"") TAIL,
		HEAD RUN("c", "t", "pass", "\"a\": \"x\", \"long.name\": \"2\", \"b\": \"y\", \"e\": \"z\"") TAIL, 0,
		&out);
	assert_string_equal(out.buf, "A: a.json (run t)\n"
				     "B: b.json (run t)\n"
				     "\n"
				     "= c [t]: pass, pass, 4 facts differ\n"
				     "    a          \xc3\xa9t\xc3\xa9  x\n"
				     "    long.name  1    2\n"
				     "    b          01234567890123456789012345678901234567890123456789  y\n"
				     "    e          \"\"   z\n"
				     "\n"
				     "1 pair, 0 verdicts differ, 1 with differing facts, 0 only in A, 0 only in B\n");
	strbuf_release(&out);
}

static void test_escape(void **state)
{
	struct strbuf out = STRBUF_INIT;
	(void)state;

	compare_text_escape(&out, "a\tb\nc\rd\\e\x01\x7f" "f\xff" "g", (size_t)-1);
	assert_string_equal(out.buf, "a\\tb\\nc\\rd\\\\e\\x01\\x7ff\xef\xbf\xbdg");
	strbuf_reset(&out);
	/* cut after max characters, never inside one */
	compare_text_escape(&out, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3);
	assert_string_equal(out.buf, "\xc3\xa9\xc3\xa9\xc3\xa9...");
	strbuf_reset(&out);
	compare_text_escape(&out, "abc", 3);
	assert_string_equal(out.buf, "abc");
	strbuf_reset(&out);
	compare_text_value(&out, NULL, 10);
	compare_text_value(&out, "", 10);
	compare_text_value(&out, " x", 10);
	assert_string_equal(out.buf, "(absent)\"\" x");
	strbuf_reset(&out);
	/* a long value in the text */
	char *long_value = xmalloc(COMPARE_TEXT_VALUE_MAX + 11);
	memset(long_value, 'v', COMPARE_TEXT_VALUE_MAX + 10);
	long_value[COMPARE_TEXT_VALUE_MAX + 10] = '\0';
	compare_text_value(&out, long_value, COMPARE_TEXT_VALUE_MAX);
	assert_int_equal(out.len, COMPARE_TEXT_VALUE_MAX + 3);
	assert_string_equal(out.buf + COMPARE_TEXT_VALUE_MAX, "...");
	free(long_value);
	strbuf_release(&out);
}

/* Hostile names and values stay one line each. */
static void test_hostile(void **state)
{
	struct strbuf out = STRBUF_INIT;
	(void)state;

	text_of(HEAD RUN("c\\n! fake [t]: pass -> fail", "t\\u001b[31m", "pass", "\"f\\nx\": \"1\\n= y\"") TAIL,
		HEAD RUN("c\\n! fake [t]: pass -> fail", "t\\u001b[31m", "pass", "\"f\\nx\": \"2\"") TAIL, 0, &out);
	assert_string_equal(out.buf, "A: a.json (run t)\n"
				     "B: b.json (run t)\n"
				     "\n"
				     "= c\\n! fake [t]: pass -> fail [t\\x1b[31m]: pass, pass, 1 fact differs\n"
				     "    f\\nx  1\\n= y  2\n"
				     "\n"
				     "1 pair, 0 verdicts differ, 1 with differing facts, 0 only in A, 0 only in B\n");
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_edited),
		cmocka_unit_test(test_golden_targets),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
