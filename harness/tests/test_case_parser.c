/* test_case_parser: one pass over a case file: sections and their headers,
 * key = value lines, [expect] lines and selectors, comments, NUL bytes and
 * CRLF, long lines, every error collected in line order. Run from
 * harness/tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "case_test.h"
#include "case/parser.h"

static void test_sections(void **state)
{
	(void)state;
	fails_with("[foo]" EXPECT, "t.case:1: unknown section [foo] " SECTIONS "\n");
	fails_with("[foo bar]\nx = 1" EXPECT,
		   "t.case:1: unknown section [foo bar] " SECTIONS "\n");
	fails_with("[case\n" EXPECT,
		   "t.case:1: bad section header '[case' (expected one of " SECTIONS_LIST ")\n");
	fails_with("[case] x\n" EXPECT,
		   "t.case:1: bad section header '[case] x' (expected one of " SECTIONS_LIST ")\n");
	fails_with("[case]\n[case]\n" EXPECT,
		   "t.case:2: duplicate section [case] (first at line 1)\n");
	fails_with("[case x]\n" EXPECT, "t.case:1: section [case] takes no name (got 'x')\n");
	fails_with("[params x]\n" EXPECT, "t.case:1: section [params] takes no name (got 'x')\n");
	fails_with("[sysctl vm]\n" EXPECT, "t.case:1: section [sysctl] takes no name (got 'vm')\n");
	fails_with("[params]\na = 1\n[params]\nb = 2\n" EXPECT,
		   "t.case:3: duplicate section [params] (first at line 1)\n");
	fails_with("[sysctl]\nvm.a = 1\n[sysctl]\nvm.b = 2\n" EXPECT,
		   "t.case:3: duplicate section [sysctl] (first at line 1)\n");
	fails_with("[cgroup]\nversion = 1\n" EXPECT,
		   "t.case:1: section [cgroup] needs a name, e.g. [cgroup hog]\n");
	fails_with("[step  ]\n" EXPECT, "t.case:1: section [step] needs a name, e.g. [step hog]\n");
	fails_with("[step a.b]\n" EXPECT,
		   "t.case:1: bad name 'a.b' for [step] (allowed: letters, digits, _ and -)\n");
	fails_with("[cgroup a b]\n" EXPECT,
		   "t.case:1: bad name 'a b' for [cgroup] (allowed: letters, digits, _ and -)\n");
	fails_with("[cgroup g]\nversion = 2\n[cgroup g]\nversion = 2\n" EXPECT,
		   "t.case:3: duplicate section [cgroup g] (first at line 1)\n");
	fails_with("[step s]\nsleep = 1s\n[step s]\nsleep = 1s\n" EXPECT,
		   "t.case:3: duplicate section [step s] (first at line 1)\n");
	fails_with("description = x\n" EXPECT,
		   "t.case:1: 'description = x' is outside a section (start one with " SECTIONS_LIST ")\n");
}

static void test_names_per_kind(void **state)
{
	struct oomcase c;

	(void)state;
	/* a cgroup and a step may share a name; spaces inside brackets are fine */
	parses("[ cgroup  hog ]\nversion = 2\nmemory.max = 1M\n[step hog]\nrun = hog\ncgroup = hog\n"
	       "[step Hog_2-x]\nsleep=1\n" EXPECT, &c);
	assert_string_equal(c.cgroups[0].name, "hog");
	assert_int_equal(c.cgroups[0].version, 2);
	assert_string_equal(c.steps[1].name, "Hog_2-x");
	assert_int_equal(c.steps[1].sleep_ms, 1000);
	case_release(&c);
}

static void test_key_errors(void **state)
{
	(void)state;
	/* the message from the format's description */
	fails_with("# x\n\n\n\n\n\n[case]\nmemroy = 128M\n" EXPECT,
		   "t.case:8: unknown key 'memroy' in [case] " KNOWN_CASE "\n");
	fails_with("[step s]\nsleep = 1\nrum = hog\n" EXPECT,
		   "t.case:3: unknown key 'rum' in [step s] " KNOWN_STEP "\n");
	fails_with("[cgroup g]\nversion = 1\nlimit = 1\n" EXPECT,
		   "t.case:3: unknown key 'limit' in [cgroup g] (known: version, or a cgroup file such as memory.max)\n");
	fails_with("[case]\ndescription\n" EXPECT,
		   "t.case:2: missing '=' in 'description' in [case] (expected key = value)\n");
	fails_with("[case]\n = x\n" EXPECT, "t.case:2: missing key before '=' in [case]\n");
	fails_with("[case]\ndescription =   # nothing\n" EXPECT,
		   "t.case:2: empty value for 'description' in [case]\n");
	fails_with("[cgroup g]\nversion = 1\nmemory.max =\n" EXPECT,
		   "t.case:3: empty value for 'memory.max' in [cgroup g]\n");
	fails_with("[case]\ncmdline = a\ncmdline = b\n" EXPECT,
		   "t.case:3: duplicate key 'cmdline' in [case] (first at line 2)\n");
	fails_with("[cgroup g]\nversion = 1\nmemory.max = 1\nmemory.max = 2\n" EXPECT,
		   "t.case:4: duplicate key 'memory.max' in [cgroup g] (first at line 3)\n");
	fails_with("[cgroup g]\nversion = 1\nversion = 2\n" EXPECT,
		   "t.case:3: duplicate key 'version' in [cgroup g] (first at line 2)\n");
	/* keys are per section: the same key in two steps is fine */
	{
		struct oomcase c;

		parses("[step a]\nsleep = 1\n[step b]\nsleep = 2\n" EXPECT, &c);
		assert_int_equal(c.steps[1].sleep_ms, 2000);
		case_release(&c);
	}
}

static void test_expect_sections(void **state)
{
	struct oomcase c;
	char *re = regerr("a(");
	struct strbuf want = STRBUF_INIT;

	(void)state;
	parses("[expect]\na == 1\n[step s]\nsleep = 1\n[expect]\nb != 2\n\n[expect]\nc ~ x\n", &c);
	assert_int_equal(c.nexpects, 3);
	assert_string_equal(c.expects[0].fact, "a");
	assert_int_equal(c.expects[1].line, 6);
	assert_string_equal(c.expects[2].fact, "c");
	assert_int_equal(c.expects[2].has_re, 1);
	case_release(&c);

	fails_with("[case]\n", "t.case: no expectations\n");
	fails_with("", "t.case: no expectations\n");
	fails_with("[expect]\n# nothing\n", "t.case: no expectations\n");
	/* line errors come first, whole-file ones last */
	fails_with("[bad]\n",
		   "t.case:1: unknown section [bad] " SECTIONS "\nt.case: no expectations\n");
	/* an expectation that fails to parse still counts as one */
	fails_with("[expect]\n== 1\n",
		   "t.case:2: expected a fact name (letters, digits and _ . : / -) at the start of '== 1'\n");
	strbuf_addf(&want, "t.case:2: bad regex 'a(': %s\n", re);
	fails_with("[expect]\nconsole ~ a(\n", want.buf);
	fails_with("[expect]\noom.count 0\n",
		   "t.case:2: missing operator after 'oom.count' in 'oom.count 0' " OPS "\n");
	fails_with("[expect]\nx == \"a\n",
		   "t.case:2: unterminated \"quoted\" value in 'x == \"a'\n");
	free(re);
	strbuf_release(&want);
}

static void test_comments(void **state)
{
	struct oomcase c;

	(void)state;
	parses("  # indented comment\n[case] # comment\ndescription = issue#5 is \"# kept\" # gone\n"
	       "cmdline = a\t# tab comment\n[expect]\n#c\nconsole ~ \"# \\\" #\" # x\nx == a#b\n", &c);
	assert_string_equal(c.description, "issue#5 is \"# kept\"");
	assert_string_equal(c.cmdline, "a");
	assert_string_equal(c.expects[0].value, "# \" #");
	assert_string_equal(c.expects[1].value, "a#b");
	case_release(&c);
}

static void test_nul_and_crlf(void **state)
{
	static const char text[] = "[case]\ndescr\0iption = x\n[expect]\na == 1\r\nb == \0\n";
	struct oomcase c;
	struct strbuf err = STRBUF_INIT;

	(void)state;
	assert_int_equal(case_parse(&c, "n.case", text, sizeof(text) - 1, &err), -1);
	assert_string_equal(err.buf, "n.case:2: NUL byte\nn.case:5: NUL byte\n");
	strbuf_release(&err);

	/* no newline at the end; a lone CR inside a line is not a line end */
	parses("[case]\r\ndescription = a\rb\r\n[expect]\r\na == 1", &c);
	assert_string_equal(c.description, "a\rb");
	assert_string_equal(c.expects[0].value, "1");
	case_release(&c);
}

static void test_long_lines(void **state)
{
	size_t n = 200000;
	struct strbuf text = STRBUF_INIT;
	struct oomcase c;

	(void)state;
	strbuf_addstr(&text, "[case]\ndescription = ");
	for (size_t i = 0; i < n; i++)
		strbuf_addch(&text, 'a' + (char)(i % 26));
	strbuf_addstr(&text, "\n[step s]\nrun = hog");
	for (size_t i = 0; i < 5000; i++)
		strbuf_addstr(&text, " --hold");
	strbuf_addstr(&text, "\n[expect]\nconsole !~ \"");
	for (size_t i = 0; i < 3000; i++)
		strbuf_addch(&text, 'x');
	strbuf_addstr(&text, "\"\n");
	parses(text.buf, &c);
	assert_int_equal(strlen(c.description), n);
	assert_int_equal(c.steps[0].argc, 5001);
	assert_int_equal(strlen(c.expects[0].value), 3000);
	case_release(&c);
	strbuf_release(&text);
}

static void test_all_errors_collected(void **state)
{
	struct oomcase c;
	struct strbuf err = STRBUF_INIT;
	size_t lines = 0;

	(void)state;
	assert_int_equal(parse(&c, "[case]\nmemory = x\ntimeout = y\nfoo = 1\n[expect]\n= 1\n", &err), -1);
	for (size_t i = 0; i < err.len; i++)
		lines += err.buf[i] == '\n';
	assert_int_equal(lines, 4);
	assert_int_equal(err.buf[err.len - 1], '\n');
	strbuf_release(&err);
}

/* [expect SELECTOR]: every expectation in it (and each side of an ||) gets
 * the selector; plain [expect] none. */
static void test_expect_selector(void **state)
{
	struct oomcase c;

	(void)state;
	parses("[expect]\na == 1\n[expect i386]\nb == 2\nc == 3 || d == 4\n[expect 6.12]\ne == 5\n"
	       "[expect  custom-x86_64 ]\nf == 6\n[expect x86_64]\ng == 7\n[expect]\nh == 8\n"
	       "[expect 6.1.0-50+x_y]\ni == 9\n", &c);
	assert_int_equal(c.nexpects, 8);
	assert_null(c.expects[0].selector);
	assert_string_equal(c.expects[1].selector, "i386");
	assert_string_equal(c.expects[2].selector, "i386");
	assert_non_null(c.expects[2].or_next);
	assert_string_equal(c.expects[2].or_next->selector, "i386");
	assert_int_equal(c.expects[2].or_next->line, 5);
	assert_string_equal(c.expects[3].selector, "6.12");
	assert_string_equal(c.expects[4].selector, "custom-x86_64");
	assert_string_equal(c.expects[5].selector, "x86_64");
	assert_null(c.expects[6].selector);
	assert_string_equal(c.expects[7].selector, "6.1.0-50+x_y");
	case_release(&c);

	/* expectations only under selectors are enough */
	parses("[expect i386]\na == 1\n", &c);
	assert_int_equal(c.nexpects, 1);
	case_release(&c);

	/* a bad selector: one message; its lines are still checked */
	fails_with("[expect a/b]\na == 1\n",
		   "t.case:1: bad selector 'a/b' for [expect] (allowed: " SELECTOR_HELP ")\n");
	fails_with("[expect x86_64 i386]\na == 1\nb 2\n",
		   "t.case:1: bad selector 'x86_64 i386' for [expect] (allowed: " SELECTOR_HELP ")\n"
		   "t.case:3: missing operator after 'b' in 'b 2' " OPS "\n");
	fails_with("[expect 6.1,]\na == 1\n",
		   "t.case:1: bad selector '6.1,' for [expect] (allowed: " SELECTOR_HELP ")\n");
	parses("[expect 6.1,!arm64]\na == 1\n", &c);
	assert_string_equal(c.expects[0].selector, "6.1,!arm64");
	case_release(&c);
	/* the selector ends with its section */
	parses("[expect i386]\na == 1\n[step s]\nsleep = 1\n[expect]\nb == 1\n", &c);
	assert_null(c.expects[1].selector);
	case_release(&c);
}

static void test_expect_or(void **state)
{
	struct oomcase c;
	const struct expectation *e;

	(void)state;
	parses("[expect]\n  step.hog.exit == signal:9 || step.hog.exit == 3   # either\n"
	       "console ~ \"a||b\" || x==\"||\"||y != 1\n", &c);
	assert_int_equal(c.nexpects, 2);
	e = &c.expects[0];
	assert_string_equal(e->text, "step.hog.exit == signal:9 || step.hog.exit == 3");
	assert_string_equal(e->fact, "step.hog.exit");
	assert_string_equal(e->value, "signal:9");
	assert_int_equal(e->line, 2);
	assert_non_null(e->or_next);
	assert_string_equal(e->or_next->text, "step.hog.exit == 3");
	assert_string_equal(e->or_next->value, "3");
	assert_int_equal(e->or_next->line, 2);
	assert_null(e->or_next->or_next);
	e = &c.expects[1];
	assert_string_equal(e->text, "console ~ \"a||b\" || x==\"||\"||y != 1");
	assert_string_equal(e->value, "a||b");
	assert_string_equal(e->or_next->value, "||");
	assert_string_equal(e->or_next->or_next->fact, "y");
	assert_null(e->or_next->or_next->or_next);
	case_release(&c);

	fails_with("[expect]\na == 1 ||\n",
		   "t.case:2: empty side of '||' in 'a == 1 ||' (expected <fact> <op> <value> on each side)\n");
	fails_with("[expect]\na == 1 || b 3\n",
		   "t.case:2: missing operator after 'b' in 'b 3' " OPS "\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_names_per_kind),
		cmocka_unit_test(test_key_errors),
		cmocka_unit_test(test_expect_sections),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_nul_and_crlf),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_all_errors_collected),
		cmocka_unit_test(test_expect_selector),
		cmocka_unit_test(test_expect_or),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
