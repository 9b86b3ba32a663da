/* Tests for facts.c: ordered table, replacement, many names, JSON output
 * that stays valid whatever the bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/facts.h"

static void test_set_get_order(void **state)
{
	(void)state;
	struct facts f = FACTS_INIT;
	struct strbuf js = STRBUF_INIT;

	assert_null(facts_get(&f, "x"));
	facts_set(&f, "b", "1");
	facts_set(&f, "a", "2");
	facts_setf(&f, "b", "%d", 3);
	assert_int_equal(f.n, 2);
	assert_string_equal(facts_get(&f, "b"), "3");
	facts_to_json(&f, &js);
	assert_string_equal(js.buf, "{\n  \"b\": \"3\",\n  \"a\": \"2\"\n}\n");
	strbuf_release(&js);
	facts_release(&f);
	facts_release(&f);
}

static void test_many(void **state)
{
	(void)state;
	struct facts f = FACTS_INIT;
	char name[32], val[32];

	for (int i = 0; i < 50000; i++) {
		snprintf(name, sizeof(name), "oom.%d.victim.pid", i);
		snprintf(val, sizeof(val), "%d", i);
		facts_set(&f, name, val);
	}
	facts_set(&f, "oom.7.victim.pid", "x");
	assert_int_equal(f.n, 50000);
	assert_string_equal(facts_get(&f, "oom.49999.victim.pid"), "49999");
	assert_string_equal(facts_get(&f, "oom.7.victim.pid"), "x");
	assert_string_equal(f.v[7].value, "x");
	assert_null(facts_get(&f, "oom.50000.victim.pid"));
	facts_release(&f);
}

#define R "\xef\xbf\xbd" /* U+FFFD */

/* facts.json: the same policy for names and values, and still in order */
static void test_json_invalid_utf8(void **state)
{
	(void)state;
	struct facts f = FACTS_INIT;
	struct strbuf js = STRBUF_INIT;

	facts_to_json(&f, &js);
	assert_string_equal(js.buf, "{\n}\n");
	strbuf_reset(&js);
	facts_set(&f, "oom.1.victim.comm", "b\xe9" "d\x01");
	facts_set(&f, "odd\xff.name", "\xc3\xa9t\xc3\xa9");
	facts_set(&f, "a", "\"/\\");
	facts_to_json(&f, &js);
	assert_string_equal(js.buf, "{\n"
				    "  \"oom.1.victim.comm\": \"b" R "d\\u0001\",\n"
				    "  \"odd" R ".name\": \"\xc3\xa9t\xc3\xa9\",\n"
				    "  \"a\": \"\\\"/\\\\\"\n"
				    "}\n");
	strbuf_release(&js);
	facts_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_get_order),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_json_invalid_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
