/* Tests for lava_job.c and lava_yaml.c: jobs and devices for x86_64, i386
 * and arm64 pass LAVA's own schema validation (lava_common, from Debian's
 * lava-dispatcher: missing, the test fails and says so) and, as root, the
 * dispatcher's `lava-run --validate` run through lava_run.c; the validator
 * is shown to reject a broken job; golden YAML (fixtures/lava/job-*.yaml,
 * LAVA_JOB_WRITE_GOLDEN=1 rewrites them); the checks of a spec; markers as
 * literal regexes; strings that look like numbers stay strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lava/lava_job.h"
#include "lava/lava_run.h"
#include "lib/child.h"
#include "lib/fs.h"
#include "lib/strbuf.h"
#include "lava_test_util.h"

static char tmp[] = "/tmp/oomtest-lava-job.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return fs_remove_tree(tmp);
}

static const char *const no_reboot[] = { "-no-reboot" };

static void spec_for(struct lava_job_spec *s, const char *arch, const char *kernel, const char *initramfs)
{
	memset(s, 0, sizeof(*s));
	s->job_name = "oomtest global-oom on 123";
	s->arch = arch;
	s->memory_mb = 256;
	s->kernel_url = kernel;
	s->initramfs_url = initramfs;
	s->cmdline = !strcmp(arch, "arm64") ? "console=ttyAMA0 panic=-1 quiet" : "console=ttyS0 panic=-1 quiet";
	s->job_timeout_s = 300;
	s->deploy_timeout_s = 60;
	s->boot_timeout_s = 60;
	s->test_timeout_s = 120;
	s->start_marker = "oomtest: agent started (v1)";
	s->end_marker = "oomtest: plan done.";
	s->qemu_extra = no_reboot;
	s->n_qemu_extra = 1;
}

static void write_pair(const struct lava_job_spec *s, const char *job, const char *device)
{
	struct strbuf j = STRBUF_INIT, d = STRBUF_INIT, err = STRBUF_INIT;

	assert_int_equal(lava_job_write(s, &j, &err), 0);
	assert_int_equal(lava_job_write_device(s, &d, &err), 0);
	assert_int_equal(fs_write_atomic(job, j.buf, j.len), 0);
	assert_int_equal(fs_write_atomic(device, d.buf, d.len), 0);
	strbuf_release(&j);
	strbuf_release(&d);
	strbuf_release(&err);
}

static void test_schema_valid_every_arch(void **state)
{
	static const char *const arches[] = { "x86_64", "i386", "arm64" };
	struct strbuf job = STRBUF_INIT, device = STRBUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++) {
		struct lava_job_spec s;

		spec_for(&s, arches[i], "https://example.org/vmlinuz", "file:///srv/oomtest/initramfs.cpio");
		strbuf_reset(&job);
		strbuf_reset(&device);
		strbuf_addf(&job, "%s/job-%s.yaml", tmp, arches[i]);
		strbuf_addf(&device, "%s/device-%s.yaml", tmp, arches[i]);
		write_pair(&s, job.buf, device.buf);
		assert_int_equal(lava_validate(job.buf, device.buf, tmp), 0);
	}
	strbuf_release(&job);
	strbuf_release(&device);
}

/* The validator is not a rubber stamp: a job LAVA cannot take fails. */
static void test_schema_rejects_broken_job(void **state)
{
	struct lava_job_spec s;
	struct strbuf job = STRBUF_INIT, device = STRBUF_INIT, text = STRBUF_INIT;
	char *p;

	(void)state;
	spec_for(&s, "x86_64", "https://example.org/vmlinuz", "https://example.org/initramfs");
	strbuf_addf(&job, "%s/broken.yaml", tmp);
	strbuf_addf(&device, "%s/broken-device.yaml", tmp);
	write_pair(&s, job.buf, device.buf);
	assert_int_equal(strbuf_read_file(&text, job.buf), 0);
	p = strstr(text.buf, "visibility: 'public'");
	assert_non_null(p);
	memcpy(p + strlen("visibility: '"), "pub1ic", 6);
	assert_int_equal(fs_write_atomic(job.buf, text.buf, text.len), 0);
	assert_int_equal(lava_validate(job.buf, device.buf, tmp), 1);
	strbuf_release(&job);
	strbuf_release(&device);
	strbuf_release(&text);
}

/* The dispatcher's own validation (files, arch, QEMU program), through
 * lava_run: no guest is started; the scratch dir LAVA leaves is removed. */
static void test_lava_run_validate(void **state)
{
	static const char *const arches[] = { "x86_64", "i386", "arm64" };
	struct strbuf kernel = STRBUF_INIT, initramfs = STRBUF_INIT, k_url = STRBUF_INIT, i_url = STRBUF_INIT;
	struct strbuf dir = STRBUF_INIT, err = STRBUF_INIT, log = STRBUF_INIT;

	(void)state;
	if (geteuid() != 0) {
		print_message("# lava-run needs root: only LAVA's schema was checked\n");
		return;
	}
	strbuf_addf(&kernel, "%s/vmlinuz", tmp);
	strbuf_addf(&initramfs, "%s/initramfs.cpio", tmp);
	assert_int_equal(fs_write_atomic(kernel.buf, "k", 1), 0);
	assert_int_equal(fs_write_atomic(initramfs.buf, "i", 1), 0);
	assert_int_equal(lava_job_file_url(kernel.buf, &k_url, &err), 0);
	assert_int_equal(lava_job_file_url(initramfs.buf, &i_url, &err), 0);
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++) {
		struct lava_job_spec s;
		struct lava_run run;
		struct stat st;
		int rc;

		spec_for(&s, arches[i], k_url.buf, i_url.buf);
		strbuf_reset(&dir);
		strbuf_addf(&dir, "%s/run-%s", tmp, arches[i]);
		assert_int_equal(lava_run_prepare(&run, dir.buf, &s, NULL, &err), 0);
		rc = lava_run_job(&run, true, 120, &err);
		if (rc == -1 && strstr(err.buf, "lava-run"))
			fail_msg("%s: install Debian's lava-dispatcher (a setup error, not a pass)", err.buf);
		strbuf_reset(&log);
		strbuf_read_file(&log, run.log);
		if (rc != 0)
			fail_msg("lava-run --validate says no for %s (exit %d): %s", arches[i], rc, log.buf);
		assert_non_null(strstr(log.buf, "\"case\": \"validate\", \"definition\": \"lava\", \"result\": \"pass\""));
		assert_int_equal(stat(run.result, &st), 0);
		assert_int_not_equal(stat(run.scratch, &st), 0);
		lava_run_release(&run);
	}
	strbuf_release(&kernel);
	strbuf_release(&initramfs);
	strbuf_release(&k_url);
	strbuf_release(&i_url);
	strbuf_release(&dir);
	strbuf_release(&err);
	strbuf_release(&log);
}

static void golden(const char *name, const struct strbuf *got)
{
	struct strbuf path = STRBUF_INIT, expected = STRBUF_INIT;

	strbuf_addf(&path, "fixtures/lava/%s", name);
	if (getenv("LAVA_JOB_WRITE_GOLDEN"))
		assert_int_equal(fs_write_atomic(path.buf, got->buf, got->len), 0);
	assert_int_equal(strbuf_read_file(&expected, path.buf), 0);
	assert_string_equal(got->buf, expected.buf);
	strbuf_release(&path);
	strbuf_release(&expected);
}

static void test_golden_yaml(void **state)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	struct lava_job_spec s;

	(void)state;
	spec_for(&s, "x86_64", "file:///srv/oomtest/vmlinuz", "file:///srv/oomtest/initramfs.cpio");
	assert_int_equal(lava_job_write(&s, &out, &err), 0);
	golden("job-x86_64.yaml", &out);
	strbuf_reset(&out);
	assert_int_equal(lava_job_write_device(&s, &out, &err), 0);
	golden("device-x86_64.yaml", &out);
	strbuf_reset(&out);
	spec_for(&s, "arm64", "file:///srv/oomtest/Image", "file:///srv/oomtest/initramfs.cpio");
	s.kvm = true;              /* x86 only: no -enable-kvm on arm64 */
	assert_int_equal(lava_job_write_device(&s, &out, &err), 0);
	golden("device-arm64.yaml", &out);
	strbuf_reset(&out);
	assert_int_equal(lava_job_write_dispatcher(LAVA_RUN_PREFIX, &out, &err), 0);
	golden("dispatcher.yaml", &out);
	assert_int_equal(err.len, 0);
	strbuf_release(&out);
	strbuf_release(&err);
}

static void expect_spec_error(const struct lava_job_spec *s, const char *words)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	strbuf_addstr(&out, "kept");
	assert_int_equal(lava_job_write(s, &out, &err), -1);
	assert_non_null(strstr(err.buf, words));
	assert_string_equal(out.buf, "kept");
	strbuf_reset(&err);
	assert_int_equal(lava_job_write_device(s, &out, &err), -1);
	assert_string_equal(out.buf, "kept");
	strbuf_release(&out);
	strbuf_release(&err);
}

static void test_spec_checks(void **state)
{
	static const char *const bad_utf8[] = { "-append \xff" };
	struct lava_job_spec s, base;

	(void)state;
	spec_for(&base, "x86_64", "file:///k", "file:///i");
	s = base; s.arch = "riscv64"; expect_spec_error(&s, "unknown arch riscv64");
	s = base; s.end_marker = ""; expect_spec_error(&s, "the end marker is missing");
	s = base; s.kernel_url = NULL; expect_spec_error(&s, "the kernel's URL is missing");
	s = base; s.initramfs_url = "/no/scheme"; expect_spec_error(&s, "/no/scheme: not a file:///");
	s = base; s.kernel_url = "file:///a b"; expect_spec_error(&s, "file:///a b");
	s = base; s.cmdline = "init=\"x\""; expect_spec_error(&s, "double quote");
	s = base; s.job_timeout_s = 239; expect_spec_error(&s, "job timeout (239 s) is shorter");
	s = base; s.test_timeout_s = 0; expect_spec_error(&s, "timeout is missing");
	s = base; s.memory_mb = 0; expect_spec_error(&s, "memory size is missing");
	s = base; s.qemu_extra = bad_utf8; expect_spec_error(&s, "LAVA YAML: ");
}

static void test_file_url_and_regex(void **state)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

	(void)state;
	assert_int_equal(lava_job_file_url("/srv/x/vmlinuz-6.1", &out, &err), 0);
	assert_string_equal(out.buf, "file:///srv/x/vmlinuz-6.1");
	assert_int_equal(lava_job_file_url("rel/path", &out, &err), -1);
	assert_non_null(strstr(err.buf, "not an absolute path"));
	strbuf_reset(&err);
	assert_int_equal(lava_job_file_url("/a/b#c", &out, &err), -1);
	assert_non_null(strstr(err.buf, "/a/b#c"));
	strbuf_reset(&out);
	lava_job_regex_escape("a.b*(c)[d]{e}|f^g$h+i?\\j: k", &out);
	assert_string_equal(out.buf, "a\\.b\\*\\(c\\)\\[d\\]\\{e\\}\\|f\\^g\\$h\\+i\\?\\\\j: k");
	assert_string_equal(lava_job_qemu_program("arm64"), "qemu-system-aarch64");
	assert_string_equal(lava_job_qemu_program("i386"), "qemu-system-i386");
	assert_null(lava_job_qemu_program("x86"));
	strbuf_release(&out);
	strbuf_release(&err);
}

/* Words YAML 1.1 would read as numbers, booleans or null stay strings. */
static void test_strings_stay_strings(void **state)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	struct lava_job_spec s;

	(void)state;
	spec_for(&s, "x86_64", "file:///k", "file:///i");
	s.job_name = "123";
	s.start_marker = "yes";
	s.end_marker = "null";
	assert_int_equal(lava_job_write(&s, &out, &err), 0);
	assert_non_null(strstr(out.buf, "job_name: '123'\n"));
	assert_non_null(strstr(out.buf, "- 'yes'\n"));
	assert_non_null(strstr(out.buf, "end: 'null'\n"));
	assert_non_null(strstr(out.buf, "memory: 256\n"));
	strbuf_release(&out);
	strbuf_release(&err);
}

/* Markers that are regexes already go into the job as they are. */
static void test_markers_as_regex(void **state)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	struct lava_job_spec s;

	(void)state;
	spec_for(&s, "x86_64", "file:///k", "file:///i");
	s.start_marker = "oomtest:[0-9a-f]{16} [0-9]+ [.+] ready ";
	s.end_marker = "a\\.b";
	s.markers_are_regex = true;
	assert_int_equal(lava_job_write(&s, &out, &err), 0);
	assert_non_null(strstr(out.buf, "- 'oomtest:[0-9a-f]{16} [0-9]+ [.+] ready '\n"));
	assert_non_null(strstr(out.buf, "end: 'a\\.b'\n"));
	strbuf_release(&out);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schema_valid_every_arch),
		cmocka_unit_test(test_schema_rejects_broken_job),
		cmocka_unit_test(test_lava_run_validate),
		cmocka_unit_test(test_golden_yaml),
		cmocka_unit_test(test_spec_checks),
		cmocka_unit_test(test_file_url_and_regex),
		cmocka_unit_test(test_strings_stay_strings),
		cmocka_unit_test(test_markers_as_regex),
	};

	child_default_sigchld();
	return cmocka_run_group_tests(tests, setup, teardown);
}
