/* Tests for payload/manifest.c: what may be added (the same file twice,
 * conflicts, paths refused), the bytes the files take, and the payload
 * disk: its size and sparseness, its header, and its archive unpacked by
 * the system's `cpio -idm` and compared file by file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/child.h"
#include "lib/fs.h"
#include "lib/strbuf.h"
#include "payload/cpio.h"
#include "payload/manifest.h"
#include "proto/payload.h"

static char root[] = "/tmp/oomtest-manifest.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return fs_remove_tree(root);
}

/* root/name, freed by the caller */
static char *in_root(const char *name)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/%s", root, name);
	return strbuf_detach(&p);
}

static char *host_file(const char *name, const char *content, size_t len)
{
	char *p = in_root(name);
	assert_int_equal(fs_write_atomic(p, content, len), 0);
	return p;
}

static void test_add_rules(void **state)
{
	struct manifest m = MANIFEST_INIT;
	char *a = host_file("a", "alpha", 5), *b = host_file("b", "bravo!", 6), *link = in_root("link-to-a");
	(void)state;

	assert_int_equal(symlink(a, link), 0);
	assert_int_equal(manifest_add_file(&m, "/usr/bin/a", a, 0755, "cases/x.case:3"), 0);
	/* the same file again, also through a symlink to it: kept once */
	assert_int_equal(manifest_add_file(&m, "/usr/bin/a", a, 0644, "elsewhere"), 0);
	assert_int_equal(manifest_add_file(&m, "/usr/bin/a", link, 0644, "elsewhere"), 0);
	assert_int_equal(m.n, 1);
	assert_int_equal(m.v[0].mode, 0755);
	assert_string_equal(m.v[0].origin, "cases/x.case:3");
	/* another file at the same place */
	assert_int_equal(manifest_add_file(&m, "/usr/bin/a", b, 0755, "o"), -EEXIST);
	assert_int_equal(manifest_add_symlink(&m, "/usr/bin/a", "b", "o"), -EEXIST);
	/* a file where a directory must be, and the other way round */
	assert_int_equal(manifest_add_file(&m, "/usr/bin/a/x", b, 0644, "o"), -ENOTDIR);
	assert_int_equal(manifest_add_file(&m, "/usr/bin", b, 0644, "o"), -ENOTDIR);
	assert_int_equal(manifest_add_symlink(&m, "/usr", "x", "o"), -ENOTDIR);
	/* a sibling whose name starts the same is no conflict */
	assert_int_equal(manifest_add_file(&m, "/usr/bin/ab", b, 0644, "o"), 0);

	assert_int_equal(manifest_add_symlink(&m, "/lib64", "lib", "pkg"), 0);
	assert_int_equal(manifest_add_symlink(&m, "/lib64", "lib", "pkg again"), 0);
	assert_int_equal(manifest_add_symlink(&m, "/lib64", "usr/lib", "pkg"), -EEXIST);
	assert_int_equal(manifest_add_file(&m, "/lib64", a, 0644, "o"), -EEXIST);
	assert_int_equal(manifest_add_symlink(&m, "/empty", "", "o"), -EINVAL);
	assert_int_equal(m.n, 3);

	static const char *const bad[] = { "", "/", "usr/bin/x", "/usr//x", "/usr/./x", "/usr/../x",
					   "/usr/x/", "/.", "/..", "/x/." };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(manifest_add_file(&m, bad[i], a, 0644, "o"), -EINVAL);
		assert_int_equal(manifest_add_symlink(&m, bad[i], "t", "o"), -EINVAL);
	}
	/* "..." and ".x" are names like any */
	assert_int_equal(manifest_add_file(&m, "/.x/...", a, 0644, "o"), 0);
	assert_int_equal(manifest_add_file(&m, "/x", "/nonexistent/file", 0644, "o"), -ENOENT);
	assert_int_equal(manifest_add_file(&m, "/x", root, 0644, "o"), -EINVAL);

	const struct manifest_entry *e = manifest_find(&m, "/lib64");
	assert_non_null(e);
	assert_null(e->host);
	assert_string_equal(e->symlink, "lib");
	assert_null(manifest_find(&m, "/usr/bin"));
	/* 5 + 6 + 5: the symlink takes nothing */
	assert_int_equal(manifest_bytes(&m), 16);

	manifest_release(&m);
	assert_int_equal(m.n, 0);
	assert_int_equal(manifest_bytes(&m), 0);
	free(a);
	free(b);
	free(link);
}

/* Reads the header of the disk at path; returns the archive's length and
 * leaves the archive's bytes in a file of its own at out. */
static unsigned long long split_disk(const char *path, const char *out)
{
	struct strbuf disk = STRBUF_INIT;
	struct stat st;
	size_t magic = strlen(PAYLOAD_MAGIC);
	char *end;

	assert_int_equal(stat(path, &st), 0);
	assert_int_equal((unsigned long long)st.st_size, PAYLOAD_DISK_SIZE);
	/* sparse: far less than the disk's size is allocated */
	assert_true((unsigned long long)st.st_blocks * 512 < (8ull << 20));

	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	strbuf_grow(&disk, 1 << 20);
	ssize_t n = read(fd, disk.buf, 1 << 20);
	assert_true(n > (ssize_t)PAYLOAD_HEADER_SIZE);
	disk.len = (size_t)n;
	close(fd);

	assert_memory_equal(disk.buf, PAYLOAD_MAGIC, magic);
	unsigned long long len = strtoull(disk.buf + magic, &end, 10);
	assert_true(end > disk.buf + magic);
	assert_int_equal(*end, '\n');
	for (const char *z = end + 1; z < disk.buf + PAYLOAD_HEADER_SIZE; z++)
		assert_int_equal(*z, '\0');
	assert_true(PAYLOAD_HEADER_SIZE + len <= disk.len);
	const char *archive = disk.buf + PAYLOAD_HEADER_SIZE;
	/* the archive ends in the trailer, and nothing follows it */
	assert_memory_equal(archive + len - cpio_trailer_size(), "070701", 6);
	assert_string_equal(archive + len - cpio_trailer_size() + 110, "TRAILER!!!");
	for (size_t i = PAYLOAD_HEADER_SIZE + len; i < disk.len; i++)
		assert_int_equal(disk.buf[i], '\0');
	assert_int_equal(fs_write_atomic(out, archive, len), 0);
	strbuf_release(&disk);
	return len;
}

static void unpack(const char *archive, const char *dir)
{
	char *log = in_root("cpio.log");
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	char *argv[] = { "cpio", "-idm", "--quiet", "-D", (char *)dir, "-F", (char *)archive, NULL };

	assert_true(fd >= 0);
	assert_int_equal(fs_mkdirs(dir), 0);
	int st = child_run(argv, fd);
	close(fd);
	if (st) {
		struct strbuf out = STRBUF_INIT;
		strbuf_read_file(&out, log);
		fail_msg("cpio -idm: status %d: %s", st, out.buf);
	}
	free(log);
}

static void expect_file(const char *dir, const char *guest, const char *content, unsigned mode)
{
	struct strbuf p = STRBUF_INIT, got = STRBUF_INIT;
	struct stat st;

	strbuf_addf(&p, "%s%s", dir, guest);
	assert_int_equal(lstat(p.buf, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, mode);
	assert_int_equal(strbuf_read_file(&got, p.buf), 0);
	assert_string_equal(got.buf, content);
	strbuf_release(&p);
	strbuf_release(&got);
}

static void expect_node(const char *dir, const char *guest, const char *link, unsigned dir_mode)
{
	struct strbuf p = STRBUF_INIT;
	struct stat st;
	char target[256];

	strbuf_addf(&p, "%s%s", dir, guest);
	assert_int_equal(lstat(p.buf, &st), 0);
	if (link) {
		assert_true(S_ISLNK(st.st_mode));
		ssize_t n = readlink(p.buf, target, sizeof(target) - 1);
		assert_true(n > 0);
		target[n] = '\0';
		assert_string_equal(target, link);
	} else {
		assert_true(S_ISDIR(st.st_mode));
		assert_int_equal(st.st_mode & 07777, dir_mode);
	}
	strbuf_release(&p);
}

static void fill(struct manifest *m, const char *prog, const char *lib, const char *conf, int reverse)
{
	for (int k = 0; k < 4; k++) {
		switch (reverse ? 3 - k : k) {
		case 0: assert_int_equal(manifest_add_file(m, "/usr/local/bin/prog", prog, 0755, "cases/a.case:4"), 0); break;
		case 1: assert_int_equal(manifest_add_file(m, "/usr/lib/i386-linux-gnu/libz.so.1", lib, 0644, "package zlib1g"), 0); break;
		case 2: assert_int_equal(manifest_add_file(m, "/etc/prog/conf", conf, 0600, "cases/a.case:9"), 0); break;
		case 3: assert_int_equal(manifest_add_symlink(m, "/usr/lib/i386-linux-gnu/libz.so", "libz.so.1", "package zlib1g"), 0); break;
		}
	}
}

static void test_disk_round_trip(void **state)
{
	struct manifest m = MANIFEST_INIT, again = MANIFEST_INIT;
	struct strbuf err = STRBUF_INIT, one = STRBUF_INIT, two = STRBUF_INIT;
	char *prog = host_file("prog", "#!/bin/sh\necho hi\n", 18);
	char *lib = host_file("lib", "\177ELF....", 8);
	char *conf = host_file("conf", "x = 1\n", 6);
	char *disk = in_root("payload.disk"), *archive = in_root("archive.cpio");
	char *out = in_root("unpacked");
	(void)state;

	fill(&m, prog, lib, conf, 0);
	assert_int_equal(manifest_write_disk(&m, disk, &err), 0);
	assert_int_equal(err.len, 0);
	unsigned long long len = split_disk(disk, archive);
	unpack(archive, out);

	expect_file(out, "/usr/local/bin/prog", "#!/bin/sh\necho hi\n", 0755);
	expect_file(out, "/usr/lib/i386-linux-gnu/libz.so.1", "\177ELF....", 0644);
	expect_file(out, "/etc/prog/conf", "x = 1\n", 0600);
	expect_node(out, "/usr/lib/i386-linux-gnu/libz.so", "libz.so.1", 0);
	static const char *const dirs[] = { "/etc", "/etc/prog", "/usr", "/usr/lib", "/usr/lib/i386-linux-gnu",
					    "/usr/local", "/usr/local/bin" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		expect_node(out, dirs[i], NULL, 0755);

	/* the same entries added in another order: the same bytes */
	assert_int_equal(strbuf_read_file(&one, archive), 0);
	fill(&again, prog, lib, conf, 1);
	assert_int_equal(manifest_write_disk(&again, disk, &err), 0);
	assert_int_equal(split_disk(disk, archive), len);
	assert_int_equal(strbuf_read_file(&two, archive), 0);
	assert_int_equal(one.len, two.len);
	assert_memory_equal(one.buf, two.buf, one.len);
	/* no temporary file left behind */
	char *tmp = in_root("payload.disk.tmp");
	assert_int_equal(access(tmp, F_OK), -1);

	/* an empty manifest: the trailer alone */
	manifest_release(&m);
	assert_int_equal(manifest_write_disk(&m, disk, &err), 0);
	assert_int_equal(split_disk(disk, archive), cpio_trailer_size());

	free(tmp);
	manifest_release(&again);
	strbuf_release(&err);
	strbuf_release(&one);
	strbuf_release(&two);
	free(prog);
	free(lib);
	free(conf);
	free(disk);
	free(archive);
	free(out);
}

static void test_too_big(void **state)
{
	struct manifest m = MANIFEST_INIT;
	struct strbuf err = STRBUF_INIT;
	char *huge = in_root("huge"), *disk = in_root("big.disk"), *small = host_file("small", "s", 1);
	(void)state;

	/* a sparse host file exactly the disk's size: with the header it cannot fit */
	int fd = open(huge, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)PAYLOAD_DISK_SIZE), 0);
	close(fd);
	assert_int_equal(manifest_add_file(&m, "/small", small, 0644, "cases/s.case:2"), 0);
	assert_int_equal(manifest_add_file(&m, "/data/huge", huge, 0644, "cases/big.case:7"), 0);
	assert_int_equal(manifest_bytes(&m), PAYLOAD_DISK_SIZE + 1);
	assert_int_equal(manifest_write_disk(&m, disk, &err), -1);
	assert_non_null(strstr(err.buf, "more than the 1073737728 the payload disk holds"));
	assert_non_null(strstr(err.buf, "the largest is /data/huge (1073741824 bytes, from cases/big.case:7)"));
	/* nothing written */
	assert_int_equal(access(disk, F_OK), -1);
	strbuf_reset(&err);

	/* a directory that cannot be written to */
	manifest_release(&m);
	assert_int_equal(manifest_write_disk(&m, "/nonexistent/dir/x.disk", &err), -1);
	assert_non_null(strstr(err.buf, "/nonexistent/dir/x.disk.tmp: No such file or directory"));

	manifest_release(&m);
	strbuf_release(&err);
	free(huge);
	free(disk);
	free(small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_rules),
		cmocka_unit_test(test_disk_round_trip),
		cmocka_unit_test(test_too_big),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
