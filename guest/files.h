/* files: whole-file reads and writes (/proc, /sys, cgroup files). Each
 * returns 0 or -errno. */
#ifndef OOMTEST_GUEST_FILES_H
#define OOMTEST_GUEST_FILES_H

#include "guest/buf.h"

/* Reads fd to its end into out, replacing what out held. */
int read_fd(int fd, struct buf *out);
int read_file(const char *path, struct buf *out);
/* Writes val with one write(2), as the kernel's files want it. */
int write_file(const char *path, const char *val);

#endif
