/* libs: the ELF interpreter and every library a program needs, for the
 * target arch, taken from the Debian cache's root/ (payload/debian), never
 * from the host's own /lib, and added to a run's manifest where the guest's
 * ld.so looks for them. */
#ifndef OOMTEST_PAYLOAD_LIBS_H
#define OOMTEST_PAYLOAD_LIBS_H

#include "lib/strbuf.h"
#include "payload/manifest.h"

/* For the program at elf_path (a host file) and a target of arch (x86_64
 * or i386), with state the state directory and root the source tree (for
 * payload/debian): a static program or a script needs nothing; a dynamic
 * one gets its PT_INTERP at that path, and each DT_NEEDED library,
 * recursively, at the first of /lib/TRIPLET, /usr/lib/TRIPLET, /lib,
 * /usr/lib that holds it in the cache (an ELF file of the arch; symlinks
 * followed inside the cache), its content copied from the file the chain
 * ends at. A library the cache lacks is fetched (the package the host's
 * dpkg says ships it) and looked for again. A path the manifest already
 * holds a file at is taken as it is (a case's own library). The ld.so
 * that libc names as needed is the interpreter: not copied twice. Every
 * entry gets origin. Returns 0, or -1 with a message in err ("library
 * libfoo.so.1 (needed by X) cannot be resolved: ..."; a program of another
 * arch: "X: ELF is x86-64, the target is i386"). */
int libs_resolve(const char *state, const char *root, const char *arch, const char *elf_path,
		 struct manifest *m, const char *origin, struct strbuf *err);

/* The host path of guest_path inside the directory rootdir, as a chroot
 * there would see it: each symlink on the way followed, an absolute one
 * from rootdir, ".." never above it. Sets host (appended) to the path the
 * chain ends at. Returns 0, -ENOENT (or another -errno) when a part is
 * missing, -ELOOP after 40 symlinks. */
int libs_path_in_root(const char *rootdir, const char *guest_path, struct strbuf *host);

#endif
