/* Tests for payload/debian.c without the network: apt-cache, apt-get, dpkg
 * and images/apt-update.sh are stand-ins made here (first on PATH), that
 * print a dependency tree in apt's format, hand out .debs built here with
 * the real dpkg-deb, and log each call; dpkg-deb itself is the real one.
 * Checks what is fetched and unpacked, that a cached package costs no
 * tool, apt-update.sh once for a package apt does not know, Arch: all and
 * foreign-only packages, two processes sharing the cache, and the package
 * that ships a library. */
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
#include <sys/wait.h>
#include <unistd.h>

#include "lib/child.h"
#include "lib/fs.h"
#include "lib/strbuf.h"
#include "payload/debian.h"
#include "payload/pkgcache.h"

static char dir[] = "/tmp/oomtest-debian.XXXXXX";
static struct strbuf state = STRBUF_INIT, log_path = STRBUF_INIT, updated = STRBUF_INIT;

static void put(const char *name, const char *text, unsigned mode)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/%s", dir, name);
	char *parent = xstrdup(p.buf);
	*strrchr(parent, '/') = '\0';
	assert_int_equal(fs_mkdirs(parent), 0);
	assert_int_equal(fs_write_atomic(p.buf, text, strlen(text)), 0);
	assert_int_equal(chmod(p.buf, mode), 0);
	free(parent);
	strbuf_release(&p);
}

static void build_deb(const char *name, const char *arch, const char *const *files, size_t n)
{
	struct strbuf tree = STRBUF_INIT, deb = STRBUF_INIT, control = STRBUF_INIT, out = STRBUF_INIT, f = STRBUF_INIT;

	strbuf_addf(&control, "Package: %s\nVersion: 1:2.0-3\nArchitecture: %s\nMaintainer: t <t@example.org>\n"
			      "Description: test\n", name, arch);
	strbuf_addf(&f, "tree/%s/DEBIAN/control", name);
	put(f.buf, control.buf, 0644);
	for (size_t i = 0; i < n; i++) {
		strbuf_reset(&f);
		strbuf_addf(&f, "tree/%s%s", name, files[i]);
		put(f.buf, files[i], 0755);
	}
	strbuf_addf(&tree, "%s/tree/%s", dir, name);
	strbuf_addf(&deb, "%s/debs/%s.deb", dir, name);
	char *argv[] = { "dpkg-deb", "--root-owner-group", "-Zgzip", "--build", tree.buf, deb.buf, NULL };
	if (child_run_capture(argv, dir, &out))
		fail_msg("dpkg-deb --build: %s", out.buf);
	strbuf_release(&tree);
	strbuf_release(&deb);
	strbuf_release(&control);
	strbuf_release(&out);
	strbuf_release(&f);
}

/* Points the tests at another cache; back with the name given before. */
static void use_state(const char *name)
{
	strbuf_reset(&state);
	strbuf_addf(&state, "%s/%s", dir, name);
}

static const char graph[] =
	"prog:i386\n"
	"  Depends: libfoo1:i386\n"
	"  Depends: <data-common:i386>\n"
	"    data-common\n"
	"libfoo1:i386\n"
	"data-common\n"
	"<data-common:i386>\n"
	"amdonly\n"
	"<awk:i386>\n";

static int setup(void **unused)
{
	static const char *const prog[] = { "/usr/bin/prog", "/usr/lib/i386-linux-gnu/prog/plugin",
					    "/usr/share/doc/prog/copyright", "/usr/share/man/man1/prog.1.gz",
					    "/usr/share/locale/de/LC_MESSAGES/prog.mo" };
	static const char *const libfoo[] = { "/usr/lib/i386-linux-gnu/libfoo.so.1" };
	static const char *const data[] = { "/usr/share/data/x" };
	static const char *const late[] = { "/usr/bin/late" };
	static const char *const amdonly[] = { "/usr/bin/amdonly" };
	struct strbuf s = STRBUF_INIT;
	(void)unused;

	if (!mkdtemp(dir))
		return -1;
	put("debs/.keep", "", 0644);
	put("bin/apt-cache",
	    "#!/bin/sh\necho \"apt-cache $*\" >> \"$FAKE_LOG\"\n"
	    "cat \"$FAKE_DIR/graph\"\n[ -e \"$FAKE_UPDATED\" ] && cat \"$FAKE_DIR/graph-new\"\nexit 0\n", 0755);
	put("bin/apt-get",
	    "#!/bin/sh\necho \"apt-get $*\" >> \"$FAKE_LOG\"\n[ \"$1\" = download ] || exit 1\nshift\n"
	    "for p in \"$@\"; do b=${p%%:*}\n"
	    "  [ -f \"$FAKE_DIR/debs/$b.deb\" ] || { echo \"E: Unable to locate package $p\"; exit 100; }\n"
	    "  cp \"$FAKE_DIR/debs/$b.deb\" \"./${b}_2.0-3_x.deb\"\ndone\n", 0755);
	put("bin/dpkg",
	    "#!/bin/sh\necho \"dpkg $*\" >> \"$FAKE_LOG\"\n"
	    "case \"$1\" in --print-architecture) echo amd64;;\n"
	    "--print-foreign-architectures) cat \"$FAKE_DIR/foreign\";;\n"
	    "-S) cat \"$FAKE_DPKG_S\"; grep -q 'no path found' \"$FAKE_DPKG_S\" && exit 1;; esac\nexit 0\n", 0755);
	put("src/images/apt-update.sh", "#!/bin/sh\necho apt-update >> \"$FAKE_LOG\"\ntouch \"$FAKE_UPDATED\"\n", 0755);
	put("graph", graph, 0644);
	put("foreign", "i386\n", 0644);
	put("graph-new", "late:i386\n  Depends: libfoo1:i386\n", 0644);
	build_deb("prog", "i386", prog, 5);
	build_deb("libfoo1", "i386", libfoo, 1);
	build_deb("data-common", "all", data, 1);
	build_deb("late", "i386", late, 1);
	build_deb("amdonly", "amd64", amdonly, 1);

	strbuf_addf(&s, "%s/bin:%s", dir, getenv("PATH"));
	setenv("PATH", s.buf, 1);
	setenv("FAKE_DIR", dir, 1);
	strbuf_addf(&log_path, "%s/log", dir);
	setenv("FAKE_LOG", log_path.buf, 1);
	strbuf_addf(&updated, "%s/updated", dir);
	setenv("FAKE_UPDATED", updated.buf, 1);
	use_state("state");
	strbuf_release(&s);
	return 0;
}

static int teardown(void **unused)
{
	(void)unused;
	strbuf_release(&state);
	strbuf_release(&log_path);
	strbuf_release(&updated);
	return fs_remove_tree(dir);
}

/* The tools' calls since the last time, one per line; the log emptied. */
static char *take_log(void)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_read_file(&sb, log_path.buf);
	unlink(log_path.buf);
	return strbuf_detach(&sb);
}

static char *src_root(void)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s/src", dir);
	return strbuf_detach(&sb);
}

static int fetch(const char *arch, const char *name, struct strbuf *err)
{
	char *root = src_root();
	char *names[] = { (char *)name };
	int r = debian_fetch(state.buf, root, arch, names, 1, err);
	free(root);
	return r;
}

static void expect_in_cache(const char *arch, const char *path, int there)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/images/debian/%s/%s", state.buf, arch, path);
	if ((access(p.buf, F_OK) == 0) != there)
		fail_msg("%s is%s there", p.buf, there ? " not" : "");
	strbuf_release(&p);
}

static void test_fetch_closure(void **unused)
{
	struct strbuf err = STRBUF_INIT;
	char **v, *version;
	size_t n;
	(void)unused;

	char *names[] = { "prog" };
	assert_true(debian_fetch_needed(state.buf, "i386", names, 1));
	if (fetch("i386", "prog", &err))
		fail_msg("%s", err.buf);
	char *log = take_log();
	assert_string_equal(log,
			    "dpkg --print-architecture\n"
			    "apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks "
			    "--no-replaces --no-enhances prog:i386\n"
			    "apt-get download libfoo1:i386 data-common prog:i386\n");
	free(log);
	expect_in_cache("i386", "root/usr/bin/prog", 1);
	expect_in_cache("i386", "root/usr/lib/i386-linux-gnu/libfoo.so.1", 1);
	expect_in_cache("i386", "root/usr/share/data/x", 1);
	expect_in_cache("i386", "lists/libfoo1", 1);
	expect_in_cache("i386", "debs/prog_2.0-3_x.deb", 1);
	expect_in_cache("i386", "unpack.tmp", 0);
	char *root = debian_cache_root(state.buf, "i386");
	assert_true(strstr(root, "/images/debian/i386/root") != NULL);
	free(root);

	/* its files without documentation, sorted; its version */
	assert_int_equal(debian_package_files(state.buf, "i386", "prog", &v, &n, &version), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "/usr/bin/prog");
	assert_string_equal(v[1], "/usr/lib/i386-linux-gnu/prog/plugin");
	assert_string_equal(version, "1:2.0-3");
	debian_free_list(v, n);
	free(version);
	assert_int_equal(debian_package_files(state.buf, "i386", "late", &v, &n, &version), -ENOENT);
	assert_int_equal(debian_package_files(state.buf, "x86_64", "prog", &v, &n, &version), -ENOENT);

	assert_int_equal(debian_package_closure(state.buf, "i386", "prog", &v, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "prog");
	assert_string_equal(v[1], "libfoo1");
	assert_string_equal(v[2], "data-common");
	debian_free_list(v, n);
	assert_int_equal(debian_package_closure(state.buf, "i386", "late", &v, &n), -ENOENT);

	/* again: no tool runs at all */
	assert_false(debian_fetch_needed(state.buf, "i386", names, 1));
	assert_int_equal(fetch("i386", "prog", &err), 0);
	assert_int_equal(fetch("i386", "libfoo1", &err), 0);
	log = take_log();
	assert_string_equal(log, "");
	free(log);
	strbuf_release(&err);
}

static void test_fetch_after_update(void **unused)
{
	struct strbuf err = STRBUF_INIT;
	(void)unused;

	/* apt knows "late" only once its lists are updated; libfoo1 is cached */
	unlink(updated.buf);
	if (fetch("i386", "late", &err))
		fail_msg("%s", err.buf);
	char *log = take_log();
	assert_non_null(strstr(log, "\napt-update\n"));
	assert_non_null(strstr(log, "apt-get download late:i386\n"));
	assert_null(strstr(log, "libfoo1:i386\n"));
	free(log);
	expect_in_cache("i386", "root/usr/bin/late", 1);

	/* unknown even then: apt-update.sh ran once */
	unlink(updated.buf);
	assert_int_equal(fetch("i386", "nosuch", &err), -1);
	assert_string_equal(err.buf, "package 'nosuch' is not in Debian's archive for i386");
	log = take_log();
	assert_non_null(strstr(log, "dpkg --print-foreign-architectures\n"));
	assert_non_null(strstr(log, "apt-update"));
	assert_null(strstr(strstr(log, "apt-update") + 1, "apt-update"));
	assert_null(strstr(log, "apt-get"));
	free(log);
	strbuf_reset(&err);

	/* a host without the i386 architecture: said how to add it */
	put("foreign", "", 0644);
	assert_int_equal(fetch("i386", "nosuch", &err), -1);
	assert_string_equal(err.buf, "package 'nosuch' is not in Debian's archive for i386 (apt has no i386 "
				     "packages: dpkg --add-architecture i386; apt-get update)");
	put("foreign", "arm64\ni386\n", 0644);
	strbuf_reset(&err);

	assert_int_equal(fetch("i386", "awk", &err), -1);
	assert_string_equal(err.buf, "package 'awk' is a virtual package in Debian's archive for i386: "
				     "name a package that provides it");
	strbuf_reset(&err);
	free(take_log());
	strbuf_release(&err);
}

static void test_fetch_arches(void **unused)
{
	struct strbuf err = STRBUF_INIT;
	char **v, *version;
	size_t n;
	(void)unused;

	/* only built for amd64: refused for i386, nothing left of it */
	assert_int_equal(fetch("i386", "amdonly", &err), -1);
	assert_string_equal(err.buf, "package 'amdonly' is not in Debian's archive for i386 (only for amd64)");
	expect_in_cache("i386", "lists/amdonly", 0);
	expect_in_cache("i386", "root/usr/bin/amdonly", 0);
	strbuf_reset(&err);

	/* and taken for x86_64, the host's own arch: names unqualified */
	free(take_log());
	if (fetch("x86_64", "amdonly", &err))
		fail_msg("%s", err.buf);
	char *log = take_log();
	assert_non_null(strstr(log, "--no-enhances amdonly\n"));
	assert_non_null(strstr(log, "apt-get download amdonly\n"));
	free(log);
	expect_in_cache("x86_64", "root/usr/bin/amdonly", 1);

	/* Arch: all, named on its own for i386 (a cache without it):
	 * data-common:i386 is virtual, data-common is the package */
	use_state("state-all");
	free(take_log());
	if (fetch("i386", "data-common", &err))
		fail_msg("%s", err.buf);
	log = take_log();
	assert_non_null(strstr(log, "--no-enhances data-common:i386\n"));
	assert_non_null(strstr(log, "--no-enhances data-common\n"));
	assert_non_null(strstr(log, "apt-get download data-common\n"));
	assert_null(strstr(log, "apt-update"));
	free(log);
	assert_int_equal(debian_package_files(state.buf, "i386", "data-common", &v, &n, &version), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0], "/usr/share/data/x");
	debian_free_list(v, n);
	free(version);
	use_state("state");

	assert_int_equal(fetch("i386", "Bad_Name", &err), -1);
	assert_string_equal(err.buf, "'Bad_Name' is not a Debian package name");
	strbuf_reset(&err);
	assert_int_equal(fetch("sparc", "prog", &err), -1);
	assert_string_equal(err.buf, "no Debian architecture for the target arch 'sparc'");
	strbuf_release(&err);
}

static void test_two_processes(void **unused)
{
	struct strbuf err = STRBUF_INIT;
	(void)unused;

	/* a fresh cache, two fetches at once: one downloads, the other waits and finds it there */
	use_state("state-shared");
	free(take_log());
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (!pid)
		_exit(fetch("i386", "prog", &err) ? 1 : 0);
	int r = fetch("i386", "prog", &err);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(r, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	char *log = take_log();
	char *first = strstr(log, "apt-get download");
	assert_non_null(first);
	assert_null(strstr(first + 1, "apt-get download"));
	free(log);
	use_state("state");
	strbuf_release(&err);
}

static void owner(const char *fixture, const char *soname, const char *arch, const char *want)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	char *pkg, *cwd = getcwd(NULL, 0);

	strbuf_addf(&path, "%s/fixtures/payload/dpkg/%s", cwd, fixture);
	setenv("FAKE_DPKG_S", path.buf, 1);
	int r = debian_package_for_soname(soname, arch, &pkg, &err);
	if (want) {
		if (r)
			fail_msg("%s: %s", soname, err.buf);
		assert_string_equal(pkg, want);
		free(pkg);
	} else {
		assert_int_equal(r, -1);
		assert_null(pkg);
		struct strbuf expect = STRBUF_INIT;
		strbuf_addf(&expect, "library %s: the host's dpkg knows no Debian package that ships it for %s; "
				     "add the package that has it to `packages =`", soname, arch);
		assert_string_equal(err.buf, expect.buf);
		strbuf_release(&expect);
	}
	free(cwd);
	strbuf_release(&path);
	strbuf_release(&err);
}

static void test_package_for_soname(void **unused)
{
	struct strbuf err = STRBUF_INIT;
	char *pkg;
	(void)unused;

	owner("S-libz.so.1.txt", "libz.so.1", "i386", "zlib1g");
	owner("S-libstdc++.so.6.txt", "libstdc++.so.6", "i386", "libstdc++6");
	owner("S-ld-linux.so.2.txt", "ld-linux.so.2", "i386", "libc6");
	owner("S-libnothere.so.7.txt", "libnothere.so.7", "i386", NULL);
	/* glibc's own, even when the host's dpkg does not know them */
	owner("S-libnothere.so.7.txt", "libm.so.6", "x86_64", "libc6");
	char *log = take_log();
	assert_non_null(strstr(log, "dpkg -S */libz.so.1\n"));
	free(log);

	assert_int_equal(debian_package_for_soname("lib*.so", "i386", &pkg, &err), -1);
	assert_string_equal(err.buf, "'lib*.so' is not a library's name");
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fetch_closure),
		cmocka_unit_test(test_fetch_after_update),
		cmocka_unit_test(test_fetch_arches),
		cmocka_unit_test(test_two_processes),
		cmocka_unit_test(test_package_for_soname),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
