/* cmd_bisect: `oomtest bisect`: git bisect run over a kernel source tree
 * (or a repository of prebuilt kernels), a kernel built and the cases run
 * at each step. */
#ifndef OOMTEST_CMD_BISECT_H
#define OOMTEST_CMD_BISECT_H

#define BISECT_USAGE \
	"  bisect --good G --bad B [--arch A] [-o OUTDIR] SRC CASE|DIR...\n" \
	"                              git bisect run between G and B in SRC: each step\n" \
	"                              builds the commit's kernel and runs the cases\n" \
	"                              (run --bisect's exit codes); prints the first bad commit\n"

/* argv[0] is "bisect". 0 found, 1 only skipped commits left, 2 errors;
 * with --step (a step of git bisect run): run --bisect's exit codes. */
int cmd_bisect(int argc, char **argv);

#endif
