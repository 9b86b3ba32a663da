/* Tests for ktap/ktap_facts.c: golden facts over real TAP and KTAP output
 * (fixtures/ktap/NAME and NAME.facts.json, see INDEX.md), fact names made
 * from descriptions, the bounds, an [expect] line over the facts, and the
 * points read back as the reports read them. Run from harness/tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "case/expect.h"
#include "ktap/ktap_facts.h"
#include "lib/json.h"

static void facts_of(const char *text, size_t len, const char *step, struct facts *f)
{
	struct ktap_doc doc;

	ktap_parse(&doc, text, len);
	ktap_facts(&doc, step, f);
	ktap_release(&doc);
}

static void facts_of_str(const char *text, struct facts *f)
{
	facts_of(text, strlen(text), "s", f);
}

/* ---- golden tests: one per fixture ---- */

static void test_golden(void **state)
{
	const char *name = *state;
	struct strbuf path = STRBUF_INIT, input = STRBUF_INIT, want = STRBUF_INIT, err = STRBUF_INIT;
	struct facts f = FACTS_INIT;
	size_t i = 0;

	strbuf_addf(&path, "fixtures/ktap/%s", name);
	assert_int_equal(strbuf_read_file(&input, path.buf), 0);
	strbuf_addstr(&path, ".facts.json");
	assert_int_equal(strbuf_read_file(&want, path.buf), 0);
	facts_of(input.buf, input.len, "s", &f);

	json_object *o = json_parse(want.buf, want.len, &err);
	assert_non_null(o);
	/* every fact, in order, and no other */
	json_object_object_foreach(o, key, value) {
		if (i >= f.n)
			fail_msg("%s: %s not made", name, key);
		if (strcmp(f.v[i].name, key) || strcmp(f.v[i].value, json_object_get_string(value)))
			fail_msg("%s: fact %zu is %s = \"%s\", expected %s = \"%s\"", name, i, f.v[i].name,
				 f.v[i].value, key, json_object_get_string(value));
		i++;
	}
	if (i != f.n)
		fail_msg("%s: %zu more facts than expected, the first %s", name, f.n - i, f.v[i].name);
	json_object_put(o);

	/* the summary agrees with the points */
	if (!strcmp(facts_get(&f, "tap.s.valid"), "1")) {
		long seen = strtol(facts_get(&f, "tap.s.seen"), NULL, 10);
		assert_int_equal(strtol(facts_get(&f, "tap.s.pass"), NULL, 10) +
				 strtol(facts_get(&f, "tap.s.fail"), NULL, 10) +
				 strtol(facts_get(&f, "tap.s.skip"), NULL, 10), seen);
		struct ktap_fact_point *v;
		size_t n = ktap_facts_points(&f, "s", &v);
		long top = 0;
		for (size_t k = 0; k < n; k++)
			top += v[k].depth == 0;
		assert_int_equal(top, seen);
		ktap_fact_points_free(v, n);
	}
	facts_release(&f);
	strbuf_release(&path);
	strbuf_release(&input);
	strbuf_release(&want);
	strbuf_release(&err);
}

/* ---- names ---- */

static void test_fact_names(void **state)
{
	(void)state;
	static const char *const v[][2] = {
		{ "global.basic_interface", "global_basic_interface" },
		{ "selftests: mm: hugetlb-madvise", "selftests_mm_hugetlb-madvise" },
		{ "  (leading) and trailing!! ", "leading_and_trailing" },
		{ "Mixed CASE", "mixed_case" },
		{ "caf\xc3\xa9 \xff bytes", "caf_bytes" },
		{ "12345", "" },
		{ "1 2 3", "1_2_3" },
		{ "#!?", "" },
		{ "", "" },
	};
	struct strbuf out = STRBUF_INIT;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ktap_fact_name(v[i][0], &out);
		assert_string_equal(out.buf, v[i][1]);
	}
	/* bounded, and never ending in the '_' of a cut gap */
	struct strbuf longer = STRBUF_INIT;
	for (int i = 0; i < 40; i++)
		strbuf_addstr(&longer, "ab ");
	ktap_fact_name(longer.buf, &out);
	assert_true(out.len <= KTAP_NAME_MAX);
	assert_true(out.len >= KTAP_NAME_MAX - 2);
	assert_int_not_equal(out.buf[out.len - 1], '_');
	strbuf_release(&longer);
	strbuf_release(&out);
}

static void test_name_clashes(void **state)
{
	(void)state;
	struct facts f = FACTS_INIT;

	facts_of_str("1..6\nok 1 same\nnot ok 2 Same\nok 3 pass\nok 4 42\nok 5 same_2\nok 6 # SKIP\n", &f);
	assert_string_equal(facts_get(&f, "tap.s.same"), "ok");
	/* the later one: _N, N its place */
	assert_string_equal(facts_get(&f, "tap.s.same_2"), "not ok");
	/* "same_2" is taken by then: _5, its place */
	assert_string_equal(facts_get(&f, "tap.s.same_2_5"), "ok");
	/* a summary's name is never a point's */
	assert_string_equal(facts_get(&f, "tap.s.pass"), "4");
	assert_string_equal(facts_get(&f, "tap.s.pass_3"), "ok");
	/* all digits: no name, the description stays */
	assert_string_equal(facts_get(&f, "tap.s.4.description"), "42");
	assert_string_equal(facts_get(&f, "tap.s.4"), "ok");
	assert_string_equal(facts_get(&f, "tap.s.6"), "skip");
	assert_string_equal(facts_get(&f, "tap.s.6.directive"), "SKIP");
	facts_release(&f);

	/* a subtest named like a point's own fact */
	facts_of_str("TAP version 14\n1..1\n    ok 1 description\n    ok 2 diagnostic\nok 1 parent\n", &f);
	assert_string_equal(facts_get(&f, "tap.s.1.description"), "parent");
	assert_string_equal(facts_get(&f, "tap.s.1.description_1"), "ok");
	assert_string_equal(facts_get(&f, "tap.s.1.diagnostic_2"), "ok");
	facts_release(&f);
}

static void test_counts_and_plan(void **state)
{
	(void)state;
	struct facts f = FACTS_INIT;

	/* TODO counts as pass, whatever its result; SKIP whatever its result */
	facts_of_str("TAP version 13\n1..7\nok 1\nnot ok 2\nnot ok 3 # TODO later\nok 4 # TODO done\n"
		     "not ok 5 # SKIP no\nnot ok 6 # TIMEOUT\nok 9 # XFAIL\n", &f);
	assert_string_equal(facts_get(&f, "tap.s.pass"), "4");
	assert_string_equal(facts_get(&f, "tap.s.fail"), "2");
	assert_string_equal(facts_get(&f, "tap.s.skip"), "1");
	assert_string_equal(facts_get(&f, "tap.s.3"), "not ok");
	assert_string_equal(facts_get(&f, "tap.s.3.directive"), "TODO later");
	assert_string_equal(facts_get(&f, "tap.s.5"), "skip");
	assert_string_equal(facts_get(&f, "tap.s.missing"), "0");
	/* the 7th point printed 9 */
	assert_string_equal(facts_get(&f, "tap.s.misnumbered"), "1");
	assert_string_equal(facts_get(&f, "tap.s.7.number"), "9");
	assert_null(facts_get(&f, "tap.s.6.number"));
	facts_release(&f);

	/* more than planned: a negative missing; no plan: none, unknown */
	facts_of_str("1..1\nok 1\nok 2\n", &f);
	assert_string_equal(facts_get(&f, "tap.s.missing"), "-1");
	facts_release(&f);
	facts_of_str("ok 1\n", &f);
	assert_string_equal(facts_get(&f, "tap.s.planned"), "none");
	assert_string_equal(facts_get(&f, "tap.s.missing"), "unknown");
	facts_release(&f);

	/* not TAP: valid 0 and the unknown lines, nothing a count could be judged on */
	facts_of_str("Segmentation fault\n", &f);
	assert_string_equal(facts_get(&f, "tap.s.valid"), "0");
	assert_string_equal(facts_get(&f, "tap.s.unknown"), "1");
	assert_null(facts_get(&f, "tap.s.fail"));
	assert_int_equal(f.n, 2);
	facts_release(&f);

	/* a made-up parent says why it failed */
	facts_of_str("TAP version 14\n1..1\n    ok 1 - a\n", &f);
	assert_string_equal(facts_get(&f, "tap.s.1"), "not ok");
	assert_string_equal(facts_get(&f, "tap.s.fail"), "1");
	assert_non_null(strstr(facts_get(&f, "tap.s.1.diagnostic"), "no result line"));
	assert_string_equal(facts_get(&f, "tap.s.1.1"), "ok");
	facts_release(&f);
}

/* What the brief of a case wants: tap.STEP.fail == 0 in [expect]. */
static void test_expectations_over_the_facts(void **state)
{
	(void)state;
	struct facts f = FACTS_INIT;
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT, seen = STRBUF_INIT;
	static const struct {
		const char *expr;
		int holds;
	} v[] = {
		{ "tap.selftest.fail == 0", 0 },
		{ "tap.selftest.fail == 1", 1 },
		{ "tap.selftest.missing == 0", 1 },
		{ "tap.selftest.15 == \"not ok\"", 1 },
		{ "tap.selftest.mount_setattr_idmapped_invalid_fd_initial_userns != ok", 1 },
		{ "tap.selftest.15.diagnostic ~ \"Expected errno \\\\(22\\\\)\"", 1 },
		{ "tap.selftest.pass >= 20", 1 },
	};

	assert_int_equal(strbuf_read_file(&text, "fixtures/ktap/kselftest-mount_setattr.tap"), 0);
	facts_of(text.buf, text.len, "selftest", &f);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct expectation e;
		strbuf_reset(&err);
		strbuf_reset(&seen);
		if (expect_parse(&e, v[i].expr, &err))
			fail_msg("%s: %s", v[i].expr, err.buf);
		if (expect_eval(&e, &f, "", 0, &seen) != v[i].holds)
			fail_msg("%s: seen %s", v[i].expr, seen.buf);
		expect_release(&e);
	}
	facts_release(&f);
	strbuf_release(&text);
	strbuf_release(&err);
	strbuf_release(&seen);
}

/* ---- bounds ---- */

static void test_bounds(void **state)
{
	(void)state;
	struct strbuf text = STRBUF_INIT;
	struct facts f = FACTS_INIT;

	/* one diagnostic past its bound keeps its head and its tail */
	strbuf_addstr(&text, "TAP version 13\n# HEAD\n");
	for (unsigned i = 0; i < KTAP_DIAG_MAX / 16; i++)
		strbuf_addstr(&text, "# 0123456789abc\n");
	strbuf_addstr(&text, "# TAIL\nnot ok 1 big\n");
	facts_of(text.buf, text.len, "s", &f);
	const char *d = facts_get(&f, "tap.s.1.diagnostic");
	assert_true(strlen(d) < KTAP_DIAG_MAX + 100);
	assert_memory_equal(d, "# HEAD\n", 7);
	assert_non_null(strstr(d, "bytes not kept"));
	assert_string_equal(d + strlen(d) - 6, "# TAIL");
	facts_release(&f);

	/* past KTAP_FACTS_MAX_POINTS, no more points; the counts are whole */
	strbuf_reset(&text);
	for (unsigned i = 1; i <= KTAP_FACTS_MAX_POINTS + 5; i++)
		strbuf_addf(&text, "ok %u\n# d%u\n", i, i);
	facts_of(text.buf, text.len, "s", &f);
	assert_string_equal(facts_get(&f, "tap.s.points_capped"), "1");
	assert_non_null(facts_get(&f, "tap.s.10000"));
	assert_null(facts_get(&f, "tap.s.10001"));
	assert_string_equal(facts_get(&f, "tap.s.pass"), "10005");
	facts_release(&f);

	/* all diagnostics together are bounded too */
	strbuf_reset(&text);
	for (unsigned i = 1; i <= 2 * KTAP_DIAG_TOTAL / (KTAP_DIAG_MAX / 2); i++) {
		strbuf_addf(&text, "ok %u\n", i);
		for (unsigned k = 0; k < KTAP_DIAG_MAX / 2 / 16; k++)
			strbuf_addstr(&text, "# 0123456789abc\n");
	}
	facts_of(text.buf, text.len, "s", &f);
	assert_string_equal(facts_get(&f, "tap.s.diagnostics_capped"), "1");
	size_t total = 0;
	for (size_t i = 0; i < f.n; i++)
		if (strstr(f.v[i].name, ".diagnostic"))
			total += strlen(f.v[i].value);
	assert_true(total <= KTAP_DIAG_TOTAL);
	assert_true(total > KTAP_DIAG_TOTAL / 2);
	facts_release(&f);
	strbuf_release(&text);
}

/* ---- read back ---- */

static void test_read_back(void **state)
{
	(void)state;
	struct facts f = FACTS_INIT;
	char **steps;
	struct ktap_fact_point *v;

	facts_set(&f, "step.a.exit", "0");
	facts_of_str("KTAP version 1\n1..2\n  KTAP version 1\n  1..1\n  # why\n  not ok 1 inner\n"
		     "not ok 1 outer\nok 2 second # SKIP later\n", &f);
	facts_of("ok 1\n", 5, "other", &f);
	/* a description named like a step's own fact is no step */
	facts_set(&f, "tap.s.1.valid", "ok");
	size_t n = ktap_facts_steps(&f, &steps);
	assert_int_equal(n, 2);
	assert_string_equal(steps[0], "s");
	assert_string_equal(steps[1], "other");
	for (size_t i = 0; i < n; i++)
		free(steps[i]);
	free(steps);

	n = ktap_facts_points(&f, "s", &v);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].path, "1");
	assert_int_equal(v[0].depth, 0);
	assert_string_equal(v[0].result, "not ok");
	assert_string_equal(v[0].description, "outer");
	assert_string_equal(v[0].directive, "");
	assert_string_equal(v[1].path, "1.1");
	assert_int_equal(v[1].depth, 1);
	assert_string_equal(v[1].diagnostic, "# why");
	assert_string_equal(v[2].path, "2");
	assert_string_equal(v[2].result, "skip");
	assert_string_equal(v[2].directive, "SKIP later");
	ktap_fact_points_free(v, n);

	n = ktap_facts_points(&f, "missing", &v);
	assert_int_equal(n, 0);
	ktap_fact_points_free(v, n);
	facts_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate(test_golden, (void *)"kselftest-mincore.tap"),
		cmocka_unit_test_prestate(test_golden, (void *)"kselftest-mount_setattr.tap"),
		cmocka_unit_test_prestate(test_golden, (void *)"kselftest-kcmp.tap"),
		cmocka_unit_test_prestate(test_golden, (void *)"kselftest-sas.tap"),
		cmocka_unit_test_prestate(test_golden, (void *)"kselftest-runner.tap"),
		cmocka_unit_test_prestate(test_golden, (void *)"kunit-tap14-failure.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"kunit-tap14-nested.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"kunit-tap14-skip-all.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"kunit-ktap-missing-plan.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"kunit-ktap-subtest-header.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"kunit-console-prefixed.log"),
		cmocka_unit_test_prestate(test_golden, (void *)"ktap-rst-example.ktap"),
		cmocka_unit_test_prestate(test_golden, (void *)"ktap-rst-multilevel.ktap"),
		cmocka_unit_test_prestate(test_golden, (void *)"ktap-rst-nested.ktap"),
		cmocka_unit_test_prestate(test_golden, (void *)"perl-test-more.tap"),
		cmocka_unit_test_prestate(test_golden, (void *)"perl-prove-v.txt"),
		cmocka_unit_test_prestate(test_golden, (void *)"perl-skip-all.tap"),
		cmocka_unit_test_prestate(test_golden, (void *)"perl-bail-out.tap"),
		cmocka_unit_test(test_fact_names),
		cmocka_unit_test(test_name_clashes),
		cmocka_unit_test(test_counts_and_plan),
		cmocka_unit_test(test_expectations_over_the_facts),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_read_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
