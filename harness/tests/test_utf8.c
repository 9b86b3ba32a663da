/* Tests for utf8.c: valid UTF-8 passes unchanged, every invalid sequence
 * becomes U+FFFD (one per bad byte), and with UTF8_XML the control bytes
 * XML 1.0 forbids are replaced too (tab, LF and CR are kept). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "lib/utf8.h"

#define R "\xef\xbf\xbd" /* U+FFFD */

/* Sanitizes len bytes of in and checks the result is exactly want (wlen bytes). */
static void check_len(const char *in, size_t len, int flags, const char *want, size_t wlen)
{
	struct strbuf sb = STRBUF_INIT;
	utf8_sanitize(&sb, in, len, flags);
	if (sb.len != wlen || memcmp(sb.buf, want, wlen))
		fail_msg("utf8_sanitize(flags %d) of %zu bytes: got %zu bytes \"%s\", want %zu bytes \"%s\"", flags,
			 len, sb.len, sb.buf, wlen, want);
	/* always NUL-terminated after the bytes */
	assert_int_equal(sb.buf[sb.len], '\0');
	strbuf_release(&sb);
}

/* The same for NUL-free strings, in both modes. */
static void check(const char *in, int flags, const char *want)
{
	check_len(in, strlen(in), flags, want, strlen(want));
}

static void check_both(const char *in, const char *want)
{
	check(in, 0, want);
	check(in, UTF8_XML, want);
}

static void test_valid_unchanged(void **state)
{
	(void)state;
	check_both("", "");
	check_both("plain ASCII: oom.1.victim.comm == hog ~!@#$%^&*()_+{}|:\"<>?", "plain ASCII: oom.1.victim.comm == hog ~!@#$%^&*()_+{}|:\"<>?");
	/* 2 bytes: U+0080 (lowest), é, U+07FF (highest) */
	check_both("\xc2\x80 \xc3\xa9 \xdf\xbf", "\xc2\x80 \xc3\xa9 \xdf\xbf");
	/* 3 bytes: U+0800 (lowest), €, U+D7FF (below the surrogates), U+E000 (above), U+FFFD, U+FFFC */
	check_both("\xe0\xa0\x80 \xe2\x82\xac \xed\x9f\xbf \xee\x80\x80 \xef\xbf\xbd \xef\xbf\xbc",
		   "\xe0\xa0\x80 \xe2\x82\xac \xed\x9f\xbf \xee\x80\x80 \xef\xbf\xbd \xef\xbf\xbc");
	/* 4 bytes: U+10000 (lowest), 😀 U+1F600, U+10FFFF (highest) */
	check_both("\xf0\x90\x80\x80 \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf", "\xf0\x90\x80\x80 \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf");
	/* non-characters other than U+FFFE/U+FFFF are characters for XML and kept */
	check_both("\xef\xb7\x90 \xf0\x9f\xbf\xbe", "\xef\xb7\x90 \xf0\x9f\xbf\xbe");
	/* DEL and C1 controls pass without UTF8_XML */
	check("\x7f \xc2\x85 \xc2\x9f", 0, "\x7f \xc2\x85 \xc2\x9f");
}

static void test_invalid_bytes(void **state)
{
	(void)state;
	/* a lone continuation byte, bytes that never start a sequence */
	check_both("a\x80z", "a" R "z");
	check_both("\xbf", R);
	check_both("\xc0\xc1", R R);
	check_both("\xf5\xf8\xfc\xfe\xff", R R R R R);
	check_both("x\xffy\xfez", "x" R "y" R "z");
	/* the bytes after a bad lead byte are judged on their own */
	check_both("\xff\xc3\xa9", R "\xc3\xa9");
	/* a lead byte followed by a non-continuation: one U+FFFD, the next byte kept */
	check_both("\xc3" "A", R "A");
	check_both("\xe2\x82" "A", R R "A");
	check_both("\xf0\x9f\x98" "A", R R R "A");
	/* a lead byte followed by another lead byte: both judged */
	check_both("\xc3\xc3\xa9", R "\xc3\xa9");
}

static void test_truncated(void **state)
{
	(void)state;
	/* a sequence cut by the end of the input: each byte replaced */
	check_both("\xc3", R);
	check_both("ab\xe2\x82", "ab" R R);
	check_both("\xf0\x9f\x98", R R R);
	check_both("\xf0\x9f", R R);
	/* cut by the length, not by a NUL: the bytes past len are not looked at */
	check_len("\xc3\xa9", 1, 0, R, 3);
	check_len("\xe2\x82\xac", 2, UTF8_XML, R R, 6);
	check_len("\xf0\x9f\x98\x80", 3, 0, R R R, 9);
	check_len("\xf0\x9f\x98\x80", 0, 0, "", 0);
}

static void test_overlong(void **state)
{
	(void)state;
	/* '/' as 2, 3 and 4 bytes; NUL as 2 bytes (Java's "modified UTF-8") */
	check_both("\xc0\xaf", R R);
	check_both("\xe0\x80\xaf", R R R);
	check_both("\xf0\x80\x80\xaf", R R R R);
	check_both("\xc0\x80", R R);
	/* the largest overlong of each length */
	check_both("\xc1\xbf", R R);
	check_both("\xe0\x9f\xbf", R R R);
	check_both("\xf0\x8f\xbf\xbf", R R R R);
	/* past U+10FFFF */
	check_both("\xf4\x90\x80\x80", R R R R);
}

static void test_surrogates_and_nonchars(void **state)
{
	(void)state;
	/* U+D800, U+DBFF, U+DC00, U+DFFF; a CESU-8 pair */
	check_both("\xed\xa0\x80", R R R);
	check_both("\xed\xaf\xbf", R R R);
	check_both("\xed\xb0\x80", R R R);
	check_both("\xed\xbf\xbf", R R R);
	check_both("\xed\xa0\xbd\xed\xb8\x80", R R R R R R);
	/* U+FFFE and U+FFFF are not characters (XML forbids them): replaced in
	 * both modes, one U+FFFD per byte */
	check_both("\xef\xbf\xbe", R R R);
	check_both("<\xef\xbf\xbf>", "<" R R R ">");
}

static void test_nul_inside_length(void **state)
{
	(void)state;
	/* NUL is valid UTF-8 and kept as a byte; XML forbids it */
	check_len("a\0b", 3, 0, "a\0b", 3);
	check_len("a\0b", 3, UTF8_XML, "a" R "b", 5);
	check_len("\0", 1, UTF8_XML, R, 3);
	/* the bytes after a NUL are still sanitized */
	check_len("\0\xff", 2, 0, "\0" R, 4);
}

static void test_control_bytes(void **state)
{
	(void)state;
	/* every C0 control, DEL */
	char in[34], want_xml[34 * 3 + 1];
	size_t wl = 0;
	for (int c = 1; c < 0x20; c++)
		in[c - 1] = (char)c;
	in[31] = 0x7f;
	in[32] = 'z';
	in[33] = '\0';
	for (int i = 0; i < 32; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c == '\t' || c == '\n' || c == '\r') {
			want_xml[wl++] = (char)c;
		} else {
			memcpy(want_xml + wl, R, 3);
			wl += 3;
		}
	}
	want_xml[wl++] = 'z';
	/* kept as they are without UTF8_XML */
	check_len(in, 33, 0, in, 33);
	/* replaced with it, but for tab, LF and CR */
	check_len(in, 33, UTF8_XML, want_xml, wl);
	/* a console line: ESC sequences lose the ESC, CR LF stays */
	check("\x1b[1;31mred\x1b[0m\r\n\tnext\n", UTF8_XML, R "[1;31mred" R "[0m\r\n\tnext\n");
	check("\x1b[1;31mred\x1b[0m\r\n", 0, "\x1b[1;31mred\x1b[0m\r\n");
	/* C1 controls are XML 1.0 characters and stay */
	check("\xc2\x85\xc2\x9b", UTF8_XML, "\xc2\x85\xc2\x9b");
}

static void test_appends(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "head:");
	utf8_sanitize(&sb, "\xff" "a", 2, 0);
	utf8_sanitize(&sb, "\x01", 1, UTF8_XML);
	assert_string_equal(sb.buf, "head:" R "a" R);
	strbuf_release(&sb);
}

static void test_dup(void **state)
{
	(void)state;
	char *s = utf8_dup("ok \xc3\xa9 \xff \x07", 0);
	assert_string_equal(s, "ok \xc3\xa9 " R " \x07");
	free(s);
	s = utf8_dup("ok \xc3\xa9 \xff \x07", UTF8_XML);
	assert_string_equal(s, "ok \xc3\xa9 " R " " R);
	free(s);
	s = utf8_dup("", UTF8_XML);
	assert_string_equal(s, "");
	free(s);
}

/* The output is always valid UTF-8 whatever the input: every byte value in
 * every position of a short window, checked by re-sanitizing (a fixed point). */
static void test_fixed_point(void **state)
{
	(void)state;
	unsigned char in[3];
	for (int a = 0; a < 256; a++)
		for (int b = 0; b < 256; b += 3) {
			in[0] = (unsigned char)a;
			in[1] = (unsigned char)b;
			in[2] = 0x80 | (unsigned char)(a ^ b) % 0x40;
			for (int flags = 0; flags <= UTF8_XML; flags++) {
				struct strbuf once = STRBUF_INIT, twice = STRBUF_INIT;
				utf8_sanitize(&once, (const char *)in, 3, flags);
				utf8_sanitize(&twice, once.buf, once.len, flags);
				assert_int_equal(once.len, twice.len);
				assert_memory_equal(once.buf, twice.buf, once.len);
				strbuf_release(&once);
				strbuf_release(&twice);
			}
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_unchanged),
		cmocka_unit_test(test_invalid_bytes),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_overlong),
		cmocka_unit_test(test_surrogates_and_nonchars),
		cmocka_unit_test(test_nul_inside_length),
		cmocka_unit_test(test_control_bytes),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_dup),
		cmocka_unit_test(test_fixed_point),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
