/* Tests for backend/lava_local.c without a guest: lava-run is played by
 * fixtures/lava/replay-lava-run.sh, which replays real lava-run logs. The
 * console stream the runner reads is the log's console and feedback lines
 * (as test_lava_log's golden files have them); the run directory keeps
 * job.yaml, device.yaml and LAVA's log byte for byte; how the job ended is
 * LAVA's result with its error verbatim; kill cancels a job that still
 * runs; LAVA's scratch dir is gone in every case; and lava-local says
 * what to do when lava-run is missing or oomtest is not root, and
 * `oomtest run` exits 2 with it before any run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/backend.h"
#include "cmd/run.h"
#include "lava/lava_run.h"
#include "lib/child.h"
#include "lib/clock.h"
#include "lib/fs.h"
#include "lib/strbuf.h"
#include "lava_test_util.h"

static char tmp[] = "/tmp/oomtest-lava-local.XXXXXX";
static struct strbuf fake = STRBUF_INIT, args_file = STRBUF_INIT, fixtures = STRBUF_INIT;
static struct strbuf kernel = STRBUF_INIT, initrd = STRBUF_INIT;

static int setup(void **state)
{
	char cwd[4096];

	(void)state;
	if (!mkdtemp(tmp) || !getcwd(cwd, sizeof(cwd)))
		return -1;
	strbuf_addf(&fixtures, "%s/fixtures/lava", cwd);
	strbuf_addf(&fake, "%s/replay-lava-run.sh", fixtures.buf);
	strbuf_addf(&args_file, "%s/args", tmp);
	strbuf_addf(&kernel, "%s/vmlinuz", tmp);
	strbuf_addf(&initrd, "%s/initrd.cpio", tmp);
	setenv("FAKE_LAVA_ARGS", args_file.buf, 1);
	backend_lava_local_set_program(fake.buf);
	if (fs_write_atomic(kernel.buf, "k", 1) || fs_write_atomic(initrd.buf, "i", 1))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	strbuf_release(&fake);
	strbuf_release(&args_file);
	strbuf_release(&fixtures);
	strbuf_release(&kernel);
	strbuf_release(&initrd);
	return fs_remove_tree(tmp);
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}


/* The golden file's console and feedback lines, one a line. */
static void expected_console(const char *golden, struct strbuf *out)
{
	struct strbuf text = STRBUF_INIT, path = STRBUF_INIT;

	strbuf_addf(&path, "%s/%s", fixtures.buf, golden);
	assert_int_equal(strbuf_read_file(&text, path.buf), 0);
	for (char *l = text.buf; *l;) {
		size_t len = strcspn(l, "\n");
		if (!strncmp(l, "console: ", 9))
			strbuf_add(out, l + 9, len - 9);
		else if (!strncmp(l, "feedback: ", 10))
			strbuf_add(out, l + 10, len - 10);
		if (!strncmp(l, "console: ", 9) || !strncmp(l, "feedback: ", 10))
			strbuf_addch(out, '\n');
		l += len + (l[len] == '\n');
	}
	strbuf_release(&text);
	strbuf_release(&path);
}

/* Reads the console stream to its end as the runner does (poll, read to
 * EAGAIN), escaped line by line. */
static void read_console(int fd, struct strbuf *out)
{
	struct strbuf raw = STRBUF_INIT;
	uint64_t start = clock_now_ms();
	char buf[4096];

	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;

		assert_true(clock_now_ms() - start < 20000);
		poll(&p, 1, 100);
		n = read(fd, buf, sizeof(buf));
		if (n == 0)
			break;
		if (n < 0) {
			assert_int_equal(errno, EAGAIN);
			continue;
		}
		strbuf_add(&raw, buf, (size_t)n);
	}
	for (const char *l = raw.buf; *l;) {
		size_t len = strcspn(l, "\n");
		lava_golden_escape(out, l, len);
		strbuf_addch(out, '\n');
		l += len + (l[len] == '\n');
	}
	strbuf_release(&raw);
}

struct fixture_run {
	struct target t;
	struct vm_config cfg;
	struct strbuf dir;
};

static void fixture_run(struct fixture_run *r, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->t.name = (char *)"x86_64";
	r->t.arch = (char *)"x86_64";
	r->t.kernel = kernel.buf;
	strbuf_init(&r->dir);
	strbuf_addf(&r->dir, "%s/%s/x86_64", tmp, name);
	assert_int_equal(fs_mkdirs(r->dir.buf), 0);
	r->cfg.target = &r->t;
	r->cfg.initrd = initrd.buf;
	r->cfg.memory = 256ull << 20;
	r->cfg.run_dir = r->dir.buf;
	r->cfg.single_console = 1;
	r->cfg.timeout_ms = 60000;
	unlink(args_file.buf);
}

/* The job id lava-run was given, from its arguments. */
static void job_id(struct strbuf *out)
{
	struct strbuf args = STRBUF_INIT;
	const char *p;

	assert_int_equal(strbuf_read_file(&args, args_file.buf), 0);
	p = strstr(args.buf, "--job-id\n");
	assert_non_null(p);
	p += strlen("--job-id\n");
	strbuf_add(out, p, strcspn(p, "\n"));
	strbuf_release(&args);
}

static void assert_scratch_gone(void)
{
	struct strbuf id = STRBUF_INIT, scratch = STRBUF_INIT;

	job_id(&id);
	strbuf_addf(&scratch, LAVA_DISPATCHER_TMP "/" LAVA_RUN_PREFIX "%s", id.buf);
	assert_false(exists(scratch.buf));
	strbuf_release(&id);
	strbuf_release(&scratch);
}

static void assert_file_has(const char *dir, const char *name, const char *text)
{
	struct strbuf path = STRBUF_INIT, content = STRBUF_INIT;

	strbuf_addf(&path, "%s/%s", dir, name);
	assert_int_equal(strbuf_read_file(&content, path.buf), 0);
	if (!strstr(content.buf, text))
		fail_msg("%s lacks %s", path.buf, text);
	strbuf_release(&path);
	strbuf_release(&content);
}

/* A job replayed from log to its end: the console, the files, the end. */
static void replay(const char *log, const char *golden, const char *exit_status, const char *how)
{
	const struct backend_ops *b = &backend_lava_local;
	struct strbuf err = STRBUF_INIT, got = STRBUF_INIT, want = STRBUF_INIT, desc = STRBUF_INIT;
	struct strbuf log_path = STRBUF_INIT, saved = STRBUF_INIT, orig = STRBUF_INIT;
	struct fixture_run r;
	struct vm *vm = NULL;

	fixture_run(&r, log);
	strbuf_addf(&log_path, "%s/%s", fixtures.buf, log);
	setenv("FAKE_LAVA_LOG", log_path.buf, 1);
	setenv("FAKE_LAVA_EXIT", exit_status, 1);
	unsetenv("FAKE_LAVA_HANG");
	assert_int_equal(b->start(&r.cfg, &vm, &err), 0);
	assert_int_equal(b->agent_fd(vm), -1);
	read_console(b->console_fd(vm), &got);
	expected_console(golden, &want);
	assert_string_equal(got.buf, want.buf);
	assert_int_equal(b->wait(vm, 20000), 1);
	b->kill(vm);
	b->describe_exit(vm, &desc);
	if (!strstr(desc.buf, how))
		fail_msg("describe_exit says \"%s\", not \"%s\"", desc.buf, how);
	assert_scratch_gone();
	/* the run directory keeps the job, the device and LAVA's log */
	assert_file_has(r.dir.buf, "job.yaml", "-append \"console=ttyS0");
	assert_file_has(r.dir.buf, "job.yaml", " panic=-1 ");
	assert_file_has(r.dir.buf, "job.yaml", BACKEND_SINGLE_CONSOLE_CMDLINE "\"");
	assert_file_has(r.dir.buf, "job.yaml", "- '-no-reboot'");
	assert_file_has(r.dir.buf, "job.yaml", "job_name: 'oomtest ");
	assert_file_has(r.dir.buf, "device.yaml", "qemu-system-x86_64");
	assert_file_has(r.dir.buf, "output/result.yaml", "case: job");
	strbuf_addf(&saved, "%s/lava.log", r.dir.buf);
	assert_int_equal(strbuf_read_file(&saved, saved.buf), 0);
	assert_int_equal(strbuf_read_file(&orig, log_path.buf), 0);
	assert_true(strstr(saved.buf, orig.buf) != NULL);
	b->destroy(vm);
	strbuf_release(&r.dir);
	strbuf_release(&err);
	strbuf_release(&got);
	strbuf_release(&want);
	strbuf_release(&desc);
	strbuf_release(&log_path);
	strbuf_release(&saved);
	strbuf_release(&orig);
}

static void test_complete_job(void **state)
{
	(void)state;
	replay("complete.log", "complete.log.expected", "0", "lava-run exit 0: LAVA job complete (see ");
}

/* A panic ended QEMU: LAVA says Connection closed; the console has the
 * panic for the runner to judge. */
static void test_panic_ends_the_job(void **state)
{
	(void)state;
	replay("panic-eof.log", "panic-eof.log.expected", "1",
	       "lava-run exit 1: LAVA job incomplete, Infrastructure error: Connection closed");
}

/* LAVA refused the job (a file it cannot fetch): its words verbatim. */
static void test_invalid_job(void **state)
{
	(void)state;
	replay("invalid-file.log", "invalid-file.log.expected", "1",
	       "lava-run exit 1: LAVA job incomplete, Job error: Invalid job data: [\"Image file "
	       "'/tmp/oomtest-lava/no-such-initramfs.cpio.gz' does not exist or is not readable\"] (see ");
}

/* Killed while the job runs: SIGTERM, which lava-run turns into a canceled
 * job; kill and destroy return and the scratch dir is gone. */
static void test_kill_cancels(void **state)
{
	const struct backend_ops *b = &backend_lava_local;
	struct strbuf err = STRBUF_INIT, desc = STRBUF_INIT, half = STRBUF_INIT, path = STRBUF_INIT;
	struct fixture_run r;
	struct vm *vm = NULL;
	uint64_t start;

	(void)state;
	fixture_run(&r, "cancel");
	strbuf_addf(&path, "%s/complete.log", fixtures.buf);
	assert_int_equal(strbuf_read_file(&half, path.buf), 0);
	half.len = (size_t)(strstr(half.buf, "\"lvl\": \"target\"") - half.buf);
	half.len = (size_t)(strrchr(half.buf, '\n') - half.buf) + 1;
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/half.log", tmp);
	assert_int_equal(fs_write_atomic(path.buf, half.buf, half.len), 0);
	setenv("FAKE_LAVA_LOG", path.buf, 1);
	setenv("FAKE_LAVA_HANG", "1", 1);
	assert_int_equal(b->start(&r.cfg, &vm, &err), 0);
	assert_int_equal(b->wait(vm, 500), 0);
	start = clock_now_ms();
	b->kill(vm);
	assert_true(clock_now_ms() - start < 10000);
	assert_int_equal(b->wait(vm, 0), 1);
	b->describe_exit(vm, &desc);
	assert_non_null(strstr(desc.buf, "LAVA job canceled, Canceled error: The job was canceled"));
	assert_scratch_gone();
	b->destroy(vm);
	unsetenv("FAKE_LAVA_HANG");
	strbuf_release(&r.dir);
	strbuf_release(&err);
	strbuf_release(&desc);
	strbuf_release(&half);
	strbuf_release(&path);
}

/* Without a single console, or with a kernel LAVA cannot be given: no job. */
static void test_start_refuses(void **state)
{
	const struct backend_ops *b = &backend_lava_local;
	struct strbuf err = STRBUF_INIT;
	struct fixture_run r;
	struct vm *vm = NULL;

	(void)state;
	fixture_run(&r, "refused");
	r.cfg.single_console = 0;
	assert_int_equal(b->start(&r.cfg, &vm, &err), -1);
	assert_non_null(strstr(err.buf, "single-console"));
	strbuf_reset(&err);
	r.cfg.single_console = 1;
	r.t.kernel = (char *)"/nonexistent/vmlinuz";
	assert_int_equal(b->start(&r.cfg, &vm, &err), -1);
	assert_non_null(strstr(err.buf, "/nonexistent/vmlinuz"));
	assert_false(exists(args_file.buf));
	strbuf_release(&r.dir);
	strbuf_release(&err);
}

static void test_usable(void **state)
{
	struct strbuf err = STRBUF_INIT;

	(void)state;
	assert_int_equal(backend_lava_local_usable(0, &err), 0);
	assert_int_equal(err.len, 0);
	assert_int_equal(backend_lava_local_usable(1000, &err), -1);
	assert_non_null(strstr(err.buf, "needs root"));
	strbuf_reset(&err);
	backend_lava_local_set_program("/nonexistent/lava-run");
	assert_int_equal(backend_lava_local_usable(0, &err), -1);
	assert_non_null(strstr(err.buf, "apt-get install lava-dispatcher"));
	strbuf_reset(&err);
	backend_lava_local_set_program("oomtest-no-such-lava-run");
	assert_int_equal(backend_lava_local_usable(0, &err), -1);
	assert_non_null(strstr(err.buf, "oomtest-no-such-lava-run, which is not installed"));
	backend_lava_local_set_program(fake.buf);
	strbuf_release(&err);
}

/* oomtest run's exit status with argv, its stderr in err. */
static int run_cmd(char **argv, struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT;
	int argc = 0, saved = dup(2), fd, rc;

	while (argv[argc])
		argc++;
	strbuf_addf(&path, "%s/stderr", tmp);
	fd = open(path.buf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	dup2(fd, 2);
	rc = cmd_run(argc, argv);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	assert_int_equal(strbuf_read_file(err, path.buf), 0);
	strbuf_release(&path);
	return rc;
}

/* Before any run: no lava-run is a usage error naming the package; an
 * unknown backend names the four; --backend lava wants its server, and
 * the --lava-* options want --backend lava. */
static void test_run_command_refuses(void **state)
{
	char *no_lava[] = { "run", "--backend", "lava-local", "cases", NULL };
	char *bogus[] = { "run", "--backend", "bogus", "cases", NULL };
	char *no_url[] = { "run", "--backend", "lava", "cases", NULL };
	char *stray[] = { "run", "--lava-url", "http://x/", "cases", NULL };
	struct strbuf err = STRBUF_INIT;

	(void)state;
	backend_lava_local_set_program("/nonexistent/lava-run");
	assert_int_equal(run_cmd(no_lava, &err), 2);
	assert_non_null(strstr(err.buf, "oomtest run: --backend lava-local runs LAVA's dispatcher, "
					"/nonexistent/lava-run, which is not installed (apt-get install lava-dispatcher)\n"));
	backend_lava_local_set_program(fake.buf);
	strbuf_reset(&err);
	assert_int_equal(run_cmd(bogus, &err), 2);
	assert_non_null(strstr(err.buf, "--backend bogus: qemu, libvirt, lava-local or lava"));
	/* a LAVA server's backend needs its URL and a token */
	strbuf_reset(&err);
	unsetenv("OOMTEST_LAVA_TOKEN");
	assert_int_equal(run_cmd(no_url, &err), 2);
	assert_non_null(strstr(err.buf, "--backend lava needs --lava-url URL and --lava-token TOKEN"));
	strbuf_reset(&err);
	assert_int_equal(run_cmd(stray, &err), 2);
	assert_non_null(strstr(err.buf, "the --lava-* options are for --backend lava"));
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complete_job),
		cmocka_unit_test(test_panic_ends_the_job),
		cmocka_unit_test(test_invalid_job),
		cmocka_unit_test(test_kill_cancels),
		cmocka_unit_test(test_start_refuses),
		cmocka_unit_test(test_usable),
		cmocka_unit_test(test_run_command_refuses),
	};

	child_default_sigchld();
	return cmocka_run_group_tests(tests, setup, teardown);
}
