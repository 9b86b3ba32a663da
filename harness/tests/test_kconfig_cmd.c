/* Tests for cmd/kconfig: `oomtest kconfig` (the fragment, --kdir's report,
 * exit statuses, usage errors) and run's --kdir check before any guest
 * (kconfig_check_run). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/kconfig.h"
#include "lib/strbuf.h"

#define FIX "fixtures/kconfig/"

struct output {
	struct strbuf out, err;
};

/* Runs fn with stdout and stderr sent to files; their text in o. */
static int capture(int (*fn)(void *), void *arg, struct output *o)
{
	char out_path[] = "/tmp/oomtest-kconfig-out.XXXXXX", err_path[] = "/tmp/oomtest-kconfig-err.XXXXXX";
	int out = mkstemp(out_path), err = mkstemp(err_path);
	int saved_out = dup(1), saved_err = dup(2), rc;

	assert_true(out >= 0 && err >= 0 && saved_out >= 0 && saved_err >= 0);
	fflush(stdout);
	fflush(stderr);
	dup2(out, 1);
	dup2(err, 2);
	rc = fn(arg);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	close(out);
	close(err);
	strbuf_init(&o->out);
	strbuf_init(&o->err);
	assert_int_equal(strbuf_read_file(&o->out, out_path), 0);
	assert_int_equal(strbuf_read_file(&o->err, err_path), 0);
	unlink(out_path);
	unlink(err_path);
	return rc;
}

static void release_output(struct output *o)
{
	strbuf_release(&o->out);
	strbuf_release(&o->err);
}

struct args {
	int argc;
	const char **argv;
};

static int call_cmd(void *arg)
{
	struct args *a = arg;
	return cmd_kconfig(a->argc, (char **)a->argv);
}

#define KCONFIG(o, ...) kconfig_cmd(o, (const char *[]){ "kconfig", __VA_ARGS__, NULL })

static int kconfig_cmd(struct output *o, const char **argv)
{
	struct args a = { 0, argv };
	while (argv[a.argc])
		a.argc++;
	return capture(call_cmd, &a, o);
}

static void test_fragment(void **state)
{
	(void)state;
	struct output o;
	struct strbuf want = STRBUF_INIT;

	assert_int_equal(KCONFIG(&o, "--arch", "arm64", FIX "cases"), 0);
	assert_int_equal(strbuf_read_file(&want, FIX "fragment-arm64.txt"), 0);
	assert_string_equal(o.out.buf, want.buf);
	assert_string_equal(o.err.buf, "");
	release_output(&o);
	strbuf_reset(&want);

	/* an arch's other name; cases named one by one */
	assert_int_equal(KCONFIG(&o, "--arch", "amd64", FIX "cases/swap.case", FIX "cases/thp.case"), 0);
	assert_non_null(strstr(o.out.buf, "on x86_64, for\n"));
	assert_non_null(strstr(o.out.buf, "\n# SWAP: swap = turns swap on on a virtio disk; cases: swap\nCONFIG_SWAP=y\n"));
	assert_non_null(strstr(o.out.buf, "cases: thp\nCONFIG_TRANSPARENT_HUGEPAGE=y\n"));
	assert_null(strstr(o.out.buf, "MEMCG"));
	release_output(&o);

	/* by default, the project's cases */
	setenv("OOMTEST_ROOT", "../..", 1);
	assert_int_equal(KCONFIG(&o, "--arch", "i386"), 0);
	unsetenv("OOMTEST_ROOT");
	assert_non_null(strstr(o.out.buf, "on i386, for\n"));
	assert_non_null(strstr(o.out.buf, "\nCONFIG_SERIAL_8250_CONSOLE=y\n"));
	assert_non_null(strstr(o.out.buf, "; cases: i386-highmem\nCONFIG_HIGHMEM=y\n"));
	release_output(&o);
	strbuf_release(&want);
}

static void test_kdir(void **state)
{
	(void)state;
	struct output o;

	assert_int_equal(KCONFIG(&o, "--kdir", FIX "debian-6.12-amd64", FIX "cases"), 0);
	assert_string_equal(o.out.buf, FIX "debian-6.12-amd64/.config (Linux 6.12.118, x86_64): 1 of 32 options oomtest "
					   "needs on x86_64 is not as wanted\n"
					   "  CONFIG_MEMCG_V1 is not set (wanted y): [cgroup] version = 1 needs the v1 memory "
					   "controller (an option of its own from 6.11 on); cases that will skip: memcg-v1\n");
	release_output(&o);

	assert_int_equal(KCONFIG(&o, "--kdir", FIX "debian-6.1-686", FIX "cases"), 0);
	assert_non_null(strstr(o.out.buf, "(Linux 6.1.176, i386): every option oomtest needs on i386 is there ("));
	release_output(&o);

	assert_int_equal(KCONFIG(&o, "--kdir", FIX "no-console-x86_64", "--arch", "x86_64", FIX "cases"), 1);
	assert_non_null(strstr(o.out.buf, "\n  CONFIG_SERIAL_8250_CONSOLE is not set (wanted y): required: "));
	assert_non_null(strstr(o.out.buf, "\nno guest boots or talks without the required options\n"));
	release_output(&o);

	assert_int_equal(KCONFIG(&o, "--kdir", FIX "no-config", FIX "cases"), 2);
	assert_string_equal(o.out.buf, "");
	assert_string_equal(o.err.buf, "oomtest kconfig: " FIX "no-config has no kernel config (neither .config nor "
					"include/config/auto.conf): is it a configured kernel build directory?\n");
	release_output(&o);
}

static void test_usage(void **state)
{
	(void)state;
	struct output o;

	assert_int_equal(KCONFIG(&o, "--help"), 0);
	assert_non_null(strstr(o.out.buf, "usage: oomtest kconfig [--arch ARCH] [--kdir DIR] [CASE|DIR...]\n"));
	release_output(&o);
	assert_int_equal(KCONFIG(&o, "--arch", "sparc", FIX "cases"), 2);
	assert_string_equal(o.err.buf, "oomtest kconfig: --arch sparc: unknown architecture (x86_64, i386, arm64)\n");
	release_output(&o);
	assert_int_equal(KCONFIG(&o, "--bogus"), 2);
	assert_non_null(strstr(o.err.buf, "usage: oomtest kconfig"));
	release_output(&o);
	assert_int_equal(KCONFIG(&o, "--arch", "x86_64", FIX "cases/none.case"), 2);
	assert_non_null(strstr(o.err.buf, "none.case: No such file or directory"));
	assert_string_equal(o.out.buf, "");
	release_output(&o);
}

struct run_check {
	const char *kdir, *arch;
};

static int call_run_check(void *arg)
{
	struct run_check *rc = arg;
	struct target t = { .name = "custom-x86_64-00000000", .arch = (char *)rc->arch, .kdir = (char *)rc->kdir };
	return kconfig_check_run(&t, NULL, 0);
}

static void test_run_check(void **state)
{
	(void)state;
	struct output o;
	struct run_check rc = { FIX "no-console-x86_64", "x86_64" };

	assert_int_equal(capture(call_run_check, &rc, &o), -1);
	assert_string_equal(o.out.buf, "");
	assert_string_equal(o.err.buf,
			    "oomtest run: --kdir " FIX "no-console-x86_64: CONFIG_SERIAL_8250_CONSOLE is not set (wanted y): "
			    "required: console=ttyS0 carries the kernel log\n"
			    "oomtest run: --kdir " FIX "no-console-x86_64: CONFIG_SERIAL_8250_RUNTIME_UARTS=1 (wanted 2 or "
			    "more): required: ttyS1, the agent channel, is registered at boot only with 2 or more\n"
			    "oomtest run: the kernel of --kdir " FIX "no-console-x86_64 lacks what every guest needs ("
			    FIX "no-console-x86_64/.config): no guest started\n");
	release_output(&o);

	rc = (struct run_check){ FIX "debian-6.1-arm64", "arm64" };
	assert_int_equal(capture(call_run_check, &rc, &o), 0);
	assert_string_equal(o.err.buf,
			    "oomtest run: notice: --kdir " FIX "debian-6.1-arm64: CONFIG_PVPANIC is not set (wanted y): QEMU "
			    "hears of a panic at once through the pvpanic device; without it a panic is read from the "
			    "console; no case skips\n"
			    "oomtest run: notice: --kdir " FIX "debian-6.1-arm64: CONFIG_PVPANIC_PCI is not set (wanted y or "
			    "m): the driver of QEMU's pvpanic-pci device (as a module: loaded from the initramfs); no case "
			    "skips\n");
	release_output(&o);

	rc = (struct run_check){ FIX "debian-6.1-amd64", "x86_64" };
	assert_int_equal(capture(call_run_check, &rc, &o), 0);
	assert_string_equal(o.err.buf, "");
	release_output(&o);

	rc = (struct run_check){ FIX "no-config", "x86_64" };
	assert_int_equal(capture(call_run_check, &rc, &o), 0);
	assert_non_null(strstr(o.err.buf, "oomtest run: notice: --kdir " FIX "no-config has no kernel config"));
	assert_non_null(strstr(o.err.buf, "the kernel's config is not checked"));
	release_output(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fragment),
		cmocka_unit_test(test_kdir),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_run_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
