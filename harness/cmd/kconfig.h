/* kconfig: `oomtest kconfig [--arch A] [--kdir DIR] [CASE|DIR...]` — the
 * kernel config fragment oomtest and the cases need (target/kconfig.h), or
 * a build tree's config checked against it — and that check for `oomtest
 * run --kdir` before any guest starts. */
#ifndef OOMTEST_CMD_KCONFIG_H
#define OOMTEST_CMD_KCONFIG_H

#include <stddef.h>
#include "case/casefile.h"
#include "target/target.h"

/* Its lines in the overview (cmd/help.h). */
#define KCONFIG_USAGE \
	"  kconfig [--arch A] [--kdir DIR] [CASE|DIR...]\n" \
	"                              the kernel config the cases (default: every case)\n" \
	"                              need on arch A (default: this host's), as a fragment\n" \
	"                              for merge_config.sh; --kdir: DIR's config checked\n" \
	"                              against it (exit 1: a required option is missing)\n"

/* Exit status: 0; 1 with --kdir when a required option is missing; 2 on
 * usage errors, case errors or a DIR without a config. */
int cmd_kconfig(int argc, char **argv);

/* oomtest run's check of its --kdir (t: the custom target) before any guest
 * starts: a notice on stderr per option some cases or every run do
 * without; each required option missing named on stderr and -1 (the run
 * does not start). A tree without a config: a notice, 0. */
int kconfig_check_run(const struct target *t, const struct oomcase *cases, size_t ncases);

#endif
