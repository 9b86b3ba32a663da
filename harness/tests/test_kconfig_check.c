/* Tests for target/kconfig_check: Debian's real configs (fixtures/kconfig/,
 * trimmed) pass the required part on every arch and miss what they miss
 * (MEMCG_V1 on 6.12, pvpanic on arm64); a build tree's auto.conf; a config
 * without the serial console; one of another arch; no config; and each
 * kind of want (y, y or m, set, not set, a number, an option only newer
 * kernels have) with the cases that skip or fail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/casefile.h"
#include "cmd/common.h"
#include "target/kconfig_check.h"

#define FIX "fixtures/kconfig/"

static struct oomcase *cases;
static size_t ncases;

static int load_fixture_cases(void **state)
{
	char **paths = NULL;
	size_t npaths = 0;
	char *args[] = { FIX "cases" };
	struct strbuf err = STRBUF_INIT;

	(void)state;
	if (collect_case_paths(args, 1, &paths, &npaths))
		return -1;
	for (size_t i = 0; i < npaths; i++) {
		struct oomcase *more = NULL;
		size_t nmore = 0;
		if (case_load_all(paths[i], &more, &nmore, &err)) {
			fputs(err.buf, stderr);
			return -1;
		}
		cases = xrealloc(cases, (ncases + nmore) * sizeof(*cases));
		memcpy(cases + ncases, more, nmore * sizeof(*more));
		ncases += nmore;
		free(more);
		free(paths[i]);
	}
	free(paths);
	strbuf_release(&err);
	return 0;
}

static int release_fixture_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ncases; i++)
		case_release(&cases[i]);
	free(cases);
	return 0;
}

/* The report's misses as "OPTION OPTION ..." in its order. */
static void miss_names(const struct kconfig_report *rep, struct strbuf *out)
{
	strbuf_reset(out);
	for (size_t i = 0; i < rep->n; i++)
		strbuf_addf(out, "%s%s", i ? " " : "", rep->v[i].req->option);
}

static const char *miss_text(const struct kconfig_report *rep, const char *option, struct strbuf *out)
{
	strbuf_reset(out);
	for (size_t i = 0; i < rep->n; i++)
		if (!strcmp(rep->v[i].req->option, option)) {
			kconfig_miss_text(&rep->v[i], out);
			return out->buf;
		}
	fail_msg("no miss of %s", option);
	return NULL;
}

static void check_dir(const char *dir, const char *arch, struct kconfig_report *rep)
{
	struct strbuf err = STRBUF_INIT;

	if (kconfig_check(dir, arch, cases, ncases, rep, &err))
		fail_msg("%s", err.buf);
	strbuf_release(&err);
}

static void test_debian(void **state)
{
	(void)state;
	static const struct {
		const char *dir, *arch, *misses;
	} want[] = {
		{ FIX "debian-6.1-amd64", "x86_64", "" },
		{ FIX "debian-6.1-686", "i386", "" },
		{ FIX "debian-6.1-arm64", "arm64", "CONFIG_PVPANIC CONFIG_PVPANIC_PCI" },
		{ FIX "debian-6.12-amd64", "x86_64", "CONFIG_MEMCG_V1" },
		{ FIX "debian-6.12-arm64", "arm64", "CONFIG_PVPANIC CONFIG_PVPANIC_PCI CONFIG_MEMCG_V1" },
	};
	struct strbuf names = STRBUF_INIT, text = STRBUF_INIT;

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct kconfig_report rep;
		check_dir(want[i].dir, want[i].arch, &rep);
		assert_int_equal(rep.nhard, 0);
		assert_string_equal(rep.arch, want[i].arch);
		assert_string_equal(rep.config_arch, want[i].arch);
		miss_names(&rep, &names);
		assert_string_equal(names.buf, want[i].misses);
		/* the fragment's prerequisites are not checked */
		assert_true(rep.nchecked < rep.reqs.n);
		kconfig_report_release(&rep);
	}

	struct kconfig_report rep;
	check_dir(FIX "debian-6.12-amd64", "x86_64", &rep);
	assert_string_equal(rep.config_path, FIX "debian-6.12-amd64/.config");
	assert_string_equal(rep.version, "6.12.118");
	assert_string_equal(miss_text(&rep, "CONFIG_MEMCG_V1", &text),
			    "CONFIG_MEMCG_V1 is not set (wanted y): [cgroup] version = 1 needs the v1 memory controller "
			    "(an option of its own from 6.11 on); cases that will skip: memcg-v1");
	kconfig_report_release(&rep);

	check_dir(FIX "debian-6.1-arm64", NULL, &rep);
	assert_string_equal(rep.arch, "arm64");
	assert_string_equal(miss_text(&rep, "CONFIG_PVPANIC", &text),
			    "CONFIG_PVPANIC is not set (wanted y): QEMU hears of a panic at once through the pvpanic "
			    "device; without it a panic is read from the console; no case skips");
	assert_string_equal(miss_text(&rep, "CONFIG_PVPANIC_PCI", &text),
			    "CONFIG_PVPANIC_PCI is not set (wanted y or m): the driver of QEMU's pvpanic-pci device "
			    "(as a module: loaded from the initramfs); no case skips");
	kconfig_report_release(&rep);
	strbuf_release(&names);
	strbuf_release(&text);
}

/* A build tree of its own, read from include/config/auto.conf (no "is not
 * set" lines there): no PSI, no THP. */
static void test_build_tree(void **state)
{
	(void)state;
	struct kconfig_report rep;
	struct strbuf names = STRBUF_INIT, text = STRBUF_INIT;

	check_dir(FIX "build-6.1-x86_64", NULL, &rep);
	assert_string_equal(rep.config_path, FIX "build-6.1-x86_64/include/config/auto.conf");
	assert_string_equal(rep.version, "6.1.192");
	assert_string_equal(rep.arch, "x86_64");
	assert_int_equal(rep.nhard, 0);
	miss_names(&rep, &names);
	assert_string_equal(names.buf, "CONFIG_TRANSPARENT_HUGEPAGE CONFIG_PSI");
	assert_string_equal(miss_text(&rep, "CONFIG_PSI", &text),
			    "CONFIG_PSI is not set (wanted y, m or a value): needs = kconfig: names it; "
			    "cases that will skip: psi");
	assert_string_equal(miss_text(&rep, "CONFIG_TRANSPARENT_HUGEPAGE", &text),
			    "CONFIG_TRANSPARENT_HUGEPAGE is not set (wanted y): hog --kind thp asks for transparent "
			    "huge pages; cases that will skip: thp");
	kconfig_report_release(&rep);
	strbuf_release(&names);
	strbuf_release(&text);
}

static void test_no_console(void **state)
{
	(void)state;
	struct kconfig_report rep;
	struct strbuf names = STRBUF_INIT, text = STRBUF_INIT;

	check_dir(FIX "no-console-x86_64", "x86_64", &rep);
	assert_int_equal(rep.nhard, 2);
	miss_names(&rep, &names);
	assert_string_equal(names.buf, "CONFIG_SERIAL_8250_CONSOLE CONFIG_SERIAL_8250_RUNTIME_UARTS CONFIG_MEMCG_V1");
	assert_int_equal(rep.v[0].req->level, KCONFIG_HARD);
	assert_string_equal(miss_text(&rep, "CONFIG_SERIAL_8250_CONSOLE", &text),
			    "CONFIG_SERIAL_8250_CONSOLE is not set (wanted y): required: console=ttyS0 carries the "
			    "kernel log");
	assert_string_equal(miss_text(&rep, "CONFIG_SERIAL_8250_RUNTIME_UARTS", &text),
			    "CONFIG_SERIAL_8250_RUNTIME_UARTS=1 (wanted 2 or more): required: ttyS1, the agent channel, "
			    "is registered at boot only with 2 or more");
	kconfig_report_release(&rep);
	strbuf_release(&names);
	strbuf_release(&text);
}

static void test_other_arch_and_none(void **state)
{
	(void)state;
	struct kconfig_report rep;
	struct strbuf err = STRBUF_INIT, text = STRBUF_INIT;

	check_dir(FIX "debian-6.1-arm64", "x86_64", &rep);
	assert_true(rep.nhard >= 1);
	assert_string_equal(rep.arch, "x86_64");
	assert_string_equal(rep.config_arch, "arm64");
	assert_string_equal(rep.v[0].req->option, "CONFIG_X86_64");
	assert_string_equal(miss_text(&rep, "CONFIG_X86_64", &text),
			    "CONFIG_X86_64 is not set (wanted y): required: the kernel must be built for x86_64; this "
			    "config builds arm64 (CONFIG_ARM64=y)");
	kconfig_report_release(&rep);

	assert_int_equal(kconfig_check(FIX "no-config", "x86_64", cases, ncases, &rep, &err), -1);
	assert_string_equal(err.buf, FIX "no-config has no kernel config (neither .config nor include/config/auto.conf): "
				     "is it a configured kernel build directory?");
	assert_int_equal(rep.n, 0);
	kconfig_report_release(&rep);

	/* a config that says no arch: one must be given */
	struct kconfig_file f;
	strbuf_reset(&err);
	kconfig_file_parse(&f, "CONFIG_MODULES=y\n", 17);
	assert_int_equal(kconfig_check_config(&f, "x/.config", NULL, NULL, 0, &rep, &err), -1);
	assert_string_equal(err.buf, "x/.config: which arch it builds is not said (no CONFIG_X86_64, CONFIG_X86_32 or "
				     "CONFIG_ARM64 set)");
	kconfig_report_release(&rep);
	assert_int_equal(kconfig_check_config(&f, "x/.config", "riscv64", NULL, 0, &rep, &err), 0);
	assert_string_equal(rep.arch, "riscv64");
	kconfig_report_release(&rep);
	kconfig_file_release(&f);
	strbuf_release(&err);
	strbuf_release(&text);
}

/* Debian's 6.12 amd64 config with lines taken out or changed. */
static void check_edited(const char *drop, const char *add, struct kconfig_report *rep)
{
	struct strbuf text = STRBUF_INIT, edited = STRBUF_INIT, err = STRBUF_INIT;
	struct kconfig_file f;

	assert_int_equal(strbuf_read_file(&text, FIX "debian-6.12-amd64/.config"), 0);
	for (char *line = strtok(text.buf, "\n"); line; line = strtok(NULL, "\n")) {
		struct strbuf whole = STRBUF_INIT;
		strbuf_addf(&whole, "%s\n", line);
		/* a line of drop, whole */
		const char *at = drop ? strstr(drop, whole.buf) : NULL;
		if (!at || (at != drop && at[-1] != '\n'))
			strbuf_addbuf(&edited, &whole);
		strbuf_release(&whole);
	}
	if (add)
		strbuf_addstr(&edited, add);
	kconfig_file_parse(&f, edited.buf, edited.len);
	if (kconfig_check_config(&f, "edited/.config", "x86_64", cases, ncases, rep, &err))
		fail_msg("%s", err.buf);
	kconfig_file_release(&f);
	strbuf_release(&text);
	strbuf_release(&edited);
	strbuf_release(&err);
}

static void test_wants(void **state)
{
	(void)state;
	struct kconfig_report rep;
	struct strbuf names = STRBUF_INIT, text = STRBUF_INIT;

	/* virtio_blk missing: every case with a virtio disk fails; swap
	 * missing: the swap case skips, it says it needs it */
	check_edited("CONFIG_VIRTIO_BLK=m\nCONFIG_SWAP=y\n", "CONFIG_KASAN=y\nCONFIG_MEMCG_V1=y\n", &rep);
	miss_names(&rep, &names);
	assert_string_equal(names.buf, "CONFIG_SWAP CONFIG_VIRTIO_BLK CONFIG_KASAN");
	assert_int_equal(rep.nhard, 0);
	assert_string_equal(miss_text(&rep, "CONFIG_SWAP", &text),
			    "CONFIG_SWAP is not set (wanted y): swap = turns swap on on a virtio disk; cases that will "
			    "skip: swap");
	assert_string_equal(miss_text(&rep, "CONFIG_VIRTIO_BLK", &text),
			    "CONFIG_VIRTIO_BLK is not set (wanted y or m): the run's own files (payload), swap and disk "
			    "come on virtio disks (as a module: loaded from the initramfs); cases that will fail: disk, "
			    "script, swap");
	assert_string_equal(miss_text(&rep, "CONFIG_KASAN", &text),
			    "CONFIG_KASAN=y (wanted not set): needs = kconfig:! wants it off; cases that will skip: "
			    "no-kasan");
	kconfig_report_release(&rep);

	/* =m where y is wanted; a value for needs kconfig:; no number */
	check_edited("CONFIG_SERIAL_8250=y\nCONFIG_PSI=y\nCONFIG_SERIAL_8250_NR_UARTS=32\nCONFIG_SYSFS=y\n",
		     "CONFIG_SERIAL_8250=m\nCONFIG_PSI=\"yes\"\nCONFIG_SERIAL_8250_NR_UARTS=four\n# CONFIG_SYSFS is not set\n",
		     &rep);
	miss_names(&rep, &names);
	assert_string_equal(names.buf, "CONFIG_SERIAL_8250 CONFIG_SERIAL_8250_NR_UARTS CONFIG_MEMCG_V1 CONFIG_SYSFS");
	assert_int_equal(rep.nhard, 2);
	assert_string_equal(miss_text(&rep, "CONFIG_SERIAL_8250", &text),
			    "CONFIG_SERIAL_8250=m (wanted y): required: the console (ttyS0) and the agent channel (ttyS1) "
			    "are 16550 serial ports");
	assert_string_equal(miss_text(&rep, "CONFIG_SERIAL_8250_NR_UARTS", &text),
			    "CONFIG_SERIAL_8250_NR_UARTS=four (wanted 2 or more): required: the agent channel is the second "
			    "serial port, ttyS1");
	assert_string_equal(miss_text(&rep, "CONFIG_SYSFS", &text),
			    "CONFIG_SYSFS is not set (wanted y): the agent finds its disks by serial in /sys/block and "
			    "mounts cgroups under /sys/fs/cgroup; cases that will fail: disk, memcg-v1, memcg-v2-shmem, "
			    "psi, script, swap");
	/* old-kmem is not for 6.12 (max-kernel:6.10): no option names it */
	for (size_t i = 0; i < rep.reqs.n; i++)
		for (size_t j = 0; j < rep.reqs.v[i].ncases; j++)
			assert_string_not_equal(rep.reqs.v[i].cases[j].name, "old-kmem");
	kconfig_report_release(&rep);

	/* MEMCG_V1 is asked of kernels that have it: 6.11 on, or any whose
	 * config names it */
	check_edited("# CONFIG_MEMCG_V1 is not set\n", NULL, &rep);
	miss_names(&rep, &names);
	assert_string_equal(names.buf, "CONFIG_MEMCG_V1");
	kconfig_report_release(&rep);
	check_edited("# CONFIG_MEMCG_V1 is not set\n# Linux/x86 6.12.118 Kernel Configuration\n",
		     "CONFIG_SERIAL_8250_NR_UARTS=0x2\n", &rep);
	/* no version: MEMCG_V1 not asked for, and old-kmem (max-kernel:6.10)
	 * counts, whose option 6.12 has no more */
	assert_null(rep.version);
	miss_names(&rep, &names);
	assert_string_equal(names.buf, "CONFIG_MEMCG_KMEM");
	kconfig_report_release(&rep);
	strbuf_release(&names);
	strbuf_release(&text);
}

static void test_want_text(void **state)
{
	(void)state;
	struct strbuf b = STRBUF_INIT;
	struct kconfig_req q = { .want = KCONFIG_AT_LEAST, .min = 2 };

	assert_string_equal(kconfig_want_text(&q, &b), "2 or more");
	q.want = KCONFIG_Y;
	assert_string_equal(kconfig_want_text(&q, &b), "y");
	q.want = KCONFIG_Y_OR_M;
	assert_string_equal(kconfig_want_text(&q, &b), "y or m");
	q.want = KCONFIG_SET;
	assert_string_equal(kconfig_want_text(&q, &b), "y, m or a value");
	q.want = KCONFIG_NOT_SET;
	assert_string_equal(kconfig_want_text(&q, &b), "not set");
	strbuf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debian),
		cmocka_unit_test(test_build_tree),
		cmocka_unit_test(test_no_console),
		cmocka_unit_test(test_other_arch_and_none),
		cmocka_unit_test(test_wants),
		cmocka_unit_test(test_want_text),
	};
	return cmocka_run_group_tests(tests, load_fixture_cases, release_fixture_cases);
}
