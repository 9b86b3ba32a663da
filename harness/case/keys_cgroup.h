/* keys_cgroup: the [cgroup NAME] section's key table and cgroup files. */
#ifndef OOMTEST_CASE_KEYS_CGROUP_H
#define OOMTEST_CASE_KEYS_CGROUP_H

#include "case/parser.h"

extern const struct case_key case_keys_cgroup[];	/* ends with a NULL name */

/* A key of [cgroup NAME] not in the table: a cgroup file to write. */
void case_add_cgroup_file(struct parser *p, const char *key, const char *val);

#endif
