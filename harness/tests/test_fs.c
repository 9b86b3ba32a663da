/* Tests for fs.c: whole writes through a pipe that fills up, atomic files
 * that leave no temporary behind, mkdir -p. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fs.h"
#include "lib/strbuf.h"

static char root[] = "/tmp/oomtest-fs.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(root) ? 0 : -1;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	(void)state;
	return nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static char *path_in(const char *name)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/%s", root, name);
	return strbuf_detach(&p);
}

struct drain {
	int fd;
	struct strbuf got;
};

static void *drain_pipe(void *arg)
{
	struct drain *d = arg;
	char buf[4096];
	ssize_t n;

	usleep(20000); /* let the writer fill the pipe first */
	while ((n = read(d->fd, buf, sizeof(buf))) > 0)
		strbuf_add(&d->got, buf, (size_t)n);
	return NULL;
}

static void write_through_pipe(int nonblocking)
{
	int p[2];
	size_t len = 1 << 20;
	char *data = malloc(len);
	struct drain d = { 0, STRBUF_INIT };
	pthread_t th;

	for (size_t i = 0; i < len; i++)
		data[i] = (char)(i * 7 + i / 4096);
	assert_int_equal(pipe(p), 0);
	if (nonblocking)
		fcntl(p[1], F_SETFL, O_NONBLOCK);
	d.fd = p[0];
	assert_int_equal(pthread_create(&th, NULL, drain_pipe, &d), 0);
	assert_int_equal(fs_write_all(p[1], data, len), 0);
	close(p[1]);
	pthread_join(th, NULL);
	close(p[0]);
	assert_int_equal(d.got.len, len);
	assert_memory_equal(d.got.buf, data, len);
	strbuf_release(&d.got);
	free(data);
}

static void test_write_all_pipe(void **state)
{
	(void)state;
	write_through_pipe(0);
	write_through_pipe(1);
}

static void test_write_all_error(void **state)
{
	(void)state;
	int p[2];

	assert_int_equal(pipe(p), 0);
	close(p[0]);
	/* no reader: EPIPE (SIGPIPE ignored, as the harness does) */
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	assert_int_equal(fs_write_all(p[1], "x", 1), -EPIPE);
	signal(SIGPIPE, old);
	close(p[1]);
	assert_int_equal(fs_write_all(-1, "x", 1), -EBADF);
	assert_int_equal(fs_write_all(-1, "", 0), 0);
}

/* Only `want` is left in the directory: no temporary file. */
static void assert_only_file(const char *dir, const char *want)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int seen = 0;

	assert_non_null(d);
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (strcmp(de->d_name, want))
			fail_msg("left behind: %s", de->d_name);
		seen++;
	}
	closedir(d);
	assert_int_equal(seen, 1);
}

static void test_write_atomic(void **state)
{
	(void)state;
	char *dir = path_in("atomic"), *file = path_in("atomic/f.json");
	struct strbuf sb = STRBUF_INIT;
	struct stat before, after;

	assert_int_equal(fs_mkdirs(dir), 0);
	assert_int_equal(fs_write_atomic(file, "first\n", 6), 0);
	assert_int_equal(strbuf_read_file(&sb, file), 0);
	assert_string_equal(sb.buf, "first\n");
	assert_only_file(dir, "f.json");
	assert_int_equal(stat(file, &before), 0);
	assert_int_equal(before.st_mode & 0777, 0644);

	/* a reader holding the old file keeps the old bytes: it was replaced, not rewritten */
	int old = open(file, O_RDONLY);
	assert_true(old >= 0);
	assert_int_equal(fs_write_atomic(file, "second, longer\n", 15), 0);
	assert_int_equal(stat(file, &after), 0);
	assert_true(after.st_ino != before.st_ino);
	char buf[32] = "";
	assert_int_equal(read(old, buf, sizeof(buf) - 1), 6);
	assert_string_equal(buf, "first\n");
	close(old);
	strbuf_reset(&sb);
	assert_int_equal(strbuf_read_file(&sb, file), 0);
	assert_string_equal(sb.buf, "second, longer\n");
	assert_only_file(dir, "f.json");

	/* empty content is a file too */
	assert_int_equal(fs_write_atomic(file, "", 0), 0);
	assert_int_equal(stat(file, &after), 0);
	assert_int_equal(after.st_size, 0);
	assert_only_file(dir, "f.json");
	strbuf_release(&sb);
	free(dir);
	free(file);
}

static void test_write_atomic_error(void **state)
{
	(void)state;
	char *file = path_in("missing/dir/f");
	char *blocker = path_in("blocker");

	assert_int_equal(fs_write_atomic(file, "x", 1), -ENOENT);
	/* the target is a directory: the rename fails and the temporary goes */
	assert_int_equal(fs_mkdirs(blocker), 0);
	char *inside = path_in("blocker/keep");
	assert_int_equal(fs_write_atomic(inside, "k", 1), 0);
	assert_true(fs_write_atomic(blocker, "x", 1) < 0);
	assert_only_file(blocker, "keep");
	struct stat st;
	assert_int_equal(stat(blocker, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	free(file);
	free(blocker);
	free(inside);
}

static void test_mkdirs(void **state)
{
	(void)state;
	char *deep = path_in("a/b/c/d"), *trailing = path_in("t/u/");
	char *file = path_in("plain"), *under_file = path_in("plain/sub/dir");
	struct stat st;

	assert_int_equal(fs_mkdirs(deep), 0);
	assert_int_equal(stat(deep, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	/* existing: fine, again */
	assert_int_equal(fs_mkdirs(deep), 0);
	assert_int_equal(fs_mkdirs(root), 0);
	assert_int_equal(fs_mkdirs(trailing), 0);
	assert_int_equal(stat(trailing, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	/* a file in the way */
	assert_int_equal(fs_write_atomic(file, "x", 1), 0);
	assert_int_equal(fs_mkdirs(under_file), -ENOTDIR);
	free(deep);
	free(trailing);
	free(file);
	free(under_file);
}

/* rm -rf, through a read-only directory too; gone already is fine */
static void test_remove_tree(void **state)
{
	char *top = path_in("tree"), *ro = path_in("tree/ro"), *file = path_in("tree/ro/f");
	(void)state;

	assert_int_equal(fs_mkdirs(ro), 0);
	assert_int_equal(fs_write_atomic(file, "x", 1), 0);
	assert_int_equal(chmod(file, 0444), 0);
	assert_int_equal(chmod(ro, 0555), 0);
	assert_int_equal(fs_remove_tree(top), 0);
	assert_int_equal(access(top, F_OK), -1);
	assert_int_equal(fs_remove_tree(top), 0);
	free(top);
	free(ro);
	free(file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_all_pipe),
		cmocka_unit_test(test_write_all_error),
		cmocka_unit_test(test_write_atomic),
		cmocka_unit_test(test_write_atomic_error),
		cmocka_unit_test(test_mkdirs),
		cmocka_unit_test(test_remove_tree),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
