/* test_case_errors: the error list: order by line (whole-file errors
 * last), dropping, "with NOTE: ", and skipping what was reported. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "case/errors.h"

static void test_sorted(void **state)
{
	struct case_errors e = { NULL, 0, 0 };
	struct strbuf out = STRBUF_INIT;

	(void)state;
	case_errors_add(&e, 7, "seven %s", "a");
	case_errors_add(&e, 0, "whole file");
	case_errors_add(&e, 2, "two");
	case_errors_add(&e, 7, "seven b");
	case_errors_add(&e, 1, "one %d", 1);
	assert_int_equal(e.n, 5);
	case_errors_report(&e, "d/t.case", NULL, NULL, &out);
	assert_string_equal(out.buf, "d/t.case:1: one 1\nd/t.case:2: two\nd/t.case:7: seven a\n"
			    "d/t.case:7: seven b\nd/t.case: whole file\n");
	case_errors_release(&e);
	assert_int_equal(e.n, 0);
	assert_null(e.v);
	strbuf_release(&out);
}

static void test_drop(void **state)
{
	struct case_errors e = { NULL, 0, 0 };
	struct strbuf out = STRBUF_INIT;

	(void)state;
	case_errors_add(&e, 1, "kept");
	case_errors_add(&e, 2, "dropped");
	case_errors_add(&e, 3, "dropped too");
	case_errors_drop(&e, 1);
	assert_int_equal(e.n, 1);
	case_errors_add(&e, 4, "after");
	case_errors_report(&e, "t.case", NULL, NULL, &out);
	assert_string_equal(out.buf, "t.case:1: kept\nt.case:4: after\n");
	case_errors_release(&e);
	strbuf_release(&out);
}

/* Later combinations of parameters report only what is new. */
static void test_reported(void **state)
{
	struct case_reported seen = { NULL, 0, 0 };
	struct strbuf out = STRBUF_INIT;

	(void)state;
	for (int pass = 0; pass < 3; pass++) {
		struct case_errors e = { NULL, 0, 0 };

		case_errors_add(&e, 3, "same each time");
		case_errors_add(&e, 0, "same each time");	/* another line: another error */
		if (pass)
			case_errors_add(&e, 5, "only from pass %d", pass);
		case_errors_report(&e, "t.case", pass ? "x=1" : NULL, &seen, &out);
		case_errors_release(&e);
	}
	assert_string_equal(out.buf, "t.case:3: same each time\nt.case: same each time\n"
			    "t.case:5: with x=1: only from pass 1\n"
			    "t.case:5: with x=1: only from pass 2\n");
	/* many messages: the set grows and still knows each */
	for (int i = 0; i < 500; i++) {
		struct case_errors e = { NULL, 0, 0 };

		strbuf_reset(&out);
		case_errors_add(&e, 9, "message %d", i % 250);
		case_errors_report(&e, "t.case", NULL, &seen, &out);
		assert_int_equal(out.len != 0, i < 250);
		case_errors_release(&e);
	}
	case_reported_release(&seen);
	assert_int_equal(seen.n, 0);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted),
		cmocka_unit_test(test_drop),
		cmocka_unit_test(test_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
