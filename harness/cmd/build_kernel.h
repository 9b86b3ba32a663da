/* cmd_build_kernel: `oomtest build-kernel SRC`: a kernel for oomtest built
 * from a source tree, small and quick to boot, ready for `run --kernel`. */
#ifndef OOMTEST_CMD_BUILD_KERNEL_H
#define OOMTEST_CMD_BUILD_KERNEL_H

#define BUILD_KERNEL_USAGE \
	"  build-kernel [-o OUTDIR] [--arch ARCH] [--config FRAGMENT]... [--base tinyconfig|defconfig]\n" \
	"               [-j N] SRC [CASE|DIR...]\n" \
	"                              build a kernel from the source tree SRC for the cases\n" \
	"                              (default: cases/): tinyconfig + what user space needs +\n" \
	"                              oomtest kconfig's fragment + yours; prints the run line\n"

/* argv[0] is "build-kernel". 0 when built; 2 on a usage error, a tree that
 * is not a kernel, options of yours kconfig did not take, or a failed
 * build. */
int cmd_build_kernel(int argc, char **argv);

#endif
