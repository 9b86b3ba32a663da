/* show: `oomtest show CASE` — a case as the harness understands it, after
 * parsing and expansion: its runs, machine, targets, needs, steps in order,
 * the plan the guest agent is sent, and every expectation with its line and
 * the targets it is judged on. */
#ifndef OOMTEST_SHOW_H
#define OOMTEST_SHOW_H

#include "case/casefile.h"
#include "lib/strbuf.h"
#include "target/target.h"

/* One expanded run of a case; tl (may be NULL) names the targets it runs on. */
void show_case(const struct oomcase *c, const struct target_list *tl, struct strbuf *out);

/* `oomtest show CASE|DIR...`; argv[0] is "show". Returns 0, or 2 on a
 * usage error or a case that does not load. */
int cmd_show(int argc, char **argv);

#endif
