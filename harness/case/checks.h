/* checks: the checks that need the whole case file (references between
 * sections, keys that need others, required keys), run after the last line. */
#ifndef OOMTEST_CASE_CHECKS_H
#define OOMTEST_CASE_CHECKS_H

#include "case/parser.h"

void case_check_all(struct parser *p);

#endif
