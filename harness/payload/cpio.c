/* cpio: newc headers, 4-byte padding, and file data streamed through a
 * fixed copy buffer. */
#include "payload/cpio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fs.h"
#include "lib/strbuf.h"

#define NEWC_HEADER_SIZE 110u
#define NEWC_MAX_FIELD 0xffffffffull
#define TRAILER "TRAILER!!!"
#define COPY_CHUNK (64u << 10)

static unsigned long long pad4(unsigned long long n)
{
	return (4 - n % 4) % 4;
}

unsigned long long cpio_entry_size(const char *name, unsigned long long data_len)
{
	unsigned long long head = NEWC_HEADER_SIZE + strlen(name) + 1;
	return head + pad4(head) + data_len + pad4(data_len);
}

unsigned long long cpio_trailer_size(void)
{
	return cpio_entry_size(TRAILER, 0);
}

void cpio_init(struct cpio_writer *w, int fd, unsigned long long limit)
{
	w->fd = fd;
	w->written = 0;
	w->limit = limit;
	w->next_ino = 1;
}

static int write_bytes(struct cpio_writer *w, const void *buf, size_t n)
{
	int r = fs_write_all(w->fd, buf, n);
	if (!r)
		w->written += n;
	return r;
}

static int write_padding(struct cpio_writer *w, unsigned long long after)
{
	static const char zeros[4];
	return write_bytes(w, zeros, (size_t)pad4(after));
}

/* Checks that the whole entry fits with the trailer's room kept, then
 * writes its header and name. */
static int begin_entry(struct cpio_writer *w, const char *name, unsigned mode, unsigned nlink,
		       unsigned long long data_len, int trailer)
{
	unsigned long long need;

	struct strbuf h = STRBUF_INIT;
	size_t namesize = strlen(name) + 1;
	int r;

	if (namesize < 2 || (!trailer && !strcmp(name, TRAILER)) || data_len > NEWC_MAX_FIELD || namesize > NEWC_MAX_FIELD)
		return -EINVAL;
	need = cpio_entry_size(name, data_len) + (trailer ? 0 : cpio_trailer_size());
	if (w->limit && (w->written > w->limit || need > w->limit - w->written))
		return -EFBIG;
	/* magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor,
	 * devminor, rdevmajor, rdevminor, namesize, check */
	strbuf_addf(&h, "070701%08X%08X%08X%08X%08X%08X%08llX%08X%08X%08X%08X%08zX%08X", w->next_ino++, mode,
		    0u, 0u, nlink, 0u, data_len, 0u, 0u, 0u, 0u, namesize, 0u);
	strbuf_add(&h, name, namesize);
	r = write_bytes(w, h.buf, h.len);
	if (!r)
		r = write_padding(w, h.len);
	strbuf_release(&h);
	return r;
}

int cpio_add_dir(struct cpio_writer *w, const char *name, unsigned mode)
{
	return begin_entry(w, name, S_IFDIR | (mode & 07777), 2, 0, 0);
}

int cpio_add_symlink(struct cpio_writer *w, const char *name, const char *target)
{
	size_t len = strlen(target);
	int r;

	if (!len)
		return -EINVAL;
	r = begin_entry(w, name, S_IFLNK | 0777, 1, len, 0);
	if (!r)
		r = write_bytes(w, target, len);
	if (!r)
		r = write_padding(w, len);
	return r;
}

/* Copies exactly len bytes of fd to the archive. */
static int copy_data(struct cpio_writer *w, int fd, unsigned long long len)
{
	char *buf = xmalloc(COPY_CHUNK);
	int r = 0;

	while (len && !r) {
		ssize_t n = read(fd, buf, len < COPY_CHUNK ? (size_t)len : COPY_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			r = -errno;
		else if (n == 0)
			r = -EIO;  /* the file shrank since its size was taken */
		else {
			r = write_bytes(w, buf, (size_t)n);
			len -= (unsigned long long)n;
		}
	}
	free(buf);
	return r;
}

int cpio_add_file(struct cpio_writer *w, const char *name, const char *host_path, unsigned mode)
{
	struct stat st;
	int fd = open(host_path, O_RDONLY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		r = -errno;
		close(fd);
		return r;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	unsigned long long size = (unsigned long long)st.st_size;
	r = begin_entry(w, name, S_IFREG | (mode & 07777), 1, size, 0);
	if (!r)
		r = copy_data(w, fd, size);
	if (!r)
		r = write_padding(w, size);
	close(fd);
	return r;
}

int cpio_finish(struct cpio_writer *w)
{
	/* fits: every entry before it left its room */
	return begin_entry(w, TRAILER, 0, 1, 0, 1);
}
