/* kbuild: builds a case's own kernel module source directory (a Kbuild
 * directory: module = ./dir/) for a target, as images/build-initramfs.sh
 * builds kmod/oom_trigger.c: the sources are copied into a cache directory
 * STATE/targets/TARGET/user-modules/NAME-HASH/, HASH being of the sources
 * (relative paths and contents) and of the target's identity (its
 * Module.symvers, its kernel image's size and mtime), then built there with
 * `make -s -C KDIR M=DIR modules`, the log in build.log. A build happens in
 * a temporary directory renamed into place once NAME.ko is there, so a
 * cache directory is always a finished build and two oomtest processes
 * building the same module at once both end with it. */
#ifndef OOMTEST_PAYLOAD_KBUILD_H
#define OOMTEST_PAYLOAD_KBUILD_H

#include <stddef.h>
#include <stdint.h>
#include "lib/strbuf.h"
#include "target/target.h"

/* Sources larger than this in all are refused: a module's directory, not
 * a kernel tree, is what a case names. */
#define KBUILD_MAX_SOURCE_BYTES (64u << 20)
/* A temporary build directory this old was left by an oomtest that died
 * building: the next build of the same module removes it. */
#define KBUILD_STALE_SECONDS 3600

/* Builds src_dir's module NAME for t, or finds it built. Returns 0 with
 * ko_path set to the built NAME.ko; or -1 with err set, for a failed
 * build "building NAME for TARGET failed: FIRST ERROR LINE (full log:
 * PATH)". A second call with the same sources and target runs no make. */
int kbuild_module(const char *state, const struct target *t, const char *src_dir,
		  const char *name, struct strbuf *ko_path, struct strbuf *err);

/* Whether an entry of a source directory is left out of the copy and the
 * hash: what a build writes (*.o *.ko *.mod *.mod.c .*.cmd .*.d
 * Module.symvers modules.order, the .tmp_versions directory) and a .git
 * directory. */
int kbuild_is_skipped(const char *name, int is_dir);

/* The cache key of src_dir's sources built for t: a hash of every source's
 * relative path and content, in path order, and of t's identity. Returns
 * 0, or -1 with err. */
int kbuild_key(const char *src_dir, const struct target *t, uint64_t *key, struct strbuf *err);

/* Appends the line of a build log that says what went wrong: the first
 * compiler diagnostic "error: " (fatal ones too), else the first modpost
 * "ERROR: ", else make's first "*** ", else the first non-blank line; with
 * every "BUILD_DIR/" in it dropped, so paths read as the sources' own. */
void kbuild_first_error(const char *log, size_t len, const char *build_dir, struct strbuf *out);

#endif
