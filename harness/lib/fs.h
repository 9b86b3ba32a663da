/* fs: writing whole buffers (EINTR and a full non-blocking pipe are waited
 * out), files written atomically (temp file, fsync, rename), mkdir -p.
 * Reading a whole file is strbuf_read_file. Each returns 0 or -errno. */
#ifndef OOMTEST_FS_H
#define OOMTEST_FS_H

#include <stddef.h>

int fs_write_all(int fd, const void *buf, size_t n);
int fs_write_atomic(const char *path, const char *data, size_t len);
int fs_mkdirs(const char *path);

#endif
