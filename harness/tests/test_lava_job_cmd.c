/* Tests for `oomtest lava-job` (cmd/lava_job.c) over a small project of
 * its own (OOMTEST_ROOT: a targets.list of x86_64, arm64 and a target
 * whose kernel is missing, a build-initramfs.sh that writes a stand-in
 * initramfs, three cases: one run, two variants, one with swap): the runs
 * written (names, files, the kernel a hard link), the URLs with and
 * without --url, the key in plan.txt the one the initramfs carries (its
 * appended archive read back), each job and device accepted by LAVA's
 * own schema, a run needing a disk listed as no job, a run's directory
 * replaced when written again, a board's job (U-Boot ramdisk byte for
 * byte as mkimage makes it), the usage errors (exit 2), and nothing left
 * in DIR when a file cannot be written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/lava_job.h"
#include "lib/child.h"
#include "lib/fs.h"
#include "lib/strbuf.h"
#include "lava_test_util.h"

static char tmp[] = "/tmp/oomtest-lava-job.XXXXXX";
static struct strbuf root = STRBUF_INIT, cases = STRBUF_INIT, dtb = STRBUF_INIT;

#define CASE_A "[case]\ndescription = a\nmemory = 128M\n[step hog]\nrun = hog --chunk 1M\n[expect]\noom.count >= 1\n"
#define CASE_B "[case]\ndescription = b\nmemory = 64M 128M\n[step hog]\nrun = hog --chunk 1M\n[expect]\noom.count >= 1\n"
#define CASE_S "[case]\ndescription = s\nmemory = 128M\nswap = 64M\n[step hog]\nrun = hog --chunk 1M\n" \
	       "[expect]\noom.count >= 1\n"

static void put(const char *rel, const char *text, size_t len)
{
	struct strbuf p = STRBUF_INIT;

	strbuf_addf(&p, "%s/%s", root.buf, rel);
	*strrchr(p.buf, '/') = '\0';
	assert_int_equal(fs_mkdirs(p.buf), 0);
	p.buf[strlen(p.buf)] = '/';
	assert_int_equal(fs_write_atomic(p.buf, text, len), 0);
	strbuf_release(&p);
}

static int setup(void **state)
{
	static const char script[] = "#!/bin/sh\ncd \"$(dirname \"$0\")/..\" || exit 1\n"
				     "mkdir -p build/targets/$1 && printf 'BASE-%s' \"$1\" > build/targets/$1/initramfs.cpio\n";
	static const char list[] = "x86_64 x86_64 6.1.0-50-amd64 kernels/vmlinuz-x86 kdir bzimage\n"
				   "arm64 arm64 6.1.0-50-arm64 kernels/vmlinuz-arm64 kdir image\n"
				   "broken x86_64 6.1.0-50-amd64 kernels/missing kdir bzimage\n";
	struct strbuf p = STRBUF_INIT;

	(void)state;
	if (!mkdtemp(tmp))
		return -1;
	strbuf_addf(&root, "%s/root", tmp);
	strbuf_addf(&cases, "%s/cases", root.buf);
	put("images/build-initramfs.sh", script, sizeof(script) - 1);
	strbuf_addf(&p, "%s/images/build-initramfs.sh", root.buf);
	chmod(p.buf, 0755);
	put("build/images/targets.list", list, sizeof(list) - 1);
	put("kernels/vmlinuz-x86", "KERNEL-X86", 10);
	put("kernels/vmlinuz-arm64", "\x1f\x8b\x08\x00" "arm64", 9);
	put("kernels/rpi.dtb", "DTB", 3);
	strbuf_addf(&dtb, "%s/kernels/rpi.dtb", root.buf);
	put("cases/a.case", CASE_A, sizeof(CASE_A) - 1);
	put("cases/b.case", CASE_B, sizeof(CASE_B) - 1);
	put("cases/s.case", CASE_S, sizeof(CASE_S) - 1);
	setenv("OOMTEST_ROOT", root.buf, 1);
	strbuf_release(&p);
	return 0;
}

static int teardown(void **state)
{
	char *argv[] = { "rm", "-rf", tmp, NULL };

	(void)state;
	child_run(argv, -1);
	strbuf_release(&root);
	strbuf_release(&cases);
	strbuf_release(&dtb);
	return 0;
}

/* cmd_lava_job on a NULL-terminated list of arguments */
static int lava_job(const char *first, ...)
{
	char *argv[32] = { "lava-job" };
	int argc = 1;
	va_list ap;

	va_start(ap, first);
	for (const char *a = first; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	fflush(stdout);
	return cmd_lava_job(argc, argv);
}

static void out_dir(const char *name, struct strbuf *out)
{
	strbuf_reset(out);
	strbuf_addf(out, "%s/%s", tmp, name);
}

static void read_in(const char *dir, const char *rel, struct strbuf *out)
{
	struct strbuf p = STRBUF_INIT;

	strbuf_addf(&p, "%s/%s", dir, rel);
	strbuf_reset(out);
	if (strbuf_read_file(out, p.buf))
		fail_msg("%s is missing", p.buf);
	strbuf_release(&p);
}

static int exists(const char *dir, const char *rel)
{
	struct strbuf p = STRBUF_INIT;
	int r;

	strbuf_addf(&p, "%s/%s", dir, rel);
	r = !access(p.buf, F_OK);
	strbuf_release(&p);
	return r;
}

/* The entries of dir, "." and ".." aside. */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	return n;
}

static unsigned hex8(const char *p)
{
	char buf[9];

	memcpy(buf, p, 8);
	buf[8] = '\0';
	return (unsigned)strtoul(buf, NULL, 16);
}

/* The run's initramfs (skip: bytes of header before it) is the target's,
 * then an archive whose oomtest/plan is plan.txt, which starts with a key. */
static void check_plan(const char *dir, const char *rel, const char *initrd, size_t skip, const char *target)
{
	struct strbuf path = STRBUF_INIT, plan = STRBUF_INIT, img = STRBUF_INIT, base = STRBUF_INIT;

	strbuf_addf(&path, "%s/%s", rel, initrd);
	read_in(dir, path.buf, &img);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/plan.txt", rel);
	read_in(dir, path.buf, &plan);
	assert_memory_equal(plan.buf, "key ", 4);
	assert_int_equal(strspn(plan.buf + 4, "0123456789abcdef"), 32);
	assert_non_null(strstr(plan.buf, "run hog"));
	strbuf_addf(&base, "BASE-%s", target);
	assert_true(img.len > skip + base.len);
	assert_memory_equal(img.buf + skip, base.buf, base.len);
	const char *name = memmem(img.buf, img.len, "oomtest/plan\0", 13);
	assert_non_null(name);
	const char *hdr = name - 110;
	assert_memory_equal(hdr, "070701", 6);
	size_t size = hex8(hdr + 54), namesize = hex8(hdr + 94);
	size_t data = (size_t)(hdr - img.buf) + ((110 + namesize + 3) & ~(size_t)3);
	assert_true(data + size <= img.len);
	assert_int_equal(size, plan.len);
	assert_memory_equal(img.buf + data, plan.buf, plan.len);
	strbuf_release(&path);
	strbuf_release(&plan);
	strbuf_release(&img);
	strbuf_release(&base);
}

static void check_validates(const char *dir, const char *rel)
{
	struct strbuf job = STRBUF_INIT, device = STRBUF_INIT;

	strbuf_addf(&job, "%s/%s/job.yaml", dir, rel);
	strbuf_addf(&device, "%s/%s/device.yaml", dir, rel);
	assert_int_equal(lava_validate(job.buf, device.buf, tmp), 0);
	strbuf_release(&job);
	strbuf_release(&device);
}

static void test_qemu_jobs(void **state)
{
	static const char *const runs[] = { "a/x86_64", "a/arm64", "b[memory=64M]/x86_64", "b[memory=64M]/arm64",
					    "b[memory=128M]/x86_64", "b[memory=128M]/arm64" };
	struct strbuf out = STRBUF_INIT, text = STRBUF_INIT, want = STRBUF_INIT, first = STRBUF_INIT;
	struct stat a, b;

	(void)state;
	out_dir("jobs", &out);
	assert_int_equal(lava_job(cases.buf, "-o", out.buf, "-t", "x86_64", "-t", "arm64", NULL), 0);
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		const char *target = strrchr(runs[i], '/') + 1;
		check_plan(out.buf, runs[i], "initrd.cpio", 0, target);
		check_validates(out.buf, runs[i]);
		strbuf_reset(&text);
		strbuf_addf(&text, "%s/job.yaml", runs[i]);
		read_in(out.buf, text.buf, &text);
		strbuf_reset(&want);
		strbuf_addf(&want, "job_name: 'oomtest %s'", runs[i]);
		assert_non_null(strstr(text.buf, want.buf));
		strbuf_reset(&want);
		strbuf_addf(&want, "url: 'file://%s/%s/initrd.cpio'", out.buf, runs[i]);
		assert_non_null(strstr(text.buf, want.buf));
		strbuf_reset(&want);
		strbuf_addf(&want, "url: 'file://%s/%s/vmlinuz-%s'", out.buf, runs[i],
			    strcmp(target, "arm64") ? "x86" : "arm64");
		assert_non_null(strstr(text.buf, want.buf));
	}
	/* each run's memory is its device's */
	read_in(out.buf, "b[memory=64M]/x86_64/device.yaml", &text);
	assert_non_null(strstr(text.buf, "'-m 64'"));
	read_in(out.buf, "b[memory=128M]/x86_64/device.yaml", &text);
	assert_non_null(strstr(text.buf, "'-m 128'"));
	read_in(out.buf, "dispatcher.yaml", &text);
	assert_non_null(strstr(text.buf, "prefix: 'oomtest-'"));
	/* the kernel is the target's, linked */
	strbuf_reset(&want);
	strbuf_addf(&want, "%s/a/x86_64/vmlinuz-x86", out.buf);
	strbuf_reset(&text);
	strbuf_addf(&text, "%s/kernels/vmlinuz-x86", root.buf);
	assert_int_equal(stat(want.buf, &a), 0);
	assert_int_equal(stat(text.buf, &b), 0);
	assert_true(a.st_ino == b.st_ino);
	/* the swap case is no job; nothing else is in DIR */
	assert_false(exists(out.buf, "s"));
	assert_int_equal(entries(out.buf), 4); /* a b[memory=64M] b[memory=128M] dispatcher.yaml */

	/* written again: the run's directory is replaced (a new key) */
	read_in(out.buf, "a/x86_64/plan.txt", &first);
	assert_int_equal(lava_job(cases.buf, "-o", out.buf, "-t", "x86_64", NULL), 0);
	read_in(out.buf, "a/x86_64/plan.txt", &text);
	assert_memory_not_equal(text.buf, first.buf, 36);
	check_plan(out.buf, "a/x86_64", "initrd.cpio", 0, "x86_64");
	assert_true(exists(out.buf, "a/arm64/job.yaml"));
	assert_int_equal(entries(out.buf), 4);
	strbuf_release(&out);
	strbuf_release(&text);
	strbuf_release(&want);
	strbuf_release(&first);
}

static void test_url(void **state)
{
	struct strbuf out = STRBUF_INIT, text = STRBUF_INIT;

	(void)state;
	out_dir("served", &out);
	assert_int_equal(lava_job(cases.buf, "-o", out.buf, "-t", "x86_64", "--url", "http://lab.example/j/", NULL), 0);
	read_in(out.buf, "b[memory=64M]/x86_64/job.yaml", &text);
	assert_non_null(strstr(text.buf, "url: 'http://lab.example/j/b%5Bmemory=64M%5D/x86_64/initrd.cpio'"));
	assert_non_null(strstr(text.buf, "url: 'http://lab.example/j/b%5Bmemory=64M%5D/x86_64/vmlinuz-x86'"));
	assert_null(strstr(text.buf, "file://"));
	check_validates(out.buf, "b[memory=64M]/x86_64");
	assert_false(exists(out.buf, "a/arm64"));
	strbuf_release(&out);
	strbuf_release(&text);
}

static const char job_validator[] =
	"import sys, yaml\n"
	"from lava_common.schemas import validate\n"
	"validate(yaml.safe_load(open(sys.argv[1])), strict=True)\n"
	"print('valid')\n";

static void test_board(void **state)
{
	struct strbuf out = STRBUF_INIT, text = STRBUF_INIT, path = STRBUF_INIT, raw = STRBUF_INIT,
		      ref = STRBUF_INIT, got = STRBUF_INIT;

	(void)state;
	out_dir("board", &out);
	assert_int_equal(lava_job(cases.buf, "-o", out.buf, "--device-type", "bcm2711-rpi-4-b", "--dtb", dtb.buf,
				  "-t", "x86_64", "-t", "arm64", NULL), 0);
	assert_false(exists(out.buf, "a/x86_64"));
	assert_false(exists(out.buf, "dispatcher.yaml"));
	assert_false(exists(out.buf, "a/arm64/initrd.cpio"));
	assert_true(exists(out.buf, "a/arm64/rpi.dtb"));
	check_plan(out.buf, "a/arm64", "initrd.cpio.uboot", 64, "arm64");
	read_in(out.buf, "a/arm64/job.yaml", &text);
	assert_non_null(strstr(text.buf, "device_type: 'bcm2711-rpi-4-b'"));
	assert_non_null(strstr(text.buf, "to: 'tftp'"));
	assert_non_null(strstr(text.buf, "method: 'u-boot'"));
	assert_non_null(strstr(text.buf, "commands: 'ramdisk'"));
	assert_non_null(strstr(text.buf, "compression: 'gz'"));
	assert_non_null(strstr(text.buf, " mem=128M'"));
	assert_null(strstr(text.buf, "console=ttyAMA0"));
	strbuf_addf(&path, "url: 'file://%s/a/arm64/rpi.dtb'", out.buf);
	assert_non_null(strstr(text.buf, path.buf));

	/* LAVA's schema takes the job */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/a/arm64/job.yaml", out.buf);
	char *argv[] = { PYTHON, "-c", (char *)job_validator, path.buf, NULL };
	int st = child_run_capture(argv, tmp, &got);
	if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		fail_msg("LAVA says no: %s", got.buf);
	assert_string_equal(got.buf, "valid\n");

	/* the ramdisk's header is mkimage's */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/a/arm64/initrd.cpio.uboot", out.buf);
	strbuf_reset(&got);
	assert_int_equal(strbuf_read_file(&got, path.buf), 0);
	strbuf_addf(&raw, "%s/raw", tmp);
	strbuf_addf(&ref, "%s/ref", tmp);
	assert_int_equal(fs_write_atomic(raw.buf, got.buf + 64, got.len - 64), 0);
	if (access("/usr/bin/mkimage", X_OK))
		fail_msg("/usr/bin/mkimage is missing: install u-boot-tools (lava-dispatcher recommends it)");
	setenv("SOURCE_DATE_EPOCH", "0", 1);
	char *mk[] = { "/usr/bin/mkimage", "-A", "arm64", "-O", "linux", "-T", "ramdisk", "-C", "none", "-n",
		       "oomtest initramfs", "-d", raw.buf, ref.buf, NULL };
	assert_int_equal(child_run(mk, -1), 0);
	strbuf_reset(&text);
	assert_int_equal(strbuf_read_file(&text, ref.buf), 0);
	strbuf_reset(&got);
	assert_int_equal(strbuf_read_file(&got, path.buf), 0);
	assert_int_equal(got.len, text.len);
	assert_memory_equal(got.buf, text.buf, got.len);

	/* an x86 target alone: no run can be a job */
	out_dir("board-x86", &out);
	assert_int_equal(lava_job(cases.buf, "-o", out.buf, "--device-type", "bcm2711-rpi-4-b", "--dtb", dtb.buf,
				  "-t", "x86_64", NULL), 2);
	assert_int_equal(entries(out.buf), 0);
	strbuf_release(&out);
	strbuf_release(&text);
	strbuf_release(&path);
	strbuf_release(&raw);
	strbuf_release(&ref);
	strbuf_release(&got);
}

static void test_usage_errors(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	out_dir("usage", &out);
	assert_int_equal(lava_job(cases.buf, NULL), 2);
	assert_int_equal(lava_job(cases.buf, "-o", out.buf, "-t", "nope", NULL), 2);
	assert_int_equal(lava_job(cases.buf, "-o", out.buf, "--device-type", "juno-r9", NULL), 2);
	assert_int_equal(lava_job(cases.buf, "-o", out.buf, "--device-type", "bcm2711-rpi-4-b", NULL), 2);
	assert_int_equal(lava_job(cases.buf, "-o", out.buf, "--dtb", dtb.buf, NULL), 2);
	assert_int_equal(lava_job(cases.buf, "-o", out.buf, "--url", "ftp://x/", NULL), 2);
	assert_int_equal(lava_job("-o", out.buf, NULL), 2);
	assert_int_equal(lava_job("--help", NULL), 0);
	/* none of them wrote anything */
	assert_int_equal(access(out.buf, F_OK), -1);
	strbuf_release(&out);
}

static void test_nothing_half_written(void **state)
{
	struct strbuf out = STRBUF_INIT, before = STRBUF_INIT, after = STRBUF_INIT;

	(void)state;
	/* a/x86_64 is written, then broken's kernel is missing */
	out_dir("half", &out);
	assert_int_equal(lava_job(cases.buf, "-o", out.buf, "-t", "x86_64", "-t", "broken", NULL), 1);
	assert_int_equal(entries(out.buf), 0);
	/* what was there stays as it was */
	assert_int_equal(lava_job(cases.buf, "-o", out.buf, "-t", "x86_64", NULL), 0);
	read_in(out.buf, "a/x86_64/plan.txt", &before);
	assert_int_equal(lava_job(cases.buf, "-o", out.buf, "-t", "x86_64", "-t", "broken", NULL), 1);
	read_in(out.buf, "a/x86_64/plan.txt", &after);
	assert_string_equal(before.buf, after.buf);
	assert_false(exists(out.buf, "a/broken"));
	assert_int_equal(entries(out.buf), 4);
	strbuf_release(&out);
	strbuf_release(&before);
	strbuf_release(&after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_jobs),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_board),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_nothing_half_written),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
