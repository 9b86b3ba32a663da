/* payload: what one run of a case puts in its guest beyond the base image —
 * the case's own programs with the ELF interpreter and libraries they need,
 * its [files], its own kernel modules (built from a Kbuild directory or
 * taken as a .ko and checked), the Debian packages it names, and busybox
 * when a script or an applet needs it — gathered for one target into a
 * manifest before any guest starts (harness/payload/manifest.h writes it
 * to the disk the guest reads, proto/payload.h). */
#ifndef OOMTEST_PAYLOAD_H
#define OOMTEST_PAYLOAD_H

#include "case/casefile.h"
#include "lib/strbuf.h"
#include "payload/manifest.h"
#include "target/target.h"

enum payload_verdict {
	PAYLOAD_READY = 0,   /* m holds what the run needs (maybe nothing) */
	PAYLOAD_SKIP = 1,    /* the case cannot run on this target: why says so */
	PAYLOAD_ERROR = -1,  /* the case is wrong, or a build or fetch failed: why says so */
};

/* The bytes of payload a guest of `memory` bytes is allowed: it is
 * unpacked into the guest's RAM, so at most a quarter of it. */
#define PAYLOAD_MAX_SHARE 4

/* Gathers c's payload for target t into m (empty, from manifest_init).
 * root: the source or installed tree (its images/ scripts), state: where
 * fetched and built things are kept (cmd/common.h state_dir). Messages
 * caused by a case line start with "FILE:LINE: ". */
enum payload_verdict payload_gather(const char *root, const char *state, const struct oomcase *c,
				    const struct target *t, struct manifest *m, struct strbuf *why);

/* A case path with ${arch} replaced by arch. Free() it. */
char *payload_arch_path(const char *path, const char *arch);

/* Writes "GUEST SIZE ORIGIN" lines, one per entry, for the run's files. */
void payload_describe(const struct manifest *m, struct strbuf *out);

/* Shrinks a payload disk written at PAYLOAD_DISK_SIZE to what it holds
 * (a guest booted cold reads only that much; a restored one needs the
 * full size). 0 or -errno. */
int payload_disk_compact(const char *path);

#endif
