/* cpio: a streaming writer of newc ("070701") cpio archives, the format the
 * guest unpacks a payload from (proto/payload.h). Entries are written to a
 * descriptor as they come, a file's bytes streamed from its host file;
 * owner root:root, mtime 0, each with an inode number of its own. Each
 * returns 0 or -errno: -EFBIG when the entry would take the archive past
 * its limit (nothing of it written), -EINVAL for a name or size newc
 * cannot hold (and the name "TRAILER!!!", the end), -EIO when a host
 * file ends before the size it had. */
#ifndef OOMTEST_PAYLOAD_CPIO_H
#define OOMTEST_PAYLOAD_CPIO_H

struct cpio_writer {
	int fd;                        /* written at its current position */
	unsigned long long written;    /* bytes of the archive so far */
	unsigned long long limit;      /* the archive's most bytes; 0: no limit */
	unsigned next_ino;
};

void cpio_init(struct cpio_writer *w, int fd, unsigned long long limit);
/* name: the member's path as the archive holds it, e.g. "usr/bin/x" */
int cpio_add_dir(struct cpio_writer *w, const char *name, unsigned mode);
int cpio_add_file(struct cpio_writer *w, const char *name, const char *host_path, unsigned mode);
int cpio_add_symlink(struct cpio_writer *w, const char *name, const char *target);
/* The TRAILER!!! entry; the archive is complete after it. The entries
 * before it kept its room: it fits. */
int cpio_finish(struct cpio_writer *w);

/* What an entry with this name and data_len bytes of data takes in the
 * archive (header, name, data, padding): to size an archive before it is
 * written. */
unsigned long long cpio_entry_size(const char *name, unsigned long long data_len);
/* What cpio_finish adds. */
unsigned long long cpio_trailer_size(void);

#endif
