/* help: `oomtest --help` and `oomtest help [case]` — the overview, made of
 * each command's lines in the table main() dispatches from, and the case
 * file format (case/casefile's printer). */
#ifndef OOMTEST_CMD_HELP_H
#define OOMTEST_CMD_HELP_H

#include <stddef.h>
#include <stdio.h>

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);  /* argv[0] is the command's name */
	const char *usage;                 /* its lines in the overview */
};

/* The commands the overview lists, in order (main() gives its table). */
void help_set_commands(const struct command *commands, size_t n);
/* The overview: what oomtest is, each command's usage, results, exit status. */
void help_print_usage(FILE *out);
/* `help`, `help case`. Returns 0. */
int cmd_help(int argc, char **argv);

#endif
