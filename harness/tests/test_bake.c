/* Tests for run/bake.c: the key line is "key" and 32 lowercase hex digits;
 * keys from getrandom differ; the run's initrd is the base, zeros to a
 * 4-byte boundary, then a newc archive with oomtest/ (0700) and
 * oomtest/plan (0600) holding the plan, and its trailer; a base that does
 * not open leaves no file behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fs.h"
#include "proto/frame.h"
#include "run/bake.h"

static void test_key(void **state)
{
	unsigned char a[SIPHASH_KEY_BYTES], b[SIPHASH_KEY_BYTES], back[SIPHASH_KEY_BYTES];
	struct strbuf line = STRBUF_INIT, err = STRBUF_INIT;

	(void)state;
	assert_int_equal(bake_new_key(a, &err), 0);
	assert_int_equal(bake_new_key(b, &err), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	bake_key_line(&line, a);
	assert_int_equal(line.len, 4 + FRAME_KEY_HEX + 1);
	assert_memory_equal(line.buf, "key ", 4);
	assert_int_equal(line.buf[line.len - 1], '\n');
	assert_int_equal(strspn(line.buf + 4, "0123456789abcdef"), FRAME_KEY_HEX);
	assert_int_equal(frame_key_parse(back, line.buf + 4, FRAME_KEY_HEX), 0);
	assert_memory_equal(back, a, sizeof(a));
	strbuf_release(&line);
	strbuf_release(&err);
}

static void test_initrd(void **state)
{
	char dir[] = "/tmp/oomtest-test-bake.XXXXXX";
	struct strbuf base = STRBUF_INIT, plan = STRBUF_INIT, out = STRBUF_INIT, got = STRBUF_INIT,
		      err = STRBUF_INIT;
	static const char plan_text[] = "key 000102030405060708090a0b0c0d0e0f\nrun a hog\nend\n";

	(void)state;
	assert_non_null(mkdtemp(dir));
	strbuf_addf(&base, "%s/initramfs.cpio", dir);
	strbuf_addf(&plan, "%s/plan.txt", dir);
	strbuf_addf(&out, "%s/initrd.cpio", dir);
	assert_int_equal(fs_write_atomic(base.buf, "0123456789", 10), 0);
	assert_int_equal(fs_write_atomic(plan.buf, plan_text, sizeof(plan_text) - 1), 0);
	assert_int_equal(bake_initrd(base.buf, plan.buf, out.buf, &err), 0);
	assert_int_equal(strbuf_read_file(&got, out.buf), 0);
	assert_memory_equal(got.buf, "0123456789\0\0" "070701", 18);
	assert_int_equal(got.len % 4, 0);
	/* the directory entry: mode 040700; the file's: 0100600 with its size */
	assert_memory_equal(got.buf + 12 + 14, "000041C0", 8);
	assert_non_null(memmem(got.buf, got.len, "oomtest\0", 8));
	char *member = memmem(got.buf, got.len, "oomtest/plan\0", 13);
	assert_non_null(member);
	assert_memory_equal(member - 110 + 14, "00008180", 8);
	assert_memory_equal(member - 110 + 54, "00000033", 8);
	assert_non_null(memmem(got.buf, got.len, plan_text, sizeof(plan_text) - 1));
	assert_non_null(memmem(got.buf, got.len, "TRAILER!!!", 10));

	/* no base: an error, and no half-made file */
	unlink(base.buf);
	assert_int_equal(bake_initrd(base.buf, plan.buf, out.buf, &err), -1);
	assert_non_null(strstr(err.buf, "initramfs.cpio"));
	assert_int_equal(access(out.buf, F_OK), -1);
	unlink(plan.buf);
	assert_int_equal(rmdir(dir), 0);
	strbuf_release(&base);
	strbuf_release(&plan);
	strbuf_release(&out);
	strbuf_release(&got);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_initrd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
