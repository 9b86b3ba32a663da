/* test_case_hostpath: a case's host paths made absolute from its
 * directory, and what is found at them. Run from harness/tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "case_test.h"
#include "case/hostpath.h"

static void check_path(const char *case_path, const char *spec, const char *want)
{
	char *got = case_host_path(case_path, spec);

	assert_string_equal(got, want);
	free(got);
}

static void test_host_path(void **state)
{
	char *cwd = getcwd(NULL, 0);
	struct strbuf want = STRBUF_INIT;

	(void)state;
	check_path("/c/d/t.case", "./x", "/c/d/x");
	check_path("/c/d/t.case", "x", "/c/d/x");
	check_path("/c/d/t.case", "sub/x", "/c/d/sub/x");
	check_path("/c/d/t.case", "./sub//./x/", "/c/d/sub/x");
	/* ".." is kept: the directory before it may be a symlink */
	check_path("/c/d/t.case", "../x", "/c/d/../x");
	check_path("/c/d/t.case", "x/..", "/c/d/x/..");
	check_path("/c/d/t.case", "${arch}/x", "/c/d/${arch}/x");
	/* absolute ones as they are, tidied */
	check_path("/c/d/t.case", "/abs/x", "/abs/x");
	check_path("/c/d/t.case", "//abs/./x//", "/abs/x");
	check_path("/c/d/t.case", "/", "/");
	check_path("/t.case", "./", "/");
	check_path("/t.case", "x", "/x");
	check_path("//c/./d/t.case", "x", "/c/d/x");

	/* a relative case path is taken from the working directory */
	strbuf_addf(&want, "%s/x", cwd);
	check_path("t.case", "./x", want.buf);
	check_path("./t.case", "x", want.buf);
	strbuf_reset(&want);
	strbuf_addf(&want, "%s/cases/sub/x", cwd);
	check_path("cases/t.case", "sub/x", want.buf);
	check_path("./cases/./t.case", "./sub/x", want.buf);
	strbuf_reset(&want);
	strbuf_addf(&want, "%s/../x", cwd);
	check_path("../t.case", "x", want.buf);
	strbuf_release(&want);
	free(cwd);
}

static void check_kind(const char *dir, const char *rel, enum host_kind want, int want_err)
{
	struct strbuf path = STRBUF_INIT;
	int err = -1;

	strbuf_addf(&path, "%s/%s", dir, rel);
	assert_int_equal(case_host_kind(path.buf, &err), want);
	assert_int_equal(err, want_err);
	strbuf_release(&path);
}

static void test_host_kind(void **state)
{
	char *dir = make_tmpdir();
	struct strbuf path = STRBUF_INIT, target = STRBUF_INIT;
	int err;

	(void)state;
	put_file(dir, "prog", "#!/bin/sh\n");
	put_file(dir, "sub/", NULL);
	strbuf_addf(&path, "%s/fifo", dir);
	assert_int_equal(mkfifo(path.buf, 0600), 0);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/link", dir);
	strbuf_addf(&target, "%s/prog", dir);
	assert_int_equal(symlink(target.buf, path.buf), 0);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/dangling", dir);
	assert_int_equal(symlink("nosuch", path.buf), 0);

	check_kind(dir, "prog", HOST_FILE, 0);
	check_kind(dir, "link", HOST_FILE, 0);
	check_kind(dir, "sub", HOST_DIR, 0);
	check_kind(dir, "sub/", HOST_DIR, 0);
	check_kind(dir, "nosuch", HOST_MISSING, 0);
	check_kind(dir, "dangling", HOST_MISSING, 0);
	check_kind(dir, "prog/x", HOST_MISSING, 0);	/* ENOTDIR */
	check_kind(dir, "fifo", HOST_SPECIAL, 0);
	assert_int_equal(case_host_kind("/dev/null", &err), HOST_SPECIAL);
	if (geteuid()) {	/* root reads anything */
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/prog", dir);
		assert_int_equal(chmod(path.buf, 0), 0);
		check_kind(dir, "prog", HOST_UNREADABLE, EACCES);
		check_kind(dir, "link", HOST_UNREADABLE, EACCES);
	}
	strbuf_release(&path);
	strbuf_release(&target);
	remove_tree(dir);
}

static void test_problem(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	case_host_problem(&sb, HOST_MISSING, 0, "/a/b");
	assert_string_equal(sb.buf, "no such file (/a/b)");
	strbuf_reset(&sb);
	case_host_problem(&sb, HOST_SPECIAL, 0, "/dev/null");
	assert_string_equal(sb.buf, "not a regular file (/dev/null)");
	strbuf_reset(&sb);
	case_host_problem(&sb, HOST_UNREADABLE, EACCES, "/a/b");
	assert_string_equal(sb.buf, "not readable (/a/b: Permission denied)");
	strbuf_reset(&sb);
	case_host_problem(&sb, HOST_UNKNOWN, ELOOP, "/a/b");
	assert_string_equal(sb.buf, "cannot be checked (/a/b: Too many levels of symbolic links)");
	strbuf_release(&sb);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(case_base_name("/a/b/prog"), "prog");
	assert_string_equal(case_base_name("./prog"), "prog");
	assert_string_equal(case_base_name("prog"), "prog");
	assert_string_equal(case_base_name("dir/"), "");
	assert_true(case_has_arch("./bin/${arch}/prog"));
	assert_true(case_has_arch("${arch}"));
	assert_false(case_has_arch("./bin/$arch/prog"));
	assert_false(case_has_arch("./bin/${ARCH}/prog"));
}

static void test_same_file(void **state)
{
	char *dir = make_tmpdir();
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT, l = STRBUF_INIT;

	(void)state;
	put_file(dir, "f", "x");
	put_file(dir, "g", "x");
	put_file(dir, "d/", NULL);
	strbuf_addf(&a, "%s/f", dir);
	strbuf_addf(&b, "%s/d/../f", dir);
	strbuf_addf(&c, "%s/g", dir);
	strbuf_addf(&l, "%s/link", dir);
	assert_int_equal(symlink(a.buf, l.buf), 0);
	assert_true(case_same_file(a.buf, a.buf));
	assert_true(case_same_file(a.buf, b.buf));
	assert_true(case_same_file(l.buf, a.buf));
	assert_false(case_same_file(a.buf, c.buf));	/* the same bytes are not the same file */
	assert_true(case_same_file("/x/${arch}/p", "/x/${arch}/p"));
	assert_false(case_same_file("/x/${arch}/p", "/x/${arch}/../${arch}/p"));
	assert_false(case_same_file("/nosuch/a", "/nosuch/b"));
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&c);
	strbuf_release(&l);
	remove_tree(dir);
}

/* A symlink loop is neither missing nor a file: stat's own error. */
static void test_loop(void **state)
{
	char *dir = make_tmpdir();
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

	(void)state;
	strbuf_addf(&a, "%s/a", dir);
	strbuf_addf(&b, "%s/b", dir);
	assert_int_equal(symlink(b.buf, a.buf), 0);
	assert_int_equal(symlink(a.buf, b.buf), 0);
	check_kind(dir, "a", HOST_UNKNOWN, ELOOP);
	strbuf_release(&a);
	strbuf_release(&b);
	remove_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_path),
		cmocka_unit_test(test_host_kind),
		cmocka_unit_test(test_problem),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_loop),
		cmocka_unit_test(test_same_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
