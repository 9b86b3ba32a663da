/* Tests for klog/span: literals, numbers, hex, cutting, copies. */
#include "klog_test_util.h"

#include <limits.h>

/* cmocka's skip() would hide the span reader of that name */
#undef skip
#include "klog/span.h"

#define SPAN(lit) mkspan((lit), sizeof(lit) - 1)

static void test_eat_num(void **state)
{
	struct span s = SPAN("-42 rest");
	long long v = 0;

	(void)state;
	assert_true(eat_num(&s, &v));
	assert_int_equal(v, -42);
	assert_int_equal(s.n, 5);
	assert_memory_equal(s.p, " rest", 5);
	s = SPAN("99999999999999999999999");
	assert_true(eat_num(&s, &v));
	assert_true(v == LLONG_MAX);	/* saturates */
	assert_int_equal(s.n, 0);
	s = SPAN("-x");
	v = 7;
	assert_false(eat_num(&s, &v));
	assert_int_equal(v, 7);
	assert_int_equal(s.n, 2);	/* left as it was */
}

static void test_eat_hex(void **state)
{
	struct span s = SPAN("0x140cCa(GFP)"), hex;

	(void)state;
	assert_true(eat_hex(&s, &hex));
	assert_int_equal(hex.n, 8);
	assert_memory_equal(hex.p, "0x140cCa", 8);
	assert_true(PFX(s, "(GFP)"));
	s = SPAN("0xg");
	assert_false(eat_hex(&s, &hex));
	s = SPAN("140");
	assert_false(eat_hex(&s, &hex));
}

static void test_literals_and_cut(void **state)
{
	struct span s = SPAN("Killed process 5 (a b) x"), head;
	const char *p;

	(void)state;
	assert_true(EAT(&s, "Killed process "));
	assert_false(EAT(&s, "Killed"));
	assert_true(ENDS(s, ") x"));
	p = FIND(s, " (");
	assert_non_null(p);
	head = cut(&s, p);
	assert_int_equal(head.n, 1);
	assert_memory_equal(head.p, "5", 1);
	assert_true(PFX(s, " (a b)"));
	skip(&s, 1);
	skip_spaces(&s);
	assert_true(PFX(s, "(a"));
	s = SPAN("ab,c,d");
	assert_ptr_equal(find_from(s, s.p, ","), s.p + 2);
	assert_ptr_equal(find_from(s, s.p + 3, ","), s.p + 4);
	assert_null(find_from(s, s.p + 5, ","));
}

static void test_rtrim_and_copies(void **state)
{
	struct span s = SPAN("path \t ");
	struct strbuf big = STRBUF_INIT;
	char *str = NULL;

	(void)state;
	rtrim(&s);
	assert_int_equal(s.n, 4);
	set_str(&str, s);
	assert_string_equal(str, "path");
	set_str(&str, SPAN("other"));
	assert_string_equal(str, "other");
	free(str);
	for (int i = 0; i < MAX_STR + 100; i++)
		strbuf_addch(&big, 'x');
	str = sdup(mkspan(big.buf, big.len));
	assert_int_equal(strlen(str), MAX_STR);	/* kept strings are bounded */
	free(str);
	strbuf_release(&big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eat_num),
		cmocka_unit_test(test_eat_hex),
		cmocka_unit_test(test_literals_and_cut),
		cmocka_unit_test(test_rtrim_and_copies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
