/* Tests for lava/lava_board.c: the board table; a board's job (tftp
 * deploy of kernel, ramdisk as it is and dtb; U-Boot ramdisk boot; the
 * command line as the context's extra_kernel_args) and the specs it
 * refuses (no dtb, another arch, ' or { in the command line); the
 * ramdisk's U-Boot header byte for byte as mkimage writes it, and no file
 * left behind when the input is missing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lava/lava_board.h"
#include "lib/child.h"
#include "lib/fs.h"

static struct lava_job_spec spec(void)
{
	return (struct lava_job_spec){
		.job_name = "oomtest a/arm64", .arch = "arm64", .memory_mb = 128,
		.kernel_url = "http://lab/a/arm64/vmlinuz", .initramfs_url = "http://lab/a/arm64/initrd.cpio.uboot",
		.cmdline = "loglevel=7 oomtest.chan=kmsg mem=128M",
		.job_timeout_s = 400, .deploy_timeout_s = 120, .boot_timeout_s = 50, .test_timeout_s = 60,
		.start_marker = "READY", .end_marker = "DONE", .markers_are_regex = true,
	};
}

static void test_table(void **state)
{
	struct strbuf names = STRBUF_INIT;

	(void)state;
	assert_non_null(lava_board_find("bcm2711-rpi-4-b"));
	assert_string_equal(lava_board_find("bcm2711-rpi-4-b")->arch, "arm64");
	assert_null(lava_board_find("qemu"));
	assert_null(lava_board_find(NULL));
	lava_board_names(&names);
	assert_string_equal(names.buf, "bcm2711-rpi-4-b");
	strbuf_release(&names);
}

static void test_job(void **state)
{
	struct lava_job_spec s = spec();
	struct lava_board_job b = { &s, lava_board_find("bcm2711-rpi-4-b"), "http://lab/a/arm64/rpi.dtb", "gz" };
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	(void)state;
	assert_int_equal(lava_board_write_job(&b, &out, &err), 0);
	assert_non_null(strstr(out.buf, "device_type: 'bcm2711-rpi-4-b'\n"));
	assert_non_null(strstr(out.buf, "  extra_kernel_args: 'loglevel=7 oomtest.chan=kmsg mem=128M'\n"));
	assert_non_null(strstr(out.buf, "    to: 'tftp'\n"));
	assert_non_null(strstr(out.buf, "      url: 'http://lab/a/arm64/vmlinuz'\n      type: 'image'\n"
					"      compression: 'gz'\n"));
	assert_non_null(strstr(out.buf, "      header: 'u-boot'\n      install_modules: false\n"
					"      install_overlay: false\n"));
	assert_non_null(strstr(out.buf, "    dtb:\n      url: 'http://lab/a/arm64/rpi.dtb'\n"));
	assert_non_null(strstr(out.buf, "    method: 'u-boot'\n    commands: 'ramdisk'\n"));
	assert_non_null(strstr(out.buf, "    timeout: {seconds: 230}\n    prompts:\n    - 'READY'\n"));
	assert_non_null(strstr(out.buf, "      end: 'DONE'\n"));

	/* what it refuses, out as it was */
	strbuf_reset(&out);
	b.dtb_url = NULL;
	assert_int_equal(lava_board_write_job(&b, &out, &err), -1);
	assert_non_null(strstr(err.buf, "needs a dtb"));
	b.dtb_url = "http://lab/d.dtb";
	s.arch = "x86_64";
	strbuf_reset(&err);
	assert_int_equal(lava_board_write_job(&b, &out, &err), -1);
	assert_non_null(strstr(err.buf, "an arm64 board, not x86_64"));
	s.arch = "arm64";
	s.cmdline = "init='x'";
	strbuf_reset(&err);
	assert_int_equal(lava_board_write_job(&b, &out, &err), -1);
	assert_non_null(strstr(err.buf, "may not hold"));
	assert_int_equal(out.len, 0);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_wrap(void **state)
{
	char dir[] = "/tmp/oomtest-lava-board.XXXXXX";
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT, ref = STRBUF_INIT, err = STRBUF_INIT,
		      got = STRBUF_INIT, want = STRBUF_INIT;
	static const char data[] = "070701 some initramfs bytes";

	(void)state;
	assert_non_null(mkdtemp(dir));
	strbuf_addf(&in, "%s/initrd.cpio", dir);
	strbuf_addf(&out, "%s/initrd.cpio.uboot", dir);
	strbuf_addf(&ref, "%s/ref", dir);
	assert_int_equal(fs_write_atomic(in.buf, data, sizeof(data) - 1), 0);
	assert_int_equal(lava_board_wrap_ramdisk(lava_board_find("bcm2711-rpi-4-b"), in.buf, "oomtest initramfs",
						 out.buf, &err), 0);
	if (access("/usr/bin/mkimage", X_OK))
		fail_msg("/usr/bin/mkimage is missing: install u-boot-tools (lava-dispatcher recommends it)");
	setenv("SOURCE_DATE_EPOCH", "0", 1);
	char *mk[] = { "/usr/bin/mkimage", "-A", "arm64", "-O", "linux", "-T", "ramdisk", "-C", "none", "-n",
		       "oomtest initramfs", "-d", in.buf, ref.buf, NULL };
	assert_int_equal(child_run(mk, -1), 0);
	assert_int_equal(strbuf_read_file(&got, out.buf), 0);
	assert_int_equal(strbuf_read_file(&want, ref.buf), 0);
	assert_int_equal(got.len, 64 + sizeof(data) - 1);
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.buf, want.buf, got.len);

	/* no input: an error and no output */
	unlink(out.buf);
	unlink(in.buf);
	assert_int_equal(lava_board_wrap_ramdisk(lava_board_find("bcm2711-rpi-4-b"), in.buf, "x", out.buf, &err), -1);
	assert_non_null(strstr(err.buf, "initrd.cpio"));
	assert_int_equal(access(out.buf, F_OK), -1);
	unlink(ref.buf);
	assert_int_equal(rmdir(dir), 0);
	strbuf_release(&in);
	strbuf_release(&out);
	strbuf_release(&ref);
	strbuf_release(&err);
	strbuf_release(&got);
	strbuf_release(&want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_job),
		cmocka_unit_test(test_wrap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
