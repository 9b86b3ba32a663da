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

#endif
