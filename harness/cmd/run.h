/* run: `oomtest run [OPTIONS] CASE|DIR...` — its command line, the cases
 * read and expanded, the targets (the defaults or --kernel's) and the
 * results directory; the runs themselves are run_jobs.h's. */
#ifndef OOMTEST_CMD_RUN_H
#define OOMTEST_CMD_RUN_H

/* argv[0] is "run". Returns the exit status: 0 every run ok, 1 something
 * not ok, 2 usage or case errors. */
int cmd_run(int argc, char **argv);

#endif
