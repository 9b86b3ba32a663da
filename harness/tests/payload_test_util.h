/* Helpers the guest payload tests share (include after cmocka.h): newc
 * archives written in memory entry by entry, a temporary root to unpack
 * into and read back, and the committed fixtures. */
#ifndef OOMTEST_PAYLOAD_TEST_UTIL_H
#define OOMTEST_PAYLOAD_TEST_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "guest_test_util.h"
#include "guest/payload.h"
#include "lib/clock.h"
#include "proto/payload.h"

/* ---- writing archives ---- */

static inline void pad4(struct buf *a)
{
	while (a->len % 4)
		buf_add(a, "", 1);
}

/* One newc entry as cpio writes it: header, name and NUL, padding, data,
 * padding. */
static inline void add_entry(struct buf *a, const char *name, unsigned mode, const void *data, size_t n)
{
	char h[256];

	int len = snprintf(h, sizeof(h), "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X", 1u, mode, 0u, 0u, 1u,
		 0u, n, 0u, 0u, 0u, 0u, strlen(name) + 1, 0u);
	assert_int_equal(len, 110);
	buf_add(a, h, 110);
	buf_add(a, name, strlen(name) + 1);
	pad4(a);
	buf_add(a, data, n);
	pad4(a);
}

static inline void add_file(struct buf *a, const char *name, unsigned perm, const char *text)
{
	add_entry(a, name, S_IFREG | perm, text, strlen(text));
}

static inline void add_dir(struct buf *a, const char *name, unsigned perm)
{
	add_entry(a, name, S_IFDIR | perm, "", 0);
}

static inline void add_symlink(struct buf *a, const char *name, const char *target)
{
	add_entry(a, name, S_IFLNK | 0777, target, strlen(target));
}

static inline void add_trailer(struct buf *a)
{
	add_entry(a, "TRAILER!!!", 0, "", 0);
}

/* ---- a root to unpack into ---- */

static inline int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static inline void remove_tree(const char *dir)
{
	assert_int_equal(nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

struct root {
	char base[40];  /* the temporary directory */
	char dir[48];   /* base/root, what is unpacked into */
};

static inline void root_make(struct root *r)
{
	strcpy(r->base, "/tmp/oomtest-payload.XXXXXX");
	assert_non_null(mkdtemp(r->base));
	snprintf(r->dir, sizeof(r->dir), "%s/root", r->base);
	assert_int_equal(mkdir(r->dir, 0755), 0);
}

static inline void root_remove(struct root *r)
{
	remove_tree(r->base);
}

/* root/rel, in a static buffer */
static inline const char *in(const struct root *r, const char *rel)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", r->dir, rel);
	return path;
}

/* Unpacks a in pieces of `piece` bytes (0: whole) into r; the message, or
 * NULL on success (free() it). */
static inline char *unpack(const struct buf *a, size_t piece, const struct root *r)
{
	struct payload_memory m = { (const unsigned char *)a->p, a->len, 0, piece };
	struct payload_source src = { payload_memory_next, &m };
	char *msg = (char *)"unset";
	int ret = payload_unpack(&src, r->dir, &msg);

	if (ret == 0)
		assert_null(msg);
	else
		assert_non_null(msg);
	return msg;
}

static inline char *file_text(const char *path)
{
	struct buf b = { 0 };

	buf_reserve(&b, 1 << 16);
	assert_int_equal(read_file(path, &b), 0);
	return b.p;
}

static inline unsigned perm_of(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	return st.st_mode & 07777;
}

static inline uint32_t fnv1a(const char *path)
{
	uint32_t h = 0x811c9dc5u;
	unsigned char c;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	while (read(fd, &c, 1) == 1)
		h = (h ^ c) * 0x01000193u;
	close(fd);
	return h;
}

/* Every entry under dir/rel, sorted by name: "PATH d MODE", "PATH f MODE
 * SIZE FNV1A", "PATH l TARGET". */
static inline void list_tree(const char *dir, const char *rel, struct buf *out)
{
	struct dirent **names;
	char *path;
	int n;

	assert_true(asprintf(&path, "%s%s%s", dir, *rel ? "/" : "", rel) > 0);
	n = scandir(path, &names, NULL, alphasort);
	assert_true(n >= 0);
	for (int i = 0; i < n; i++) {
		char *sub, *full, *line, target[4096];
		const char *name = names[i]->d_name;
		struct stat st;

		if (!strcmp(name, ".") || !strcmp(name, "..")) {
			free(names[i]);
			continue;
		}
		assert_true(asprintf(&sub, "%s%s%s", rel, *rel ? "/" : "", name) > 0);
		assert_true(asprintf(&full, "%s/%s", dir, sub) > 0);
		assert_int_equal(lstat(full, &st), 0);
		if (S_ISLNK(st.st_mode)) {
			ssize_t t = readlink(full, target, sizeof(target) - 1);
			assert_true(t > 0);
			target[t] = '\0';
			assert_true(asprintf(&line, "%s l %s\n", sub, target) > 0);
		} else if (S_ISDIR(st.st_mode)) {
			assert_true(asprintf(&line, "%s d %04o\n", sub, (unsigned)(st.st_mode & 07777)) > 0);
		} else {
			assert_true(asprintf(&line, "%s f %04o %lld %08x\n", sub, (unsigned)(st.st_mode & 07777),
					     (long long)st.st_size, fnv1a(full)) > 0);
		}
		buf_add(out, line, strlen(line));
		if (S_ISDIR(st.st_mode))
			list_tree(dir, sub, out);
		free(line);
		free(full);
		free(sub);
		free(names[i]);
	}
	free(names);
	free(path);
}

static inline struct buf fixture(const char *name)
{
	struct buf b = { 0 };
	char path[256];

	snprintf(path, sizeof(path), "fixtures/payload/%s", name);
	buf_reserve(&b, 1 << 20);
	assert_int_equal(read_file(path, &b), 0);
	return b;
}

#endif
