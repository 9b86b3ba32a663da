/* disks.h: a run's swap and data disks, shared by the harness (which makes
 * them with the host's mkswap and mke2fs, harness/payload/disks.h) and the
 * agent (which turns swap on and mounts the filesystem, guest/disks.h).
 *
 * Each is a virtio block device the agent finds by its serial. Like the
 * payload disk, each has one nominal size on the host (sparse): a saved
 * guest was booted with empty disks of these sizes and probed them, and a
 * restored one is given this run's disks. The swap area or filesystem in
 * it is the size the case asked for. The agent drops the block device's
 * cached pages before it reads one (the probe cached the empty disk's).
 *
 * The plan's lines "swap" and "disk" (after "payload", before the rest)
 * ask for them. The filesystem's modules, when the kernel has them as
 * modules, come in the payload under DISK_MODULES_DIR as NN-NAME.ko,
 * loaded in name order. */
#ifndef OOMTEST_PROTO_DISKS_H
#define OOMTEST_PROTO_DISKS_H

#define DISK_SWAP_SERIAL   "oomtest-swap"
#define DISK_DATA_SERIAL   "oomtest-disk"
#define DISK_SWAP_SIZE     (4ull << 30)
#define DISK_DATA_SIZE     (16ull << 30)
#define DISK_DATA_FSTYPE   "ext4"
#define DISK_MOUNT         "/mnt/disk"
#define DISK_MODULES_DIR   "/lib/modules/disk"
/* the page size mkswap writes the swap area for: every target's is 4K */
#define DISK_SWAP_PAGE     4096

#endif
