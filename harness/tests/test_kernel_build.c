/* Tests for target/kernel_build.c against a fake kernel source tree: its
 * Makefile notes each make call (target, ARCH, O=) and writes a .config
 * or an image as kbuild would, its merge_config.sh appends the fragments,
 * and olddefconfig drops options "kconfig does not know" (named UNKNOWN).
 * What is checked: the source tree check and its messages, the steps and
 * their order, the fragments merged, a user option that is not taken, a
 * failed build (its first error, the log, no stamp), the stamp of a
 * whole build, and the base fragments. */
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

#include "lib/child.h"
#include "lib/fs.h"
#include "lib/strbuf.h"
#include "target/kernel_build.h"

static char root[] = "/tmp/oomtest-kernel-build.XXXXXX";

static char *path_in(const char *rel)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/%s", root, rel);
	return strbuf_detach(&p);
}

static void put(const char *rel, const char *text, mode_t mode)
{
	char *p = path_in(rel);
	char *slash = strrchr(p, '/');

	*slash = '\0';
	assert_int_equal(fs_mkdirs(p), 0);
	*slash = '/';
	assert_int_equal(fs_write_atomic(p, text, strlen(text)), 0);
	assert_int_equal(chmod(p, mode), 0);
	free(p);
}

static char *get(const char *rel)
{
	char *p = path_in(rel);
	struct strbuf sb = STRBUF_INIT;

	if (strbuf_read_file(&sb, p)) {
		strbuf_release(&sb);
		free(p);
		return NULL;
	}
	free(p);
	return strbuf_detach(&sb);
}

static int exists(const char *rel)
{
	char *p = path_in(rel);
	int r = !access(p, F_OK);
	free(p);
	return r;
}

static const char fake_makefile[] =
	"VERSION = 6\n"
	"PATCHLEVEL = 1\n"
	"tinyconfig defconfig:\n"
	"\t@echo \"$@ $(ARCH)\" >> $(O)/calls\n"
	"\t@printf 'CONFIG_BASE=y\\n' > $(O)/.config\n"
	"olddefconfig:\n"
	"\t@echo \"$@ $(ARCH)\" >> $(O)/calls\n"
	"\t@grep -v UNKNOWN $(O)/.config > $(O)/.config.new; mv $(O)/.config.new $(O)/.config\n"
	"bzImage Image modules:\n"
	"\t@echo \"$@ $(ARCH) $(CROSS_COMPILE)\" >> $(O)/calls\n"
	"\t@if [ -f $(O)/fail ]; then echo \"mm/oom_kill.c:12:3: error: expected ';'\" >&2; exit 2; fi\n"
	"\t@mkdir -p $(O)/arch/x86/boot $(O)/include/config\n"
	"\t@echo image > $(O)/arch/x86/boot/bzImage\n"
	"\t@echo 6.1.0-fake > $(O)/include/config/kernel.release\n";

/* -m CONFIG FRAGMENT...: the fragments appended, as kconfig would merge */
static const char fake_merge[] =
	"#!/bin/sh\n"
	"[ \"$1\" = -m ] || exit 9\n"
	"config=$2; shift 2\n"
	"echo \"merge $(basename \"$(pwd)\")\" >> calls\n"
	"for f; do grep '^CONFIG_' \"$f\" >> \"$config\"; done\n";

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(root))
		return -1;
	put("src/Makefile", fake_makefile, 0644);
	put("src/Kconfig", "mainmenu \"fake\"\n", 0644);
	put("src/arch/x86/Kconfig", "\n", 0644);
	put("src/scripts/kconfig/merge_config.sh", fake_merge, 0755);
	put("mine.config", "CONFIG_MINE=y\n", 0644);
	put("unknown.config", "CONFIG_UNKNOWN_THING=y\nCONFIG_MINE=y\n", 0644);
	return 0;
}

static int teardown(void **state)
{
	char *rm[] = { "rm", "-rf", root, NULL };

	(void)state;
	return child_run(rm, -1);
}

static void check_source_says(const char *rel, const char *arch, const char *want)
{
	struct strbuf err = STRBUF_INIT;
	char *src = path_in(rel);

	assert_int_equal(kernel_build_check_source(src, arch_find(arch), &err), -1);
	if (!strstr(err.buf, want))
		fail_msg("'%s' not in '%s'", want, err.buf);
	free(src);
	strbuf_release(&err);
}

static void test_check_source(void **state)
{
	struct strbuf err = STRBUF_INIT;
	char *src = path_in("src");

	(void)state;
	assert_int_equal(kernel_build_check_source(src, &arch_x86_64, &err), 0);
	assert_int_equal(kernel_build_check_source(src, &arch_i386, &err), 0);
	assert_string_equal(err.buf, "");
	free(src);
	check_source_says("no-such-dir", "x86_64", "not a directory");
	check_source_says("src", "arm64", "not a kernel source tree for arm64 (no arch/arm64/Kconfig)");
	put("plain/Makefile", "all:\n", 0644);
	check_source_says("plain", "x86_64", "not a kernel source tree (no a top Makefile with VERSION and PATCHLEVEL)");
	put("nomerge/Makefile", "VERSION = 6\nPATCHLEVEL = 1\n", 0644);
	put("nomerge/Kconfig", "\n", 0644);
	check_source_says("nomerge", "x86_64", "(no scripts/kconfig/merge_config.sh)");
}

static void test_base_fragments(void **state)
{
	struct strbuf f = STRBUF_INIT;

	(void)state;
	kernel_build_base_fragment("tinyconfig", &arch_x86_64, &f);
	assert_non_null(strstr(f.buf, "\nCONFIG_64BIT=y\n"));
	assert_non_null(strstr(f.buf, "\nCONFIG_FUTEX=y\n"));
	assert_non_null(strstr(f.buf, "\nCONFIG_SLUB=y\n"));
	assert_non_null(strstr(f.buf, "\nCONFIG_VMAP_STACK=y\n"));
	assert_null(strstr(f.buf, "PCI_HOST_GENERIC"));
	strbuf_reset(&f);
	kernel_build_base_fragment("tinyconfig", &arch_arm64, &f);
	assert_non_null(strstr(f.buf, "\nCONFIG_PCI_HOST_GENERIC=y\n"));
	assert_null(strstr(f.buf, "64BIT"));
	strbuf_reset(&f);
	kernel_build_base_fragment("defconfig", &arch_i386, &f);
	assert_null(strstr(f.buf, "\nCONFIG_"));
	assert_true(kernel_build_base_known("tinyconfig"));
	assert_true(kernel_build_base_known("defconfig"));
	assert_false(kernel_build_base_known("allyesconfig"));
	strbuf_release(&f);
}

static int build(const char *out_rel, char *const *fragments, size_t n, struct kernel_built *res,
		 struct strbuf *err)
{
	char *src = path_in("src"), *out = path_in(out_rel);
	struct kernel_build_opts o = { .src = src, .out = out, .arch = &arch_x86_64, .base = "tinyconfig",
				       .fragments = fragments, .nfragments = n,
				       .oomtest_fragment = "# X: why\nCONFIG_OOMTEST_WANTS=y\n", .jobs = 1 };
	int r = kernel_build(&o, res, err);

	free(src);
	free(out);
	return r;
}

static void test_whole_build(void **state)
{
	struct kernel_built res;
	struct strbuf err = STRBUF_INIT;
	char *mine = path_in("mine.config"), *text;
	char *frags[] = { mine };

	(void)state;
	assert_int_equal(build("out1", frags, 1, &res, &err), 0);
	assert_string_equal(err.buf, "");
	assert_string_equal(res.release.buf, "6.1.0-fake");
	assert_true(strstr(res.image.buf, "/out1/arch/x86/boot/bzImage") != NULL);
	assert_true(strstr(res.kdir.buf, "/out1") != NULL && res.kdir.buf[0] == '/');
	/* the steps, in order, on the arch, out of tree */
	text = get("out1/calls");
	assert_string_equal(text, "tinyconfig x86_64\nmerge out1\nolddefconfig x86_64\nbzImage x86_64 \nmodules x86_64 \n");
	free(text);
	/* the base, oomtest's fragment and the user's, merged */
	text = get("out1/.config");
	assert_non_null(strstr(text, "CONFIG_BASE=y\n"));
	assert_non_null(strstr(text, "CONFIG_FUTEX=y\n"));
	assert_non_null(strstr(text, "CONFIG_OOMTEST_WANTS=y\n"));
	assert_non_null(strstr(text, "CONFIG_MINE=y\n"));
	free(text);
	text = get("out1/" KERNEL_BUILT_STAMP);
	assert_non_null(text);
	assert_non_null(strstr(text, "arch x86_64\nrelease 6.1.0-fake\n"));
	free(text);
	assert_true(exists("out1/build.log"));
	kernel_built_release(&res);
	free(mine);
	strbuf_release(&err);
}

static void test_option_not_taken(void **state)
{
	struct kernel_built res;
	struct strbuf err = STRBUF_INIT;
	char *unknown = path_in("unknown.config");
	char *frags[] = { unknown };

	(void)state;
	assert_int_equal(build("out2", frags, 1, &res, &err), -1);
	assert_non_null(strstr(err.buf, "kconfig did not take these options of yours"));
	assert_non_null(strstr(err.buf, "CONFIG_UNKNOWN_THING=y (final: not set)"));
	assert_null(strstr(err.buf, "CONFIG_MINE"));
	assert_false(exists("out2/" KERNEL_BUILT_STAMP));
	/* nothing was built */
	char *calls = get("out2/calls");
	assert_null(strstr(calls, "bzImage"));
	free(calls);
	kernel_built_release(&res);
	free(unknown);
	strbuf_release(&err);
}

static void test_failed_build(void **state)
{
	struct kernel_built res;
	struct strbuf err = STRBUF_INIT;

	(void)state;
	/* a whole build first: its stamp must not outlive the failed one */
	assert_int_equal(build("out3", NULL, 0, &res, &err), 0);
	kernel_built_release(&res);
	assert_true(exists("out3/" KERNEL_BUILT_STAMP));
	put("out3/fail", "", 0644);
	assert_int_equal(build("out3", NULL, 0, &res, &err), -1);
	assert_non_null(strstr(err.buf, "make: the image and the modules failed: "));
	assert_non_null(strstr(err.buf, "mm/oom_kill.c:12:3: error: expected ';'"));
	assert_non_null(strstr(err.buf, "/out3/build.log)"));
	assert_false(exists("out3/" KERNEL_BUILT_STAMP));
	kernel_built_release(&res);
	strbuf_release(&err);
}

static void test_bad_source_makes_nothing(void **state)
{
	struct kernel_built res;
	struct strbuf err = STRBUF_INIT;
	char *src = path_in("plain2"), *out = path_in("out4");
	struct kernel_build_opts o = { .src = src, .out = out, .arch = &arch_x86_64, .base = "tinyconfig",
				       .oomtest_fragment = "", .jobs = 1 };

	(void)state;
	put("plain2/Makefile", "all:\n", 0644);
	assert_int_equal(kernel_build(&o, &res, &err), -1);
	assert_non_null(strstr(err.buf, "not a kernel source tree"));
	assert_false(exists("out4"));
	kernel_built_release(&res);
	free(src);
	free(out);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_source),
		cmocka_unit_test(test_base_fragments),
		cmocka_unit_test(test_whole_build),
		cmocka_unit_test(test_option_not_taken),
		cmocka_unit_test(test_failed_build),
		cmocka_unit_test(test_bad_source_makes_nothing),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
