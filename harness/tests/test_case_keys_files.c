/* test_case_keys_files: the [files] section: guest paths and what they may
 * not be, host files from the case file's directory, and the section's
 * place among the others. Run from harness/tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "case_test.h"

static int setup(void **state)
{
	char *dir = make_tmpdir();

	put_file(dir, "data.bin", "\001\002");
	put_file(dir, "conf", "a = 1\n");
	put_file(dir, "prog", "#!/bin/sh\n");
	put_file(dir, "sub/", NULL);
	put_file(dir, "sub/x y", "spaces\n");
	*state = dir;
	return 0;
}

static int teardown(void **state)
{
	remove_tree(*state);
	return 0;
}

static void assert_file(const struct case_file *f, const char *guest, const char *dir, const char *rel,
			int line)
{
	struct strbuf want = STRBUF_INIT;

	if (rel[0] == '/')
		strbuf_addstr(&want, rel);
	else
		strbuf_addf(&want, "%s/%s", dir, rel);
	assert_string_equal(f->guest, guest);
	assert_string_equal(f->host, want.buf);
	assert_int_equal(f->line, line);
	strbuf_release(&want);
}

static void test_files(void **state)
{
	const char *dir = *state;
	struct strbuf text = STRBUF_INIT;
	struct oomcase c;

	parses_in(dir, "[files]\n/etc/oomtest/data.bin = ./data.bin\n/root/.config/a_b+c-d@e.f = conf  # note\n"
		  "/x = sub/x y\n/bin/tool = ./bin/${arch}/tool\n/opt/p = ./prog\n/etc/oomtest/b = data.bin\n"
		  "[step s]\nrun = ./prog\n" EXPECT, &c);
	assert_int_equal(c.nfiles, 6);
	assert_file(&c.files[0], "/etc/oomtest/data.bin", dir, "data.bin", 2);
	assert_file(&c.files[1], "/root/.config/a_b+c-d@e.f", dir, "conf", 3);
	assert_file(&c.files[2], "/x", dir, "sub/x y", 4);
	assert_file(&c.files[3], "/bin/tool", dir, "bin/${arch}/tool", 5);
	assert_file(&c.files[4], "/opt/p", dir, "prog", 6);
	assert_file(&c.files[5], "/etc/oomtest/b", dir, "data.bin", 7);
	case_release(&c);

	/* absolute host paths as they are; an empty section is fine */
	strbuf_addf(&text, "[files]\n/a = %s/conf\n[files]\n" EXPECT, dir);
	fails_in(dir, text.buf, "{D}/t.case:3: duplicate section [files] (first at line 1)\n");
	strbuf_reset(&text);
	strbuf_addf(&text, "[files]\n/a = %s/conf\n" EXPECT, dir);
	parses_in(dir, text.buf, &c);
	assert_file(&c.files[0], "/a", dir, "conf", 2);
	case_release(&c);
	parses_in(dir, "[files]\n" EXPECT, &c);
	assert_int_equal(c.nfiles, 0);
	assert_null(c.files);
	case_release(&c);
	strbuf_release(&text);
}

#define BAD_GUEST(line, path, why) "{D}/t.case:" #line ": bad guest path '" path "': " why \
	" (allowed: an absolute path of letters, digits and _ . + - @ with no empty, . or .. component)\n"

static void test_guest_path_syntax(void **state)
{
	const char *dir = *state;

	fails_in(dir, "[files]\netc/x = conf\n" EXPECT, BAD_GUEST(2, "etc/x", "not absolute"));
	fails_in(dir, "[files]\n/ = conf\n" EXPECT, BAD_GUEST(2, "/", "/ itself"));
	fails_in(dir, "[files]\n//x = conf\n" EXPECT, BAD_GUEST(2, "//x", "an empty, . or .. component"));
	fails_in(dir, "[files]\n/x/ = conf\n" EXPECT, BAD_GUEST(2, "/x/", "an empty, . or .. component"));
	fails_in(dir, "[files]\n/x/./y = conf\n" EXPECT, BAD_GUEST(2, "/x/./y", "an empty, . or .. component"));
	fails_in(dir, "[files]\n/x/.. = conf\n" EXPECT, BAD_GUEST(2, "/x/..", "an empty, . or .. component"));
	fails_in(dir, "[files]\n/../etc/x = conf\n" EXPECT, BAD_GUEST(2, "/../etc/x", "an empty, . or .. component"));
	fails_in(dir, "[files]\n/x$y = conf\n" EXPECT, BAD_GUEST(2, "/x$y", "a character not allowed"));
	fails_in(dir, "[files]\n/x y = conf\n" EXPECT, BAD_GUEST(2, "/x y", "a character not allowed"));
	fails_in(dir, "[files]\n/bin/${arch} = conf\n" EXPECT, BAD_GUEST(2, "/bin/${arch}", "a character not allowed"));
	fails_in(dir, "[files]\n/x/a\\b = conf\n" EXPECT, BAD_GUEST(2, "/x/a\\b", "a character not allowed"));
	fails_in(dir, "[files]\n/x/\"y\" = conf\n" EXPECT, BAD_GUEST(2, "/x/\"y\"", "a character not allowed"));
	fails_in(dir, "[files]\n/etc/${p} = conf\n" EXPECT, BAD_GUEST(2, "/etc/${p}", "a character not allowed"));
	fails_in(dir, "[files]\n/x\xc3\xa9 = conf\n" EXPECT, BAD_GUEST(2, "/x\xc3\xa9", "a character not allowed"));
	fails_in(dir, "[files]\n= conf\n" EXPECT, "{D}/t.case:2: missing key before '=' in [files]\n");
	fails_in(dir, "[files]\n/x\n" EXPECT,
		 "{D}/t.case:2: missing '=' in '/x' in [files] (expected key = value)\n");
	fails_in(dir, "[files]\n/x =\n" EXPECT, "{D}/t.case:2: empty value for '/x' in [files]\n");
	fails_in(dir, "[files x]\n" EXPECT, "{D}/t.case:1: section [files] takes no name (got 'x')\n");
}

static void test_guest_path_reserved(void **state)
{
	const char *dir = *state;

	fails_in(dir, "[files]\n/proc = conf\n/proc/sys/vm/x = conf\n/sys/kernel/x = conf\n/dev/sda = conf\n"
		 "/lib/modules/6.1/x.ko = conf\n/lib/modules = conf\n/lib = conf\n/init = conf\n"
		 "/bin/hog = conf\n/bin = conf\n/init/x = conf\n/sysx = conf\n/lib/modulesx = conf\n"
		 "/bin/hogx = conf\n/devices = conf\n" EXPECT,
		 "{D}/t.case:2: bad guest path '/proc': it is the kernel's /proc\n"
		 "{D}/t.case:3: bad guest path '/proc/sys/vm/x': it is under the kernel's /proc\n"
		 "{D}/t.case:4: bad guest path '/sys/kernel/x': it is under the kernel's /sys\n"
		 "{D}/t.case:5: bad guest path '/dev/sda': it is under the kernel's /dev\n"
		 "{D}/t.case:6: bad guest path '/lib/modules/6.1/x.ko': it is under the image's /lib/modules\n"
		 "{D}/t.case:7: bad guest path '/lib/modules': it is the image's /lib/modules\n"
		 "{D}/t.case:8: bad guest path '/lib': it would hide the image's /lib/modules\n"
		 "{D}/t.case:9: bad guest path '/init': it is the agent's /init\n"
		 "{D}/t.case:10: bad guest path '/bin/hog': it is the agent's /bin/hog\n"
		 "{D}/t.case:11: bad guest path '/bin': it would hide the agent's /bin/hog\n"
		 "{D}/t.case:12: bad guest path '/init/x': it is under the agent's /init\n");
}

static void test_guest_path_clashes(void **state)
{
	const char *dir = *state;

	fails_in(dir, "[files]\n/a = conf\n/a = data.bin\n" EXPECT,
		 "{D}/t.case:3: duplicate guest path '/a' in [files] (first at line 2)\n");
	fails_in(dir, "[files]\n/a = conf\n/a/b = conf\n/c/d/e = conf\n/c/d = conf\n/c = conf\n" EXPECT,
		 "{D}/t.case:3: bad guest path '/a/b': it is under the file /a of line 2\n"
		 "{D}/t.case:5: bad guest path '/c/d': it would hide the file /c/d/e of line 4\n"
		 "{D}/t.case:6: bad guest path '/c': it would hide the file /c/d/e of line 4\n");
	/* the run programs' guest paths, wherever the steps are */
	fails_in(dir, "[step s]\nrun = ./prog\n[files]\n" CASE_USER_BIN "/prog = conf\n"
		 CASE_USER_BIN "/prog2 = conf\n[step t]\nrun = ./bin/${arch}/tool\n" EXPECT,
		 "{D}/t.case:4: bad guest path '" CASE_USER_BIN "/prog': it is " CASE_USER_BIN
		 "/prog, the program of [step s]\n");
	fails_in(dir, "[step s]\nrun = ./prog\n[files]\n" CASE_USER_BIN " = conf\n" EXPECT,
		 "{D}/t.case:4: bad guest path '" CASE_USER_BIN "': it would hide " CASE_USER_BIN
		 "/prog, the program of [step s]\n");
	fails_in(dir, "[step s]\nrun = ./prog\n[files]\n/usr = conf\n" EXPECT,
		 "{D}/t.case:4: bad guest path '/usr': it would hide " CASE_USER_BIN
		 "/prog, the program of [step s]\n");
	fails_in(dir, "[step s]\nrun = ./prog\n[files]\n" CASE_USER_BIN "/prog/x = conf\n" EXPECT,
		 "{D}/t.case:4: bad guest path '" CASE_USER_BIN "/prog/x': it is under " CASE_USER_BIN
		 "/prog, the program of [step s]\n");
	fails_in(dir, "[files]\n" CASE_USER_BIN "/tool = conf\n[step t]\nrun = ./bin/${arch}/tool\n" EXPECT,
		 "{D}/t.case:2: bad guest path '" CASE_USER_BIN "/tool': it is " CASE_USER_BIN
		 "/tool, the program of [step t]\n");
	/* a bare program is the guest's own: not in /usr/local/bin */
	{
		struct oomcase c;

		parses_in(dir, "[files]\n" CASE_USER_BIN "/ls = conf\n[step t]\nrun = ls\n" EXPECT, &c);
		assert_int_equal(c.nfiles, 1);
		case_release(&c);
	}
}

static void test_host_files(void **state)
{
	const char *dir = *state;

	fails_in(dir, "[files]\n/a = ./nosuch\n" EXPECT,
		 "{D}/t.case:2: host file './nosuch' for /a: no such file ({D}/nosuch)\n");
	fails_in(dir, "[files]\n/a = sub\n/b = ./sub/\n/c = .\n" EXPECT,
		 "{D}/t.case:2: host file 'sub' for /a is a directory (files are copied one by one)\n"
		 "{D}/t.case:3: host file './sub/' for /b is a directory (files are copied one by one)\n"
		 "{D}/t.case:4: host file '.' for /c is a directory (files are copied one by one)\n");
	fails_in(dir, "[files]\n/a = /dev/null\n" EXPECT,
		 "{D}/t.case:2: host file '/dev/null' for /a: not a regular file (/dev/null)\n");
	/* both paths wrong: both said */
	fails_in(dir, "[files]\n/proc/x = ./nosuch\n" EXPECT,
		 "{D}/t.case:2: bad guest path '/proc/x': it is under the kernel's /proc\n"
		 "{D}/t.case:2: host file './nosuch' for /proc/x: no such file ({D}/nosuch)\n");
	/* "quotes" are characters of the path */
	fails_in(dir, "[files]\n/a = \"conf\"\n" EXPECT,
		 "{D}/t.case:2: host file '\"conf\"' for /a: no such file ({D}/\"conf\")\n");
}

/* The host path takes parameters; ${arch} is kept for each target. */
static void test_params(void **state)
{
	const char *dir = *state;
	static const char text[] = "[params]\nf = conf data.bin\n[files]\n/etc/f = ./${f}\n"
		"/etc/g = ./${arch}/${f}\n" EXPECT;
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	struct oomcase *cases;
	size_t n;

	strbuf_addf(&path, "%s/t.case", dir);
	assert_int_equal(case_parse_all(path.buf, text, strlen(text), &cases, &n, &err), 0);
	assert_string_equal(err.buf, "");
	assert_int_equal(n, 2);
	assert_file(&cases[0].files[0], "/etc/f", dir, "conf", 4);
	assert_file(&cases[0].files[1], "/etc/g", dir, "${arch}/conf", 5);
	assert_file(&cases[1].files[0], "/etc/f", dir, "data.bin", 4);
	assert_file(&cases[1].files[1], "/etc/g", dir, "${arch}/data.bin", 5);
	release_all(cases, n);
	fails_in(dir, "[files]\n/a = ./${nope}\n" EXPECT,
		 "{D}/t.case:2: unknown parameter '${nope}' (known: none)\n");
	strbuf_release(&path);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_guest_path_syntax),
		cmocka_unit_test(test_guest_path_reserved),
		cmocka_unit_test(test_guest_path_clashes),
		cmocka_unit_test(test_host_files),
		cmocka_unit_test(test_params),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
