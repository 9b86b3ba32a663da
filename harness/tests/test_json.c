/* Tests for json.c: one UTF-8 policy for values and keys (invalid bytes
 * become U+FFFD), the two dump styles, parse errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "lib/json.h"

#define R "\xef\xbf\xbd" /* U+FFFD */

static void test_str_invalid_bytes(void **state)
{
	(void)state;
	json_object *o = json_str_len("a\xff" "b\xc3\xa9\xed\xa0\x80" "c\0d", 11);

	assert_int_equal(json_object_get_string_len(o), 1 + 3 + 1 + 2 + 9 + 3);
	assert_memory_equal(json_object_get_string(o), "a" R "b\xc3\xa9" R R R "c\0d", 19);
	json_object_put(o);
	o = json_str("ok \xe2\x82\xac \xc0\xaf");
	assert_string_equal(json_object_get_string(o), "ok \xe2\x82\xac " R R);
	json_object_put(o);
	assert_null(json_str(NULL));
}

static void test_keys_sanitised(void **state)
{
	(void)state;
	json_object *o = json_object_new_object(), *v;

	json_put(o, "k\xfe", json_object_new_int(1));
	json_put(o, "plain", NULL);
	assert_true(json_object_object_get_ex(o, "k" R, &v));
	assert_int_equal(json_object_get_int(v), 1);
	assert_false(json_object_object_get_ex(o, "k\xfe", &v));
	assert_true(json_object_object_get_ex(o, "plain", &v));
	assert_null(v);
	/* the same key again replaces the value, in place */
	json_put(o, "k\xff", json_object_new_int(2));
	assert_int_equal(json_object_object_length(o), 2);
	assert_true(json_object_object_get_ex(o, "k" R, &v));
	assert_int_equal(json_object_get_int(v), 2);
	json_object_put(o);
}

static void test_dump(void **state)
{
	(void)state;
	json_object *o = json_object_new_object(), *a = json_object_new_array();
	struct strbuf sb = STRBUF_INIT;

	json_put(o, "path", json_str("/r/a b"));
	json_object_array_add(a, json_object_new_int(1));
	json_object_array_add(a, json_str("q\"\\\n\x01"));
	json_put(o, "list", a);
	json_dump(o, 0, &sb);
	assert_string_equal(sb.buf, "{\"path\":\"/r/a b\",\"list\":[1,\"q\\\"\\\\\\n\\u0001\"]}\n");
	strbuf_reset(&sb);
	json_dump(o, 1, &sb);
	assert_string_equal(sb.buf, "{\n"
				    "  \"path\": \"/r/a b\",\n"
				    "  \"list\": [\n"
				    "    1,\n"
				    "    \"q\\\"\\\\\\n\\u0001\"\n"
				    "  ]\n"
				    "}\n");
	/* appends */
	json_dump(a, 0, &sb);
	assert_non_null(strstr(sb.buf, "}\n[1,\"q"));
	strbuf_release(&sb);
	json_object_put(o);
}

static void test_parse(void **state)
{
	(void)state;
	struct strbuf err = STRBUF_INIT;
	const char doc[] = "{\"a\": [1, \"x\"]} ";
	json_object *o = json_parse(doc, sizeof(doc) - 1, &err), *v;

	assert_non_null(o);
	assert_int_equal(err.len, 0);
	assert_true(json_object_object_get_ex(o, "a", &v));
	assert_int_equal(json_object_array_length(v), 2);
	json_object_put(o);

	static const char *const bad[] = { "{\"a\": ", "{\"a\" 1}", "", "nul", "]" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strbuf_reset(&err);
		assert_null(json_parse(bad[i], strlen(bad[i]), &err));
		assert_true(!strncmp(err.buf, "invalid JSON: ", 14));
		assert_true(err.len > 14);
	}
	/* only len bytes are read */
	strbuf_reset(&err);
	o = json_parse("[1]garbage", 3, &err);
	assert_non_null(o);
	assert_int_equal(json_object_array_length(o), 1);
	json_object_put(o);
	strbuf_release(&err);
}

/* json_quote: one JSON literal on one line, controls escaped (DEL and C1
 * too, for YAML), invalid UTF-8 (0xff, a UTF-16 surrogate's three bytes)
 * one U+FFFD a byte, embedded NUL kept */
static void test_quote(void **state)
{
	(void)state;
	struct strbuf js = STRBUF_INIT;
	const char raw[] = "q\"\\\n\t\x01\x7f\xc3\xa9\xc2\x85\xff\xed\xa0\x80/";

	json_quote(&js, raw, sizeof(raw) - 1);
	assert_string_equal(js.buf, "\"q\\\"\\\\\\n\\t\\u0001\\u007f\xc3\xa9\\u0085"
				    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd/\"");
	strbuf_reset(&js);
	json_quote(&js, "a\0b", 3);
	assert_string_equal(js.buf, "\"a\\u0000b\"");
	strbuf_release(&js);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_str_invalid_bytes),
		cmocka_unit_test(test_keys_sanitised),
		cmocka_unit_test(test_dump),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_quote),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
