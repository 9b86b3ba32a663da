/* Tests for lava_spec.c: the LAVA job of one run — its kernel command line
 * as the qemu backend's for a single console (panic=-1, the case's
 * arguments, oomtest.chan=kmsg last), memory, the arch's machine and CPU,
 * -no-reboot, timeouts from the run's, the agent's frame regexes as the
 * markers (matching real frame lines, not a forged one without a tag),
 * disks attached by path only for the local dispatcher; and every arch's
 * job passes LAVA's own schema validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lava/lava_spec.h"
#include "lib/fs.h"
#include "proto/frame.h"
#include "lava_test_util.h"

static char tmp[] = "/tmp/oomtest-lava-spec.XXXXXX";

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

static struct target target_for(const char *arch)
{
	struct target t;

	memset(&t, 0, sizeof(t));
	t.name = (char *)arch;
	t.arch = (char *)arch;
	t.kernel = (char *)"/srv/vmlinuz";
	return t;
}

static struct vm_config cfg_for(const struct target *t)
{
	struct vm_config c;

	memset(&c, 0, sizeof(c));
	c.target = t;
	c.initrd = "/srv/initrd.cpio";
	c.memory = 256ull << 20;
	c.run_dir = "/srv/run";
	c.single_console = 1;
	c.timeout_ms = 60000;
	return c;
}

static void test_job_for_a_run(void **state)
{
	struct target t = target_for("x86_64");
	struct vm_config c = cfg_for(&t);
	struct strbuf job = STRBUF_INIT, err = STRBUF_INIT;
	struct lava_spec s;

	(void)state;
	c.extra_cmdline = "vm.overcommit_memory=2";
	assert_int_equal(lava_spec_init(&s, &c, "oomtest global-oom/x86_64", "file:///srv/vmlinuz",
				       "file:///srv/initrd.cpio", false, false, &err), 0);
	assert_string_equal(s.job.arch, "x86_64");
	assert_int_equal(s.job.memory_mb, 256);
	assert_false(s.job.kvm);
	assert_non_null(strstr(s.job.cmdline, "console=ttyS0"));
	assert_non_null(strstr(s.job.cmdline, " panic=-1 "));
	/* the case's arguments, then the single console's, last */
	assert_non_null(strstr(s.job.cmdline, " vm.overcommit_memory=2 " BACKEND_SINGLE_CONSOLE_CMDLINE));
	assert_int_equal(strlen(strstr(s.job.cmdline, BACKEND_SINGLE_CONSOLE_CMDLINE)),
			 strlen(BACKEND_SINGLE_CONSOLE_CMDLINE));
	assert_int_equal(s.job.test_timeout_s, 60);
	assert_int_equal(s.job.boot_timeout_s, 60 - LAVA_SPEC_OVERHEAD_S);
	assert_true(s.job.job_timeout_s >= s.job.deploy_timeout_s + s.job.boot_timeout_s + s.job.test_timeout_s);
	assert_int_equal(lava_job_write(&s.job, &job, &err), 0);
	assert_non_null(strstr(job.buf, "- '-no-reboot'\n"));
	assert_non_null(strstr(job.buf, "- '-device pvpanic'\n"));
	assert_non_null(strstr(job.buf, "no_kvm: 1\n"));
	assert_non_null(strstr(job.buf, "timeout: {seconds: 50}"));
	assert_non_null(strstr(job.buf, "- '" LAVA_SPEC_READY_RE "'\n"));
	lava_spec_release(&s);
	strbuf_release(&job);
	strbuf_release(&err);
}

/* A short run: LAVA's boot timeout is half of it. */
static void test_short_timeouts(void **state)
{
	struct target t = target_for("arm64");
	struct vm_config c = cfg_for(&t);
	struct strbuf err = STRBUF_INIT;
	struct lava_spec s;

	(void)state;
	c.timeout_ms = 15500;
	assert_int_equal(lava_spec_init(&s, &c, "j", "file:///k", "file:///i", false, false, &err), 0);
	assert_int_equal(s.job.test_timeout_s, 16);
	assert_int_equal(s.job.boot_timeout_s, 8);
	assert_string_equal(s.job.arch, "arm64");
	assert_string_equal(s.job.machine, "virt");
	/* TCG's CPU, and KVM's where it runs under KVM */
	assert_string_equal(s.job.cpu, "max,pauth-impdef=on");
	lava_spec_release(&s);
	assert_int_equal(lava_spec_init(&s, &c, "j", "file:///k", "file:///i", true, false, &err), 0);
	assert_string_equal(s.job.cpu, "max");
	lava_spec_release(&s);
	c.timeout_ms = 0;
	assert_int_equal(lava_spec_init(&s, &c, "j", "file:///k", "file:///i", false, false, &err), 0);
	assert_int_equal(s.job.test_timeout_s, LAVA_SPEC_DEFAULT_RUN_S);
	lava_spec_release(&s);
	strbuf_release(&err);
}

/* An empty file under tmp; its path into out. */
static void make_file(struct strbuf *out, const char *name)
{
	strbuf_reset(out);
	strbuf_addf(out, "%s/%s", tmp, name);
	assert_int_equal(fs_write_atomic(out->buf, "", 0), 0);
}

static void test_disks(void **state)
{
	struct target t = target_for("x86_64");
	struct vm_config c = cfg_for(&t);
	struct strbuf job = STRBUF_INIT, err = STRBUF_INIT, payload = STRBUF_INIT, swap = STRBUF_INIT;
	struct strbuf want = STRBUF_INIT;
	char *cwd = getcwd(NULL, 0);
	struct lava_spec s;

	(void)state;
	make_file(&payload, "payload.img");
	make_file(&swap, "swap.img");
	c.payload = payload.buf;
	c.swap_disk = swap.buf;
	assert_int_equal(lava_spec_init(&s, &c, "j", "file:///k", "file:///i", false, false, &err), -1);
	assert_non_null(strstr(err.buf, "cannot attach"));
	strbuf_reset(&err);
	assert_int_equal(lava_spec_init(&s, &c, "j", "file:///k", "file:///i", false, true, &err), 0);
	assert_non_null(strstr(s.job.cmdline, " oomtest.payload=1 "));
	assert_int_equal(lava_job_write(&s.job, &job, &err), 0);
	strbuf_addf(&want, "- '-drive if=none,id=payload,format=raw,readonly=on,file=%s'\n", payload.buf);
	assert_non_null(strstr(job.buf, want.buf));
	assert_non_null(strstr(job.buf, "- '-device virtio-blk-pci,drive=oomtest-swap,serial=oomtest-swap'\n"));
	lava_spec_release(&s);

	/* a relative path goes into the job absolute: a worker's QEMU runs elsewhere */
	assert_non_null(cwd);
	assert_int_equal(chdir(tmp), 0);
	c.swap_disk = "swap.img";
	strbuf_reset(&job);
	assert_int_equal(lava_spec_init(&s, &c, "j", "file:///k", "file:///i", false, true, &err), 0);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(lava_job_write(&s.job, &job, &err), 0);
	strbuf_reset(&want);
	strbuf_addf(&want, ",file=%s'\n", swap.buf);
	assert_non_null(strstr(job.buf, want.buf));
	lava_spec_release(&s);

	/* a disk that is not there, and one LAVA would split at its comma */
	c.swap_disk = "/nonexistent/swap.img";
	assert_int_equal(lava_spec_init(&s, &c, "j", "file:///k", "file:///i", false, true, &err), -1);
	assert_non_null(strstr(err.buf, "/nonexistent/swap.img: No such file"));
	make_file(&swap, "a,b.img");
	c.swap_disk = swap.buf;
	strbuf_reset(&err);
	assert_int_equal(lava_spec_init(&s, &c, "j", "file:///k", "file:///i", false, true, &err), -1);
	assert_non_null(strstr(err.buf, "a,b.img: LAVA cannot attach"));
	strbuf_release(&job);
	strbuf_release(&err);
	strbuf_release(&payload);
	strbuf_release(&swap);
	strbuf_release(&want);
	free(cwd);
}

/* The job's name says which run it is: its case and target. */
static void test_job_name(void **state)
{
	struct strbuf name = STRBUF_INIT;

	(void)state;
	lava_spec_job_name("/srv/results/20261206-155910/memcg-v2-max-kill/x86_64", &name);
	assert_string_equal(name.buf, "oomtest memcg-v2-max-kill/x86_64");
	strbuf_reset(&name);
	lava_spec_job_name("memcg-kill-sizes[memory=64M]/i386", &name);
	assert_string_equal(name.buf, "oomtest memcg-kill-sizes[memory=64M]/i386");
	strbuf_release(&name);
}

static int matches(const char *re, const char *text)
{
	regex_t r;
	int m;

	assert_int_equal(regcomp(&r, re, REG_EXTENDED | REG_NOSUB), 0);
	m = regexec(&r, text, 0, NULL, 0) == 0;
	regfree(&r);
	return m;
}

/* The markers (Python regexes; these parts read the same as POSIX ERE)
 * against frames made as the agent makes them. */
static void test_markers_match_frames(void **state)
{
	static const unsigned char key[SIPHASH_KEY_BYTES] = { 1, 2, 3 };
	char line[FRAME_LINE_MAX + 64];
	size_t n;
	/* POSIX has no \r or \n escapes in a bracket: the Python form's */
	const char *done_re = "oomtest:[0-9a-f]{16} [0-9]+ \\. done[\r\n]";

	(void)state;
	n = (size_t)sprintf(line, "[    1.234567] ");
	n += frame_format(line + n, key, 0, 0, "ready 1 6.1.0-28-amd64 x86_64 1", 31);
	line[n] = '\0';
	assert_true(matches(LAVA_SPEC_READY_RE, line));
	assert_false(matches(LAVA_SPEC_READY_RE, "[ 1.0] oomtest: ready 1 6.1 x86_64 1"));
	n = (size_t)sprintf(line, "[   20.000001] ");
	n += frame_format(line + n, key, 41, 0, "done", 4);
	strcpy(line + n, "\r\n");
	assert_true(matches(done_re, line));
	line[n] = '\0';
	assert_false(matches(done_re, line));
	n = (size_t)sprintf(line, "[   20.000001] ");
	n += frame_format(line + n, key, 41, 0, "done_ish", 8);
	strcpy(line + n, "\r\n");
	assert_false(matches(done_re, line));
	assert_string_equal(LAVA_SPEC_DONE_RE, "oomtest:[0-9a-f]{16} [0-9]+ \\. done[\\r\\n]");
}

/* Each arch's job and device as LAVA's schemas want them. */
static void test_schema_valid_every_arch(void **state)
{
	static const char *const arches[] = { "x86_64", "i386", "arm64" };

	(void)state;
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++) {
		struct target t = target_for(arches[i]);
		struct vm_config c = cfg_for(&t);
		struct strbuf job = STRBUF_INIT, device = STRBUF_INIT, err = STRBUF_INIT;
		struct strbuf job_path = STRBUF_INIT, device_path = STRBUF_INIT, data = STRBUF_INIT;
		struct lava_spec s;

		make_file(&data, "data.img");
		c.data_disk = data.buf;
		assert_int_equal(lava_spec_init(&s, &c, "oomtest x/y", "file:///srv/k", "file:///srv/i",
					       i == 0, true, &err), 0);
		assert_int_equal(lava_job_write(&s.job, &job, &err), 0);
		assert_int_equal(lava_job_write_device(&s.job, &device, &err), 0);
		strbuf_addf(&job_path, "%s/job-%s.yaml", tmp, arches[i]);
		strbuf_addf(&device_path, "%s/device-%s.yaml", tmp, arches[i]);
		assert_int_equal(fs_write_atomic(job_path.buf, job.buf, job.len), 0);
		assert_int_equal(fs_write_atomic(device_path.buf, device.buf, device.len), 0);
		assert_int_equal(lava_validate(job_path.buf, device_path.buf, tmp), 0);
		lava_spec_release(&s);
		strbuf_release(&job);
		strbuf_release(&device);
		strbuf_release(&err);
		strbuf_release(&job_path);
		strbuf_release(&device_path);
		strbuf_release(&data);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_job_for_a_run),
		cmocka_unit_test(test_short_timeouts),
		cmocka_unit_test(test_disks),
		cmocka_unit_test(test_job_name),
		cmocka_unit_test(test_markers_match_frames),
		cmocka_unit_test(test_schema_valid_every_arch),
	};

	child_default_sigchld();
	return cmocka_run_group_tests(tests, setup, teardown);
}
