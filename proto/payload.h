/* payload.h: how a run's own files reach the guest, shared by the harness
 * (harness/payload, which writes them) and the agent (guest/payload, which
 * unpacks them).
 *
 * The files travel on a virtio block device, so a guest restored from a
 * saved state gets them too: the saved guest was booted with an empty disk
 * of the same size and never read it, and the restored one is given this
 * run's disk. The disk holds a header block, then a newc cpio archive:
 *
 *   bytes 0..PAYLOAD_HEADER_SIZE-1:  PAYLOAD_MAGIC, then the archive's size
 *                                    in decimal and '\n', then zeros
 *   from PAYLOAD_HEADER_SIZE:        the archive ("070701" newc, ending in
 *                                    TRAILER!!!), unpacked over / in order
 *
 * A guest booted with a payload (or swap or data disk: proto/disks.h) has
 * PAYLOAD_CMDLINE on its kernel command line: the agent then loads
 * /lib/modules/payload/ (the virtio modules, in name order) before it says
 * ready. The plan's first line "payload" tells it
 * to unpack the disk before anything else. */
#ifndef OOMTEST_PROTO_PAYLOAD_H
#define OOMTEST_PROTO_PAYLOAD_H

#define PAYLOAD_MAGIC        "OOMTEST-PAYLOAD 1\n"
#define PAYLOAD_HEADER_SIZE  4096u
/* every payload disk has this size (sparse on the host): the restored
 * guest's disk must be the size the saved one probed */
#define PAYLOAD_DISK_SIZE    (1ull << 30)
#define PAYLOAD_CMDLINE      "oomtest.payload=1"
#define PAYLOAD_DEVICE       "/dev/vda"
#define PAYLOAD_MODULES_DIR  "/lib/modules/payload"

#endif
