/* pkgcache: the on-disk parts of payload/debian's package cache: a
 * package's list file, a .deb unpacked into the cache's root/ with the
 * files it brought recorded, the cache's lock, and running a tool with its
 * output captured. Each returns 0 or -errno unless it says otherwise. */
#ifndef OOMTEST_PAYLOAD_PKGCACHE_H
#define OOMTEST_PAYLOAD_PKGCACHE_H

#include <stddef.h>
#include "lib/strbuf.h"

/* lists/NAME: "Package: ", "Version: ", "Architecture: ", "Depends: "
 * (names separated by spaces) lines, an empty line, then one guest path
 * per line. */
struct pkg_list {
	char *name;
	char *version;
	char *arch;                /* the .deb's: "i386", "amd64", "all" */
	char **depends;            /* package names, without ":ARCH" */
	size_t ndepends;
	char **files;              /* guest paths of its files and symlinks, sorted */
	size_t nfiles;
};

/* -ENOENT when there is none, -EINVAL when it is not a list. */
int pkg_list_read(const char *path, struct pkg_list *l);
/* Written atomically: a reader never sees half a list. */
int pkg_list_write(const char *path, const struct pkg_list *l);
void pkg_list_release(struct pkg_list *l);
void pkg_list_add_depend(struct pkg_list *l, const char *name);

/* child_run_capture of argv in the C locale (env LC_ALL=C ARGV...): tools whose
 * words are read. */
int pkg_run_c(const char *const *argv, size_t argc, const char *scratch_dir, struct strbuf *out);
/* Appends apt's errors in out (its "E: " lines, joined by "; "), or all it
 * said when it gave none. */
void pkg_add_apt_errors(struct strbuf *err, const struct strbuf *out);

/* A .deb's Package, Version and Architecture (dpkg-deb --show). 0, or -1
 * with a message in err. */
int pkg_deb_info(const char *deb, struct pkg_list *l, struct strbuf *err);
/* Unpacks deb (dpkg-deb -x) into the empty directory work, then moves what
 * it holds into root, directories merged; the files and symlinks it
 * brought are set in l->files (guest paths, sorted; names holding a
 * newline are moved but not listed). work is removed. 0, or -1 with a
 * message in err. */
int pkg_unpack(const char *deb, const char *root, const char *work, struct pkg_list *l, struct strbuf *err);

/* Takes the cache's lock (flock on path, made when missing), waiting for
 * another process that holds it. Returns the descriptor (close it to
 * unlock) or -errno. */
int pkg_lock(const char *path);

#endif
