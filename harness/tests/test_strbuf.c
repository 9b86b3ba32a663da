/* Tests for strbuf.c: always NUL-terminated, len < alloc once allocated,
 * growth through addf, detach and release, reading whole files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/strbuf.h"

static void assert_invariants(const struct strbuf *sb)
{
	assert_non_null(sb->buf);
	assert_int_equal(sb->buf[sb->len], '\0');
	if (sb->alloc)
		assert_true(sb->len < sb->alloc);
	else
		assert_int_equal(sb->len, 0);
}

static void test_empty(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT, other;

	assert_invariants(&sb);
	assert_string_equal(sb.buf, "");
	strbuf_init(&other);
	assert_invariants(&other);
	strbuf_reset(&sb);
	strbuf_rtrim(&sb);
	assert_invariants(&sb);
	strbuf_release(&sb);
	strbuf_release(&sb);
	assert_invariants(&sb);
}

static void test_add(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT, other = STRBUF_INIT;

	strbuf_add(&sb, "ab\0c", 4);
	assert_int_equal(sb.len, 4);
	assert_memory_equal(sb.buf, "ab\0c", 5);
	assert_invariants(&sb);
	strbuf_addch(&sb, 'd');
	strbuf_addstr(&other, "-xyz");
	strbuf_addbuf(&sb, &other);
	assert_int_equal(sb.len, 9);
	assert_memory_equal(sb.buf, "ab\0cd-xyz", 10);
	assert_invariants(&sb);
	strbuf_reset(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	assert_invariants(&sb);
	strbuf_release(&sb);
	strbuf_release(&other);
}

static void test_addf_growth(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	char big[5000];

	for (int i = 0; i < 1000; i++) {
		strbuf_addf(&sb, "%04d", i);
		assert_invariants(&sb);
	}
	assert_int_equal(sb.len, 4000);
	assert_memory_equal(sb.buf, "00000001", 8);
	assert_memory_equal(sb.buf + 3996, "0999", 4);
	/* one addf longer than what is left, and than the first allocation */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	strbuf_reset(&sb);
	strbuf_addf(&sb, "<%s>", big);
	assert_int_equal(sb.len, sizeof(big) + 1);
	assert_int_equal(sb.buf[0], '<');
	assert_int_equal(sb.buf[sb.len - 1], '>');
	assert_int_equal(strspn(sb.buf + 1, "x"), sizeof(big) - 1);
	assert_invariants(&sb);
	strbuf_grow(&sb, 100000);
	assert_true(sb.alloc > sb.len + 100000);
	assert_invariants(&sb);
	strbuf_release(&sb);
}

static void test_rtrim(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "a \t\r\n");
	strbuf_rtrim(&sb);
	assert_string_equal(sb.buf, "a");
	assert_int_equal(sb.len, 1);
	strbuf_reset(&sb);
	strbuf_addstr(&sb, " \n");
	strbuf_rtrim(&sb);
	assert_string_equal(sb.buf, "");
	assert_invariants(&sb);
	strbuf_release(&sb);
}

static void test_drop_front(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;

	strbuf_drop_front(&sb, 0);
	assert_invariants(&sb);
	strbuf_addstr(&sb, "abcdef");
	strbuf_drop_front(&sb, 2);
	assert_string_equal(sb.buf, "cdef");
	assert_int_equal(sb.len, 4);
	strbuf_drop_front(&sb, 4);
	assert_string_equal(sb.buf, "");
	assert_invariants(&sb);
	strbuf_release(&sb);
}

static void test_detach_release(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "a");
	char *d = strbuf_detach(&sb);
	assert_string_equal(d, "a");
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.alloc, 0);
	free(d);
	/* an empty buffer detaches as a fresh, freeable "" */
	d = strbuf_detach(&sb);
	assert_non_null(d);
	assert_string_equal(d, "");
	free(d);
	/* usable again after release */
	strbuf_addstr(&sb, "b");
	strbuf_release(&sb);
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.alloc, 0);
	assert_string_equal(sb.buf, "");
	strbuf_addstr(&sb, "c");
	assert_string_equal(sb.buf, "c");
	strbuf_release(&sb);
}

static void test_read_file(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	char path[] = "/tmp/oomtest-strbuf.XXXXXX";

	assert_true(strbuf_read_file(&sb, "/nonexistent/file") < 0);
	assert_int_equal(sb.len, 0);
	assert_invariants(&sb);

	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(strbuf_read_file(&sb, path), 0);
	assert_int_equal(sb.len, 0);
	assert_invariants(&sb);
	/* more than one read's worth, with a NUL inside; appended to what is there */
	char *data = malloc(20000);
	for (int i = 0; i < 20000; i++)
		data[i] = (char)(i % 251);
	assert_int_equal(write(fd, data, 20000), 20000);
	close(fd);
	strbuf_addstr(&sb, "head");
	assert_int_equal(strbuf_read_file(&sb, path), 0);
	assert_int_equal(sb.len, 20004);
	assert_memory_equal(sb.buf, "head", 4);
	assert_memory_equal(sb.buf + 4, data, 20000);
	assert_invariants(&sb);
	unlink(path);
	free(data);
	strbuf_release(&sb);
}

static void test_alloc_helpers(void **state)
{
	(void)state;
	char *s = xstrndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	s = xstrdup("");
	assert_string_equal(s, "");
	free(s);
	int *z = xcalloc(4, sizeof(int));
	assert_int_equal(z[0] | z[1] | z[2] | z[3], 0);
	z = xrealloc(z, 0);
	assert_non_null(z);
	free(z);
	free(xmalloc(0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_addf_growth),
		cmocka_unit_test(test_rtrim),
		cmocka_unit_test(test_drop_front),
		cmocka_unit_test(test_detach_release),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_alloc_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
