/* common: what the commands share about where they run — the project root,
 * the state directory (fetched kernels, built targets, snapshots), the
 * default targets fetched on first use, a target's module and initramfs
 * built, KVM or TCG decided, case arguments expanded to files and read,
 * and the targets chosen. */
#ifndef OOMTEST_CMD_COMMON_H
#define OOMTEST_CMD_COMMON_H

#include <stddef.h>
#include "backend/backend.h"
#include "lib/strbuf.h"
#include "target/target.h"

/* $OOMTEST_ROOT, else ROOT of ROOT/build/oomtest, else "." (free() it). */
char *project_root(void);
/* An installed tree (make install) has the file INSTALLED at its root. */
int project_installed(const char *root);
/* Where fetched kernels, built targets and snapshots live: ROOT/build in a
 * source tree; for an installed one $OOMTEST_STATE, else
 * ${XDG_CACHE_HOME:-~/.cache}/oomtest. The scripts get it as OOMTEST_STATE. */
const char *state_dir(const char *root);
/* The default targets are fetched the first time they are needed. */
void ensure_targets(const char *root);
/* Loads the state directory's targets.list into tl; 0, or -1 with err. */
int load_targets(struct target_list *tl, const char *root, struct strbuf *err);
/* "oomtest CMD: no target 'NAME' (have: a b)" on stderr. */
void print_no_target(const char *cmd, const char *name, const struct target_list *tl);
/* Expands directories to their *.case files (sorted); appends to *out.
 * 0, or -1 with a message on stderr. */
int collect_case_paths(char **args, int n, char ***out, size_t *nout);
/* Reads the cases of args (default: ROOT/cases), every run of each, into
 * *cases (appended); 0, or -1 with the errors on stderr. */
struct oomcase;
int load_case_args(char **args, int n, struct oomcase **cases, size_t *ncases);
/* Every case of args (files, or directories of *.case files), each
 * expanded into its runs, appended to *cases; `oomtest CMD: ...` on stderr
 * when there is none or a case file is in error. 0, or -1. */
int load_run_cases(const char *cmd, char **args, int n, struct oomcase **cases, size_t *ncases);
/* The targets a command runs on: --kernel/--kdir/--arch's one (all three
 * or none), else the default ones (fetched on first use); every name in
 * want must name one of them. */
struct target_choice {
	const char *kernel, *kdir, *arch;
	char **want;
	size_t nwant;
};
/* 0 with tl filled, or -1 with `oomtest CMD: ...` on stderr. */
int choose_targets(const char *cmd, const struct target_choice *tc, const char *root, struct target_list *tl);
/* Builds (if needed) the module and initramfs of a target; initrd gets its
 * initramfs path. 0, or -1 with err set to what the build said. */
int prepare_target(const char *root, const struct target *t, struct strbuf *initrd, struct strbuf *err);
/* A target's module and initramfs, built once before any guest. */
struct prepared {
	int ok;                /* 1 built, 0 failed, -1 not tried (no case needs it) */
	struct strbuf initrd;
	struct strbuf err;
};
/* The first of n targets that was built (ok == 1): the one to probe KVM
 * with; n when there is none. */
size_t probe_choice(const struct prepared *prep, size_t n);
/* KVM or TCG is decided once, before any worker forks, by booting t (when
 * given: a prepared target) with its initramfs (see backend/qemu.c). */
void decide_accel(const struct backend_ops *b, const char *root, const struct target *t, const char *initrd);

#endif
