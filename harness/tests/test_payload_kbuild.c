/* Tests for payload/kbuild.c: which files are sources, the cache key (the
 * sources' paths and contents and the target's identity), the first error
 * line of real build logs (fixtures/kbuild-logs: failed builds against Debian's
 * 6.1 and 6.12 headers, paths rewritten), and kbuild_module itself against
 * a fake kernel build directory whose Makefile copies a source to NAME.ko
 * and counts its runs: caching, failures, two builds at once. With fetched
 * targets (build/images/targets.list) one module is also built for real. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/child.h"
#include "lib/fs.h"
#include "lib/strbuf.h"
#include "payload/kbuild.h"
#include "target/target.h"

static char root[] = "/tmp/oomtest-kbuild.XXXXXX";
static struct target fake;

static char *path_in(const char *rel)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/%s", root, rel);
	return strbuf_detach(&p);
}

static void put(const char *rel, const char *text)
{
	char *p = path_in(rel);
	char *slash = strrchr(p, '/');

	*slash = '\0';
	assert_int_equal(fs_mkdirs(p), 0);
	*slash = '/';
	assert_int_equal(fs_write_atomic(p, text, strlen(text)), 0);
	free(p);
}

static void drop(const char *rel)
{
	char *p = path_in(rel);
	assert_int_equal(unlink(p), 0);
	free(p);
}

static char *get(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	if (strbuf_read_file(&sb, path))
		return NULL;
	return strbuf_detach(&sb);
}

static void assert_file(const char *path, const char *want)
{
	char *text = get(path);
	assert_non_null(text);
	assert_string_equal(text, want);
	free(text);
}

/* A kernel build directory as far as kbuild is concerned: `make -C KDIR
 * M=DIR modules` runs this Makefile. It notes each run in KDIR/runs, fails
 * as a compiler would when the sources hold a file named "fail", and makes
 * NAME.ko from NAME.c (OUT.ko when the sources name another in "out").
 * KDIR/vars holds the toolchain variables of its last run. */
static const char fake_makefile[] =
	"modules:\n"
	"\t@echo run >> $(CURDIR)/runs\n"
	"\t@echo '$(ARCH)|$(CROSS_COMPILE)|$(LLVM)' > $(CURDIR)/vars\n"
	"\t@if [ -f $(M)/slow ]; then sleep 0.3; fi\n"
	"\t@if [ -f $(M)/fail ]; then echo \"$(M)/foo.c: In function 'f':\" >&2; "
	"echo \"$(M)/foo.c:3:1: error: expected ';' before '}' token\" >&2; exit 1; fi\n"
	"\t@out=foo; if [ -f $(M)/out ]; then out=$$(cat $(M)/out); fi; cp $(M)/foo.c $(M)/$$out.ko\n";

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(root))
		return -1;
	put("kdir/Makefile", fake_makefile);
	put("kdir/Module.symvers", "0x12345678\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n");
	put("vmlinux", "not really a kernel\n");
	put("src/Kbuild", "obj-m := foo.o\n");
	put("src/foo.c", "int foo;\n");
	put("src/include/foo.h", "extern int foo;\n");
	fake.name = "fake";
	fake.arch = "x86_64";
	fake.kdir = path_in("kdir");
	fake.kernel = path_in("vmlinux");
	return 0;
}

static int teardown(void **state)
{
	char *rm[] = { "rm", "-rf", root, NULL };

	(void)state;
	free(fake.kdir);
	free(fake.kernel);
	return child_run(rm, -1);
}

static uint64_t key_of(const char *src_rel)
{
	char *src = path_in(src_rel);
	struct strbuf err = STRBUF_INIT;
	uint64_t key = 0;

	assert_int_equal(kbuild_key(src, &fake, &key, &err), 0);
	assert_int_equal(err.len, 0);
	strbuf_release(&err);
	free(src);
	return key;
}

static void test_skipped_names(void **state)
{
	static const char *const outputs[] = { "foo.o", "foo.ko", "foo.mod", "foo.mod.c", "foo.mod.o",
		".foo.o.cmd", ".module-common.o", ".foo.o.d", "Module.symvers", "modules.order" };
	static const char *const sources[] = { "foo.c", "foo.h", "Kbuild", "Makefile", "foo.S",
		"modules.c", "README.cmd", ".clang-format", "module.lds" };

	(void)state;
	for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++)
		assert_true(kbuild_is_skipped(outputs[i], 0));
	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		assert_false(kbuild_is_skipped(sources[i], 0));
	assert_true(kbuild_is_skipped(".git", 1));
	assert_true(kbuild_is_skipped(".tmp_versions", 1));
	assert_false(kbuild_is_skipped("include", 1));
	/* a directory is not an output for its name alone */
	assert_false(kbuild_is_skipped("foo.o", 1));
}

static void test_key_follows_sources(void **state)
{
	uint64_t first = key_of("src");

	(void)state;
	assert_true(first == key_of("src"));
	/* what a build leaves in the directory is no source */
	put("src/foo.o", "ELF");
	put("src/foo.ko", "ELF");
	put("src/foo.mod.c", "/* generated */");
	put("src/.foo.o.cmd", "cmd_foo.o := gcc");
	put("src/Module.symvers", "");
	put("src/modules.order", "foo.ko\n");
	put("src/.tmp_versions/foo.mod", "foo.ko\n");
	put("src/.git/HEAD", "ref: refs/heads/main\n");
	assert_true(first == key_of("src"));

	put("src/foo.c", "int foo = 1;\n");
	assert_true(key_of("src") != first);
	put("src/foo.c", "int foo;\n");
	assert_true(key_of("src") == first);

	/* a header in a subdirectory counts, by its path too */
	put("src/include/foo.h", "extern int foo; /* */\n");
	assert_true(key_of("src") != first);
	put("src/include/foo.h", "extern int foo;\n");
	assert_true(key_of("src") == first);
	put("src/include/bar.h", "");
	assert_true(key_of("src") != first);
	drop("src/include/bar.h");
	assert_true(key_of("src") == first);

	/* the same files elsewhere: the key is of contents, not location */
	put("copy/Kbuild", "obj-m := foo.o\n");
	put("copy/foo.c", "int foo;\n");
	put("copy/include/foo.h", "extern int foo;\n");
	assert_true(key_of("copy") == first);
	put("moved/Kbuild", "obj-m := foo.o\n");
	put("moved/foo.c", "int foo;\n");
	put("moved/foo.h", "extern int foo;\n");
	assert_true(key_of("moved") != first);
}

static void test_key_follows_target(void **state)
{
	uint64_t first;
	struct timespec times[2] = { { 0, UTIME_OMIT }, { 1000000000, 0 } };

	(void)state;
	first = key_of("src");
	put("kdir/Module.symvers", "0x87654321\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n");
	assert_true(key_of("src") != first);
	put("kdir/Module.symvers", "0x12345678\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n");
	assert_true(key_of("src") == first);

	/* a rebuilt kernel image: same release, another mtime */
	assert_int_equal(utimensat(AT_FDCWD, fake.kernel, times, 0), 0);
	assert_true(key_of("src") != first);

	fake.arch = "i386";
	uint64_t i386_key = key_of("src");
	fake.arch = "x86_64";
	assert_true(i386_key != key_of("src"));
}

static void test_key_errors(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct target t = fake;
	char *src = path_in("src"), *none = path_in("none"), *empty = path_in("empty");
	uint64_t key;

	(void)state;
	assert_int_equal(kbuild_key(none, &fake, &key, &err), -1);
	assert_non_null(strstr(err.buf, "not a directory"));
	strbuf_reset(&err);
	assert_int_equal(fs_mkdirs(empty), 0);
	t.kdir = empty;
	assert_int_equal(kbuild_key(src, &t, &key, &err), -1);
	assert_non_null(strstr(err.buf, "/Module.symvers missing: build the kernel's modules first"));
	strbuf_release(&err);
	free(src);
	free(none);
	free(empty);
}

static const char *const fixtures[] = {
	"6.1-amd64-undeclared.log", "6.12-amd64-undeclared.log", "6.12-amd64-missing-header.log",
	"6.1-686-modpost-undefined.log", "6.1-amd64-no-rule.log",
};

/* The directory a fixture's build ran in, as its log names it: the path
 * ending in user-modules/.NAME-HASH.XXXXXX */
static char *build_dir_of(const char *log)
{
	const char *p = strstr(log, "/user-modules/."), *start = p;

	assert_non_null(p);
	while (start > log && !strchr(" ['\n", start[-1]))
		start--;
	return xstrndup(start, (size_t)(p - start) + 15 + strcspn(p + 15, "/"));
}

static void test_first_error_of_real_logs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		struct strbuf log = STRBUF_INIT, want = STRBUF_INIT, path = STRBUF_INIT, got = STRBUF_INIT;

		strbuf_addf(&path, "fixtures/kbuild-logs/%s", fixtures[i]);
		assert_int_equal(strbuf_read_file(&log, path.buf), 0);
		strbuf_addstr(&path, ".first");
		assert_int_equal(strbuf_read_file(&want, path.buf), 0);
		strbuf_rtrim(&want);
		char *dir = build_dir_of(log.buf);
		kbuild_first_error(log.buf, log.len, dir, &got);
		assert_string_equal(got.buf, want.buf);
		free(dir);
		strbuf_release(&log);
		strbuf_release(&want);
		strbuf_release(&path);
		strbuf_release(&got);
	}
}

/* log: a string literal, NULs and all */
#define first_error_is(log, dir, want) first_error_is_n(log, sizeof(log) - 1, dir, want)
static void first_error_is_n(const char *log, size_t len, const char *dir, const char *want)
{
	struct strbuf got = STRBUF_INIT;

	strbuf_addstr(&got, "> ");
	kbuild_first_error(log, len, dir, &got);
	assert_int_equal(got.len, strlen(got.buf));
	assert_string_equal(got.buf + 2, want);
	strbuf_release(&got);
}

static void test_first_error_edges(void **state)
{
	(void)state;
	first_error_is("", NULL, "the build printed nothing");
	first_error_is("\n  \n\t\r\n", "/b", "the build printed nothing");
	/* nothing that says error: the first line that says anything */
	first_error_is("\n  Skipping BTF generation for /b/x.ko\r\nnext\n", "/b",
		       "Skipping BTF generation for x.ko");
	/* -Werror: is a flag, not a diagnostic; the last line has no newline */
	first_error_is("cc: note: -Werror: x\n/b/x.c:1:1: error: bad", "/b", "x.c:1:1: error: bad");
	first_error_is("cc1: error: unrecognized command-line option\r\n", "/b",
		       "cc1: error: unrecognized command-line option");
	/* the compiler before make, wherever they come */
	first_error_is("make: *** [x] Error 1\n/b/a.c:2:3: error: late\n", "/b", "a.c:2:3: error: late");
	/* a prefix only counts followed by '/' */
	first_error_is("/bx/a.c:1:1: error: e\n", "/b", "/bx/a.c:1:1: error: e");
	/* a line that is the build directory alone says nothing */
	first_error_is("/b/\nreal words\n", "/b", "real words");
	/* control bytes, a NUL among them, become blanks */
	first_error_is("a.c:1: error: x\0y\x1b[0m\t\n", "/b", "a.c:1: error: x y [0m");
}

static void test_first_error_cut(void **state)
{
	struct strbuf log = STRBUF_INIT, got = STRBUF_INIT;

	(void)state;
	/* 17 bytes, then é (two bytes) after é: the 400th byte is inside one */
	strbuf_addstr(&log, "ab.c:1:1: error: ");
	for (int i = 0; i < 300; i++)
		strbuf_addstr(&log, "\xc3\xa9");
	kbuild_first_error(log.buf, log.len, NULL, &got);
	assert_int_equal(got.len, 399 + 3);
	assert_string_equal(got.buf + 399, "...");
	/* cut between characters: the byte before "..." ends an é */
	assert_int_equal((unsigned char)got.buf[got.len - 4], 0xa9);
	assert_int_equal(memcmp(got.buf, "ab.c:1:1: error: \xc3\xa9", 19), 0);
	strbuf_release(&log);
	strbuf_release(&got);
}

static int runs(void)
{
	char *p = path_in("kdir/runs"), *text = get(p);
	int n = 0;

	for (const char *s = text; s && (s = strstr(s, "run\n")); s += 4)
		n++;
	free(text);
	free(p);
	return n;
}

/* The entries of state/targets/fake/user-modules whose names start with
 * a dot: temporary build directories left behind. */
static int leftovers(const char *state)
{
	struct strbuf dir = STRBUF_INIT;
	struct dirent *de;
	DIR *d;
	int n = 0;

	strbuf_addf(&dir, "%s/targets/fake/user-modules", state);
	d = opendir(dir.buf);
	assert_non_null(d);
	while ((de = readdir(d)))
		n += de->d_name[0] == '.' && strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	strbuf_release(&dir);
	return n;
}

static void test_build_and_cache(void **state)
{
	char *st = path_in("state1"), *src = path_in("src");
	struct strbuf ko = STRBUF_INIT, again = STRBUF_INIT, err = STRBUF_INIT, want = STRBUF_INIT;
	int before = runs();

	(void)state;
	assert_int_equal(kbuild_module(st, &fake, src, "foo", &ko, &err), 0);
	assert_string_equal(err.buf, "");
	assert_int_equal(runs(), before + 1);
	strbuf_addf(&want, "%s/targets/fake/user-modules/foo-%016llx/foo.ko", st,
		    (unsigned long long)key_of("src"));
	assert_string_equal(ko.buf, want.buf);
	assert_file(ko.buf, "int foo;\n");
	/* the sources were copied with their tree */
	strbuf_reset(&want);
	strbuf_addf(&want, "%.*s/include/foo.h", (int)(strrchr(ko.buf, '/') - ko.buf), ko.buf);
	assert_file(want.buf, "extern int foo;\n");

	assert_int_equal(kbuild_module(st, &fake, src, "foo", &again, &err), 0);
	assert_int_equal(runs(), before + 1);
	assert_string_equal(again.buf, ko.buf);
	assert_int_equal(leftovers(st), 0);

	/* what a build killed midway left: removed once old, not while fresh */
	struct strbuf stale = STRBUF_INIT, fresh = STRBUF_INIT;
	struct timespec old[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	strbuf_addf(&stale, "%s/targets/fake/user-modules/.foo-%016llx.AAAAAA", st, (unsigned long long)key_of("src"));
	strbuf_addf(&fresh, "%s/targets/fake/user-modules/.foo-%016llx.BBBBBB", st, (unsigned long long)key_of("src"));
	assert_int_equal(fs_mkdirs(stale.buf), 0);
	assert_int_equal(fs_mkdirs(fresh.buf), 0);
	assert_int_equal(utimensat(AT_FDCWD, stale.buf, old, 0), 0);
	/* only a build looks: the cached answer leaves them be */
	assert_int_equal(kbuild_module(st, &fake, src, "foo", &again, &err), 0);
	assert_int_equal(leftovers(st), 2);
	assert_int_equal(unlink(ko.buf), 0);
	assert_int_equal(kbuild_module(st, &fake, src, "foo", &again, &err), 0);
	assert_int_equal(runs(), before + 2);
	assert_int_equal(access(stale.buf, F_OK), -1);
	assert_int_equal(access(fresh.buf, F_OK), 0);
	assert_int_equal(access(ko.buf, F_OK), 0);
	assert_int_equal(rmdir(fresh.buf), 0);
	strbuf_release(&stale);
	strbuf_release(&fresh);

	/* changed sources: another build beside the first */
	put("src/foo.c", "int foo = 2;\n");
	strbuf_reset(&again);
	assert_int_equal(kbuild_module(st, &fake, src, "foo", &again, &err), 0);
	assert_int_equal(runs(), before + 3);
	assert_string_not_equal(again.buf, ko.buf);
	assert_int_equal(access(ko.buf, F_OK), 0);
	put("src/foo.c", "int foo;\n");

	free(st);
	free(src);
	strbuf_release(&ko);
	strbuf_release(&again);
	strbuf_release(&err);
	strbuf_release(&want);
}

static void test_build_failure(void **state)
{
	char *st = path_in("state2"), *src = path_in("src"), *text;
	struct strbuf ko = STRBUF_INIT, err = STRBUF_INIT, want = STRBUF_INIT, log = STRBUF_INIT;
	int before = runs();

	(void)state;
	put("src/fail", "");
	assert_int_equal(kbuild_module(st, &fake, src, "foo", &ko, &err), -1);
	assert_int_equal(ko.len, 0);
	strbuf_addf(&log, "%s/targets/fake/user-modules/foo-%016llx.build.log", st,
		    (unsigned long long)key_of("src"));
	strbuf_addf(&want, "building foo for fake failed: foo.c:3:1: error: expected ';' before '}' token "
		    "(full log: %s)", log.buf);
	assert_string_equal(err.buf, want.buf);
	text = get(log.buf);
	assert_non_null(text);
	assert_non_null(strstr(text, "In function 'f':"));
	free(text);
	assert_int_equal(leftovers(st), 0);
	/* a failure is not cached: the next call tries again */
	strbuf_reset(&err);
	assert_int_equal(kbuild_module(st, &fake, src, "foo", &ko, &err), -1);
	assert_int_equal(runs(), before + 2);

	drop("src/fail");
	free(st);
	free(src);
	strbuf_release(&ko);
	strbuf_release(&err);
	strbuf_release(&want);
	strbuf_release(&log);
}

static void test_refusals(void **state)
{
	char *st = path_in("state3"), *src = path_in("src"), *nokbuild = path_in("nokbuild");
	struct strbuf ko = STRBUF_INIT, err = STRBUF_INIT;
	struct target t = fake;
	int before = runs();

	(void)state;
	/* built, but obj-m names another module */
	put("src/out", "bar");
	assert_int_equal(kbuild_module(st, &fake, src, "foo", &ko, &err), -1);
	assert_non_null(strstr(err.buf, "failed: the build made no foo.ko (it made: bar.ko; "));
	drop("src/out");

	strbuf_reset(&err);
	assert_int_equal(kbuild_module(st, &fake, src, "../foo", &ko, &err), -1);
	assert_non_null(strstr(err.buf, "../foo: not a module name"));
	strbuf_reset(&err);
	put("nokbuild/foo.c", "int foo;\n");
	assert_int_equal(kbuild_module(st, &fake, nokbuild, "foo", &ko, &err), -1);
	assert_non_null(strstr(err.buf, "no Kbuild or Makefile"));
	strbuf_reset(&err);
	t.kdir = src;
	assert_int_equal(kbuild_module(st, &t, src, "foo", &ko, &err), -1);
	assert_non_null(strstr(err.buf, "not a kernel build directory (no Makefile)"));
	assert_int_equal(runs(), before + 1);
	assert_int_equal(ko.len, 0);
	free(st);
	free(src);
	free(nokbuild);
	strbuf_release(&ko);
	strbuf_release(&err);
}

/* Two processes build the same module at once: both get it, from one
 * cache directory, and nothing temporary is left. */
static void test_two_builds_at_once(void **state)
{
	char *st = path_in("state4"), *src = path_in("src");
	struct strbuf want = STRBUF_INIT;
	int pipes[2][2];
	pid_t pids[2];

	(void)state;
	put("src/slow", "");
	strbuf_addf(&want, "%s/targets/fake/user-modules/foo-%016llx/foo.ko", st,
		    (unsigned long long)key_of("src"));
	for (int i = 0; i < 2; i++) {
		assert_int_equal(pipe(pipes[i]), 0);
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (!pids[i]) {
			struct strbuf ko = STRBUF_INIT, err = STRBUF_INIT;
			int r = kbuild_module(st, &fake, src, "foo", &ko, &err);

			(void)!write(pipes[i][1], r ? err.buf : ko.buf, r ? err.len : ko.len);
			_exit(r ? 1 : 0);
		}
		close(pipes[i][1]);
	}
	for (int i = 0; i < 2; i++) {
		struct strbuf said = STRBUF_INIT;
		char buf[4096];
		ssize_t n;
		int status;

		/* all the child wrote, to its end (a signal may cut a read short) */
		while ((n = read(pipes[i][0], buf, sizeof(buf))) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				fail_msg("builder %d: read: %s", i, strerror(errno));
			strbuf_add(&said, buf, (size_t)n);
		}
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		if (status != 0 || strcmp(said.buf, want.buf))
			fail_msg("builder %d: wait status %#x, said '%s'", i, status, said.buf);
		strbuf_release(&said);
		close(pipes[i][0]);
	}
	assert_int_equal(leftovers(st), 0);
	assert_file(want.buf, "int foo;\n");
	drop("src/slow");
	free(st);
	free(src);
	strbuf_release(&want);
}

/* the toolchain (target/toolchain.c) reaches make: ARCH and CROSS_COMPILE
 * for a foreign arch, LLVM=1 for a kernel clang built (the host's cross
 * gcc and LLVM tools are the project's build dependencies) */
static void built_with(char *arch, const char *state_dir, const char *want)
{
	char *st = path_in(state_dir), *src = path_in("src"), *vars = path_in("kdir/vars"), *got;
	struct strbuf ko = STRBUF_INIT, err = STRBUF_INIT;

	fake.arch = arch;
	assert_int_equal(kbuild_module(st, &fake, src, "foo", &ko, &err), 0);
	fake.arch = "x86_64";
	got = get(vars);
	assert_string_equal(got, want);
	free(got);
	free(st);
	free(src);
	free(vars);
	strbuf_release(&ko);
	strbuf_release(&err);
}

static void test_toolchain_reaches_make(void **state)
{
	(void)state;
	built_with("x86_64", "state-tc-native", "||\n");
	built_with("arm64", "state-tc-cross", "arm64|aarch64-linux-gnu-|\n");
	put("kdir/.config", "CONFIG_CC_IS_CLANG=y\n");
	built_with("x86_64", "state-tc-clang", "||1\n");
	built_with("arm64", "state-tc-clang-cross", "arm64||1\n");
	drop("kdir/.config");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_skipped_names),
		cmocka_unit_test(test_key_follows_sources),
		cmocka_unit_test(test_key_follows_target),
		cmocka_unit_test(test_key_errors),
		cmocka_unit_test(test_first_error_of_real_logs),
		cmocka_unit_test(test_first_error_edges),
		cmocka_unit_test(test_first_error_cut),
		cmocka_unit_test(test_build_and_cache),
		cmocka_unit_test(test_build_failure),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_two_builds_at_once),
		cmocka_unit_test(test_toolchain_reaches_make),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
