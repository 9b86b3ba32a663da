/* cmd_parse: the `oomtest parse` command: runs the kernel-log parser over
 * log files or stdin and prints a summary, the facts, or JSON. */
#ifndef OOMTEST_CMD_PARSE_H
#define OOMTEST_CMD_PARSE_H

/* argv[0] is "parse". Returns the exit status: 0 when a log holds OOM
 * events, 1 when none does, 2 on a usage or I/O error. */
int cmd_parse(int argc, char **argv);

#endif
