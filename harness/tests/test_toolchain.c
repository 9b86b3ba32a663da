/* Tests for target/toolchain.c: what Kbuild is told for each arch on each
 * host, a clang-built kernel read from .config or auto.conf, and the
 * errors for a missing compiler, which name its Debian package. The host's
 * compilers are not used: PATH points at a directory of stand-ins. */
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
#include "target/toolchain.h"

static char root[] = "/tmp/oomtest-toolchain.XXXXXX";
static char *saved_path;

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

/* PATH is ROOT/bin alone, holding the programs named */
static void programs(const char *const *names)
{
	char *bin = path_in("bin");
	char *rm[] = { "/bin/rm", "-rf", bin, NULL };

	assert_int_equal(child_run(rm, -1), 0);
	assert_int_equal(fs_mkdirs(bin), 0);
	for (size_t i = 0; names[i]; i++) {
		struct strbuf rel = STRBUF_INIT;
		strbuf_addf(&rel, "bin/%s", names[i]);
		put(rel.buf, "#!/bin/sh\nexit 0\n", 0755);
		strbuf_release(&rel);
	}
	setenv("PATH", bin, 1);
	free(bin);
}

static const char *const llvm_all[] = { "clang", "ld.lld", "llvm-ar", "llvm-nm", "llvm-objcopy", NULL };
static const char *const cross_gcc[] = { "aarch64-linux-gnu-gcc", NULL };
static const char *const none[] = { NULL };

/* the variables toolchain_for gave, "A B", or "error: ..." */
static char *vars_for(const char *kdir_rel, const char *arch, const char *host)
{
	struct toolchain tc;
	struct strbuf got = STRBUF_INIT, err = STRBUF_INIT;
	char *kdir = path_in(kdir_rel);

	if (toolchain_for(&tc, kdir, arch_find(arch), host, &err)) {
		assert_int_not_equal(err.len, 0);
		strbuf_addf(&got, "error: %s", err.buf);
	} else {
		assert_int_equal(err.len, 0);
		for (size_t i = 0; i < tc.n; i++)
			strbuf_addf(&got, "%s%s", i ? " " : "", tc.vars[i].buf);
	}
	toolchain_release(&tc);
	strbuf_release(&err);
	free(kdir);
	return strbuf_detach(&got);
}

static void assert_vars(const char *kdir_rel, const char *arch, const char *host, const char *want)
{
	char *got = vars_for(kdir_rel, arch, host);
	assert_string_equal(got, want);
	free(got);
}

static void assert_error_has(const char *kdir_rel, const char *arch, const char *host, const char *part)
{
	char *got = vars_for(kdir_rel, arch, host);
	assert_true(!strncmp(got, "error: ", 7));
	if (!strstr(got, part))
		fail_msg("'%s' not in '%s'", part, got);
	free(got);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(root))
		return -1;
	saved_path = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	put("gcc/.config", "CONFIG_CC_IS_GCC=y\n# CONFIG_CC_IS_CLANG is not set\n", 0644);
	put("clang/.config", "CONFIG_CC_VERSION_TEXT=\"Debian clang version 14.0.6\"\nCONFIG_CC_IS_CLANG=y\n", 0644);
	put("clang-autoconf/include/config/auto.conf", "CONFIG_CC_IS_CLANG=y\nCONFIG_64BIT=y\n", 0644);
	put("no-config/Makefile", "all:\n", 0644);
	/* .config is what the kernel was configured with; auto.conf is read
	 * only without it */
	put("stale-autoconf/.config", "CONFIG_CC_IS_GCC=y\n", 0644);
	put("stale-autoconf/include/config/auto.conf", "CONFIG_CC_IS_CLANG=y\n", 0644);
	put("near-miss/.config", "CONFIG_CC_IS_CLANG=yes\nXCONFIG_CC_IS_CLANG=y\n", 0644);
	return 0;
}

static int teardown(void **state)
{
	char *rm[] = { "rm", "-rf", root, NULL };

	(void)state;
	setenv("PATH", saved_path, 1);
	free(saved_path);
	return child_run(rm, -1);
}

static void test_kernel_is_clang(void **state)
{
	static const struct {
		const char *kdir;
		int clang;
	} cases[] = {
		{ "gcc", 0 }, { "clang", 1 }, { "clang-autoconf", 1 }, { "no-config", 0 },
		{ "stale-autoconf", 0 }, { "near-miss", 0 }, { "does-not-exist", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *kdir = path_in(cases[i].kdir);
		if (toolchain_kernel_is_clang(kdir) != cases[i].clang)
			fail_msg("%s: want clang=%d", cases[i].kdir, cases[i].clang);
		free(kdir);
	}
}

static void test_gcc_native(void **state)
{
	(void)state;
	programs(none);
	assert_vars("gcc", "x86_64", "x86_64", "");
	/* an x86_64 host builds i386 modules with its own gcc (-m32) */
	assert_vars("gcc", "i386", "x86_64", "");
	assert_vars("gcc", "arm64", "aarch64", "");
	assert_vars("no-config", "x86_64", "x86_64", "");
}

static void test_gcc_cross(void **state)
{
	(void)state;
	programs(cross_gcc);
	assert_vars("gcc", "arm64", "x86_64", "ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-");
	assert_vars("gcc", "aarch64", "x86_64", "ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-");
	programs(none);
	assert_error_has("gcc", "arm64", "x86_64", "needs aarch64-linux-gnu-gcc, which is not installed");
	assert_error_has("gcc", "arm64", "x86_64", "(Debian package gcc-aarch64-linux-gnu)");
	assert_error_has("gcc", "i386", "aarch64", "(Debian package gcc-i686-linux-gnu)");
}

static void test_clang(void **state)
{
	(void)state;
	programs(llvm_all);
	assert_vars("clang", "x86_64", "x86_64", "LLVM=1");
	assert_vars("clang-autoconf", "x86_64", "x86_64", "LLVM=1");
	/* clang is every arch's cross compiler: no CROSS_COMPILE, no gcc */
	assert_vars("clang", "arm64", "x86_64", "ARCH=arm64 LLVM=1");
	assert_vars("clang", "x86_64", "aarch64", "ARCH=x86_64 LLVM=1");
}

static void test_clang_missing(void **state)
{
	static const char *const no_lld[] = { "clang", "llvm-ar", "llvm-nm", "llvm-objcopy", NULL };
	static const char *const no_llvm[] = { "clang", "ld.lld", NULL };

	(void)state;
	programs(cross_gcc);
	assert_error_has("clang", "arm64", "x86_64", "was built by clang (CONFIG_CC_IS_CLANG)");
	assert_error_has("clang", "arm64", "x86_64", "needs clang, which is not installed (Debian package clang)");
	programs(no_lld);
	assert_error_has("clang", "x86_64", "x86_64", "needs ld.lld, which is not installed (Debian package lld)");
	programs(no_llvm);
	assert_error_has("clang", "x86_64", "x86_64", "needs llvm-ar, which is not installed (Debian package llvm)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_is_clang),
		cmocka_unit_test(test_gcc_native),
		cmocka_unit_test(test_gcc_cross),
		cmocka_unit_test(test_clang),
		cmocka_unit_test(test_clang_missing),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
