/* Tests for guest/files.c: reading a file allocates nothing, and a file
 * larger than the reserved buffer is cut after its last whole line, with
 * the mark. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest_test_util.h"

/* n bytes of lines "line N\n" (the last one maybe unended) */
static char *lines(size_t n)
{
	char *t = malloc(n + 16);
	size_t len = 0;

	for (int i = 0; len < n; i++)
		len += (size_t)sprintf(t + len, "line %d\n", i);
	t[n] = '\0';
	return t;
}

static void test_small_file_whole(void **state)
{
	char path[] = "/tmp/oomtest-guest-files.XXXXXX";
	struct buf b = { 0 };
	int fd = temp_file(path, "MemTotal: 1 kB\nMemFree: 2 kB\n", 29);

	(void)state;
	buf_reserve(&b, 4096);
	char *reserved = b.p;
	size_t alloc = b.alloc;
	/* from the start, wherever the file offset is, and again */
	for (int i = 0; i < 2; i++) {
		assert_int_equal(read_fd(fd, &b), 0);
		assert_int_equal(b.len, 29);
		assert_string_equal(b.p, "MemTotal: 1 kB\nMemFree: 2 kB\n");
	}
	assert_ptr_equal(b.p, reserved);
	assert_int_equal(b.alloc, alloc);
	close(fd);
	unlink(path);
	free(b.p);
}

static void test_large_file_cut_in_place(void **state)
{
	char path[] = "/tmp/oomtest-guest-files.XXXXXX";
	struct buf b = { 0 };
	char *text = lines(100000);
	int fd = temp_file(path, text, 100000);

	(void)state;
	buf_reserve(&b, 4096);
	char *reserved = b.p;
	size_t alloc = b.alloc;
	lseek(fd, 0, SEEK_SET);
	assert_int_equal(read_fd(fd, &b), 0);
	/* the same buffer, never grown: nothing was allocated */
	assert_ptr_equal(b.p, reserved);
	assert_int_equal(b.alloc, alloc);
	assert_true(b.len < alloc);
	assert_int_equal(strlen(b.p), b.len);
	/* whole lines of the file, then the mark */
	assert_true(b.len > strlen(FILES_CUT_MARK));
	size_t kept = b.len - strlen(FILES_CUT_MARK);
	assert_string_equal(b.p + kept, FILES_CUT_MARK);
	assert_true(kept > alloc / 2);
	assert_memory_equal(b.p, text, kept);
	assert_int_equal(b.p[kept - 1], '\n');
	close(fd);
	unlink(path);
	free(text);
	free(b.p);
}

/* A file that just fits is whole; one byte more is cut. */
static void test_fits_exactly(void **state)
{
	char path[] = "/tmp/oomtest-guest-files.XXXXXX";
	struct buf b = { 0 };

	(void)state;
	buf_reserve(&b, 100);
	size_t room = b.alloc - sizeof(FILES_CUT_MARK) - 1;
	char *text = lines(room + 1);
	int fd = temp_file(path, text, room);
	assert_int_equal(read_fd(fd, &b), 0);
	assert_int_equal(b.len, room);
	assert_memory_equal(b.p, text, room);
	assert_int_equal(write(fd, text + room, 1), 1);
	assert_int_equal(read_fd(fd, &b), 0);
	assert_non_null(strstr(b.p, FILES_CUT_MARK));
	close(fd);
	unlink(path);
	free(text);
	free(b.p);
}

/* One line longer than the buffer: what fits, ended, then the mark. */
static void test_one_long_line(void **state)
{
	char path[] = "/tmp/oomtest-guest-files.XXXXXX";
	struct buf b = { 0 };
	char text[300];

	(void)state;
	memset(text, 'x', sizeof(text));
	int fd = temp_file(path, text, sizeof(text));
	buf_reserve(&b, 100);
	size_t alloc = b.alloc;
	assert_int_equal(read_fd(fd, &b), 0);
	assert_int_equal(b.len, alloc - 1);
	assert_string_equal(b.p + b.len - strlen(FILES_CUT_MARK) - 1, "\n" FILES_CUT_MARK);
	close(fd);
	unlink(path);
	free(b.p);
}

/* No buffer reserved: an error, not an allocation. */
static void test_unreserved(void **state)
{
	struct buf b = { 0 };

	(void)state;
	assert_int_equal(read_file("/proc/self/status", &b), -ENOBUFS);
	assert_null(b.p);
	assert_int_equal(read_file("/nonexistent", &b), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_file_whole),
		cmocka_unit_test(test_large_file_cut_in_place),
		cmocka_unit_test(test_fits_exactly),
		cmocka_unit_test(test_one_long_line),
		cmocka_unit_test(test_unreserved),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
