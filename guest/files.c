/* files: whole-file reads and writes. */
#include "guest/files.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* The read buffer is static so that reading allocates nothing when memory
 * is short. */
int read_fd(int fd, struct buf *out)
{
	static char tmp[16384];
	ssize_t n;

	out->len = 0;
	buf_add(out, "", 0);
	while ((n = read(fd, tmp, sizeof(tmp))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf_add(out, tmp, (size_t)n);
	}
	return 0;
}

int read_file(const char *path, struct buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return -errno;
	r = read_fd(fd, out);
	close(fd);
	return r;
}

int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	return ret;
}
