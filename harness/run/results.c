/* results: run directories and atomic writes. */
#include "run/results.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int results_mkdirs(const char *path)
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

int results_write_atomic(const char *path, const char *data, size_t len)
{
	struct strbuf tmp = STRBUF_INIT;
	int fd, r = 0;

	strbuf_addf(&tmp, "%s.tmp.%d", path, (int)getpid());
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			break;
		}
		data += n;
		len -= (size_t)n;
	}
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

int results_new_run(const char *root, struct strbuf *run_dir, struct strbuf *err)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int r = results_mkdirs(root);

	if (r) {
		strbuf_addf(err, "cannot create results directory %s: %s", root, strerror(-r));
		return -1;
	}
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	for (int i = 0;; i++) {
		strbuf_reset(run_dir);
		strbuf_addf(run_dir, "%s/%s", root, stamp);
		if (i)
			strbuf_addf(run_dir, "-%d", i);
		if (!mkdir(run_dir->buf, 0755))
			break;
		if (errno != EEXIST || i > 1000) {
			strbuf_addf(err, "cannot create %s: %s", run_dir->buf, strerror(errno));
			return -1;
		}
	}
	/* latest -> <run-id>, replaced atomically */
	struct strbuf link = STRBUF_INIT, tmp = STRBUF_INIT;
	const char *base = strrchr(run_dir->buf, '/') + 1;
	strbuf_addf(&link, "%s/latest", root);
	strbuf_addf(&tmp, "%s/.latest.%d", root, (int)getpid());
	unlink(tmp.buf);
	if (!symlink(base, tmp.buf) && rename(tmp.buf, link.buf))
		unlink(tmp.buf);
	strbuf_release(&link);
	strbuf_release(&tmp);
	return 0;
}
