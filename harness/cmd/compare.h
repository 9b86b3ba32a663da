/* cmd_compare: the `oomtest compare` command — two result directories, or
 * two targets of one run, side by side (report/compare*.c do the work). */
#ifndef OOMTEST_CMD_COMPARE_H
#define OOMTEST_CMD_COMPARE_H

/* Its lines in `oomtest --help`. */
#define COMPARE_USAGE \
	"  compare [--timing] [--html FILE] [--all] A B | DIR --targets T1,T2\n" \
	"                              two result directories (or two targets of one\n" \
	"                              run) side by side: verdicts and the facts that\n" \
	"                              differ; exit 1 when a verdict differs\n"

/* argv[0] is "compare". Returns the exit status: 0 when no verdict differs,
 * 1 when one does, 2 on a usage error or bad input (nothing is written
 * then). */
int cmd_compare(int argc, char **argv);

#endif
