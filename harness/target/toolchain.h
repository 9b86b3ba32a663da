/* toolchain: what Kbuild is told, besides the kernel tree and M=, to build
 * a module for a target: ARCH and CROSS_COMPILE where the target's arch is
 * not the host's, and LLVM=1 for a kernel clang built (its modules must be
 * built by the same compiler, and kbuild reads CONFIG_CC_IS_CLANG for the
 * flags it passes). It also checks that those compilers are on the host,
 * naming their Debian packages when they are not. */
#ifndef OOMTEST_TOOLCHAIN_H
#define OOMTEST_TOOLCHAIN_H

#include "lib/strbuf.h"
#include "target/arch.h"

#define TOOLCHAIN_MAX_VARS 3

struct toolchain {
	struct strbuf vars[TOOLCHAIN_MAX_VARS]; /* "ARCH=arm64", ... */
	size_t n;
	int clang;                              /* the kernel was built by clang */
};

/* 1 when kdir's configuration (.config, else include/config/auto.conf)
 * has CONFIG_CC_IS_CLANG=y; 0 when it does not or cannot be read. */
int toolchain_kernel_is_clang(const char *kdir);

/* Fills tc for a module of arch a against kdir, built on host_machine
 * (uname -m). 0, or -1 with why in err: a compiler missing, with its
 * package. Release tc either way. */
int toolchain_for(struct toolchain *tc, const char *kdir, const struct arch_ops *a,
		  const char *host_machine, struct strbuf *err);
void toolchain_release(struct toolchain *tc);

#endif
