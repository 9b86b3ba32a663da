/* keys_case: the [case] section's key table. */
#ifndef OOMTEST_CASE_KEYS_CASE_H
#define OOMTEST_CASE_KEYS_CASE_H

#include "case/parser.h"

extern const struct case_key case_keys_case[];	/* ends with a NULL name */

#endif
