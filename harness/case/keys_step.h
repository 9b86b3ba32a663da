/* keys_step: the [step NAME] section's key table. */
#ifndef OOMTEST_CASE_KEYS_STEP_H
#define OOMTEST_CASE_KEYS_STEP_H

#include "case/parser.h"

extern const struct case_key case_keys_step[];	/* ends with a NULL name */

/* Appends the `collect` words: "buddyinfo meminfo vmstat cgroup:NAME proc:STEP". */
void case_add_collect_list(struct strbuf *out);

#endif
