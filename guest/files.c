/* files: whole-file reads and writes, and the numbers in such files. */
#include "guest/files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Keeps the whole lines of a read that did not fit, then the mark. */
static void cut(struct buf *out)
{
	const char *nl = out->len ? memrchr(out->p, '\n', out->len) : NULL;

	if (nl)
		out->len = (size_t)(nl - out->p) + 1;
	else
		out->p[out->len++] = '\n';
	memcpy(out->p + out->len, FILES_CUT_MARK, sizeof(FILES_CUT_MARK));
	out->len += sizeof(FILES_CUT_MARK) - 1;
}

static ssize_t pread_retry(int fd, void *p, size_t n, off_t at)
{
	ssize_t r;

	while ((r = pread(fd, p, n, at)) < 0 && errno == EINTR)
		;
	return r;
}

int read_fd(int fd, struct buf *out)
{
	/* room for the data, then "\n", the mark and its NUL */
	size_t room = out->alloc > sizeof(FILES_CUT_MARK) + 1 ? out->alloc - sizeof(FILES_CUT_MARK) - 1 : 0;
	ssize_t n;
	char more;

	out->len = 0;
	if (!room)
		return -ENOBUFS;
	do {
		n = pread_retry(fd, out->p + out->len, room - out->len, (off_t)out->len);
		if (n > 0)
			out->len += (size_t)n;
	} while (n > 0 && out->len < room);
	if (n < 0) {
		int r = -errno;
		out->len = 0;
		out->p[0] = '\0';
		return r;
	}
	if (out->len == room && pread_retry(fd, &more, 1, (off_t)room) > 0)
		cut(out);
	out->p[out->len] = '\0';
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

static long long number_at(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	if (!strncmp(p, "max", 3))
		return LLONG_MAX;
	if (*p < '0' || *p > '9')
		return -1;
	return strtoll(p, NULL, 10);
}

long long files_value(const char *text, const char *key, char sep)
{
	if (!key)
		return number_at(text);
	size_t klen = strlen(key);
	for (const char *line = text; *line;) {
		if (!strncmp(line, key, klen) && (line[klen] == sep || (sep == ' ' && line[klen] == '\t')))
			return number_at(line + klen + 1);
		const char *nl = strchr(line, '\n');
		if (!nl)
			break;
		line = nl + 1;
	}
	return -1;
}
