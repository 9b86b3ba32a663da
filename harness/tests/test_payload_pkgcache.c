/* Tests for payload/pkgcache.c: list files written and read back, tool
 * output captured, apt's errors picked out, .debs (built here with
 * dpkg-deb --build) read and unpacked into a shared root, the lock held
 * against another process, trees removed. */
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
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/child.h"
#include "lib/fs.h"
#include "lib/strbuf.h"
#include "payload/pkgcache.h"

static char dir[] = "/tmp/oomtest-pkgcache.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return fs_remove_tree(dir);
}

static char *in_dir(const char *name)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/%s", dir, name);
	return strbuf_detach(&p);
}

static void write_file(const char *path, const char *text, unsigned mode)
{
	char *copy = xstrdup(path);
	*strrchr(copy, '/') = '\0';
	assert_int_equal(fs_mkdirs(copy), 0);
	free(copy);
	assert_int_equal(fs_write_atomic(path, text, strlen(text)), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static void test_list_round_trip(void **state)
{
	struct pkg_list l = { 0 }, back;
	char *path = in_dir("list");
	(void)state;

	l.name = xstrdup("stress-ng");
	l.version = xstrdup("0.15.06-2");
	l.arch = xstrdup("i386");
	pkg_list_add_depend(&l, "libc6");
	pkg_list_add_depend(&l, "zlib1g");
	pkg_list_add_depend(&l, "libc6");
	assert_int_equal(l.ndepends, 2);
	l.files = xcalloc(2, sizeof(char *));
	l.files[0] = xstrdup("/usr/bin/stress-ng");
	l.files[1] = xstrdup("/usr/share/doc/stress-ng/copyright");
	l.nfiles = 2;
	assert_int_equal(pkg_list_write(path, &l), 0);

	struct strbuf text = STRBUF_INIT;
	assert_int_equal(strbuf_read_file(&text, path), 0);
	assert_string_equal(text.buf, "Package: stress-ng\nVersion: 0.15.06-2\nArchitecture: i386\n"
				      "Depends: libc6 zlib1g\n\n/usr/bin/stress-ng\n/usr/share/doc/stress-ng/copyright\n");
	assert_int_equal(pkg_list_read(path, &back), 0);
	assert_string_equal(back.name, "stress-ng");
	assert_string_equal(back.version, "0.15.06-2");
	assert_string_equal(back.arch, "i386");
	assert_int_equal(back.ndepends, 2);
	assert_string_equal(back.depends[1], "zlib1g");
	assert_int_equal(back.nfiles, 2);
	assert_string_equal(back.files[0], "/usr/bin/stress-ng");
	pkg_list_release(&back);

	/* no dependencies, no files */
	pkg_list_release(&l);
	l.name = xstrdup("x");
	l.version = xstrdup("1");
	l.arch = xstrdup("all");
	assert_int_equal(pkg_list_write(path, &l), 0);
	assert_int_equal(pkg_list_read(path, &back), 0);
	assert_int_equal(back.ndepends, 0);
	assert_int_equal(back.nfiles, 0);
	pkg_list_release(&back);
	pkg_list_release(&l);

	/* not lists */
	assert_int_equal(fs_write_atomic(path, "Package: x\n/usr/bin/x\n", 22), 0);
	assert_int_equal(pkg_list_read(path, &back), -EINVAL);
	assert_int_equal(fs_write_atomic(path, "Version: 1\nArchitecture: all\n\n", 30), 0);
	assert_int_equal(pkg_list_read(path, &back), -EINVAL);
	assert_null(back.name);
	free(path);
	path = in_dir("no-such-list");
	assert_int_equal(pkg_list_read(path, &back), -ENOENT);
	strbuf_release(&text);
	free(path);
}

static void test_run(void **state)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, apt = STRBUF_INIT;
	(void)state;

	/* the C locale's words */
	static const char *const ls[] = { "ls", "/no/such/dir" };
	assert_true(pkg_run_c(ls, 2, dir, &out) > 0);
	assert_non_null(strstr(out.buf, "No such file or directory"));

	/* apt's errors, or all it said */
	assert_int_equal(strbuf_read_file(&apt, "fixtures/payload/apt/download-unknown.txt"), 0);
	pkg_add_apt_errors(&err, &apt);
	assert_string_equal(err.buf, "Unable to locate package nosuch:i386");
	strbuf_reset(&err);
	strbuf_reset(&apt);
	strbuf_addstr(&apt, "W: a warning\nE: first\nE: second\n");
	pkg_add_apt_errors(&err, &apt);
	assert_string_equal(err.buf, "first; second");
	strbuf_reset(&err);
	strbuf_reset(&apt);
	strbuf_addstr(&apt, "Segmentation fault\n");
	pkg_add_apt_errors(&err, &apt);
	assert_string_equal(err.buf, "Segmentation fault");
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&apt);
}

/* Builds NAME.deb from a tree with these files; returns its path. */
static char *build_deb(const char *name, const char *arch, const char *const *files, size_t n)
{
	struct strbuf tree = STRBUF_INIT, p = STRBUF_INIT, control = STRBUF_INIT, out = STRBUF_INIT;
	char *deb;

	strbuf_addf(&tree, "%s/tree-%s", dir, name);
	strbuf_addf(&p, "%s/DEBIAN/control", tree.buf);
	strbuf_addf(&control, "Package: %s\nVersion: 1:2.0-3\nArchitecture: %s\nMaintainer: t <t@example.org>\n"
			      "Description: test\n", name, arch);
	write_file(p.buf, control.buf, 0644);
	for (size_t i = 0; i < n; i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s%s", tree.buf, files[i]);
		write_file(p.buf, files[i], 0755);
	}
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/%s.deb", dir, name);
	deb = strbuf_detach(&p);
	char *argv[] = { "dpkg-deb", "--root-owner-group", "-Zgzip", "--build", tree.buf, deb, NULL };
	if (child_run_capture(argv, dir, &out))
		fail_msg("dpkg-deb --build: %s", out.buf);
	fs_remove_tree(tree.buf);
	strbuf_release(&tree);
	strbuf_release(&control);
	strbuf_release(&out);
	return deb;
}

static void test_deb_info_and_unpack(void **state)
{
	static const char *const one[] = { "/usr/bin/tool", "/usr/lib/i386-linux-gnu/libx.so.1.0",
					   "/usr/share/doc/one/copyright" };
	static const char *const two[] = { "/usr/bin/other" };
	char *deb1 = build_deb("one", "i386", one, 3), *deb2 = build_deb("two", "all", two, 1);
	char *root = in_dir("root"), *work = in_dir("unpack.tmp");
	struct pkg_list l = { 0 }, l2 = { 0 };
	struct strbuf err = STRBUF_INIT, p = STRBUF_INIT;
	struct stat st;
	(void)state;

	assert_int_equal(pkg_deb_info(deb1, &l, &err), 0);
	assert_string_equal(l.name, "one");
	assert_string_equal(l.version, "1:2.0-3");
	assert_string_equal(l.arch, "i386");
	assert_int_equal(pkg_unpack(deb1, root, work, &l, &err), 0);
	assert_int_equal(err.len, 0);
	assert_int_equal(l.nfiles, 3);
	assert_string_equal(l.files[0], "/usr/bin/tool");
	assert_string_equal(l.files[1], "/usr/lib/i386-linux-gnu/libx.so.1.0");
	assert_string_equal(l.files[2], "/usr/share/doc/one/copyright");
	strbuf_addf(&p, "%s/usr/bin/tool", root);
	assert_int_equal(stat(p.buf, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0755);
	assert_int_equal(access(work, F_OK), -1);

	/* a second package into the same directories */
	assert_int_equal(pkg_deb_info(deb2, &l2, &err), 0);
	assert_string_equal(l2.arch, "all");
	assert_int_equal(pkg_unpack(deb2, root, work, &l2, &err), 0);
	assert_int_equal(l2.nfiles, 1);
	assert_string_equal(l2.files[0], "/usr/bin/other");
	assert_int_equal(stat(p.buf, &st), 0);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/usr/bin/other", root);
	assert_int_equal(stat(p.buf, &st), 0);

	/* not a .deb */
	char *bogus = in_dir("bogus.deb");
	write_file(bogus, "not an archive", 0644);
	struct pkg_list l3 = { 0 };
	assert_int_equal(pkg_deb_info(bogus, &l3, &err), -1);
	assert_non_null(strstr(err.buf, "dpkg-deb --show failed"));
	assert_non_null(strstr(err.buf, "bogus.deb"));
	strbuf_reset(&err);
	assert_int_equal(pkg_unpack(bogus, root, work, &l3, &err), -1);
	assert_non_null(strstr(err.buf, "dpkg-deb -x failed"));
	assert_int_equal(l3.nfiles, 0);
	assert_int_equal(access(work, F_OK), -1);

	pkg_list_release(&l);
	pkg_list_release(&l2);
	pkg_list_release(&l3);
	strbuf_release(&err);
	strbuf_release(&p);
	free(deb1);
	free(deb2);
	free(bogus);
	free(root);
	free(work);
}

static void test_lock(void **state)
{
	char *path = in_dir("lock");
	int fd = pkg_lock(path);
	(void)state;

	assert_true(fd >= 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		int other = open(path, O_RDWR);
		/* 0: the lock is held by the parent, as it should be */
		_exit(other >= 0 && flock(other, LOCK_EX | LOCK_NB) && errno == EWOULDBLOCK ? 0 : 1);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fd);
	/* released: taken again at once */
	fd = pkg_lock(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(pkg_lock("/nonexistent/dir/lock"), -ENOENT);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_round_trip),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_deb_info_and_unpack),
		cmocka_unit_test(test_lock),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
