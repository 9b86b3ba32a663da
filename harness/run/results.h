/* results: the results tree — a unique directory per run, one per case and
 * target inside it, results/latest (files are written with lib/fs.h). */
#ifndef OOMTEST_RESULTS_H
#define OOMTEST_RESULTS_H

#include <stddef.h>
#include "lib/fs.h"
#include "lib/strbuf.h"

/* Creates ROOT/<run-id>/ (unique even for runs started in the same second)
 * and points ROOT/latest at it. Returns 0 or -1 with err. */
int results_new_run(const char *root, struct strbuf *run_dir, struct strbuf *err);

#endif
