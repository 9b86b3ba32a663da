/* disks: a run's swap and data disk images (proto/disks.h), made on the
 * host with the real tools: util-linux's mkswap writes the swap area,
 * e2fsprogs' mke2fs makes the ext4 filesystem (with -d, holding a tree
 * given to it; a case's disk is empty for now). Each image file has its
 * disk's nominal size, sparse: only what the tools wrote takes room. */
#ifndef OOMTEST_PAYLOAD_DISKS_H
#define OOMTEST_PAYLOAD_DISKS_H

#include "lib/strbuf.h"

/* A swap area of `bytes` (whole DISK_SWAP_PAGE pages) at the start of a
 * new image at path. 0, or -1 with why in err. */
int disks_make_swap(const char *path, unsigned long long bytes, struct strbuf *err);
/* An ext4 filesystem of `bytes` holding the tree under content_dir (NULL:
 * empty), owned by root, at the start of a new image at path. 0, or -1. */
int disks_make_data(const char *path, unsigned long long bytes, const char *content_dir, struct strbuf *err);
/* An empty image of `size` bytes (a saved guest's disk). 0, or -1. */
int disks_make_empty(const char *path, unsigned long long size, struct strbuf *err);

#endif
