/* payload: unpacking the payload disk's newc archive. */
#include "guest/payload.h"
#include "guest/chan.h"
#include "lib/clock.h"
#include "proto/payload.h"
#include "proto/proto.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NEWC_MAGIC       "070701"
#define NEWC_HEADER_SIZE 110u
#define NEWC_TRAILER     "TRAILER!!!"

/* The disk is read in chunks of this size. The agent keeps its freed heap
 * (agent.c: reserve_memory) and has 1 MiB of it free from the start: a
 * chunk this size fits in that with its alignment, so the payload grows
 * the agent by nothing. */
#define DISK_CHUNK (512u << 10)
#define DISK_ALIGN 4096u

static int failv(char **msg, const char *fmt, va_list ap)
{
	free(*msg);
	if (vasprintf(msg, fmt, ap) < 0)
		*msg = NULL;
	return -1;
}

static int __attribute__((format(printf, 2, 3))) fail(char **msg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	failv(msg, fmt, ap);
	va_end(ap);
	return -1;
}

ssize_t payload_memory_next(void *ctx, const unsigned char **p, char **msg)
{
	struct payload_memory *m = ctx;
	size_t n = m->len - m->off;

	(void)msg;
	if (m->piece && n > m->piece)
		n = m->piece;
	*p = m->data + m->off;
	m->off += n;
	return (ssize_t)n;
}

/* ---- the archive walker ---- */

struct walker {
	const struct payload_source *src;
	const unsigned char *p; /* the rest of the current piece */
	size_t left;
	uint64_t off;           /* archive offset of p: entries are 4-byte aligned */
	int root;               /* O_PATH descriptor of the root directory */
	char **msg;
};

/* 1 when there are bytes to read, 0 at the source's end, -1 when it failed. */
static int fill(struct walker *w)
{
	while (!w->left) {
		ssize_t n = w->src->next(w->src->ctx, &w->p, w->msg);
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		w->left = (size_t)n;
	}
	return 1;
}

/* Copies the next n bytes to dst (NULL: skips them). */
static int take(struct walker *w, void *dst, size_t n, const char *what)
{
	uint64_t start = w->off;

	while (n) {
		int r = fill(w);
		if (r <= 0)
			return r < 0 ? -1 : fail(w->msg, "archive truncated in %s at offset %llu", what,
						 (unsigned long long)start);
		size_t k = n < w->left ? n : w->left;
		if (dst) {
			memcpy(dst, w->p, k);
			dst = (char *)dst + k;
		}
		w->p += k;
		w->left -= k;
		w->off += k;
		n -= k;
	}
	return 0;
}

static int skip_padding(struct walker *w, const char *what)
{
	return take(w, NULL, (size_t)((4 - w->off % 4) % 4), what);
}

struct entry {
	unsigned long mode, filesize, namesize;
	char *name;             /* as the archive has it */
	char *path;             /* a copy, relative to the root, "" for the root itself */
};

static int parse_hex8(const char *s, unsigned long *out)
{
	unsigned long v = 0;

	for (int i = 0; i < 8; i++) {
		int d = proto_hexval((unsigned char)s[i]);
		if (d < 0)
			return -1;
		v = v << 4 | (unsigned long)d;
	}
	*out = v;
	return 0;
}

/* The header and name of the next entry. */
static int read_entry(struct walker *w, struct entry *e)
{
	char h[NEWC_HEADER_SIZE];
	uint64_t at = w->off;

	if (take(w, h, sizeof(h), "a header"))
		return -1;
	/* fields: magic, then ino mode uid gid nlink mtime filesize devmajor
	 * devminor rdevmajor rdevminor namesize check, 8 hex digits each */
	if (memcmp(h, NEWC_MAGIC, 6) || parse_hex8(h + 6 + 1 * 8, &e->mode) ||
	    parse_hex8(h + 6 + 6 * 8, &e->filesize) || parse_hex8(h + 6 + 11 * 8, &e->namesize))
		return fail(w->msg, "no newc header at offset %llu", (unsigned long long)at);
	if (e->namesize < 2 || e->namesize > PATH_MAX)
		return fail(w->msg, "bad name size %lu at offset %llu", e->namesize, (unsigned long long)at);
	e->name = malloc(e->namesize);
	if (!e->name)
		return fail(w->msg, "out of memory");
	if (take(w, e->name, e->namesize, "a name") || skip_padding(w, "a name"))
		return -1;
	if (e->name[e->namesize - 1] || strlen(e->name) != e->namesize - 1)
		return fail(w->msg, "bad name at offset %llu", (unsigned long long)at);
	return 0;
}

/* e->path: the name without leading "./" and trailing '/' ("" for the root
 * itself). Refused: absolute names, ".." components, other file types. */
static int check_entry(struct walker *w, struct entry *e)
{
	const char *s = e->name;

	while (s[0] == '.' && s[1] == '/')
		s += 2;
	if (!strcmp(s, "."))
		s += 1;
	if (*s == '/')
		return fail(w->msg, "%s: absolute name", e->name);
	for (const char *c = s; *c;) {
		size_t len = strcspn(c, "/");
		if (len == 2 && c[0] == '.' && c[1] == '.')
			return fail(w->msg, "%s: '..' in the name", e->name);
		c += len;
		c += *c == '/';
	}
	if (!(e->path = strdup(s)))
		return fail(w->msg, "out of memory");
	for (size_t n = strlen(e->path); n && e->path[n - 1] == '/'; n--)
		e->path[n - 1] = '\0';
	if (!S_ISDIR(e->mode) && !S_ISREG(e->mode) && !S_ISLNK(e->mode))
		return fail(w->msg, "%s: not a file, directory or symlink (mode %06lo)", e->name, e->mode);
	if (!*e->path && !S_ISDIR(e->mode))
		return fail(w->msg, "%s: names the root", e->name);
	if (S_ISDIR(e->mode) && e->filesize)
		return fail(w->msg, "%s: a directory with data", e->name);
	return 0;
}

/* Opens a directory below the root: symlinks resolve as if the root were
 * /, so nothing the archive made can lead outside it. */
static int open_in_root(int root, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	return (int)syscall(SYS_openat2, root, *path ? path : ".", &how, sizeof(how));
}

/* The directory an entry goes in, made (0755) where missing; *base is
 * the entry's last component. Returns its descriptor, or -1. */
static int open_parent(struct walker *w, struct entry *e, const char **base)
{
	char *path = e->path, *slash = strrchr(path, '/');
	int dir = open_in_root(w->root, "");

	*base = slash ? slash + 1 : path;
	if (!slash || dir < 0)
		return dir < 0 ? fail(w->msg, "%s: root: %s", e->name, strerror(errno)) : dir;
	*slash = '\0';
	for (char *c = path; dir >= 0 && c;) {
		char *next = strchr(c, '/');
		if (next)
			*next = '\0';
		if (!*c) {
			/* "a//b" */
		} else if (mkdirat(dir, c, 0755) && errno != EEXIST) {
			fail(w->msg, "%s: mkdir %s: %s", e->name, path, strerror(errno));
			close(dir);
			dir = -1;
		} else {
			close(dir);
			if ((dir = open_in_root(w->root, path)) < 0)
				fail(w->msg, "%s: %s: %s", e->name, path, strerror(errno));
		}
		if (next)
			*next = '/';
		c = next ? next + 1 : NULL;
	}
	*slash = '/';
	return dir;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t r = write(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* The entry's data, written to fd as it comes. */
static int copy_data(struct walker *w, struct entry *e, int fd)
{
	unsigned long n = e->filesize;

	while (n) {
		int r = fill(w);
		if (r <= 0)
			return r < 0 ? -1 : fail(w->msg, "%s: archive truncated in its data", e->name);
		size_t k = n < w->left ? n : w->left;
		if (write_all(fd, w->p, k))
			return fail(w->msg, "%s: write: %s", e->name, strerror(errno));
		w->p += k;
		w->left -= k;
		w->off += k;
		n -= k;
	}
	return 0;
}

static int make_file(struct walker *w, struct entry *e, int dir, const char *base)
{
	mode_t mode = (mode_t)(e->mode & 07777);
	int fd, r;

	/* replaced, not written through: a symlink there is not followed, and
	 * a running program there is no obstacle */
	if (unlinkat(dir, base, 0) && errno != ENOENT && errno != EISDIR)
		return fail(w->msg, "%s: unlink: %s", e->name, strerror(errno));
	fd = openat(dir, base, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return fail(w->msg, "%s: open: %s", e->name, strerror(errno));
	r = copy_data(w, e, fd);
	if (!r && fchmod(fd, mode))
		r = fail(w->msg, "%s: chmod: %s", e->name, strerror(errno));
	if (close(fd) && !r)
		r = fail(w->msg, "%s: close: %s", e->name, strerror(errno));
	return r;
}

static int make_symlink(struct walker *w, struct entry *e, int dir, const char *base)
{
	char *target;
	int r = 0;

	if (e->filesize < 1 || e->filesize >= PATH_MAX)
		return fail(w->msg, "%s: bad symlink target size %lu", e->name, e->filesize);
	if (!(target = calloc(1, e->filesize + 1)))
		return fail(w->msg, "out of memory");
	if (take(w, target, e->filesize, "a symlink target"))
		r = -1;
	else if (strlen(target) != e->filesize)
		r = fail(w->msg, "%s: NUL in the symlink target", e->name);
	else if (unlinkat(dir, base, 0) && errno != ENOENT)
		r = fail(w->msg, "%s: unlink: %s", e->name, strerror(errno));
	else if (symlinkat(target, dir, base))
		r = fail(w->msg, "%s: symlink: %s", e->name, strerror(errno));
	free(target);
	return r;
}

static int make_dir(struct walker *w, struct entry *e, int dir, const char *base)
{
	mode_t mode = (mode_t)(e->mode & 07777) | S_IRWXU;

	if (!mkdirat(dir, base, mode)) {
		/* the mode as the archive has it, not as the umask leaves it */
		if (fchmodat(dir, base, mode, 0))
			return fail(w->msg, "%s: chmod: %s", e->name, strerror(errno));
	} else if (errno != EEXIST) {
		return fail(w->msg, "%s: mkdir: %s", e->name, strerror(errno));
	} else {
		struct stat st;
		if (fstatat(dir, base, &st, 0) || !S_ISDIR(st.st_mode))
			return fail(w->msg, "%s: exists and is not a directory", e->name);
	}
	return 0;
}

/* One entry: 1 when it was the trailer, 0 when unpacked, -1 on failure. */
static int unpack_entry(struct walker *w)
{
	struct entry e = { 0 };
	const char *base = NULL;
	int dir = -1, r = read_entry(w, &e);

	if (!r && !strcmp(e.name, NEWC_TRAILER)) {
		free(e.name);
		return 1;
	}
	if (!r)
		r = check_entry(w, &e);
	/* the root itself ("." in the archive) is there already */
	if (!r && *e.path && (dir = open_parent(w, &e, &base)) < 0)
		r = -1;
	if (!r && dir >= 0) {
		if (S_ISDIR(e.mode))
			r = make_dir(w, &e, dir, base);
		else if (S_ISREG(e.mode))
			r = make_file(w, &e, dir, base);
		else
			r = make_symlink(w, &e, dir, base);
	}
	if (!r)
		r = skip_padding(w, "padding");
	if (dir >= 0)
		close(dir);
	free(e.path);
	free(e.name);
	return r;
}

int payload_unpack(const struct payload_source *src, const char *root, char **msg)
{
	struct walker w = { .src = src, .msg = msg };
	int r;

	*msg = NULL;
	w.root = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (w.root < 0)
		return fail(msg, "%s: %s", root, strerror(errno));
	while (!(r = unpack_entry(&w)))
		;
	close(w.root);
	return r < 0 ? -1 : 0;
}

/* ---- the disk ---- */

int payload_header(const unsigned char *block, size_t n, uint64_t *size)
{
	size_t magic = sizeof(PAYLOAD_MAGIC) - 1, i;
	uint64_t v = 0;

	if (n < magic || memcmp(block, PAYLOAD_MAGIC, magic))
		return -1;
	for (i = magic; i < n && block[i] >= '0' && block[i] <= '9'; i++) {
		unsigned d = (unsigned)(block[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (i == magic || i >= n || block[i] != '\n')
		return -1;
	*size = v;
	return 0;
}

struct disk {
	int fd;
	unsigned char *buf;     /* DISK_CHUNK bytes, DISK_ALIGN-aligned */
	uint64_t off, end;      /* the next read's offset; the archive's end */
};

/* 64-bit offsets on i386 too */
static ssize_t pread_retry(int fd, void *p, size_t n, uint64_t at)
{
	ssize_t r;

	while ((r = pread64(fd, p, n, (off64_t)at)) < 0 && errno == EINTR)
		;
	return r;
}

/* Whole aligned blocks (O_DIRECT wants them), of which the bytes up to the
 * archive's end are handed out. */
static ssize_t disk_next(void *ctx, const unsigned char **p, char **msg)
{
	struct disk *d = ctx;
	uint64_t want = d->end - d->off;
	size_t n = DISK_CHUNK;
	ssize_t r;

	if (!want)
		return 0;
	if (want < n)
		n = (size_t)((want + DISK_ALIGN - 1) / DISK_ALIGN * DISK_ALIGN);
	if (want > n)
		want = n;
	r = pread_retry(d->fd, d->buf, n, d->off);
	if (r < 0)
		return fail(msg, "read at offset %llu: %s", (unsigned long long)d->off, strerror(errno));
	if ((uint64_t)r < want)
		return fail(msg, "short read at offset %llu: %zd bytes of %llu", (unsigned long long)d->off, r,
			    (unsigned long long)want);
	*p = d->buf;
	d->off += want;
	return (ssize_t)want;
}

/* The device appears once its driver has probed it, which it does
 * asynchronously after the module load. */
static int open_device(const char *dev, long wait_ms, char **msg)
{
	uint64_t deadline = clock_now_ms() + (uint64_t)(wait_ms > 0 ? wait_ms : 0);
	int fd;

	for (;;) {
		fd = open(dev, O_RDONLY | O_DIRECT | O_LARGEFILE | O_CLOEXEC);
		/* a file system without O_DIRECT (tmpfs before 6.6: tests) */
		if (fd < 0 && errno == EINVAL)
			fd = open(dev, O_RDONLY | O_LARGEFILE | O_CLOEXEC);
		if (fd >= 0 || (errno != ENOENT && errno != ENXIO) || clock_now_ms() >= deadline)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 50 * 1000 * 1000 }, NULL);
	}
	if (fd < 0)
		fail(msg, "%s: %s", dev, strerror(errno));
	return fd;
}

static int unpack_disk(struct disk *d, const char *dev, const char *root, char **msg)
{
	struct payload_source src = { disk_next, d };
	off64_t dev_size = lseek64(d->fd, 0, SEEK_END);
	uint64_t size;
	ssize_t r;

	if (dev_size < 0)
		return fail(msg, "%s: size: %s", dev, strerror(errno));
	r = pread_retry(d->fd, d->buf, PAYLOAD_HEADER_SIZE, 0);
	if (r < 0)
		return fail(msg, "%s: reading the header: %s", dev, strerror(errno));
	if ((size_t)r < PAYLOAD_HEADER_SIZE)
		return fail(msg, "%s: short read of the header: %zd bytes", dev, r);
	if (payload_header(d->buf, PAYLOAD_HEADER_SIZE, &size))
		return fail(msg, "%s: no payload header", dev);
	if ((uint64_t)dev_size < PAYLOAD_HEADER_SIZE || size > (uint64_t)dev_size - PAYLOAD_HEADER_SIZE)
		return fail(msg, "%s: an archive of %llu bytes on a disk of %llu", dev, (unsigned long long)size,
			    (unsigned long long)dev_size);
	d->off = PAYLOAD_HEADER_SIZE;
	d->end = PAYLOAD_HEADER_SIZE + size;
	if (!payload_unpack(&src, root, msg))
		return 0;
	char *inner = *msg;
	*msg = NULL;
	fail(msg, "%s: %s", dev, inner ? inner : "?");
	free(inner);
	return -1;
}

int payload_unpack_disk(const char *dev, const char *root, long wait_ms, char **msg)
{
	struct disk d = { .fd = -1 };
	void *buf = NULL;
	int r;

	*msg = NULL;
	if ((d.fd = open_device(dev, wait_ms, msg)) < 0)
		return -1;
	if ((errno = posix_memalign(&buf, DISK_ALIGN, DISK_CHUNK))) {
		close(d.fd);
		return fail(msg, "%s: no buffer: %s", dev, strerror(errno));
	}
	d.buf = buf;
	r = unpack_disk(&d, dev, root, msg);
	free(buf);
	close(d.fd);
	return r;
}

int payload_cmdline_has(const char *cmdline)
{
	static const char sep[] = " \t\n";
	size_t want = strlen(PAYLOAD_CMDLINE);

	for (const char *w = cmdline + strspn(cmdline, sep); *w; w += strspn(w, sep)) {
		size_t len = strcspn(w, sep);
		if (len == want && !memcmp(w, PAYLOAD_CMDLINE, want))
			return 1;
		w += len;
	}
	return 0;
}

void payload_run(void)
{
	char *msg = NULL, ms[24];
	uint64_t t0 = clock_now_ms();

	if (payload_unpack_disk(PAYLOAD_DEVICE, "/", 5000, &msg)) {
		send_err("payload: %s", msg ? msg : "?");
	} else {
		snprintf(ms, sizeof(ms), "%llu", (unsigned long long)(clock_now_ms() - t0));
		send_rec("payload", S(ms), NULL);
	}
	free(msg);
}
