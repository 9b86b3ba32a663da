/* list: `oomtest list [CASE|DIR...]` — the targets, then each case (by
 * default those under ROOT/cases) with its description and number of runs. */
#ifndef OOMTEST_CMD_LIST_H
#define OOMTEST_CMD_LIST_H

/* argv[0] is "list". Returns 0, or 2 when a case does not load. */
int cmd_list(int argc, char **argv);

#endif
