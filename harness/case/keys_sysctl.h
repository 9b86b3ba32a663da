/* keys_sysctl: the [sysctl] section, where every key is a sysctl name. */
#ifndef OOMTEST_CASE_KEYS_SYSCTL_H
#define OOMTEST_CASE_KEYS_SYSCTL_H

#include "case/parser.h"

/* "vm.panic_on_oom = 1": checks the name and the value, and adds it. */
void case_add_sysctl(struct parser *p, const char *key, const char *val);

#endif
