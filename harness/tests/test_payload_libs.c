/* Tests for payload/libs.c: a Debian cache made here from the ELF fixtures
 * (interpreters and libraries behind relative and absolute symlinks, a
 * library of the wrong arch first in the search order), programs resolved
 * into a manifest; a library the cache lacks fetched through stand-in
 * dpkg, apt-cache and apt-get on PATH (no network); paths resolved inside
 * a root, never on the host. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/child.h"
#include "lib/fs.h"
#include "lib/strbuf.h"
#include "payload/libs.h"
#include "payload/manifest.h"
#include "payload/pkgcache.h"

#define FIXTURE(name) "fixtures/payload/elf/" name

static char dir[] = "/tmp/oomtest-libs.XXXXXX";
static struct strbuf state = STRBUF_INIT;

static char *path_in(const char *fmt, const char *a)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/", dir);
	strbuf_addf(&p, fmt, a);
	return strbuf_detach(&p);
}

static void make_parent(const char *path)
{
	char *parent = xstrdup(path);
	*strrchr(parent, '/') = '\0';
	assert_int_equal(fs_mkdirs(parent), 0);
	free(parent);
}

static void put_text(const char *rel, const char *text, unsigned mode)
{
	char *p = path_in("%s", rel);
	make_parent(p);
	assert_int_equal(fs_write_atomic(p, text, strlen(text)), 0);
	assert_int_equal(chmod(p, mode), 0);
	free(p);
}

/* A fixture copied to dir/rel. */
static void put_copy(const char *rel, const char *fixture, unsigned mode)
{
	struct strbuf data = STRBUF_INIT;
	char *p = path_in("%s", rel);
	assert_int_equal(strbuf_read_file(&data, fixture), 0);
	make_parent(p);
	assert_int_equal(fs_write_atomic(p, data.buf, data.len), 0);
	assert_int_equal(chmod(p, mode), 0);
	strbuf_release(&data);
	free(p);
}

static void put_link(const char *rel, const char *target)
{
	char *p = path_in("%s", rel);
	make_parent(p);
	assert_int_equal(symlink(target, p), 0);
	free(p);
}

#define X86 "state/images/debian/x86_64/root"
#define I386 "state/images/debian/i386/root"

static int setup(void **unused)
{
	struct strbuf s = STRBUF_INIT, out = STRBUF_INIT;
	(void)unused;

	if (!mkdtemp(dir))
		return -1;
	strbuf_addf(&state, "%s/state", dir);
	/* x86_64: ld.so behind an absolute symlink, libdemo behind a relative
	 * one, an i386 libdemo.so.1 where ld.so looks first */
	put_copy(X86 "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", FIXTURE("stub-x86_64.so"), 0755);
	put_link(X86 "/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
	put_copy(X86 "/lib/x86_64-linux-gnu/libc.so.6", FIXTURE("libc-stub-x86_64.so"), 0644);
	put_copy(X86 "/lib/x86_64-linux-gnu/libdemo.so.1", FIXTURE("stub-i386.so"), 0644);
	put_copy(X86 "/usr/lib/x86_64-linux-gnu/libdemo.so.1.0.0", FIXTURE("libdemo-x86_64.so"), 0644);
	put_link(X86 "/usr/lib/x86_64-linux-gnu/libdemo.so.1", "libdemo.so.1.0.0");
	/* i386: ld.so behind a relative symlink that climbs with .. */
	put_copy(I386 "/lib/i386-linux-gnu/ld-linux.so.2", FIXTURE("stub-i386.so"), 0755);
	put_link(I386 "/lib/ld-linux.so.2", "../lib/./i386-linux-gnu/ld-linux.so.2");
	put_copy(I386 "/lib/i386-linux-gnu/libc.so.6", FIXTURE("stub-i386.so"), 0644);

	/* stand-ins for dpkg, apt-cache, apt-get: libnothere.so.7 is in the
	 * package libnothere7, which apt hands out as a .deb built here */
	put_text("bin/dpkg",
		 "#!/bin/sh\ncase \"$1\" in --print-architecture) echo amd64;;\n"
		 "-S) case \"$2\" in */libnothere.so.7) echo 'libnothere7:amd64: /usr/lib/x86_64-linux-gnu/libnothere.so.7';;\n"
		 "  *) echo \"dpkg-query: no path found matching pattern $2\"; exit 1;; esac;; esac\n", 0755);
	put_text("bin/apt-cache", "#!/bin/sh\nprintf 'libnothere7\\n'\n", 0755);
	put_text("bin/apt-get", "#!/bin/sh\nshift\nfor p in \"$@\"; do cp \"$FAKE_DIR/$p.deb\" .; done\n", 0755);
	put_text("tree/libnothere7/DEBIAN/control",
		 "Package: libnothere7\nVersion: 7.0-1\nArchitecture: amd64\nMaintainer: t <t@example.org>\nDescription: t\n",
		 0644);
	put_copy("tree/libnothere7/usr/lib/x86_64-linux-gnu/libnothere.so.7", FIXTURE("stub-x86_64.so"), 0644);
	char *tree = path_in("%s", "tree/libnothere7"), *deb = path_in("%s", "libnothere7.deb");
	char *argv[] = { "dpkg-deb", "--root-owner-group", "-Zgzip", "--build", tree, deb, NULL };
	if (child_run_capture(argv, dir, &out))
		fail_msg("dpkg-deb --build: %s", out.buf);
	free(tree);
	free(deb);
	/* libc6 is in the i386 cache already */
	put_text("state/images/debian/i386/lists/libc6", "Package: libc6\nVersion: 2.36-9\nArchitecture: i386\nDepends:\n\n",
		 0644);
	strbuf_addf(&s, "%s/bin:%s", dir, getenv("PATH"));
	setenv("PATH", s.buf, 1);
	setenv("FAKE_DIR", dir, 1);
	strbuf_release(&s);
	strbuf_release(&out);
	return 0;
}

static int teardown(void **unused)
{
	(void)unused;
	strbuf_release(&state);
	return fs_remove_tree(dir);
}

static void expect_entry(const struct manifest *m, const char *guest, const char *host_rel, unsigned mode)
{
	const struct manifest_entry *e = manifest_find(m, guest);
	char *host = path_in("%s", host_rel);

	if (!e)
		fail_msg("no %s in the manifest", guest);
	assert_string_equal(e->host, host);
	assert_int_equal(e->mode, mode);
	assert_string_equal(e->origin, "library of cases/x.case:4");
	free(host);
}

static int resolve(const char *arch, const char *program, struct manifest *m, struct strbuf *err)
{
	return libs_resolve(state.buf, dir, arch, program, m, "library of cases/x.case:4", err);
}

static void test_dynamic_x86_64(void **unused)
{
	struct manifest m = MANIFEST_INIT;
	struct strbuf err = STRBUF_INIT;
	(void)unused;

	if (resolve("x86_64", FIXTURE("usedemo-x86_64"), &m, &err))
		fail_msg("%s", err.buf);
	assert_int_equal(m.n, 3);
	/* the content of the file the chain ends at, inside the cache, at the path ld.so asks for */
	expect_entry(&m, "/lib64/ld-linux-x86-64.so.2", X86 "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", 0755);
	/* the i386 libdemo.so.1 in /lib/x86_64-linux-gnu is passed over */
	expect_entry(&m, "/usr/lib/x86_64-linux-gnu/libdemo.so.1", X86 "/usr/lib/x86_64-linux-gnu/libdemo.so.1.0.0",
		     0644);
	expect_entry(&m, "/lib/x86_64-linux-gnu/libc.so.6", X86 "/lib/x86_64-linux-gnu/libc.so.6", 0644);
	/* libc.so.6 needs ld-linux-x86-64.so.2: the interpreter, no second copy */
	assert_null(manifest_find(&m, "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"));
	/* again: nothing new, no error */
	assert_int_equal(resolve("x86_64", FIXTURE("hello-x86_64"), &m, &err), 0);
	assert_int_equal(m.n, 3);
	manifest_release(&m);
	strbuf_release(&err);
}

static void test_i386_static_script(void **unused)
{
	struct manifest m = MANIFEST_INIT;
	struct strbuf err = STRBUF_INIT;
	(void)unused;

	if (resolve("i386", FIXTURE("hello-i386"), &m, &err))
		fail_msg("%s", err.buf);
	assert_int_equal(m.n, 2);
	expect_entry(&m, "/lib/ld-linux.so.2", I386 "/lib/i386-linux-gnu/ld-linux.so.2", 0755);
	expect_entry(&m, "/lib/i386-linux-gnu/libc.so.6", I386 "/lib/i386-linux-gnu/libc.so.6", 0644);
	manifest_release(&m);

	/* static, a script, not a program: nothing needed */
	assert_int_equal(resolve("i386", FIXTURE("static-i386"), &m, &err), 0);
	assert_int_equal(resolve("i386", FIXTURE("script-sh"), &m, &err), 0);
	assert_int_equal(resolve("x86_64", FIXTURE("garbage"), &m, &err), 0);
	assert_int_equal(m.n, 0);

	/* another arch's program */
	assert_int_equal(resolve("i386", FIXTURE("hello-x86_64"), &m, &err), -1);
	assert_string_equal(err.buf, FIXTURE("hello-x86_64") ": ELF is x86-64, the target is i386");
	strbuf_reset(&err);
	assert_int_equal(resolve("i386", FIXTURE("truncated-elf"), &m, &err), -1);
	assert_non_null(strstr(err.buf, "malformed ELF file"));
	assert_int_equal(m.n, 0);
	strbuf_release(&err);
}

static void test_case_library_kept(void **unused)
{
	struct manifest m = MANIFEST_INIT;
	struct strbuf err = STRBUF_INIT;
	(void)unused;

	/* a case's own libdemo.so.1 in /usr/lib: the guest's ld.so finds it there */
	assert_int_equal(manifest_add_file(&m, "/usr/lib/libdemo.so.1", FIXTURE("libdemo-x86_64.so"), 0644, "cases/x.case:9"), 0);
	if (resolve("x86_64", FIXTURE("usedemo-x86_64"), &m, &err))
		fail_msg("%s", err.buf);
	assert_int_equal(m.n, 3);
	assert_null(manifest_find(&m, "/usr/lib/x86_64-linux-gnu/libdemo.so.1"));
	assert_string_equal(manifest_find(&m, "/usr/lib/libdemo.so.1")->origin, "cases/x.case:9");
	/* and its own needs are resolved: libc.so.6 */
	assert_non_null(manifest_find(&m, "/lib/x86_64-linux-gnu/libc.so.6"));
	manifest_release(&m);
	strbuf_release(&err);
}

static void test_fetched_when_missing(void **unused)
{
	struct manifest m = MANIFEST_INIT;
	struct strbuf err = STRBUF_INIT;
	(void)unused;

	/* libnothere.so.7: not in the cache; dpkg -S names libnothere7, apt brings it */
	if (resolve("x86_64", FIXTURE("needs-missing-x86_64"), &m, &err))
		fail_msg("%s", err.buf);
	expect_entry(&m, "/usr/lib/x86_64-linux-gnu/libnothere.so.7", X86 "/usr/lib/x86_64-linux-gnu/libnothere.so.7",
		     0644);
	assert_int_equal(m.n, 3);
	manifest_release(&m);
	strbuf_release(&err);
}

static void test_unresolvable(void **unused)
{
	struct manifest m = MANIFEST_INIT;
	struct strbuf err = STRBUF_INIT;
	(void)unused;

	/* the library gone from the cache, its package's list still there */
	char *lib = path_in("%s/usr/lib/x86_64-linux-gnu/libnothere.so.7", X86);
	assert_int_equal(unlink(lib), 0);
	assert_int_equal(resolve("x86_64", FIXTURE("needs-missing-x86_64"), &m, &err), -1);
	assert_string_equal(err.buf, "library libnothere.so.7 (needed by " FIXTURE("needs-missing-x86_64")
				     ") cannot be resolved: the x86_64 package libnothere7 has no libnothere.so.7 in "
				     "/lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu, /lib or /usr/lib");
	strbuf_reset(&err);
	manifest_release(&m);

	/* the interpreter missing; the package glibc's are in (libc6,
	 * fetched) lacks it */
	char *ld = path_in("%s/lib/i386-linux-gnu/ld-linux.so.2", I386);
	assert_int_equal(unlink(ld), 0);
	assert_int_equal(resolve("i386", FIXTURE("hello-i386"), &m, &err), -1);
	assert_string_equal(err.buf, "the interpreter /lib/ld-linux.so.2 (of " FIXTURE("hello-i386")
				     ") cannot be resolved: the i386 package libc6 does not have it");
	free(ld);
	free(lib);
	manifest_release(&m);
	strbuf_release(&err);
}

static void test_path_in_root(void **unused)
{
	struct strbuf host = STRBUF_INIT;
	char *root = path_in("%s", X86);
	(void)unused;

	/* an absolute symlink stays inside the root (the host has that path too) */
	assert_int_equal(libs_path_in_root(root, "/lib64/ld-linux-x86-64.so.2", &host), 0);
	char *want = path_in("%s/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", X86);
	assert_string_equal(host.buf, want);
	free(want);
	strbuf_reset(&host);
	/* .. never above the root */
	assert_int_equal(libs_path_in_root(root, "/../../../lib/x86_64-linux-gnu/libc.so.6", &host), 0);
	want = path_in("%s/lib/x86_64-linux-gnu/libc.so.6", X86);
	assert_string_equal(host.buf, want);
	free(want);
	strbuf_reset(&host);
	assert_int_equal(libs_path_in_root(root, "/lib/nothing", &host), -ENOENT);
	assert_int_equal(libs_path_in_root(root, "/lib/x86_64-linux-gnu/libc.so.6/x", &host), -ENOTDIR);
	assert_int_equal(host.len, 0);
	/* a loop */
	put_link(X86 "/loop-a", "loop-b");
	put_link(X86 "/loop-b", "/loop-a");
	assert_int_equal(libs_path_in_root(root, "/loop-a", &host), -ELOOP);
	/* a symlink to a directory on the way */
	put_link(X86 "/usr/lib64", "../lib64");
	assert_int_equal(libs_path_in_root(root, "/usr/lib64/ld-linux-x86-64.so.2", &host), 0);
	want = path_in("%s/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", X86);
	assert_string_equal(host.buf, want);
	free(want);
	free(root);
	strbuf_release(&host);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dynamic_x86_64),
		cmocka_unit_test(test_i386_static_script),
		cmocka_unit_test(test_case_library_kept),
		cmocka_unit_test(test_fetched_when_missing),
		cmocka_unit_test(test_unresolvable),
		cmocka_unit_test(test_path_in_root),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
