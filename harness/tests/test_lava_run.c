/* Tests for lava_run.c without a guest: the run's directory and files, the
 * argv lava-run gets (with and without --validate), unique job ids, the
 * exit status, the log, the cancel on timeout (SIGTERM, which lava-run
 * turns into a canceled job), and LAVA's scratch dir removed in every
 * case. lava-run is played by fixtures/lava/fake-lava-run.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lava/lava_log.h"
#include "lava/lava_run.h"
#include "lib/child.h"
#include "lib/fs.h"
#include "lib/strbuf.h"

static char tmp[] = "/tmp/oomtest-lava-run.XXXXXX";
static struct strbuf fake = STRBUF_INIT, args_file = STRBUF_INIT;

static int setup(void **state)
{
	char cwd[4096];

	(void)state;
	if (!mkdtemp(tmp) || !getcwd(cwd, sizeof(cwd)))
		return -1;
	strbuf_addf(&fake, "%s/fixtures/lava/fake-lava-run.sh", cwd);
	strbuf_addf(&args_file, "%s/args", tmp);
	setenv("FAKE_LAVA_ARGS", args_file.buf, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	strbuf_release(&fake);
	strbuf_release(&args_file);
	return fs_remove_tree(tmp);
}

static void spec_for(struct lava_job_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->job_name = "oomtest unit";
	s->arch = "x86_64";
	s->memory_mb = 128;
	s->kernel_url = "file:///srv/k";
	s->initramfs_url = "file:///srv/i";
	s->cmdline = "console=ttyS0";
	s->job_timeout_s = 30;
	s->deploy_timeout_s = s->boot_timeout_s = s->test_timeout_s = 10;
	s->start_marker = "start";
	s->end_marker = "end";
}

/* A run in tmp/NAME whose scratch dir (under tmp/scratch) exists with a
 * file in it, as lava-run leaves it. */
static void prepare(struct lava_run *run, const char *name)
{
	struct strbuf dir = STRBUF_INIT, base = STRBUF_INIT, err = STRBUF_INIT, file = STRBUF_INIT;
	struct lava_job_spec s;

	spec_for(&s);
	strbuf_addf(&dir, "%s/%s", tmp, name);
	strbuf_addf(&base, "%s/scratch", tmp);
	assert_int_equal(lava_run_prepare(run, dir.buf, &s, base.buf, &err), 0);
	run->program = fake.buf;
	assert_int_equal(fs_mkdirs(run->scratch), 0);
	strbuf_addf(&file, "%s/deployimages-x/kernel", run->scratch);
	assert_int_equal(fs_mkdirs(file.buf), 0);
	unlink(args_file.buf);
	strbuf_release(&dir);
	strbuf_release(&base);
	strbuf_release(&err);
	strbuf_release(&file);
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static void test_prepare_layout_and_argv(void **state)
{
	struct lava_run a, b;
	struct strbuf expect = STRBUF_INIT, text = STRBUF_INIT;
	char **argv;

	(void)state;
	prepare(&a, "a");
	prepare(&b, "b");
	assert_string_not_equal(a.job_id, b.job_id);
	assert_true(strspn(a.job_id, "0123456789") == strlen(a.job_id));
	strbuf_addf(&expect, "%s/scratch/" LAVA_RUN_PREFIX "%s", tmp, a.job_id);
	assert_string_equal(a.scratch, expect.buf);
	assert_true(exists(a.job) && exists(a.device) && exists(a.dispatcher));
	assert_int_equal(strbuf_read_file(&text, a.dispatcher), 0);
	assert_non_null(strstr(text.buf, "prefix: '" LAVA_RUN_PREFIX "'"));
	strbuf_reset(&expect);
	strbuf_addf(&expect, "%s/a/output/result.yaml", tmp);
	assert_string_equal(a.result, expect.buf);

	argv = lava_run_argv(&a, false);
	assert_string_equal(argv[0], fake.buf);
	assert_string_equal(argv[1], "--job-id");
	assert_string_equal(argv[2], a.job_id);
	assert_string_equal(argv[3], "--output-dir");
	assert_string_equal(argv[4], a.output_dir);
	assert_string_equal(argv[5], "--device");
	assert_string_equal(argv[6], a.device);
	assert_string_equal(argv[7], "--dispatcher");
	assert_string_equal(argv[8], a.dispatcher);
	assert_string_equal(argv[9], a.job);
	assert_null(argv[10]);
	lava_run_argv_free(argv);
	argv = lava_run_argv(&a, true);
	assert_string_equal(argv[9], "--validate");
	assert_string_equal(argv[10], a.job);
	assert_null(argv[11]);
	lava_run_argv_free(argv);

	assert_int_equal(lava_run_clean_scratch(&a), 0);
	assert_false(exists(a.scratch));
	assert_int_equal(lava_run_clean_scratch(&a), 0);
	lava_run_release(&a);
	lava_run_release(&b);
	strbuf_release(&expect);
	strbuf_release(&text);
}

static enum lava_job_end log_end(const char *path)
{
	struct strbuf text = STRBUF_INIT;
	struct lava_log *log = lava_log_new();
	enum lava_job_end end;

	assert_int_equal(strbuf_read_file(&text, path), 0);
	lava_log_feed(log, text.buf, text.len);
	lava_log_end(log);
	end = lava_log_job_end(log);
	assert_int_equal(lava_log_bad_lines(log), 0);
	lava_log_free(log);
	strbuf_release(&text);
	return end;
}

static void run_mode(const char *mode, unsigned timeout_s, int exit_status, enum lava_job_end end)
{
	struct lava_run run;
	struct strbuf err = STRBUF_INIT, args = STRBUF_INIT;

	setenv("FAKE_LAVA_MODE", mode, 1);
	prepare(&run, mode);
	assert_int_equal(lava_run_job(&run, false, timeout_s, &err), exit_status);
	assert_int_equal(err.len, 0);
	assert_false(exists(run.scratch));
	assert_int_equal(log_end(run.log), end);
	assert_int_equal(exists(run.result), end == LAVA_JOB_COMPLETE);
	assert_int_equal(strbuf_read_file(&args, args_file.buf), 0);
	assert_non_null(strstr(args.buf, run.job_id));
	assert_null(strstr(args.buf, "--validate"));
	lava_run_release(&run);
	strbuf_release(&err);
	strbuf_release(&args);
}

static void test_run_pass(void **state)
{
	(void)state;
	run_mode("pass", 0, 0, LAVA_JOB_COMPLETE);
}

static void test_run_fail(void **state)
{
	(void)state;
	run_mode("fail", 20, 1, LAVA_JOB_INCOMPLETE);
}

static void test_run_timeout_cancels(void **state)
{
	(void)state;
	run_mode("cancel", 1, 1, LAVA_JOB_CANCELED);
}

/* No program to run: an error, and the scratch dir is still removed. */
static void test_run_missing_program(void **state)
{
	struct lava_run run;
	struct strbuf err = STRBUF_INIT;

	(void)state;
	prepare(&run, "missing");
	run.program = "/nonexistent/lava-run";
	assert_int_equal(lava_run_job(&run, true, 5, &err), -1);
	assert_non_null(strstr(err.buf, "/nonexistent/lava-run"));
	assert_false(exists(run.scratch));
	lava_run_release(&run);
	strbuf_release(&err);
}

static void test_prepare_refuses_bad_spec(void **state)
{
	struct lava_run run;
	struct lava_job_spec s;
	struct strbuf dir = STRBUF_INIT, err = STRBUF_INIT;

	(void)state;
	spec_for(&s);
	s.arch = "sparc";
	strbuf_addf(&dir, "%s/bad", tmp);
	assert_int_equal(lava_run_prepare(&run, dir.buf, &s, NULL, &err), -1);
	assert_non_null(strstr(err.buf, "unknown arch sparc"));
	assert_false(exists(run.job));
	lava_run_release(&run);
	strbuf_release(&dir);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prepare_layout_and_argv),
		cmocka_unit_test(test_run_pass),
		cmocka_unit_test(test_run_fail),
		cmocka_unit_test(test_run_timeout_cancels),
		cmocka_unit_test(test_run_missing_program),
		cmocka_unit_test(test_prepare_refuses_bad_spec),
	};

	child_default_sigchld();
	return cmocka_run_group_tests(tests, setup, teardown);
}
