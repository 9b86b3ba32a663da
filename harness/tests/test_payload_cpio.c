/* Tests for payload/cpio.c: the exact bytes of newc entries (header
 * fields, 4-byte padding), file data streamed from the host, the limit
 * that keeps the trailer's room, names refused; and the archive as GNU
 * cpio lists it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/child.h"
#include "lib/fs.h"
#include "lib/strbuf.h"
#include "payload/cpio.h"

static char dir[] = "/tmp/oomtest-cpio.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	struct strbuf p = STRBUF_INIT;
	(void)state;
	strbuf_addf(&p, "%s/archive", dir);
	unlink(p.buf);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/data", dir);
	unlink(p.buf);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/list", dir);
	unlink(p.buf);
	strbuf_release(&p);
	return rmdir(dir);
}

static int open_archive(void)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/archive", dir);
	int fd = open(p.buf, O_RDWR | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	strbuf_release(&p);
	return fd;
}

static void read_back(int fd, struct strbuf *out)
{
	char buf[4096];
	ssize_t n;

	strbuf_reset(out);
	assert_true(lseek(fd, 0, SEEK_SET) == 0);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		strbuf_add(out, buf, (size_t)n);
}

/* A newc header field: 8 hex digits at index i (0: ino ... 12: check). */
static unsigned long field(const char *header, int i)
{
	char hex[9];
	memcpy(hex, header + 6 + 8 * i, 8);
	hex[8] = '\0';
	return strtoul(hex, NULL, 16);
}

static void test_exact_bytes(void **state)
{
	struct cpio_writer w;
	struct strbuf got = STRBUF_INIT;
	int fd = open_archive();
	(void)state;

	cpio_init(&w, fd, 0);
	assert_int_equal(cpio_add_dir(&w, "usr", 0755), 0);
	assert_int_equal(cpio_add_symlink(&w, "usr/lib64", "lib"), 0);
	assert_int_equal(cpio_finish(&w), 0);
	read_back(fd, &got);
	close(fd);
	assert_int_equal(got.len, w.written);

	static const char expect[] =
		/* "usr": 110 + 4 bytes of name and NUL, padded to 116 */
		"070701" "00000001" "000041ED" "00000000" "00000000" "00000002" "00000000" "00000000"
		"00000000" "00000000" "00000000" "00000000" "00000004" "00000000" "usr\0" "\0\0"
		/* "usr/lib64" -> "lib": 110 + 10 = 120, data 3 padded to 4 */
		"070701" "00000002" "0000A1FF" "00000000" "00000000" "00000001" "00000000" "00000003"
		"00000000" "00000000" "00000000" "00000000" "0000000A" "00000000" "usr/lib64\0" "lib\0"
		/* the trailer: 110 + 11 = 121, padded to 124 */
		"070701" "00000003" "00000000" "00000000" "00000000" "00000001" "00000000" "00000000"
		"00000000" "00000000" "00000000" "00000000" "0000000B" "00000000" "TRAILER!!!\0" "\0\0\0";
	assert_int_equal(got.len, sizeof(expect) - 1);
	assert_memory_equal(got.buf, expect, sizeof(expect) - 1);
	assert_int_equal(cpio_entry_size("usr", 0) + cpio_entry_size("usr/lib64", 3) + cpio_trailer_size(), got.len);
	strbuf_release(&got);
}

static void test_file_data_and_padding(void **state)
{
	struct cpio_writer w;
	struct strbuf got = STRBUF_INIT, data = STRBUF_INIT, p = STRBUF_INIT;
	int fd = open_archive();
	(void)state;

	/* bigger than the copy buffer, not a multiple of 4 */
	for (size_t i = 0; i < 200001; i++)
		strbuf_addch(&data, (char)('a' + i % 26));
	strbuf_addf(&p, "%s/data", dir);
	assert_int_equal(fs_write_atomic(p.buf, data.buf, data.len), 0);

	cpio_init(&w, fd, 0);
	assert_int_equal(cpio_add_file(&w, "bin/prog", p.buf, 0100755), 0);
	assert_int_equal(cpio_finish(&w), 0);
	read_back(fd, &got);
	close(fd);

	assert_memory_equal(got.buf, "070701", 6);
	assert_int_equal(field(got.buf, 1), 0100755);  /* S_IFREG with the permission bits */
	assert_int_equal(field(got.buf, 2), 0);        /* uid */
	assert_int_equal(field(got.buf, 3), 0);        /* gid */
	assert_int_equal(field(got.buf, 5), 0);        /* mtime */
	assert_int_equal(field(got.buf, 6), 200001);
	assert_int_equal(field(got.buf, 11), 9);       /* "bin/prog" and its NUL */
	assert_string_equal(got.buf + 110, "bin/prog");
	/* 110 + 9 = 119: one byte of padding, the data at 120 */
	assert_int_equal(got.buf[119], '\0');
	assert_memory_equal(got.buf + 120, data.buf, data.len);
	/* 200001 bytes: three of padding, then the trailer */
	size_t trailer = 120 + 200001 + 3;
	assert_memory_equal(got.buf + 120 + 200001, "\0\0\0", 3);
	assert_memory_equal(got.buf + trailer, "070701", 6);
	assert_int_equal(trailer % 4, 0);
	assert_string_equal(got.buf + trailer + 110, "TRAILER!!!");
	assert_int_equal(got.len, trailer + cpio_trailer_size());
	assert_int_equal(got.len % 4, 0);

	/* GNU cpio reads it: one member, its size */
	struct strbuf list = STRBUF_INIT, arch = STRBUF_INIT, lf = STRBUF_INIT;
	strbuf_addf(&arch, "%s/archive", dir);
	strbuf_addf(&lf, "%s/list", dir);
	int out = open(lf.buf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	char *argv[] = { "cpio", "-tv", "--quiet", "-F", arch.buf, NULL };
	assert_int_equal(child_run(argv, out), 0);
	close(out);
	assert_int_equal(strbuf_read_file(&list, lf.buf), 0);
	assert_non_null(strstr(list.buf, "-rwxr-xr-x"));
	assert_non_null(strstr(list.buf, " 200001 "));
	assert_non_null(strstr(list.buf, "bin/prog\n"));
	strbuf_release(&list);
	strbuf_release(&arch);
	strbuf_release(&lf);
	strbuf_release(&got);
	strbuf_release(&data);
	strbuf_release(&p);
}

static void test_limit(void **state)
{
	struct cpio_writer w;
	struct strbuf got = STRBUF_INIT;
	int fd = open_archive();
	unsigned long long one = cpio_entry_size("a", 0);
	(void)state;

	/* room for two directories and the trailer, not three */
	cpio_init(&w, fd, 2 * one + cpio_trailer_size());
	assert_int_equal(cpio_add_dir(&w, "a", 0755), 0);
	assert_int_equal(cpio_add_dir(&w, "b", 0755), 0);
	assert_int_equal(cpio_add_dir(&w, "c", 0755), -EFBIG);
	assert_int_equal(cpio_add_symlink(&w, "d", "x"), -EFBIG);
	assert_int_equal(w.written, 2 * one);
	assert_int_equal(cpio_finish(&w), 0);
	assert_int_equal(w.written, w.limit);
	read_back(fd, &got);
	assert_int_equal(got.len, w.limit);
	close(fd);
	strbuf_release(&got);
}

static void test_refused(void **state)
{
	struct cpio_writer w;
	int fd = open_archive();
	(void)state;

	cpio_init(&w, fd, 0);
	assert_int_equal(cpio_add_dir(&w, "", 0755), -EINVAL);
	assert_int_equal(cpio_add_dir(&w, "TRAILER!!!", 0755), -EINVAL);
	assert_int_equal(cpio_add_symlink(&w, "x", ""), -EINVAL);
	assert_int_equal(cpio_add_file(&w, "x", "/nonexistent/file", 0644), -ENOENT);
	assert_int_equal(cpio_add_file(&w, "x", dir, 0644), -EINVAL);
	assert_int_equal(w.written, 0);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_bytes),
		cmocka_unit_test(test_file_data_and_padding),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
