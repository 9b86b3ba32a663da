/* files: whole-file reads and writes (/proc, /sys, cgroup files), each
 * returning 0 or -errno, and the numbers read from them. */
#ifndef OOMTEST_GUEST_FILES_H
#define OOMTEST_GUEST_FILES_H

#include "guest/buf.h"

/* What a read that did not fit ends with, after its last whole line: a
 * line the record parser takes for no key and value. */
#define FILES_CUT_MARK "[truncated]\n"

/* Reads fd from its start (pread) to its end into out, replacing what out
 * held. It allocates nothing, so that a snapshot taken when memory is
 * exhausted works: out is a buffer reserved beforehand (buf_reserve), and
 * a file larger than it is cut and ends with FILES_CUT_MARK. -ENOBUFS if
 * out has no room at all. */
int read_fd(int fd, struct buf *out);
int read_file(const char *path, struct buf *out);
/* The number after KEY and sep on a line of text ("MemFree:  180220 kB"
 * with ':', "oom_kill 2" in memory.events with ' ', which also takes a
 * tab), or with key NULL the text's first (memory.current); "max" reads as
 * LLONG_MAX; -1 when there is none. */
long long files_value(const char *text, const char *key, char sep);
/* Writes val with one write(2), as the kernel's files want it. */
int write_file(const char *path, const char *val);

#endif
