/* results: the results tree — a unique directory per run, one per case and
 * target inside it, files written atomically, results/latest. */
#ifndef OOMTEST_RESULTS_H
#define OOMTEST_RESULTS_H

#include <stddef.h>
#include "lib/strbuf.h"

/* Creates ROOT/<run-id>/ (unique even for runs started in the same second)
 * and points ROOT/latest at it. Returns 0 or -1 with err. */
int results_new_run(const char *root, struct strbuf *run_dir, struct strbuf *err);
/* mkdir -p; returns 0 or -errno. */
int results_mkdirs(const char *path);
/* Writes via a temporary file and rename(2); returns 0 or -errno. */
int results_write_atomic(const char *path, const char *data, size_t len);

#endif
