/* fs: writing whole buffers (EINTR and a full non-blocking pipe are waited
 * out), files written atomically (temp file, fsync, rename), mkdir -p, and
 * what a cache key holds of a file. Reading a whole file is
 * strbuf_read_file. Each returns 0 or -errno. */
#ifndef OOMTEST_FS_H
#define OOMTEST_FS_H

#include <stddef.h>
#include "lib/strbuf.h"

int fs_write_all(int fd, const void *buf, size_t n);
int fs_write_atomic(const char *path, const char *data, size_t len);
int fs_mkdirs(const char *path);
/* rm -rf, directories without their owner's write bit opened first (a
 * tree dpkg-deb unpacked keeps its modes). 0 when path is gone (or was not
 * there), or -errno. */
int fs_remove_tree(const char *path);
/* Adds "WHAT PATH SIZE MTIME\n" ("WHAT PATH missing\n"): a file as a cache
 * key sees it, so a rebuilt file makes a new key. */
void fs_add_identity(struct strbuf *key, const char *what, const char *path);
/* The same of a program as exec would find it on $PATH. */
void fs_add_program_identity(struct strbuf *key, const char *what, const char *prog);

#endif
