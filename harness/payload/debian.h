/* debian: Debian packages for a guest arch, downloaded from Debian's
 * archive with apt and unpacked into a cache, never installed on the host.
 * The cache, STATE/images/debian/ARCH/ (ARCH the target's: x86_64, i386),
 * is shared by oomtest processes under a lock; it holds debs/ (what apt
 * downloaded), root/ (every package unpacked, as in the guest), lists/NAME
 * (a package's version, arch, dependencies and files) and lock. Tools run
 * through harness/lib/child (argv, never a shell), in the C locale. */
#ifndef OOMTEST_PAYLOAD_DEBIAN_H
#define OOMTEST_PAYLOAD_DEBIAN_H

#include <stddef.h>
#include "lib/strbuf.h"

/* STATE/images/debian/ARCH/root: where the fetched packages' files are.
 * Malloc'd. */
char *debian_cache_root(const char *state, const char *arch);

/* Whether debian_fetch of these names has anything to do (some package is
 * not in the cache yet): for a caller that tells the user before a wait. */
int debian_fetch_needed(const char *state, const char *arch, char *const *names, size_t n);

/* Fetches each named package and the closure of its Depends and
 * Pre-Depends for arch (x86_64 or i386): apt-cache depends, apt-get
 * download, dpkg-deb -x into root/. A package already in the cache is not
 * fetched again; when every named one is, no tool runs at all. When apt
 * does not know a package, ROOT/images/apt-update.sh (root: the source
 * tree) runs once and apt is asked again. Returns 0, or -1 with a message
 * in err ("package 'x' is not in Debian's archive for i386", apt's own
 * words when a download fails). */
int debian_fetch(const char *state, const char *root, const char *arch, char *const *names, size_t n,
		 struct strbuf *err);

/* The files and symlinks a fetched package installs, as guest paths
 * ("/usr/bin/stress-ng"), sorted, without documentation (/usr/share/doc,
 * man, info, lintian, locale); and its version. Returns 0 (free with
 * debian_free_list and free), or -ENOENT when it is not in the cache. */
int debian_package_files(const char *state, const char *arch, const char *name, char ***paths, size_t *n,
			 char **version);
/* A fetched package and every package it depends on, each once, the named
 * one first. Returns 0 or -ENOENT. */
int debian_package_closure(const char *state, const char *arch, const char *name, char ***names, size_t *n);
void debian_free_list(char **v, size_t n);

/* Which Debian package ships a library (a soname such as "libz.so.1") for
 * a guest of arch, asked of the host's dpkg (dpkg -S) and mapped from a
 * multilib package to the arch's multiarch one (payload/apt). Returns 0
 * with *pkg (malloc'd), or -1 with a message in err naming the library
 * and saying to add its package to `packages =`. */
int debian_package_for_soname(const char *soname, const char *arch, char **pkg, struct strbuf *err);

#endif
