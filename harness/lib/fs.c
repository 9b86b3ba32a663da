/* fs: whole writes, atomic files and directory trees. */
#include "lib/fs.h"
#include "lib/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fs_write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				/* a non-blocking descriptor: wait until it drains */
				struct pollfd pfd = { fd, POLLOUT, 0 };
				poll(&pfd, 1, 100);
				continue;
			}
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int fs_mkdirs(const char *path)
{
	char *p = xstrdup(path);

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) && errno != EEXIST) {
			int e = errno;
			free(p);
			return -e;
		}
		*s = '/';
	}
	int r = mkdir(p, 0755) && errno != EEXIST ? -errno : 0;
	free(p);
	return r;
}

int fs_write_atomic(const char *path, const char *data, size_t len)
{
	struct strbuf tmp = STRBUF_INIT;
	int fd, r = 0;

	strbuf_addf(&tmp, "%s.tmp.%d", path, (int)getpid());
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	r = fs_write_all(fd, data, len);
	if (!r && fsync(fd))
		r = -errno;
	if (close(fd) && !r)
		r = -errno;
	if (!r && rename(tmp.buf, path))
		r = -errno;
	if (r)
		unlink(tmp.buf);
out:
	strbuf_release(&tmp);
	return r;
}

void fs_add_identity(struct strbuf *key, const char *what, const char *path)
{
	struct stat st;

	if (stat(path, &st))
		strbuf_addf(key, "%s %s missing\n", what, path);
	else
		strbuf_addf(key, "%s %s %lld %lld.%09ld\n", what, path, (long long)st.st_size,
			    (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

void fs_add_program_identity(struct strbuf *key, const char *what, const char *prog)
{
	const char *path = getenv("PATH");
	struct strbuf p = STRBUF_INIT;

	if (strchr(prog, '/') || !path) {
		fs_add_identity(key, what, prog);
		return;
	}
	for (const char *d = path; *d;) {
		size_t n = strcspn(d, ":");
		strbuf_reset(&p);
		strbuf_addf(&p, "%.*s/%s", (int)n, d, prog);
		if (!access(p.buf, X_OK)) {
			fs_add_identity(key, what, p.buf);
			strbuf_release(&p);
			return;
		}
		d += n + (d[n] == ':');
	}
	strbuf_addf(key, "%s %s not found\n", what, prog);
	strbuf_release(&p);
}

static int open_up(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_D)
		chmod(path, (st->st_mode & 07777) | 0700);
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) && errno != ENOENT ? -1 : 0;
}

int fs_remove_tree(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	nftw(path, open_up, 16, FTW_PHYS);
	return nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS) ? -errno : 0;
}
