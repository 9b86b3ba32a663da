/* manifest: the list of files a run puts in the guest (each with where it
 * comes from, for the user), and the payload disk that carries them
 * (proto/payload.h: a header block, then a newc cpio archive). */
#ifndef OOMTEST_PAYLOAD_MANIFEST_H
#define OOMTEST_PAYLOAD_MANIFEST_H

#include <stddef.h>
#include <sys/types.h>
#include "lib/strbuf.h"

struct manifest_entry {
	char *guest;               /* absolute, normalised: "/usr/local/bin/prog" */
	char *host;                /* the regular file copied; NULL for a symlink */
	char *symlink;             /* a symlink's target; NULL for a file */
	unsigned mode;             /* permission bits (07777) */
	char *origin;              /* where it comes from: "cases/x.case:12",
				      "package stress-ng 0.15.06-2 (i386)", ... */
	unsigned long long size;   /* the host file's size when added */
	dev_t dev;                 /* the host file's identity when added */
	ino_t ino;
};

struct manifest {
	struct manifest_entry *v;  /* in the order added */
	size_t n, alloc;
};
#define MANIFEST_INIT { NULL, 0, 0 }

/* Adds a regular host file (symlinks to one followed) at guest. The same
 * guest path again with the same host file (same inode) is kept once, the
 * first one's mode and origin kept. Returns 0, -EEXIST when guest already
 * holds another file or a symlink, -ENOTDIR when guest is inside an entry
 * or an entry is inside guest (one would have to be a directory),
 * -EINVAL for a guest path that is not absolute and normalised or a host
 * path that is not a regular file, or -errno from stat. */
int manifest_add_file(struct manifest *m, const char *guest, const char *host, unsigned mode,
		      const char *origin);
/* Adds a symlink guest -> target. The same again is kept once; -EEXIST,
 * -ENOTDIR and -EINVAL as for files (an empty target is -EINVAL). */
int manifest_add_symlink(struct manifest *m, const char *guest, const char *target, const char *origin);
/* The bytes the files take (the sum of their sizes): what the guest's RAM
 * holds once they are unpacked. */
unsigned long long manifest_bytes(const struct manifest *m);
const struct manifest_entry *manifest_find(const struct manifest *m, const char *guest);
void manifest_release(struct manifest *m);

/* Writes the payload disk at path (through a temporary file renamed over
 * it): PAYLOAD_DISK_SIZE bytes, sparse; the header; the archive of every
 * entry, their parent directories first (mode 0755), then the entries in
 * guest path order, member names without the leading '/'. Returns 0, or -1
 * with a message in err (an archive bigger than the disk minus its header
 * is one). */
int manifest_write_disk(const struct manifest *m, const char *path, struct strbuf *err);

#endif
