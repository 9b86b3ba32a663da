/* kernel_build: a kernel built for oomtest from a source tree (a git
 * checkout, or Debian's linux-source unpacked): a small configuration (the
 * kernel's tinyconfig or the arch's defconfig, merged with what a Linux
 * user space needs, oomtest's own fragment and the user's, through the
 * kernel's scripts/kconfig/merge_config.sh, then olddefconfig), an
 * out-of-tree build (O=OUT) of the image and the modules, and a stamp
 * naming the result, written only when all of it worked. */
#ifndef OOMTEST_KERNEL_BUILD_H
#define OOMTEST_KERNEL_BUILD_H

#include <stddef.h>
#include <stdio.h>
#include "lib/strbuf.h"
#include "target/arch.h"

/* the stamp in OUT naming what a finished build made */
#define KERNEL_BUILT_STAMP "oomtest-built"

struct kernel_build_opts {
	const char *src;                /* the source tree */
	const char *out;                /* the build directory (O=), made when missing */
	const struct arch_ops *arch;
	const char *base;               /* "tinyconfig" (default) or "defconfig" */
	char *const *fragments;         /* the user's fragments (files) */
	size_t nfragments;
	const char *oomtest_fragment;   /* oomtest kconfig's text for the cases */
	int jobs;                       /* make -j */
	FILE *progress;                 /* a line per stage; NULL: quiet */
};

struct kernel_built {
	struct strbuf image;            /* OUT/arch/.../bzImage or Image */
	struct strbuf kdir;             /* OUT, absolute: --kdir */
	struct strbuf release;          /* include/config/kernel.release */
	double seconds;
};

/* 0 when src looks like a kernel source tree for a (a top Makefile with
 * VERSION and PATCHLEVEL, Kconfig, scripts/kconfig/merge_config.sh,
 * arch/SRCARCH/); else -1 with what is missing in err. */
int kernel_build_check_source(const char *src, const struct arch_ops *a, struct strbuf *err);

/* The base configurations a build may start from. */
int kernel_build_base_known(const char *base);

/* What a user space needs that tinyconfig leaves out (futexes, epoll,
 * sysctl, ...): a fragment, appended to out. */
void kernel_build_base_fragment(const char *base, const struct arch_ops *a, struct strbuf *out);

/* Configures and builds; the log of every step goes to OUT/build.log.
 * 0 with res filled in, or -1 with err: the step that failed, the first
 * error of its log and the log's path; the user's options that kconfig did
 * not take (unknown, or their dependencies unmet), named. OUT's stamp is
 * removed first and written last. Release res with kernel_built_release. */
int kernel_build(const struct kernel_build_opts *o, struct kernel_built *res, struct strbuf *err);
void kernel_built_release(struct kernel_built *res);

#endif
