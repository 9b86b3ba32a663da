/* payload: the run's own files, from the payload disk (proto/payload.h).
 * A walker over a newc archive, fed by a byte source, unpacks it under a
 * root directory ("/" in the guest, a temporary one in tests); the plan
 * line "payload" runs it over PAYLOAD_DEVICE. Directories, regular files
 * and symlinks only; names are relative ("./" stripped) and hold no ".."
 * component, and nothing is created outside the root, whatever symlinks
 * the archive made. Failures come back as a message (malloc'd, *msg) saying
 * what stopped it; what was unpacked before stays. */
#ifndef OOMTEST_GUEST_PAYLOAD_H
#define OOMTEST_GUEST_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Where archive bytes come from: next() points *p at the next bytes (valid
 * until its next call) and returns how many; 0 at the end; -1 when it
 * failed, with *msg (malloc'd) saying why. */
struct payload_source {
	ssize_t (*next)(void *ctx, const unsigned char **p, char **msg);
	void *ctx;
};

/* A source over memory, handed out in pieces of at most `piece` bytes (0:
 * all at once), so that every boundary in the archive can be tried. */
struct payload_memory {
	const unsigned char *data;
	size_t len, off, piece;
};
ssize_t payload_memory_next(void *ctx, const unsigned char **p, char **msg);

/* Unpacks the archive src gives under the directory root, entry by entry,
 * up to its TRAILER!!!: directories (an existing one is fine; a new one
 * gets the archive's mode, with the owner's rwx), regular files (an
 * existing non-directory is replaced; the archive's mode) and symlinks.
 * Returns 0, or -1 at the first bad entry or failure (*msg set). */
int payload_unpack(const struct payload_source *src, const char *root, char **msg);

/* The archive's size from the disk's header block (n bytes of it):
 * PAYLOAD_MAGIC, decimal digits, '\n'. 0, or -1 when it is not one. */
int payload_header(const unsigned char *block, size_t n, uint64_t *size);

/* Unpacks the payload disk dev (a block device, or a file in tests) under
 * root: waits up to wait_ms for dev to appear, reads its header and
 * streams the archive with O_DIRECT in aligned chunks (the one buffer is
 * freed after). 0, or -1 (*msg set) for a missing device, a bad header, an
 * archive beyond the device's end, a failed or short read, a bad archive. */
int payload_unpack_disk(const char *dev, const char *root, long wait_ms, char **msg);

/* Whether a kernel command line holds PAYLOAD_CMDLINE as a word. */
int payload_cmdline_has(const char *cmdline);

/* The plan line "payload": PAYLOAD_DEVICE unpacked over /, waiting 5 s at
 * most for it; a failure is an "err" record "payload: ...", and the plan
 * goes on. Success sends nothing. */
void payload_run(void);

#endif
