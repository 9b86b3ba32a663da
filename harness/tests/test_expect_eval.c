/* test_expect_eval: judging parsed expectations against facts and the
 * console, || chains included. */
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


/* expect_parse must take text; the messages it gives are test_expect's. */
static void parse_ok(struct expectation *e, const char *text)
{
	struct strbuf err = STRBUF_INIT;

	if (expect_parse(e, text, &err))
		fail_msg("expect_parse(\"%s\"): %s", text, err.buf);
	strbuf_release(&err);
}

/* Judges "fact op value" with facts f; returns holds; checks seen. */
static int judge(const struct facts *f, const char *expr, const char *want_seen)
{
	struct expectation e;
	struct strbuf seen = STRBUF_INIT;
	int holds;

	parse_ok(&e, expr);
	holds = expect_eval(&e, f, NULL, 0, &seen);
	if (want_seen)
		assert_string_equal(seen.buf, want_seen);
	strbuf_release(&seen);
	expect_release(&e);
	return holds;
}

static void test_eval_numbers(void **state)
{
	struct facts f = FACTS_INIT;

	(void)state;
	facts_set(&f, "n", "10");
	facts_set(&f, "hex", "0x1f");
	facts_set(&f, "HEX", "0XFF");
	facts_set(&f, "neg", "-3");
	facts_set(&f, "dec", "1.5");
	facts_set(&f, "big", "18446744073709551615");
	facts_set(&f, "huge", "100000000000000000000");
	facts_set(&f, "zero", "-0");
	facts_set(&f, "lead", "007");

	/* numeric: 9 < 10 although "9" > "10" as strings */
	assert_true(judge(&f, "n > 9", "10"));
	assert_true(judge(&f, "n >= 10", NULL));
	assert_false(judge(&f, "n > 10", NULL));
	assert_true(judge(&f, "n < 11", NULL));
	assert_true(judge(&f, "n <= 10", NULL));
	assert_false(judge(&f, "n < 10", NULL));
	assert_true(judge(&f, "n == 10", NULL));
	assert_true(judge(&f, "n == 0xa", NULL));
	assert_true(judge(&f, "n == 10.0", NULL));
	assert_true(judge(&f, "n != 9", NULL));
	assert_false(judge(&f, "n != 10", NULL));
	assert_true(judge(&f, "n == \"10\"", NULL));
	assert_true(judge(&f, "hex == 31", "0x1f"));
	assert_true(judge(&f, "hex > 0x1e", NULL));
	assert_true(judge(&f, "HEX == 0xff", NULL));
	assert_true(judge(&f, "neg < 0", NULL));
	assert_true(judge(&f, "neg < -2", NULL));
	assert_true(judge(&f, "neg > -4", NULL));
	assert_true(judge(&f, "neg == -0x3", NULL));
	assert_true(judge(&f, "neg < 1.5", NULL));
	assert_true(judge(&f, "dec > 1", NULL));
	assert_true(judge(&f, "dec < 2", NULL));
	assert_true(judge(&f, "dec == 1.50", NULL));
	assert_true(judge(&f, "dec != 1.4", NULL));
	assert_true(judge(&f, "big == 0xffffffffffffffff", NULL));
	assert_true(judge(&f, "big > 18446744073709551614", NULL));
	assert_true(judge(&f, "big > -1", NULL));
	assert_true(judge(&f, "huge > 18446744073709551615", NULL));
	assert_true(judge(&f, "huge == 1e20", NULL) == 0);	/* 1e20 is not a number here */
	assert_true(judge(&f, "zero == 0", NULL));
	assert_true(judge(&f, "zero >= 0", NULL));
	assert_true(judge(&f, "lead == 7", NULL));
	facts_release(&f);
}

static void test_eval_strings(void **state)
{
	struct facts f = FACTS_INIT;

	(void)state;
	facts_set(&f, "state", "D");
	facts_set(&f, "comm", "hog");
	facts_set(&f, "n", "10");
	facts_set(&f, "empty", "");
	facts_set(&f, "notnum", "1.");

	assert_true(judge(&f, "state == D", "D"));
	assert_false(judge(&f, "state == d", NULL));
	assert_true(judge(&f, "state != S", NULL));
	assert_false(judge(&f, "state != D", NULL));
	/* < <= > >= never hold on strings, whichever way round */
	assert_false(judge(&f, "state < E", NULL));
	assert_false(judge(&f, "state <= D", NULL));
	assert_false(judge(&f, "state > C", NULL));
	assert_false(judge(&f, "state >= D", NULL));
	/* one side a number, the other not: strings */
	assert_false(judge(&f, "n == ten", NULL));
	assert_true(judge(&f, "n != ten", NULL));
	assert_false(judge(&f, "n < ten", NULL));
	assert_false(judge(&f, "comm > 1", NULL));
	assert_true(judge(&f, "notnum == 1.", NULL));
	assert_false(judge(&f, "notnum == 1", NULL));
	assert_true(judge(&f, "empty == \"\"", ""));
	assert_false(judge(&f, "empty == 0", NULL));
	/* regexes on facts */
	assert_true(judge(&f, "comm ~ ^h.g$", "hog"));
	assert_false(judge(&f, "comm !~ og", NULL));
	assert_true(judge(&f, "comm !~ ^og", NULL));
	assert_true(judge(&f, "n ~ ^[0-9]+$", NULL));
	facts_release(&f);
}

static void test_eval_missing(void **state)
{
	struct facts f = FACTS_INIT;
	static const char *const exprs[] = {
		"nope == 1", "nope != 1", "nope < 1", "nope <= 1", "nope > 1", "nope >= 1",
		"nope ~ .", "nope !~ .", "nope == \"\"", "nope != x",
	};

	(void)state;
	facts_set(&f, "other", "1");
	for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++)
		assert_false(judge(&f, exprs[i], "(no such fact)"));
	/* no table at all */
	assert_false(judge(NULL, "other == 1", "(no such fact)"));
	facts_release(&f);
}

static int judge_console(const char *con, size_t len, const char *expr, const char *want_seen)
{
	struct expectation e;
	struct strbuf seen = STRBUF_INIT;
	struct facts f = FACTS_INIT;
	int holds;

	/* a fact named console in the table is not what is judged */
	facts_set(&f, "console", "from the table");
	parse_ok(&e, expr);
	holds = expect_eval(&e, &f, con, len, &seen);
	if (want_seen)
		assert_string_equal(seen.buf, want_seen);
	strbuf_release(&seen);
	expect_release(&e);
	facts_release(&f);
	return holds;
}

static void test_eval_console(void **state)
{
	static const char con[] =
		"[    0.000000] Linux version 6.1.0\n"
		"[    1.5] hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0\r\n"
		"\0binary\0junk\n"
		"[    2.0] Out of memory: Killed process 123 (hog)\n"
		"tail without newline";
	size_t len = sizeof(con) - 1;
	struct strbuf big = STRBUF_INIT;
	char want[64];

	(void)state;
	assert_true(judge_console(con, len, "console ~ \"invoked oom-killer\"",
				  "[    1.5] hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0"));
	assert_false(judge_console(con, len, "console !~ \"invoked oom-killer\"", NULL));
	snprintf(want, sizeof(want), "(console, %zu bytes, no match)", len);
	assert_true(judge_console(con, len, "console !~ \"Kernel panic\"", want));
	assert_false(judge_console(con, len, "console ~ \"Kernel panic\"", NULL));
	/* matches after NUL bytes are found: the whole buffer is searched */
	assert_true(judge_console(con, len, "console ~ \"Killed process [0-9]+ \\\\(hog\\\\)\"",
				  "[    2.0] Out of memory: Killed process 123 (hog)"));
	assert_true(judge_console(con, len, "console ~ binary", ".binary.junk"));
	assert_true(judge_console(con, len, "console ~ \"without newline$\"",
				  "tail without newline"));
	assert_true(judge_console(con, len, "console ~ \"^\\\\[ \"", NULL));
	assert_false(judge_console(con, len, "console ~ ^hog", NULL));	/* ^: buffer start only */
	/* only console_len bytes count */
	assert_false(judge_console(con, 20, "console ~ oom-killer", "(console, 20 bytes, no match)"));
	assert_true(judge_console(con, 20, "console ~ \"^\\\\[ +0\\\\.0+\\\\] Linux$\"", NULL));
	/* string comparison of the whole console */
	assert_true(judge_console("abc", 3, "console == abc", "(console, 3 bytes)"));
	assert_false(judge_console("abc", 2, "console == abc", NULL));
	assert_true(judge_console("ab\0c", 4, "console != ab", NULL));
	assert_true(judge_console("", 0, "console == \"\"", NULL));
	assert_true(judge_console("", 0, "console !~ .", NULL));
	assert_false(judge_console(NULL, 0, "console !~ .", "(no such fact)"));

	/* a long matching line is cut in `seen` */
	for (int i = 0; i < 1000; i++)
		strbuf_addch(&big, 'x');
	strbuf_addstr(&big, " panic\nnext\n");
	{
		struct expectation e;
		struct strbuf seen = STRBUF_INIT;

		parse_ok(&e, "console ~ panic");
		assert_true(expect_eval(&e, NULL, big.buf, big.len, &seen));
		assert_int_equal(seen.len, 243);
		assert_string_equal(seen.buf + 240, "...");
		strbuf_release(&seen);
		expect_release(&e);
	}
	strbuf_release(&big);
}

/* Judges a chain; checks seen. */
static void judge_or(const struct facts *f, const char *expr, int want, const char *want_seen)
{
	struct expectation e;
	struct strbuf seen = STRBUF_INIT;

	parse_ok(&e, expr);
	strbuf_addstr(&seen, "<");	/* appended to, not replaced */
	assert_int_equal(expect_eval(&e, f, "con sole", 8, &seen), want);
	assert_string_equal(seen.buf + 1, want_seen);
	strbuf_release(&seen);
	expect_release(&e);
}

static void test_or_eval(void **state)
{
	struct facts f = FACTS_INIT;

	(void)state;
	facts_set(&f, "step.hog.exit", "signal:9");
	facts_set(&f, "n", "3");
	judge_or(&f, "step.hog.exit == signal:9 || step.hog.exit == 3", 1, "signal:9");
	judge_or(&f, "step.hog.exit == 3 || step.hog.exit == signal:9", 1, "signal:9");
	judge_or(&f, "step.hog.exit == 0 || n > 2", 1, "3");
	judge_or(&f, "step.hog.exit == 0 || step.hog.exit == 3", 0, "signal:9 | signal:9");
	judge_or(&f, "nope == 1 || n == 4 || console ~ xyz", 0,
		 "(no such fact) | 3 | (console, 8 bytes, no match)");
	judge_or(&f, "nope == 1 || console ~ sole", 1, "con sole");
	/* one comparison: seen as before */
	judge_or(&f, "n == 4", 0, "3");
	judge_or(&f, "nope == 4", 0, "(no such fact)");
	facts_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eval_numbers),
		cmocka_unit_test(test_eval_strings),
		cmocka_unit_test(test_eval_missing),
		cmocka_unit_test(test_eval_console),
		cmocka_unit_test(test_or_eval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
