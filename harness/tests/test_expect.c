/* test_expect: parsing "<fact> <op> <value>" and || chains, operator
 * names, and target selectors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/expect.h"

#define OPS "(allowed: == != < <= > >= ~ !~)"

static void parse_ok(struct expectation *e, const char *text)
{
	struct strbuf err = STRBUF_INIT;
	int rc = expect_parse(e, text, &err);

	if (rc)
		fail_msg("expect_parse(\"%s\"): %s", text, err.buf);
	assert_int_equal(err.len, 0);
	strbuf_release(&err);
}

static void parse_fails(const char *text, const char *want)
{
	struct strbuf err = STRBUF_INIT;
	struct expectation e, zero;

	memset(&zero, 0, sizeof(zero));
	assert_int_equal(expect_parse(&e, text, &err), -1);
	if (want)
		assert_string_equal(err.buf, want);
	else
		assert_int_not_equal(err.len, 0);
	assert_memory_equal(&e, &zero, sizeof(e));
	expect_release(&e);
	strbuf_release(&err);
}

static void test_parse(void **state)
{
	static const struct {
		const char *text, *fact, *value, *trimmed;
		enum expect_op op;
	} t[] = {
		{ "oom.count == 0", "oom.count", "0", NULL, OP_EQ },
		{ "oom.count==0", "oom.count", "0", NULL, OP_EQ },
		{ "  a!=b  ", "a", "b", "a!=b", OP_NE },
		{ "a<1", "a", "1", NULL, OP_LT },
		{ "a <= 1", "a", "1", NULL, OP_LE },
		{ "a>1", "a", "1", NULL, OP_GT },
		{ "a >=1", "a", "1", NULL, OP_GE },
		{ "console ~ Out of memory", "console", "Out of memory", NULL, OP_MATCH },
		{ "console !~ \"Kernel panic\"", "console", "Kernel panic", NULL, OP_NOMATCH },
		{ "x:y/z-w_1.2 == v", "x:y/z-w_1.2", "v", NULL, OP_EQ },
		{ "a == \"\"", "a", "", NULL, OP_EQ },
		{ "a == \"q\\\"b\\\\s\\.\" ", "a", "q\"b\\s\\.", "a == \"q\\\"b\\\\s\\.\"", OP_EQ },
		{ "a ==   two  words\t", "a", "two  words", "a ==   two  words", OP_EQ },
		{ "a ~ \\.", "a", "\\.", NULL, OP_MATCH },
		{ "a == = 1", "a", "= 1", NULL, OP_EQ },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct expectation e;

		parse_ok(&e, t[i].text);
		assert_string_equal(e.fact, t[i].fact);
		assert_string_equal(e.value, t[i].value);
		assert_int_equal(e.op, t[i].op);
		assert_string_equal(e.text, t[i].trimmed ? t[i].trimmed : t[i].text);
		assert_int_equal(e.has_re, t[i].op == OP_MATCH || t[i].op == OP_NOMATCH);
		assert_int_equal(e.line, 0);
		expect_release(&e);
	}
}

static void test_parse_errors(void **state)
{
	regex_t re;
	int rc = regcomp(&re, "[a-", REG_EXTENDED | REG_NOSUB);
	char msg[256];
	char want[512];

	(void)state;
	parse_fails("", "empty expression (expected <fact> <op> <value>)");
	parse_fails("  \t ", "empty expression (expected <fact> <op> <value>)");
	parse_fails("== 1",
		    "expected a fact name (letters, digits and _ . : / -) at the start of '== 1'");
	parse_fails("\"a\" == 1",
		    "expected a fact name (letters, digits and _ . : / -) at the start of '\"a\" == 1'");
	parse_fails("oom.count", "missing operator after 'oom.count' in 'oom.count' " OPS);
	parse_fails("oom.count 1", "missing operator after 'oom.count' in 'oom.count 1' " OPS);
	parse_fails("a b == 1", "missing operator after 'a' in 'a b == 1' " OPS);
	parse_fails("a = 1", "unknown operator '=' in 'a = 1' " OPS);
	parse_fails("a === 1", "unknown operator '===' in 'a === 1' " OPS);
	parse_fails("a =< 1", "unknown operator '=<' in 'a =< 1' " OPS);
	parse_fails("a <> 1", "unknown operator '<>' in 'a <> 1' " OPS);
	parse_fails("a !", "unknown operator '!' in 'a !' " OPS);
	parse_fails("a ==", "missing value after 'a ==' (a number, a word or a \"quoted string\")");
	parse_fails("a !~   ", "missing value after 'a !~' (a number, a word or a \"quoted string\")");
	parse_fails("a == \"x", "unterminated \"quoted\" value in 'a == \"x'");
	parse_fails("a == \"x\\\"", "unterminated \"quoted\" value in 'a == \"x\\\"'");
	parse_fails("a == \"x\"y", "unexpected 'y' after the quoted value in 'a == \"x\"y'");
	parse_fails("a == \"x\" \"y\"", "unexpected '\"y\"' after the quoted value in 'a == \"x\" \"y\"'");

	assert_int_not_equal(rc, 0);
	regerror(rc, &re, msg, sizeof(msg));
	snprintf(want, sizeof(want), "bad regex '[a-': %s", msg);
	parse_fails("console ~ [a-", want);
	parse_fails("console !~ \"[a-\"", want);
	/* what glibc would take exponential memory or time for */
	parse_fails("console ~ \"b++++++++++++++++++++++++++++++++++++++++++++++++++++\"",
		    "bad regex 'b++++++++++++++++++++++++++++++++++++++++++++++++++++': "
		    "too big once repeats are expanded (at most 4000)");
	parse_fails("console ~ ((a{100}){100})",
		    "bad regex '((a{100}){100})': too big once repeats are expanded (at most 4000)");
	parse_fails("console ~ (x|y)a{0,3999}",
		    "bad regex '(x|y)a{0,3999}': too big once repeats are expanded (at most 4000)");
	parse_fails("console ~ a{5000,}",
		    "bad regex 'a{5000,}': too big once repeats are expanded (at most 4000)");
	parse_fails("console ~ (a)\\1",
		    "bad regex '(a)\\1': back-references (\\1) are not extended regex");
	parse_fails("console ~ (((((((((((((((((((((((((((((((((a)))))))))))))))))))))))))))))))))",
		    "bad regex '(((((((((((((((((((((((((((((((((a)))))))))))))))))))))))))))))))))': "
		    "groups nest deeper than 32");
	{
		static const char *const fine[] = {
			"console ~ a{0,3990}", "console ~ ((a{10}){10}){10}", "console ~ (a|b)+c*d?",
			"console ~ [[:alpha:]{(]+[]|]{2,}", "console ~ x{,2}\\{3}[\\1]",
			"console ~ \"((((((((((((((((((((((((((((((((a))))))))))))))))))))))))))))))))\"",
		};
		struct expectation e;

		for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
			parse_ok(&e, fine[i]);
			expect_release(&e);
		}
	}
	/* not a regex op: the same value is fine */
	{
		struct expectation e;

		parse_ok(&e, "a == [a-");
		assert_int_equal(e.has_re, 0);
		expect_release(&e);
	}
}

static void test_op_names(void **state)
{
	static const char *const names[] = { "==", "!=", "<", "<=", ">", ">=", "~", "!~" };

	(void)state;
	for (int op = OP_EQ; op <= OP_NOMATCH; op++)
		assert_string_equal(expect_op_name((enum expect_op)op), names[op]);
	assert_string_equal(expect_op_name((enum expect_op)99), "?");
}

static void test_or_parse(void **state)
{
	struct expectation e;
	const struct expectation *l;

	(void)state;
	parse_ok(&e, "  step.hog.exit == signal:9 || step.hog.exit == 3  ");
	assert_string_equal(e.text, "step.hog.exit == signal:9 || step.hog.exit == 3");
	assert_string_equal(e.fact, "step.hog.exit");
	assert_int_equal(e.op, OP_EQ);
	assert_string_equal(e.value, "signal:9");
	assert_null(e.selector);
	l = e.or_next;
	assert_non_null(l);
	assert_string_equal(l->text, "step.hog.exit == 3");
	assert_string_equal(l->fact, "step.hog.exit");
	assert_string_equal(l->value, "3");
	assert_null(l->or_next);
	expect_release(&e);
	expect_release(&e);	/* twice: harmless */

	/* three sides, no spaces; || inside quotes is a value; one | is not || */
	parse_ok(&e, "a==1||b ~ \"x||y\"||c == \"q\\\"||\" || d ~ e|f");
	assert_string_equal(e.value, "1");
	l = e.or_next;
	assert_string_equal(l->text, "b ~ \"x||y\"");
	assert_string_equal(l->value, "x||y");
	assert_int_equal(l->has_re, 1);
	l = l->or_next;
	assert_string_equal(l->value, "q\"||");
	l = l->or_next;
	assert_string_equal(l->fact, "d");
	assert_string_equal(l->value, "e|f");
	assert_null(l->or_next);
	expect_release(&e);

	/* no || at all: as before, no chain */
	parse_ok(&e, "console ~ \"a||b\"");
	assert_null(e.or_next);
	assert_string_equal(e.value, "a||b");
	expect_release(&e);

#define EMPTY_SIDE(t) "empty side of '||' in '" t "' (expected <fact> <op> <value> on each side)"
	parse_fails("a == 1 ||", EMPTY_SIDE("a == 1 ||"));
	parse_fails("  a == 1 ||   ", EMPTY_SIDE("a == 1 ||"));
	parse_fails("|| a == 1", EMPTY_SIDE("|| a == 1"));
	parse_fails("a == 1 || || b == 2", EMPTY_SIDE("a == 1 || || b == 2"));
	parse_fails("||", EMPTY_SIDE("||"));
	parse_fails("a == 1 |||b == 2",
		    "expected a fact name (letters, digits and _ . : / -) at the start of '|b == 2'");
	/* an error in one side names that side */
	parse_fails("a == 1 || b 2", "missing operator after 'b' in 'b 2' " OPS);
	parse_fails("a = 1 || b == 2", "unknown operator '=' in 'a = 1' " OPS);
	parse_fails("a == 1 || b == 2 || console ~ \"(\"", NULL);
	parse_fails("a == 1 || b == \"x", "unterminated \"quoted\" value in 'b == \"x'");
}

static void test_selects(void **state)
{
	static const struct {
		const char *sel, *name, *arch, *release;
		int want;
	} t[] = {
		{ NULL, "debian-6.1-x86_64", "x86_64", "6.1.0-50-amd64", 1 },
		{ NULL, NULL, NULL, NULL, 1 },
		{ "x86_64", "debian-6.1-x86_64", "x86_64", "6.1.0-50-amd64", 1 },
		{ "i386", "debian-6.1-x86_64", "x86_64", "6.1.0-50-amd64", 0 },
		{ "i386", "debian-6.1-i386", "i386", "6.1.0-50-686-pae", 1 },
		{ "debian-6.1-x86_64", "debian-6.1-x86_64", "x86_64", "6.1.0-50-amd64", 1 },
		{ "custom-x86_64", "custom-x86_64", "x86_64", "6.12.0", 1 },
		{ "custom-x86_64", "custom", "x86_64", "6.12.0", 0 },
		/* a user's kernel's name ends in a hash of its build */
		{ "custom-x86_64", "custom-x86_64-0123abcd", "x86_64", "6.12.0", 1 },
		{ "custom-x86_64-0123abcd", "custom-x86_64-0123abcd", "x86_64", "6.12.0", 1 },
		{ "custom-x86_64", "custom-x86_64-0123abc", "x86_64", "6.12.0", 0 },
		{ "custom-x86_64", "custom-x86_64-0123abcde", "x86_64", "6.12.0", 0 },
		{ "custom-x86_64", "custom-x86_64-0123ABCD", "x86_64", "6.12.0", 0 },
		{ "custom-i386", "custom-x86_64-0123abcd", "x86_64", "6.12.0", 0 },
		{ "custom", "custom-x86_64-0123abcd", "x86_64", "6.12.0", 0 },
		{ "debian-6.1", "debian-6.1-0123abcd", "x86_64", "6.1.0", 0 },
		{ "debian", "debian-6.1-x86_64", "x86_64", "6.1.0-50-amd64", 0 },	/* names: whole */
		{ "x86", "t", "x86_64", "6.1.0", 0 },
		{ "6.12", "t", "x86_64", "6.12.107+deb12-amd64", 1 },
		{ "6.12", "t", "x86_64", "6.12", 1 },
		{ "6.12", "t", "x86_64", "6.12-rc1", 1 },
		{ "6.12", "t", "x86_64", "6.12+", 1 },
		{ "6.12.107", "t", "x86_64", "6.12.107+deb12-amd64", 1 },
		{ "6.12.107+deb12", "t", "x86_64", "6.12.107+deb12-amd64", 1 },
		{ "6.12.10", "t", "x86_64", "6.12.107+deb12-amd64", 0 },
		{ "6.1", "t", "x86_64", "6.12.1", 0 },
		{ "6.1", "t", "x86_64", "6.1.0-50-amd64", 1 },
		{ "6", "t", "x86_64", "6.1.0-50-amd64", 1 },
		{ "6.1", "t", "x86_64", "6.10", 0 },
		{ "6.1.0-50-amd64", "t", "x86_64", "6.1.0-50-amd64", 1 },
		{ "6.1.0-50-amd64x", "t", "x86_64", "6.1.0-50-amd64", 0 },
		{ "6.1", "t", "x86_64", "5.6.1", 0 },
		{ "6.1", "t", "x86_64", NULL, 0 },
		{ "6.1", NULL, NULL, NULL, 0 },
		{ "", "t", "x86_64", "6.1.0", 0 },
		/* every word of a list; ! negates one */
		{ "6.1,!arm64", "x86_64", "x86_64", "6.1.0-50-amd64", 1 },
		{ "6.1,!arm64", "arm64", "arm64", "6.1.0-50-arm64", 0 },
		{ "6.1,!arm64", "x86_64-6.12", "x86_64", "6.12.118+deb12-amd64", 0 },
		{ "!arm64", "i386", "i386", "6.1.0-50-686", 1 },
		{ "x86_64,6.12", "x86_64-6.12", "x86_64", "6.12.118+deb12-amd64", 1 },
		{ "x86_64,6.12", "x86_64", "x86_64", "6.1.0-50-amd64", 0 },
		{ "!x86_64,!i386", "arm64", "arm64", "6.1.0-50-arm64", 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (expect_selects(t[i].sel, t[i].name, t[i].arch, t[i].release) != t[i].want)
			fail_msg("expect_selects(%s, %s, %s, %s) != %d", t[i].sel ? t[i].sel : "NULL",
				 t[i].name ? t[i].name : "NULL", t[i].arch ? t[i].arch : "NULL",
				 t[i].release ? t[i].release : "NULL", t[i].want);
	}
}

static void test_selector_syntax(void **state)
{
	(void)state;
	assert_int_equal(expect_selector_valid("6.1"), 1);
	assert_int_equal(expect_selector_valid("6.1,!arm64"), 1);
	assert_int_equal(expect_selector_valid("!x86_64,!i386"), 1);
	assert_int_equal(expect_selector_valid("6.1,"), 0);
	assert_int_equal(expect_selector_valid(",6.1"), 0);
	assert_int_equal(expect_selector_valid("!"), 0);
	assert_int_equal(expect_selector_valid("a!b"), 0);
	assert_int_equal(expect_selector_valid("!!a"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selector_syntax),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_op_names),
		cmocka_unit_test(test_or_parse),
		cmocka_unit_test(test_selects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
