/* test_case_lexer: lines (LF, CRLF, none at the end), line numbers, NUL
 * bytes, comments, trimming, section headers, key = value and words. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "case/lexer.h"

/* Reads the next line and checks its kind, number and (when want is not NULL) text. */
static void next_is(struct lexer *lx, enum lex_line kind, int line, const char *want)
{
	char *s = NULL;

	assert_int_equal(lexer_next(lx, &s), kind);
	assert_int_equal(lx->line, line);
	if (want)
		assert_string_equal(s, want);
}

static void test_lines(void **state)
{
	static const char text[] = "[case]\r\n  memory = 64M  \n\n# all comment\n"
				   "\t[step a] # why\r\nrun = hog\0x\nlast";
	struct lexer lx;

	(void)state;
	lexer_init(&lx, text, sizeof(text) - 1);
	next_is(&lx, LEX_SECTION, 1, "[case]");
	next_is(&lx, LEX_TEXT, 2, "memory = 64M");
	next_is(&lx, LEX_BLANK, 3, "");
	next_is(&lx, LEX_BLANK, 4, "");
	next_is(&lx, LEX_SECTION, 5, "[step a]");
	next_is(&lx, LEX_NUL, 6, NULL);
	next_is(&lx, LEX_TEXT, 7, "last");
	next_is(&lx, LEX_END, 7, NULL);
	next_is(&lx, LEX_END, 7, NULL);
	lexer_release(&lx);

	/* a lone CR is not a line end; only the one before LF goes */
	lexer_init(&lx, "a\rb\r\r\n", 6);
	next_is(&lx, LEX_TEXT, 1, "a\rb");
	next_is(&lx, LEX_END, 1, NULL);
	lexer_release(&lx);

	lexer_init(&lx, "", 0);
	next_is(&lx, LEX_END, 0, NULL);
	lexer_release(&lx);
}

static void test_comments(void **state)
{
	static const struct { const char *in, *out; } t[] = {
		{ "# x", "" },
		{ "a = b # c", "a = b" },
		{ "a = b#c", "a = b#c" },		/* '#' inside a word */
		{ "a = \"b # c\" # d", "a = \"b # c\"" },	/* inside quotes */
		{ "a = \"b \\\" # c\" # d", "a = \"b \\\" # c\"" },
		{ "a = \"open # c", "a = \"open # c" },	/* unterminated: kept */
		{ "a =\t# tab before", "a =" },
	};
	struct lexer lx;
	char *s;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		lexer_init(&lx, t[i].in, strlen(t[i].in));
		lexer_next(&lx, &s);
		assert_string_equal(s, t[i].out);
		lexer_release(&lx);
	}
}

static void test_section(void **state)
{
	char a[] = "[ step   hog 2 ]", b[] = "[expect]", c[] = "[case", d[] = "[]";
	char *kind, *name;

	(void)state;
	assert_int_equal(lexer_section(a, &kind, &name), 0);
	assert_string_equal(kind, "step");
	assert_string_equal(name, "hog 2");
	assert_int_equal(lexer_section(b, &kind, &name), 0);
	assert_string_equal(kind, "expect");
	assert_string_equal(name, "");
	assert_int_equal(lexer_section(c, &kind, &name), -1);
	assert_string_equal(c, "[case");
	assert_int_equal(lexer_section(d, &kind, &name), 0);
	assert_string_equal(kind, "");
}

static void test_key_value(void **state)
{
	char a[] = "memory  =\t64M 128M", b[] = "a==b", c[] = "no equals", d[] = "= v", e[] = "k =";
	char *key, *val;

	(void)state;
	assert_int_equal(lexer_key_value(a, &key, &val), 0);
	assert_string_equal(key, "memory");
	assert_string_equal(val, "64M 128M");
	assert_int_equal(lexer_key_value(b, &key, &val), 0);	/* the first '=' splits */
	assert_string_equal(key, "a");
	assert_string_equal(val, "=b");
	assert_int_equal(lexer_key_value(c, &key, &val), -1);
	assert_string_equal(c, "no equals");
	assert_int_equal(lexer_key_value(d, &key, &val), 0);
	assert_string_equal(key, "");
	assert_string_equal(val, "v");
	assert_int_equal(lexer_key_value(e, &key, &val), 0);
	assert_string_equal(key, "k");
	assert_string_equal(val, "");
}

static void test_words(void **state)
{
	char **v;
	size_t n;

	(void)state;
	assert_int_equal(lexer_words("  hog  \"a b\" x\"y z\"w \"q\\\"\\\\\" \"\"", &v, &n), 0);
	assert_int_equal(n, 5);
	assert_string_equal(v[0], "hog");
	assert_string_equal(v[1], "a b");
	assert_string_equal(v[2], "xy zw");
	assert_string_equal(v[3], "q\"\\");
	assert_string_equal(v[4], "");
	assert_null(v[5]);
	lexer_free_words(v, n);

	assert_int_equal(lexer_words("", &v, &n), 0);
	assert_int_equal(n, 0);
	assert_null(v[0]);
	lexer_free_words(v, n);
	assert_int_equal(lexer_words("a \"b", &v, &n), -1);

	lexer_plain_words(" 64M\t\"128M x\" ", &v, &n);
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "64M");
	assert_string_equal(v[1], "\"128M");
	assert_string_equal(v[2], "x\"");
	assert_null(v[3]);
	lexer_free_words(v, n);
}

static void test_grow(void **state)
{
	int *v = NULL;
	size_t alloc = 0;

	(void)state;
	for (size_t i = 0; i < 100; i++) {
		case_grow((void **)&v, &alloc, i, sizeof(*v));
		assert_true(alloc > i);
		v[i] = (int)i;
	}
	for (size_t i = 0; i < 100; i++)
		assert_int_equal(v[i], (int)i);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_section),
		cmocka_unit_test(test_key_value),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_grow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
