/* Tests for ktap/ktap.c and ktap_line.c: the TAP and KTAP reader, one
 * construct at a time: versions, plans, test points and directives,
 * diagnostics before or after their point, YAML blocks, nesting, bail
 * out, and what is not TAP. The real outputs are test_ktap_facts.c's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ktap/ktap.h"
#include "ktap/ktap_line.h"

static struct ktap_doc doc;

static void parse(const char *text)
{
	ktap_parse(&doc, text, strlen(text));
}

static int teardown(void **state)
{
	(void)state;
	ktap_release(&doc);
	return 0;
}

static const struct ktap_point *point(const struct ktap_block *b, size_t i)
{
	assert_true(i < b->npoints);
	return &b->points[i];
}

static void test_versions(void **state)
{
	(void)state;
	parse("TAP version 13\n1..1\nok 1\n");
	assert_true(doc.is_tap);
	assert_int_equal(doc.format, KTAP_FORMAT_TAP);
	assert_int_equal(doc.version, 13);
	ktap_release(&doc);

	parse("TAP version 14\nok\n");
	assert_int_equal(doc.version, 14);
	ktap_release(&doc);

	parse("KTAP version 1\n1..0\n");
	assert_int_equal(doc.format, KTAP_FORMAT_KTAP);
	assert_int_equal(doc.version, 1);
	ktap_release(&doc);

	/* no version line: TAP 12 */
	parse("1..2\nok 1\nok 2\n");
	assert_int_equal(doc.format, KTAP_FORMAT_TAP);
	assert_int_equal(doc.version, 12);
	assert_int_equal(doc.nunknown, 0);
	ktap_release(&doc);

	/* a malformed version line, one after the plan: unknown */
	parse("TAP version x\n1..1\nTAP version 14\nok 1\n");
	assert_int_equal(doc.version, 12);
	assert_int_equal(doc.nunknown, 2);
	assert_int_equal(doc.unknown[0].line, 1);
	assert_string_equal(doc.unknown[0].text, "TAP version x");
	assert_string_equal(doc.unknown[1].text, "TAP version 14");
}

static void test_plans(void **state)
{
	(void)state;
	parse("TAP version 13\n1..3\nok 1\n");
	assert_int_equal(doc.top.planned, 3);
	assert_false(doc.top.skip_all);
	assert_false(doc.top.plan_after_points);
	ktap_release(&doc);

	/* at the end */
	parse("ok 1\nok 2\n1..2\n# after the plan\n");
	assert_int_equal(doc.top.planned, 2);
	assert_true(doc.top.plan_after_points);
	/* unversioned TAP puts a diagnostic after its point, but the plan ends them */
	assert_int_equal(point(&doc.top, 1)->diagnostic.len, 0);
	assert_string_equal(doc.top.notes.buf, "# after the plan\n");
	ktap_release(&doc);

	parse("1..0 # SKIP no kmsg here\n");
	assert_true(doc.is_tap);
	assert_int_equal(doc.top.planned, 0);
	assert_true(doc.top.skip_all);
	assert_string_equal(doc.top.skip_reason, "no kmsg here");
	ktap_release(&doc);

	parse("1..0\n");
	assert_true(doc.top.skip_all);
	assert_string_equal(doc.top.skip_reason, "");
	ktap_release(&doc);

	/* a comment on a plan is not a skip */
	parse("1..4 # four of them\n");
	assert_int_equal(doc.top.planned, 4);
	assert_false(doc.top.skip_all);
	assert_null(doc.top.skip_reason);
	ktap_release(&doc);

	/* a second plan, junk after the count, a plan past the bound: unknown */
	parse("1..2\n1..3\n1..5 tests\n1..99999999999\nok 1\n");
	assert_int_equal(doc.top.planned, 2);
	assert_int_equal(doc.nunknown, 3);
}

static void test_points(void **state)
{
	(void)state;
	parse("ok 1 - first one\n"
	      "not ok 2 second\n"
	      "ok\n"
	      "ok - dash only\n"
	      "not  ok 7 escaped \\# hash and \\\\ slash # TODO later\n"
	      "ok 8 -not-a-dash-prefix\n"
	      "ok 9-nine\n");
	assert_int_equal(doc.top.npoints, 7);
	const struct ktap_point *p = point(&doc.top, 0);
	assert_true(p->ok);
	assert_int_equal(p->number, 1);
	assert_true(p->number_printed);
	assert_string_equal(p->description, "first one");
	assert_int_equal(p->directive, KTAP_DIRECTIVE_NONE);
	assert_int_equal(p->line, 1);
	p = point(&doc.top, 1);
	assert_false(p->ok);
	assert_string_equal(p->description, "second");
	/* no number: the previous one's + 1 */
	p = point(&doc.top, 2);
	assert_int_equal(p->number, 3);
	assert_false(p->number_printed);
	assert_string_equal(p->description, "");
	p = point(&doc.top, 3);
	assert_int_equal(p->number, 4);
	assert_string_equal(p->description, "dash only");
	p = point(&doc.top, 4);
	assert_false(p->ok);
	assert_int_equal(p->number, 7);
	assert_string_equal(p->description, "escaped # hash and \\ slash");
	assert_int_equal(p->directive, KTAP_TODO);
	assert_string_equal(p->directive_text, "later");
	assert_string_equal(point(&doc.top, 5)->description, "-not-a-dash-prefix");
	/* digits run into the description: not a number */
	p = point(&doc.top, 6);
	assert_int_equal(p->number, 9);
	assert_false(p->number_printed);
	assert_string_equal(p->description, "9-nine");
}

static void test_directives(void **state)
{
	(void)state;
	parse("ok 1 a # SKIP needs root\n"
	      "ok 2 # skip lower case\n"
	      "not ok 3 c # Skipped: one word more\n"
	      "ok 4 # XFAIL expected to fail\n"
	      "not ok 5 e # TIMEOUT 45 seconds\n"
	      "not ok 6 # error lower case, as kselftest prints it\n"
	      "not ok 7 g # exit=1\n"
	      "ok 8 h # rcode=0\n"
	      "ok 9 i # SKIP2 not a word\n"
	      "ok 10 j # todo\n"
	      "ok 11 k #\n");
	static const struct {
		enum ktap_directive d;
		const char *text, *comment, *description;
	} want[] = {
		{ KTAP_SKIP, "needs root", "", "a" },
		{ KTAP_SKIP, "lower case", "", "" },
		{ KTAP_SKIP, "one word more", "", "c" },
		{ KTAP_XFAIL, "expected to fail", "", "" },
		{ KTAP_TIMEOUT, "45 seconds", "", "e" },
		{ KTAP_ERROR, "lower case, as kselftest prints it", "", "" },
		{ KTAP_DIRECTIVE_NONE, "", "exit=1", "g" },
		{ KTAP_DIRECTIVE_NONE, "", "rcode=0", "h" },
		{ KTAP_DIRECTIVE_NONE, "", "SKIP2 not a word", "i" },
		{ KTAP_TODO, "", "", "j" },
		{ KTAP_DIRECTIVE_NONE, "", "", "k" },
	};
	assert_int_equal(doc.top.npoints, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < doc.top.npoints; i++) {
		const struct ktap_point *p = point(&doc.top, i);
		assert_int_equal(p->directive, want[i].d);
		assert_string_equal(p->directive_text, want[i].text);
		assert_string_equal(p->comment, want[i].comment);
		assert_string_equal(p->description, want[i].description);
	}
	assert_string_equal(ktap_directive_name(KTAP_SKIP), "SKIP");
	assert_string_equal(ktap_directive_name(KTAP_ERROR), "ERROR");
	assert_string_equal(ktap_directive_name(KTAP_DIRECTIVE_NONE), "");
}

/* Versioned documents (the kernel's) print a point's lines before it;
 * unversioned TAP (Test::More) after it. */
static void test_diagnostics_before_or_after(void **state)
{
	(void)state;
	parse("TAP version 13\n1..2\n# about one\nok 1 one\nnoise about two\n# about two\nnot ok 2 two\n"
	      "# Totals: pass:1 fail:1\n");
	assert_string_equal(point(&doc.top, 0)->diagnostic.buf, "# about one\n");
	assert_string_equal(point(&doc.top, 1)->diagnostic.buf, "noise about two\n# about two\n");
	assert_string_equal(doc.top.notes.buf, "# Totals: pass:1 fail:1\n");
	/* a line that is not TAP is also listed */
	assert_int_equal(doc.nunknown, 1);
	assert_int_equal(doc.unknown[0].line, 5);
	ktap_release(&doc);

	parse("# before anything\n1..2\nok 1 one\n# about one\nnot ok 2 two\n#   Failed test 'two'\n");
	assert_string_equal(doc.top.notes.buf, "# before anything\n");
	assert_string_equal(point(&doc.top, 0)->diagnostic.buf, "# about one\n");
	assert_string_equal(point(&doc.top, 1)->diagnostic.buf, "#   Failed test 'two'\n");
	ktap_release(&doc);

	/* a diagnostic before the version line still belongs to the first point */
	parse("# [NOTE] early\nTAP version 13\n1..1\nok 1\n");
	assert_string_equal(point(&doc.top, 0)->diagnostic.buf, "# [NOTE] early\n");
}

static void test_yaml(void **state)
{
	(void)state;
	parse("TAP version 13\n1..3\n"
	      "not ok 1 - first\n"
	      "  ---\n"
	      "  message: 'went wrong'\n"
	      "  data:\n"
	      "    got: 1\n"
	      "\n"
	      "    expected: 2\n"
	      "  ...\n"
	      "ok 2 - second\n"
	      "  ---\n"
	      "  never closed: true\n"
	      "ok 3 - third\n");
	assert_int_equal(doc.top.npoints, 3);
	assert_string_equal(point(&doc.top, 0)->diagnostic.buf,
			    "message: 'went wrong'\ndata:\n  got: 1\n\n  expected: 2\n");
	/* a YAML block ends at a line left of it even without its "..." */
	assert_string_equal(point(&doc.top, 1)->diagnostic.buf, "never closed: true\n");
	assert_int_equal(point(&doc.top, 2)->diagnostic.len, 0);
	assert_int_equal(doc.nunknown, 0);
	ktap_release(&doc);

	/* "---" not right after a point is not YAML */
	parse("ok 1\n# a line\n  ---\n");
	assert_int_equal(doc.nunknown, 1);
	assert_string_equal(doc.unknown[0].text, "  ---");
}

static void test_nesting_tap14(void **state)
{
	(void)state;
	/* Test::More: the header at the parent's level, the parent line after */
	parse("1..2\n"
	      "# Subtest: group\n"
	      "    1..2\n"
	      "    ok 1 - inner one\n"
	      "    not ok 2 - inner two\n"
	      "    #   Failed test 'inner two'\n"
	      "not ok 1 - group\n"
	      "\t# Subtest: tabbed\n"
	      "\tok 1 - x\n"
	      "ok 2\n");
	assert_int_equal(doc.top.npoints, 2);
	const struct ktap_point *p = point(&doc.top, 0);
	assert_non_null(p->sub);
	assert_string_equal(p->sub->name, "group");
	assert_int_equal(p->sub->planned, 2);
	assert_int_equal(p->sub->indent, 4);
	assert_int_equal(p->sub->npoints, 2);
	assert_string_equal(point(p->sub, 1)->description, "inner two");
	/* the block's indentation is not part of the line */
	assert_string_equal(point(p->sub, 1)->diagnostic.buf, "#   Failed test 'inner two'\n");
	/* the header inside the block names it; a parent line with no
	 * description takes the name */
	p = point(&doc.top, 1);
	assert_non_null(p->sub);
	assert_int_equal(p->sub->indent, 8);
	assert_string_equal(p->sub->name, "tabbed");
	assert_string_equal(p->description, "tabbed");
	assert_false(p->no_result_line);
}

static void test_nesting_ktap(void **state)
{
	(void)state;
	parse("KTAP version 1\n"
	      "1..1\n"
	      "  KTAP version 1\n"
	      "  # Subtest: suite\n"
	      "  1..2\n"
	      "    KTAP version 1\n"
	      "    1..1\n"
	      "    ok 1 deepest\n"
	      "  ok 1 case_1\n"
	      "  not ok 2 case_2\n"
	      "# suite failed\n"
	      "not ok 1 suite\n");
	assert_int_equal(doc.top.npoints, 1);
	const struct ktap_point *suite = point(&doc.top, 0);
	assert_string_equal(suite->description, "suite");
	assert_string_equal(suite->diagnostic.buf, "# suite failed\n");
	assert_non_null(suite->sub);
	assert_string_equal(suite->sub->name, "suite");
	assert_int_equal(suite->sub->planned, 2);
	assert_int_equal(suite->sub->npoints, 2);
	const struct ktap_point *c1 = point(suite->sub, 0);
	assert_non_null(c1->sub);
	assert_null(c1->sub->name);
	assert_string_equal(point(c1->sub, 0)->description, "deepest");
	assert_null(point(suite->sub, 1)->sub);
}

/* Subtests whose parent line never comes (a crash) get a made-up "not ok" parent. */
static void test_missing_parent_line(void **state)
{
	(void)state;
	parse("TAP version 14\n1..2\n"
	      "    # Subtest: first\n"
	      "    ok 1 - a\n"
	      "    # Subtest: second\n"
	      "    ok 1 - b\n"
	      "ok 2 - second\n"
	      "    ok 1 - orphan at the end\n");
	/* a header at the block's own level names no block (none follows):
	 * "a" and "b" are the subtests of "ok 2"; the last block has no parent */
	assert_int_equal(doc.top.npoints, 2);
	assert_string_equal(point(&doc.top, 0)->description, "second");
	assert_int_equal(point(&doc.top, 0)->sub->npoints, 2);
	assert_string_equal(point(&doc.top, 0)->sub->name, "first");
	const struct ktap_point *made = point(&doc.top, 1);
	assert_true(made->no_result_line);
	assert_false(made->ok);
	assert_int_equal(made->number, 3);
	assert_int_equal(made->line, 8);
	assert_non_null(made->sub);
	assert_string_equal(point(made->sub, 0)->description, "orphan at the end");
	ktap_release(&doc);

	/* a block that skips a level ends when one left of it opens: it gets
	 * its made-up parent before that one starts */
	parse("KTAP version 1\n"
	      "  KTAP version 1\n"
	      "  ok 1 x\n"
	      "ok 1 p\n"
	      "    KTAP version 1\n"
	      "    ok 1 deep\n"
	      "  ok 1 y\n"
	      "ok 2 q\n");
	assert_int_equal(doc.top.npoints, 3);
	made = point(&doc.top, 1);
	assert_true(made->no_result_line);
	assert_int_equal(made->number, 2);
	assert_string_equal(point(made->sub, 0)->description, "deep");
	const struct ktap_point *q = point(&doc.top, 2);
	assert_int_equal(q->number, 2);
	assert_int_equal(q->sub->npoints, 1);
	assert_string_equal(point(q->sub, 0)->description, "y");
}

static void test_depth_bound(void **state)
{
	(void)state;
	struct strbuf text = STRBUF_INIT;
	const int levels = KTAP_MAX_DEPTH + 8;

	strbuf_addstr(&text, "TAP version 14\n");
	for (int d = 0; d <= levels; d++)
		strbuf_addf(&text, "%*sok 1 - level %d\n", d * 2, "", d);
	parse(text.buf);
	/* each line is deeper than the last: a block of its own, up to the bound */
	const struct ktap_block *b = &doc.top;
	int depth = 0;
	while (b->npoints && point(b, b->npoints - 1)->sub) {
		b = point(b, b->npoints - 1)->sub;
		depth++;
	}
	assert_int_equal(depth, KTAP_MAX_DEPTH);
	assert_int_equal(doc.nunknown, (size_t)(levels - KTAP_MAX_DEPTH));
	strbuf_release(&text);
}

static void test_bail_out(void **state)
{
	(void)state;
	parse("1..3\nok 1\nBail out!  the cgroup is missing  \nok 2\nnot ok 3\n");
	assert_true(doc.bail_out);
	assert_string_equal(doc.bail_reason, "the cgroup is missing");
	/* nothing after it is read as TAP */
	assert_int_equal(doc.top.npoints, 1);
	assert_int_equal(doc.nunknown, 0);
	assert_int_equal(doc.lines, 5);
	ktap_release(&doc);

	parse("Bail out!\n");
	assert_true(doc.is_tap);
	assert_string_equal(doc.bail_reason, "");
}

static void test_not_tap(void **state)
{
	(void)state;
	parse("");
	assert_false(doc.is_tap);
	assert_int_equal(doc.lines, 0);
	ktap_release(&doc);

	parse("stress-ng: info:  [81] dispatching hogs: 1 vm\n"
	      "okay, this is not a test point\n"
	      "nothing here either\n"
	      "# a comment alone is not TAP\n"
	      "  ---\n"
	      "1.. 2\n");
	assert_false(doc.is_tap);
	assert_int_equal(doc.top.npoints, 0);
	assert_int_equal(doc.nunknown, 5);
	assert_string_equal(doc.unknown[1].text, "okay, this is not a test point");
}

static void test_hostile_bytes(void **state)
{
	(void)state;
	static const char text[] = "TAP version 13\r\n1..3\r\nok 1 cr\r\nok 2 nul\0 cut here\n"
				   "ok 99999999999 huge\n\xff\xfe\x01\n";
	ktap_parse(&doc, text, sizeof(text) - 1);
	assert_int_equal(doc.version, 13);
	assert_int_equal(doc.top.planned, 3);
	assert_int_equal(doc.top.npoints, 3);
	assert_string_equal(point(&doc.top, 0)->description, "cr");
	assert_string_equal(point(&doc.top, 1)->description, "nul");
	/* a number past the bound is no number */
	const struct ktap_point *p = point(&doc.top, 2);
	assert_false(p->number_printed);
	assert_int_equal(p->number, 3);
	assert_string_equal(p->description, "99999999999 huge");
	assert_int_equal(doc.nunknown, 1);
	assert_string_equal(doc.unknown[0].text, "\xff\xfe\x01");
}

/* Line by line gives what the whole text gives; the last line needs no newline. */
static void test_line_by_line(void **state)
{
	(void)state;
	static const char text[] = "TAP version 14\n1..2\n# Subtest: s\n    ok 1 - a\nok 1 - s\nok 2 - t";
	struct ktap_doc whole;

	ktap_parse(&whole, text, strlen(text));
	ktap_init(&doc);
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		ktap_add_line(&doc, p, n);
		p += n + (p[n] == '\n');
	}
	ktap_finish(&doc);
	/* finishing twice, adding after the end: nothing happens */
	ktap_finish(&doc);
	ktap_add_line(&doc, "ok 3", 4);
	assert_int_equal(doc.top.npoints, whole.top.npoints);
	assert_int_equal(doc.top.npoints, 2);
	assert_string_equal(point(&doc.top, 1)->description, "t");
	assert_non_null(point(&doc.top, 0)->sub);
	assert_int_equal(doc.lines, whole.lines);
	ktap_release(&whole);
}

static void test_line_kinds(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		enum ktap_kind kind;
		size_t indent;
	} v[] = {
		{ "ok 1", KTAP_L_POINT, 0 },
		{ "  not ok 2", KTAP_L_POINT, 2 },
		{ "\t1..3", KTAP_L_PLAN, 8 },
		{ "  \tKTAP version 1", KTAP_L_VERSION, 8 },
		{ "BAIL OUT! stop", KTAP_L_BAIL, 0 },
		{ "# Subtest: name", KTAP_L_SUBTEST, 0 },
		{ "#Subtest", KTAP_L_SUBTEST, 0 },
		{ "# Subtests are fun", KTAP_L_DIAG, 0 },
		{ "pragma +strict", KTAP_L_PRAGMA, 0 },
		{ "pragma", KTAP_L_UNKNOWN, 0 },
		{ "### x", KTAP_L_DIAG, 0 },
		{ "Killed", KTAP_L_UNKNOWN, 0 },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct ktap_line l;
		ktap_line_split(&l, v[i].text, strlen(v[i].text), i + 1);
		assert_int_equal(ktap_line_kind(&l), v[i].kind);
		assert_int_equal(l.indent, v[i].indent);
		assert_int_equal(l.no, i + 1);
	}
	struct ktap_line l;
	ktap_line_split(&l, "  # Subtest:   spaced name  ", 28, 1);
	char *name = ktap_line_subtest_name(&l);
	assert_string_equal(name, "spaced name");
	free(name);
	/* a pragma is neither TAP nor unknown */
	parse("pragma +strict\n");
	assert_false(doc.is_tap);
	assert_int_equal(doc.nunknown, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_versions, teardown),
		cmocka_unit_test_teardown(test_plans, teardown),
		cmocka_unit_test_teardown(test_points, teardown),
		cmocka_unit_test_teardown(test_directives, teardown),
		cmocka_unit_test_teardown(test_diagnostics_before_or_after, teardown),
		cmocka_unit_test_teardown(test_yaml, teardown),
		cmocka_unit_test_teardown(test_nesting_tap14, teardown),
		cmocka_unit_test_teardown(test_nesting_ktap, teardown),
		cmocka_unit_test_teardown(test_missing_parent_line, teardown),
		cmocka_unit_test_teardown(test_depth_bound, teardown),
		cmocka_unit_test_teardown(test_bail_out, teardown),
		cmocka_unit_test_teardown(test_not_tap, teardown),
		cmocka_unit_test_teardown(test_hostile_bytes, teardown),
		cmocka_unit_test_teardown(test_line_by_line, teardown),
		cmocka_unit_test_teardown(test_line_kinds, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
