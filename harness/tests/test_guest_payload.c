/* Tests for guest/payload.c: a newc archive unpacks under the root it is
 * given, however the source cuts it in pieces; what is not a relative
 * directory, file or symlink name is refused at its entry, and nothing is
 * made outside the root. The disk: its header, its size, chunked reads.
 *
 * fixtures/payload/tree.cpio was written by GNU cpio from a small tree
 * (`find . | LC_ALL=C sort | cpio -o -H newc -R 0:0`); tree.expected lists
 * that tree as list_tree() does, made from the tree itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
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

static void pad4(struct buf *a)
{
	while (a->len % 4)
		buf_add(a, "", 1);
}

/* One newc entry as cpio writes it: header, name and NUL, padding, data,
 * padding. */
static void add_entry(struct buf *a, const char *name, unsigned mode, const void *data, size_t n)
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

static void add_file(struct buf *a, const char *name, unsigned perm, const char *text)
{
	add_entry(a, name, S_IFREG | perm, text, strlen(text));
}

static void add_dir(struct buf *a, const char *name, unsigned perm)
{
	add_entry(a, name, S_IFDIR | perm, "", 0);
}

static void add_symlink(struct buf *a, const char *name, const char *target)
{
	add_entry(a, name, S_IFLNK | 0777, target, strlen(target));
}

static void add_trailer(struct buf *a)
{
	add_entry(a, "TRAILER!!!", 0, "", 0);
}

/* ---- a root to unpack into ---- */

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static void remove_tree(const char *dir)
{
	assert_int_equal(nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

struct root {
	char base[40];  /* the temporary directory */
	char dir[48];   /* base/root, what is unpacked into */
};

static void root_make(struct root *r)
{
	strcpy(r->base, "/tmp/oomtest-payload.XXXXXX");
	assert_non_null(mkdtemp(r->base));
	snprintf(r->dir, sizeof(r->dir), "%s/root", r->base);
	assert_int_equal(mkdir(r->dir, 0755), 0);
}

static void root_remove(struct root *r)
{
	remove_tree(r->base);
}

/* root/rel, in a static buffer */
static const char *in(const struct root *r, const char *rel)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", r->dir, rel);
	return path;
}

/* Unpacks a in pieces of `piece` bytes (0: whole) into r; the message, or
 * NULL on success (free() it). */
static char *unpack(const struct buf *a, size_t piece, const struct root *r)
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

static char *file_text(const char *path)
{
	struct buf b = { 0 };

	buf_reserve(&b, 1 << 16);
	assert_int_equal(read_file(path, &b), 0);
	return b.p;
}

static unsigned perm_of(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	return st.st_mode & 07777;
}

static uint32_t fnv1a(const char *path)
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
static void list_tree(const char *dir, const char *rel, struct buf *out)
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

static struct buf fixture(const char *name)
{
	struct buf b = { 0 };
	char path[256];

	snprintf(path, sizeof(path), "fixtures/payload/%s", name);
	buf_reserve(&b, 1 << 20);
	assert_int_equal(read_file(path, &b), 0);
	return b;
}

/* the piece sizes every archive is fed in */
static const size_t pieces[] = { 0, 1, 3, 7, 110, 4096 };
#define NPIECES (sizeof(pieces) / sizeof(pieces[0]))

/* ---- unpacking ---- */

static void test_golden_tree_from_gnu_cpio(void **state)
{
	struct buf archive = fixture("tree.cpio"), want = fixture("tree.expected");

	(void)state;
	for (size_t i = 0; i < NPIECES; i++) {
		struct buf got = { 0 };
		struct root r;

		root_make(&r);
		assert_null(unpack(&archive, pieces[i], &r));
		buf_add(&got, "", 0);
		list_tree(r.dir, "", &got);
		assert_string_equal(got.p, want.p);
		free(got.p);
		root_remove(&r);
	}
	free(archive.p);
	free(want.p);
}

static void test_names_modes_and_missing_parents(void **state)
{
	struct buf a = { 0 };
	struct root r;

	(void)state;
	add_dir(&a, ".", 0755);
	add_dir(&a, "./usr", 0755);
	add_file(&a, "./usr/local/bin/tool", 0750, "#!/bin/sh\nexit 3\n"); /* usr/local made */
	add_dir(&a, "opt/", 0711);                                       /* trailing '/' */
	add_file(&a, "opt//x", 0600, "x\n");
	add_dir(&a, "usr", 0700);                                        /* exists: kept */
	add_symlink(&a, "usr/bin", "local/bin");
	add_file(&a, "usr/bin/through-link", 0644, "via the link\n");
	add_trailer(&a);
	add_file(&a, "after-trailer", 0644, "not unpacked\n");
	for (size_t i = 0; i < NPIECES; i++) {
		root_make(&r);
		assert_null(unpack(&a, pieces[i], &r));
		char *t = file_text(in(&r, "usr/local/bin/tool"));
		assert_string_equal(t, "#!/bin/sh\nexit 3\n");
		free(t);
		assert_int_equal(perm_of(in(&r, "usr/local/bin/tool")), 0750);
		assert_int_equal(perm_of(in(&r, "usr/local")), 0755);
		assert_int_equal(perm_of(in(&r, "opt")), 0711);
		assert_int_equal(perm_of(in(&r, "opt/x")), 0600);
		assert_int_equal(perm_of(in(&r, "usr")), 0755);
		t = file_text(in(&r, "usr/local/bin/through-link"));
		assert_string_equal(t, "via the link\n");
		free(t);
		assert_int_equal(access(in(&r, "after-trailer"), F_OK), -1);
		root_remove(&r);
	}
	free(a.p);
}

/* An existing file is replaced, an existing symlink too, not followed. */
static void test_replaces_files_and_symlinks(void **state)
{
	struct buf a = { 0 };
	struct root r;
	char outside[4096];

	(void)state;
	root_make(&r);
	snprintf(outside, sizeof(outside), "%s/outside", r.base);
	close(open(outside, O_WRONLY | O_CREAT, 0644));
	assert_int_equal(symlink(outside, in(&r, "link")), 0);
	close(open(in(&r, "old"), O_WRONLY | O_CREAT, 0644));
	add_file(&a, "link", 0644, "new\n");
	add_file(&a, "old", 0755, "replaced\n");
	add_trailer(&a);
	assert_null(unpack(&a, 0, &r));
	/* a directory where a file is: refused */
	struct buf d = { 0 };
	add_dir(&d, "old", 0755);
	add_trailer(&d);
	char *msg = unpack(&d, 0, &r);
	assert_string_equal(msg, "old: exists and is not a directory");
	free(msg);
	free(d.p);
	char *t = file_text(in(&r, "link"));
	assert_string_equal(t, "new\n");
	free(t);
	t = file_text(outside);
	assert_string_equal(t, "");
	free(t);
	assert_int_equal(perm_of(in(&r, "old")), 0755);
	root_remove(&r);
	free(a.p);
}

/* Symlinks the archive made lead nowhere outside the root: a path through
 * one resolves as if the root were /. */
static void test_symlinks_stay_in_the_root(void **state)
{
	struct buf a = { 0 }, b = { 0 };
	struct root r;
	char outside[4096];
	char *msg;

	(void)state;
	root_make(&r);
	add_symlink(&a, "up", "..");
	add_symlink(&a, "slash", "/");
	add_file(&a, "up/escaped", 0644, "inside\n");
	add_file(&a, "slash/escaped2", 0644, "inside\n");
	add_trailer(&a);
	assert_null(unpack(&a, 0, &r));
	snprintf(outside, sizeof(outside), "%s/escaped", r.base);
	assert_int_equal(access(outside, F_OK), -1);
	assert_int_equal(access(in(&r, "escaped"), F_OK), 0);
	assert_int_equal(access(in(&r, "escaped2"), F_OK), 0);
	/* the directory outside is looked for under the root: not there */
	add_symlink(&b, "abs", r.base);
	add_file(&b, "abs/escaped3", 0644, "nowhere\n");
	add_trailer(&b);
	msg = unpack(&b, 0, &r);
	if (!strstr(msg, "abs/escaped3: abs: No such file or directory"))
		fail_msg("got '%s'", msg);
	free(msg);
	snprintf(outside, sizeof(outside), "%s/escaped3", r.base);
	assert_int_equal(access(outside, F_OK), -1);
	root_remove(&r);
	free(a.p);
	free(b.p);
}

/* What bad entries give: the message, and the entries before unpacked,
 * none after. */
struct bad {
	const char *what, *msg;
	void (*add)(struct buf *a);
	int ends;       /* the archive ends with it */
};

static void add_dotdot(struct buf *a) { add_file(a, "a/../../x", 0644, "x"); }
static void add_dotdot_end(struct buf *a) { add_dir(a, "./..", 0755); }
static void add_absolute(struct buf *a) { add_file(a, "/etc/x", 0644, "x"); }
static void add_absolute_dot(struct buf *a) { add_file(a, ".//etc/x", 0644, "x"); }
static void add_chardev(struct buf *a) { add_entry(a, "dev/null", S_IFCHR | 0666, "", 0); }
static void add_fifo(struct buf *a) { add_entry(a, "fifo", S_IFIFO | 0644, "", 0); }
static void add_root_file(struct buf *a) { add_file(a, ".", 0644, "x"); }
static void add_dir_data(struct buf *a) { add_entry(a, "d", S_IFDIR | 0755, "data", 4); }
static void add_bad_magic(struct buf *a)
{
	size_t at = a->len;
	add_file(a, "odc", 0644, "x");
	memcpy(a->p + at, "070707", 6);
}
static void add_bad_hex(struct buf *a)
{
	size_t at = a->len;
	add_file(a, "hex", 0644, "x");
	a->p[at + 6 + 8 + 3] = 'g';
}
static void add_huge_name(struct buf *a)
{
	size_t at = a->len;
	add_file(a, "n", 0644, "x");
	memcpy(a->p + at + 6 + 11 * 8, "7FFFFFFF", 8);
}
static void add_name_nul(struct buf *a)
{
	size_t at = a->len;
	add_file(a, "ab", 0644, "x");
	a->p[at + 110] = '\0';
}
static void add_link_nul(struct buf *a) { add_entry(a, "l", S_IFLNK | 0777, "a\0b", 3); }
static void add_empty_link(struct buf *a) { add_entry(a, "l", S_IFLNK | 0777, "", 0); }
static void add_cut_header(struct buf *a)
{
	add_file(a, "whole", 0644, "x");
	buf_add(a, "0707010000", 10);
}
static void add_cut_data(struct buf *a)
{
	add_file(a, "cut", 0644, "0123456789");
	a->len -= 8;
}

static const struct bad bads[] = {
	{ "..", "a/../../x: '..' in the name", add_dotdot, 0 },
	{ ".. last", "./..: '..' in the name", add_dotdot_end, 0 },
	{ "absolute", "/etc/x: absolute name", add_absolute, 0 },
	{ "absolute after ./", ".//etc/x: absolute name", add_absolute_dot, 0 },
	{ "char device", "dev/null: not a file, directory or symlink (mode 020666)", add_chardev, 0 },
	{ "fifo", "fifo: not a file, directory or symlink (mode 010644)", add_fifo, 0 },
	{ "file as the root", ".: names the root", add_root_file, 0 },
	{ "directory with data", "d: a directory with data", add_dir_data, 0 },
	{ "bad magic", "no newc header at offset", add_bad_magic, 0 },
	{ "bad hex", "no newc header at offset", add_bad_hex, 0 },
	{ "huge name", "bad name size 2147483647", add_huge_name, 0 },
	{ "NUL in name", "bad name at offset", add_name_nul, 0 },
	{ "NUL in symlink", "l: NUL in the symlink target", add_link_nul, 0 },
	{ "empty symlink", "l: bad symlink target size 0", add_empty_link, 0 },
	{ "truncated header", "archive truncated in a header at offset 252", add_cut_header, 1 },
	{ "truncated data", "cut: archive truncated in its data", add_cut_data, 1 },
};

static void test_bad_entries(void **state)
{
	(void)state;
	for (size_t b = 0; b < sizeof(bads) / sizeof(bads[0]); b++) {
		struct buf a = { 0 };

		add_file(&a, "before", 0644, "unpacked\n");
		bads[b].add(&a);
		if (!bads[b].ends) {
			add_file(&a, "after", 0644, "not unpacked\n");
			add_trailer(&a);
		}
		for (size_t i = 0; i < NPIECES; i++) {
			struct root r;

			root_make(&r);
			char *msg = unpack(&a, pieces[i], &r);
			if (!msg || !strstr(msg, bads[b].msg))
				fail_msg("%s: got '%s'", bads[b].what, msg ? msg : "(success)");
			free(msg);
			assert_int_equal(access(in(&r, "before"), F_OK), 0);
			assert_int_equal(access(in(&r, "after"), F_OK), -1);
			assert_int_equal(access(in(&r, "etc"), F_OK), -1);
			root_remove(&r);
		}
		free(a.p);
	}
}

/* No trailer, or nothing at all: truncated. */
static void test_no_trailer(void **state)
{
	struct buf a = { 0 };
	struct root r;
	char *msg;

	(void)state;
	root_make(&r);
	buf_add(&a, "", 0);
	msg = unpack(&a, 0, &r);
	assert_string_equal(msg, "archive truncated in a header at offset 0");
	free(msg);
	add_file(&a, "only", 0644, "x");
	msg = unpack(&a, 0, &r);
	assert_string_equal(msg, "archive truncated in a header at offset 120");
	free(msg);
	assert_int_equal(access(in(&r, "only"), F_OK), 0);
	root_remove(&r);
	free(a.p);
}

static void test_missing_root(void **state)
{
	struct buf a = { 0 };
	struct root r;
	char *msg;

	(void)state;
	add_trailer(&a);
	root_make(&r);
	strcat(r.dir, "/none");
	msg = unpack(&a, 0, &r);
	assert_non_null(strstr(msg, "/none: No such file or directory"));
	free(msg);
	root_remove(&r);
	free(a.p);
}

/* ---- the disk ---- */

static void test_header(void **state)
{
	uint64_t size = 7;
	unsigned char block[PAYLOAD_HEADER_SIZE] = { 0 };

	(void)state;
	memcpy(block, PAYLOAD_MAGIC "5120\n", sizeof(PAYLOAD_MAGIC "5120\n") - 1);
	assert_int_equal(payload_header(block, sizeof(block), &size), 0);
	assert_int_equal(size, 5120);
	memcpy(block, PAYLOAD_MAGIC "18446744073709551615\n", sizeof(PAYLOAD_MAGIC "18446744073709551615\n") - 1);
	assert_int_equal(payload_header(block, sizeof(block), &size), 0);
	assert_true(size == UINT64_MAX);
	static const char *const bad[] = {
		PAYLOAD_MAGIC "18446744073709551616\n", /* overflows */
		PAYLOAD_MAGIC "\n", PAYLOAD_MAGIC "12 \n", PAYLOAD_MAGIC "-1\n",
		"OOMTEST-PAYLOAD 2\n12\n", "",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(block, 0, sizeof(block));
		memcpy(block, bad[i], strlen(bad[i]));
		size = 7;
		assert_int_equal(payload_header(block, sizeof(block), &size), -1);
		assert_int_equal(size, 7);
	}
	/* no '\n' within the block */
	memset(block, '1', sizeof(block));
	memcpy(block, PAYLOAD_MAGIC, sizeof(PAYLOAD_MAGIC) - 1);
	assert_int_equal(payload_header(block, sizeof(block), &size), -1);
}

/* A disk file: header saying `size`, the archive, zeros up to disk_size. */
static void write_disk(const char *path, const struct buf *a, unsigned long long size, size_t disk_size)
{
	char *disk = calloc(1, disk_size);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_non_null(disk);
	snprintf(disk, PAYLOAD_HEADER_SIZE, "%s%llu\n", PAYLOAD_MAGIC, size);
	assert_true(PAYLOAD_HEADER_SIZE + a->len <= disk_size);
	memcpy(disk + PAYLOAD_HEADER_SIZE, a->p, a->len);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, disk, disk_size), (ssize_t)disk_size);
	close(fd);
	free(disk);
}

/* An archive larger than a read chunk: a 1.5 MiB file of a pattern. */
static void test_disk(void **state)
{
	size_t big_len = 3u << 19;
	char *big = malloc(big_len + 1), disk[4096];
	struct buf a = { 0 };
	struct root r;
	char *msg = NULL;

	(void)state;
	for (size_t i = 0; i < big_len; i++)
		big[i] = (char)('a' + i % 23);
	big[big_len] = '\0';
	add_dir(&a, "./usr", 0755);
	add_file(&a, "./usr/big", 0644, big);
	add_file(&a, "./usr/small", 0644, "small\n");
	add_trailer(&a);
	root_make(&r);
	snprintf(disk, sizeof(disk), "%s/disk", r.base);
	write_disk(disk, &a, a.len, (2u << 20) + 8192);
	assert_int_equal(payload_unpack_disk(disk, r.dir, 0, &msg), 0);
	assert_null(msg);
	struct buf got = { 0 };
	buf_reserve(&got, big_len + 64);
	assert_int_equal(read_file(in(&r, "usr/big"), &got), 0);
	assert_int_equal(got.len, big_len);
	assert_memory_equal(got.p, big, big_len);
	free(got.p);
	char *t = file_text(in(&r, "usr/small"));
	assert_string_equal(t, "small\n");
	free(t);
	root_remove(&r);
	free(big);
	free(a.p);
}

static void test_disk_failures(void **state)
{
	struct buf a = { 0 };
	struct root r;
	char disk[4096];
	char *msg = NULL;

	(void)state;
	add_file(&a, "f", 0644, "x\n");
	add_trailer(&a);
	root_make(&r);
	snprintf(disk, sizeof(disk), "%s/disk", r.base);

	/* an archive said to reach beyond the disk */
	write_disk(disk, &a, 65536 - PAYLOAD_HEADER_SIZE + 1, 65536);
	assert_int_equal(payload_unpack_disk(disk, r.dir, 0, &msg), -1);
	assert_non_null(strstr(msg, ": an archive of 61441 bytes on a disk of 65536"));
	free(msg);
	assert_int_equal(access(in(&r, "f"), F_OK), -1);
	/* the header's size cuts the archive short */
	write_disk(disk, &a, a.len - 4, 65536);
	assert_int_equal(payload_unpack_disk(disk, r.dir, 0, &msg), -1);
	assert_non_null(strstr(msg, ": archive truncated in a name at offset"));
	free(msg);
	assert_int_equal(access(in(&r, "f"), F_OK), 0);
	/* no header */
	int fd = open(disk, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, "070701", 6), 6);
	assert_int_equal(ftruncate(fd, 65536), 0);
	close(fd);
	assert_int_equal(payload_unpack_disk(disk, r.dir, 0, &msg), -1);
	assert_non_null(strstr(msg, ": no payload header"));
	free(msg);
	/* shorter than a header */
	assert_int_equal(truncate(disk, 100), 0);
	assert_int_equal(payload_unpack_disk(disk, r.dir, 0, &msg), -1);
	assert_non_null(strstr(msg, ": short read of the header: 100 bytes"));
	free(msg);
	/* a device that never comes: waited for, then named */
	strcat(disk, "-none");
	uint64_t t0 = clock_now_ms();
	assert_int_equal(payload_unpack_disk(disk, r.dir, 200, &msg), -1);
	assert_true(clock_now_ms() - t0 >= 200);
	assert_non_null(strstr(msg, "-none: No such file or directory"));
	free(msg);
	root_remove(&r);
	free(a.p);
}

/* A device that appears while it is waited for. */
static void test_disk_appears(void **state)
{
	struct buf a = { 0 };
	struct root r;
	char disk[4096], early[4096];
	char *msg = NULL;

	(void)state;
	add_file(&a, "late", 0644, "x\n");
	add_trailer(&a);
	root_make(&r);
	snprintf(disk, sizeof(disk), "%s/disk", r.base);
	snprintf(early, sizeof(early), "%s/disk.tmp", r.base);
	write_disk(early, &a, a.len, 65536);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		nanosleep(&(struct timespec){ .tv_nsec = 300 * 1000 * 1000 }, NULL);
		_exit(rename(early, disk) ? 1 : 0);
	}
	assert_int_equal(payload_unpack_disk(disk, r.dir, 5000, &msg), 0);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(status, 0);
	assert_int_equal(access(in(&r, "late"), F_OK), 0);
	root_remove(&r);
	free(a.p);
}

static void test_cmdline(void **state)
{
	(void)state;
	assert_true(payload_cmdline_has(PAYLOAD_CMDLINE));
	assert_true(payload_cmdline_has("console=ttyS0 " PAYLOAD_CMDLINE "\n"));
	assert_true(payload_cmdline_has("quiet\t" PAYLOAD_CMDLINE " panic=-1\n"));
	assert_false(payload_cmdline_has("console=ttyS0 " PAYLOAD_CMDLINE "0\n"));
	assert_false(payload_cmdline_has("x" PAYLOAD_CMDLINE));
	assert_false(payload_cmdline_has("oomtest.payload=0"));
	assert_false(payload_cmdline_has(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_tree_from_gnu_cpio),
		cmocka_unit_test(test_names_modes_and_missing_parents),
		cmocka_unit_test(test_replaces_files_and_symlinks),
		cmocka_unit_test(test_symlinks_stay_in_the_root),
		cmocka_unit_test(test_bad_entries),
		cmocka_unit_test(test_no_trailer),
		cmocka_unit_test(test_missing_root),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_disk),
		cmocka_unit_test(test_disk_failures),
		cmocka_unit_test(test_disk_appears),
		cmocka_unit_test(test_cmdline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
