/* bisect: what `oomtest bisect` reads: the verdict in `git bisect run`'s
 * output (the first bad commit, or the candidates left when only skipped
 * commits remain), and a commit's prebuilt-kernel file (a repository of
 * built kernels bisects like a source tree). */
#ifndef OOMTEST_BISECT_H
#define OOMTEST_BISECT_H

#include "lib/strbuf.h"

/* the file naming a commit's kernel in a repository of prebuilt kernels */
#define BISECT_PREBUILT_FILE "oomtest-kernel"

enum bisect_outcome {
	BISECT_FOUND,              /* sha: the first bad commit */
	BISECT_ONLY_SKIPPED,       /* sha: the candidates, one a line */
	BISECT_UNKNOWN,            /* neither said: the run stopped */
};

/* Reads `git bisect run`'s output. */
enum bisect_outcome bisect_outcome_of(const char *output, struct strbuf *sha);

struct prebuilt_kernel {
	struct strbuf kernel, kdir, arch;
};

/* Parses BISECT_PREBUILT_FILE's text: lines "kernel PATH", "kdir PATH" and
 * "arch ARCH" (comments with #, blank lines); relative paths are taken
 * from dir (the repository). 0, or -1 with err naming file:line. */
int prebuilt_kernel_parse(const char *text, const char *file, const char *dir, struct prebuilt_kernel *k,
			  struct strbuf *err);
void prebuilt_kernel_release(struct prebuilt_kernel *k);

#endif
