/* manifest: entries checked as they are added; the disk written with the
 * cpio writer after its size is known to fit. */
#include "payload/manifest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fs.h"
#include "payload/cpio.h"
#include "proto/payload.h"

static int guest_path_ok(const char *p)
{
	size_t len = strlen(p);

	if (len < 2 || p[0] != '/' || p[len - 1] == '/')
		return 0;
	for (const char *s = p; *s; s++) {
		if (*s != '/')
			continue;
		/* an empty, "." or ".." component */
		if (s[1] == '/' || (s[1] == '.' && (s[2] == '/' || !s[2])) ||
		    (s[1] == '.' && s[2] == '.' && (s[3] == '/' || !s[3])))
			return 0;
	}
	return 1;
}

/* Whether dir is a proper parent directory of path. */
static int is_inside(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return !strncmp(path, dir, n) && path[n] == '/';
}

const struct manifest_entry *manifest_find(const struct manifest *m, const char *guest)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->v[i].guest, guest))
			return &m->v[i];
	return NULL;
}

/* 0 when guest is free, 1 when it holds what is added again, else -errno. */
static int check_place(const struct manifest *m, const char *guest,
		       int (*same)(const struct manifest_entry *, const void *), const void *what)
{
	if (!guest_path_ok(guest))
		return -EINVAL;
	for (size_t i = 0; i < m->n; i++) {
		const struct manifest_entry *e = &m->v[i];
		if (!strcmp(e->guest, guest))
			return same(e, what) ? 1 : -EEXIST;
		if (is_inside(guest, e->guest) || is_inside(e->guest, guest))
			return -ENOTDIR;
	}
	return 0;
}

static struct manifest_entry *append(struct manifest *m, const char *guest, const char *origin)
{
	if (m->n == m->alloc) {
		m->alloc = m->alloc ? 2 * m->alloc : 16;
		m->v = xrealloc(m->v, m->alloc * sizeof(*m->v));
	}
	struct manifest_entry *e = &m->v[m->n++];
	memset(e, 0, sizeof(*e));
	e->guest = xstrdup(guest);
	e->origin = xstrdup(origin ? origin : "");
	return e;
}

static int same_file(const struct manifest_entry *e, const void *what)
{
	const struct stat *st = what;
	return e->host && e->dev == st->st_dev && e->ino == st->st_ino;
}

int manifest_add_file(struct manifest *m, const char *guest, const char *host, unsigned mode,
		      const char *origin)
{
	struct stat st;

	if (!guest_path_ok(guest))
		return -EINVAL;
	if (stat(host, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	int r = check_place(m, guest, same_file, &st);
	if (r)
		return r > 0 ? 0 : r;
	struct manifest_entry *e = append(m, guest, origin);
	e->host = xstrdup(host);
	e->mode = mode & 07777;
	e->size = (unsigned long long)st.st_size;
	e->dev = st.st_dev;
	e->ino = st.st_ino;
	return 0;
}

static int same_symlink(const struct manifest_entry *e, const void *what)
{
	return e->symlink && !strcmp(e->symlink, what);
}

int manifest_add_symlink(struct manifest *m, const char *guest, const char *target, const char *origin)
{
	if (!*target)
		return -EINVAL;
	int r = check_place(m, guest, same_symlink, target);
	if (r)
		return r > 0 ? 0 : r;
	struct manifest_entry *e = append(m, guest, origin);
	e->symlink = xstrdup(target);
	e->mode = 0777;
	return 0;
}

unsigned long long manifest_bytes(const struct manifest *m)
{
	unsigned long long sum = 0;

	for (size_t i = 0; i < m->n; i++)
		sum += m->v[i].size;
	return sum;
}

void manifest_release(struct manifest *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].guest);
		free(m->v[i].host);
		free(m->v[i].symlink);
		free(m->v[i].origin);
	}
	free(m->v);
	m->v = NULL;
	m->n = m->alloc = 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp((*(const struct manifest_entry *const *)a)->guest,
		      (*(const struct manifest_entry *const *)b)->guest);
}

/* Every parent directory of the entries, sorted (a parent before what is
 * in it), each once. */
static char **parent_dirs(const struct manifest *m, size_t *n)
{
	char **dirs = NULL;
	size_t count = 0, alloc = 0;

	for (size_t i = 0; i < m->n; i++) {
		const char *g = m->v[i].guest;
		for (const char *s = strchr(g + 1, '/'); s; s = strchr(s + 1, '/')) {
			if (count == alloc) {
				alloc = alloc ? 2 * alloc : 32;
				dirs = xrealloc(dirs, alloc * sizeof(*dirs));
			}
			dirs[count++] = xstrndup(g, (size_t)(s - g));
		}
	}
	if (count)
		qsort(dirs, count, sizeof(*dirs), cmp_str);
	size_t out = 0;
	for (size_t i = 0; i < count; i++) {
		if (out && !strcmp(dirs[out - 1], dirs[i]))
			free(dirs[i]);
		else
			dirs[out++] = dirs[i];
	}
	*n = out;
	return dirs;
}

static unsigned long long archive_size(char **dirs, size_t ndirs, const struct manifest *m)
{
	unsigned long long sum = cpio_trailer_size();

	for (size_t i = 0; i < ndirs; i++)
		sum += cpio_entry_size(dirs[i] + 1, 0);
	for (size_t i = 0; i < m->n; i++) {
		const struct manifest_entry *e = &m->v[i];
		sum += cpio_entry_size(e->guest + 1, e->symlink ? strlen(e->symlink) : e->size);
	}
	return sum;
}

static int write_archive(int fd, char **dirs, size_t ndirs, const struct manifest *m,
			 unsigned long long *written, struct strbuf *err)
{
	struct cpio_writer w;
	const struct manifest_entry **sorted = xcalloc(m->n ? m->n : 1, sizeof(*sorted));
	int r = 0;

	for (size_t i = 0; i < m->n; i++)
		sorted[i] = &m->v[i];
	qsort(sorted, m->n, sizeof(*sorted), cmp_entry);
	cpio_init(&w, fd, PAYLOAD_DISK_SIZE - PAYLOAD_HEADER_SIZE);
	for (size_t i = 0; i < ndirs && !r; i++)
		if ((r = cpio_add_dir(&w, dirs[i] + 1, 0755)))
			strbuf_addf(err, "directory %s: %s", dirs[i], strerror(-r));
	for (size_t i = 0; i < m->n && !r; i++) {
		const struct manifest_entry *e = sorted[i];
		if (e->symlink)
			r = cpio_add_symlink(&w, e->guest + 1, e->symlink);
		else
			r = cpio_add_file(&w, e->guest + 1, e->host, e->mode);
		if (r)
			strbuf_addf(err, "%s (%s, from %s): %s", e->guest, e->symlink ? "symlink" : e->host,
				    e->origin, r == -EIO ? "the file got shorter while it was copied" : strerror(-r));
	}
	if (!r && (r = cpio_finish(&w)))
		strbuf_addf(err, "the archive's end: %s", strerror(-r));
	*written = w.written;
	free(sorted);
	return r ? -1 : 0;
}

/* Names the biggest file: most often the one to leave out. */
static void add_largest(const struct manifest *m, struct strbuf *err)
{
	const struct manifest_entry *big = NULL;

	for (size_t i = 0; i < m->n; i++)
		if (!big || m->v[i].size > big->size)
			big = &m->v[i];
	if (big && big->size)
		strbuf_addf(err, "; the largest is %s (%llu bytes, from %s)", big->guest, big->size, big->origin);
}

static int write_header(int fd, unsigned long long archive_len)
{
	struct strbuf h = STRBUF_INIT;
	int r = 0;

	strbuf_addf(&h, "%s%llu\n", PAYLOAD_MAGIC, archive_len);
	if (lseek(fd, 0, SEEK_SET) < 0)
		r = -errno;
	else
		r = fs_write_all(fd, h.buf, h.len);
	strbuf_release(&h);
	return r;
}

int manifest_write_disk(const struct manifest *m, const char *path, struct strbuf *err)
{
	struct strbuf tmp = STRBUF_INIT;
	size_t ndirs;
	char **dirs = parent_dirs(m, &ndirs);
	unsigned long long need = archive_size(dirs, ndirs, m), written = 0;
	const unsigned long long room = PAYLOAD_DISK_SIZE - PAYLOAD_HEADER_SIZE;
	int fd = -1, ret = -1, r;

	if (need > room) {
		strbuf_addf(err, "the payload's archive would take %llu bytes (%zu entries), more than the %llu the payload disk holds",
			    need, m->n, room);
		add_largest(m, err);
		goto out;
	}
	strbuf_addf(&tmp, "%s.tmp", path);
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		strbuf_addf(err, "%s: %s", tmp.buf, strerror(errno));
		goto out;
	}
	if (ftruncate(fd, (off_t)PAYLOAD_DISK_SIZE) || lseek(fd, PAYLOAD_HEADER_SIZE, SEEK_SET) < 0) {
		strbuf_addf(err, "%s: %s", tmp.buf, strerror(errno));
		goto out;
	}
	struct strbuf what = STRBUF_INIT;
	if (write_archive(fd, dirs, ndirs, m, &written, &what)) {
		strbuf_addf(err, "payload disk %s: %s", path, what.buf);
		strbuf_release(&what);
		goto out;
	}
	strbuf_release(&what);
	r = write_header(fd, written);
	if (close(fd) && !r)
		r = -errno;
	fd = -1;
	if (r) {
		strbuf_addf(err, "%s: %s", tmp.buf, strerror(-r));
		goto out;
	}
	if (rename(tmp.buf, path)) {
		strbuf_addf(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	if (ret && tmp.len)
		unlink(tmp.buf);
	for (size_t i = 0; i < ndirs; i++)
		free(dirs[i]);
	free(dirs);
	strbuf_release(&tmp);
	return ret;
}
