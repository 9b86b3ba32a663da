/* hostpath: the host files and directories a case names (run = ./prog,
 * module = ./src/ or ./x.ko, [files] host paths): made absolute from the
 * case file's directory, and what is found there. */
#ifndef OOMTEST_CASE_HOSTPATH_H
#define OOMTEST_CASE_HOSTPATH_H

#include "lib/strbuf.h"

enum host_kind {
	HOST_FILE,		/* a regular file this process can read */
	HOST_DIR,
	HOST_MISSING,		/* nothing there (or a file where a directory is needed) */
	HOST_SPECIAL,		/* a device, fifo or socket */
	HOST_UNREADABLE,	/* a regular file this process cannot read */
	HOST_UNKNOWN,		/* stat failed otherwise */
};

/* spec as an absolute path: an absolute spec as it is, a relative one from
 * the directory of case_path (itself taken from the working directory when
 * relative). Repeated '/', "." components and a trailing '/' are dropped;
 * ".." is kept, as no symlink is resolved. Free it. */
char *case_host_path(const char *case_path, const char *spec);

/* What is at path (symlinks followed); *err: the errno behind
 * HOST_UNREADABLE and HOST_UNKNOWN, else 0. */
enum host_kind case_host_kind(const char *path, int *err);

/* Appends why a kind other than HOST_FILE and HOST_DIR cannot be used,
 * e.g. "no such file (/abs/path)". */
void case_host_problem(struct strbuf *out, enum host_kind kind, int err, const char *path);

/* Whether the paths a and b name one file: the same text, or (for paths
 * without ${arch}) the same file found at both. */
int case_same_file(const char *a, const char *b);

/* The part of path after its last '/' (all of it when there is none). */
const char *case_base_name(const char *path);

/* Whether s holds CASE_ARCH_VAR, to be replaced per target later. */
int case_has_arch(const char *s);

#endif
