/* test_casefile: the public entry points: loading files (fixtures/cases),
 * names, the runs of a file, the guest lists, a case that brings its own
 * files. Run from harness/tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "case_test.h"

static void test_good_file(void **state)
{
	struct oomcase c;
	struct strbuf err = STRBUF_INIT;
	const struct case_step *s;

	(void)state;
	assert_int_equal(case_load(&c, "fixtures/cases/good.case", &err), 0);
	assert_string_equal(err.buf, "");
	assert_string_equal(c.path, "fixtures/cases/good.case");
	assert_string_equal(c.name, "good");
	assert_string_equal(c.description,
			    "memcg v1 with oom_control=1: the hog waits, nobody is killed");
	assert_int_equal(c.ntargets, 2);
	assert_string_equal(c.targets[0], "x86_64");
	assert_string_equal(c.targets[1], "i386");
	assert_null(c.targets[2]);
	assert_true(c.memory == 256ULL << 20);
	assert_int_equal(c.timeout_ms, 90000);
	assert_string_equal(c.cmdline, "loglevel=7 \"quoted # not a comment\"");

	assert_int_equal(c.ncgroups, 1);
	assert_string_equal(c.cgroups[0].name, "hog");
	assert_int_equal(c.cgroups[0].version, 1);
	assert_int_equal(c.cgroups[0].line, 9);
	assert_int_equal(c.cgroups[0].nsettings, 2);
	assert_string_equal(c.cgroups[0].settings[0].file, "memory.limit_in_bytes");
	assert_string_equal(c.cgroups[0].settings[0].value, "512K");
	assert_int_equal(c.cgroups[0].settings[0].line, 11);
	assert_string_equal(c.cgroups[0].settings[1].file, "memory.oom_control");
	assert_string_equal(c.cgroups[0].settings[1].value, "1");

	assert_int_equal(c.nsteps, 3);
	s = &c.steps[0];
	assert_string_equal(s->name, "hog");
	assert_int_equal(s->kind, STEP_RUN);
	assert_int_equal(s->argc, 5);
	assert_string_equal(s->argv[0], "hog");
	assert_string_equal(s->argv[3], "--name");
	assert_string_equal(s->argv[4], "two words");
	assert_null(s->argv[5]);
	assert_string_equal(s->cgroup, "hog");
	assert_int_equal(s->background, 1);
	assert_int_equal(s->sleep_ms, 0);
	assert_int_equal(s->ncollect, 0);
	assert_null(s->rmmod);
	assert_int_equal(s->line, 14);

	s = &c.steps[1];
	assert_string_equal(s->name, "load");
	assert_int_equal(s->kind, STEP_MODULE);
	assert_int_equal(s->argc, 4);
	assert_string_equal(s->argv[0], "oom_trigger");
	assert_string_equal(s->argv[3], "release=4096");
	assert_string_equal(s->rmmod, "oom_trigger");
	assert_null(s->cgroup);
	assert_int_equal(s->background, 0);

	s = &c.steps[2];
	assert_string_equal(s->name, "look");
	assert_int_equal(s->kind, STEP_NONE);
	assert_int_equal(s->argc, 0);
	assert_int_equal(s->sleep_ms, 2000);
	assert_int_equal(s->ncollect, 4);
	assert_string_equal(s->collect[0], "buddyinfo");
	assert_string_equal(s->collect[2], "cgroup:hog");
	assert_string_equal(s->collect[3], "proc:hog");

	assert_int_equal(c.nexpects, 5);
	assert_string_equal(c.expects[0].text, "oom.count == 0");
	assert_int_equal(c.expects[0].line, 28);
	assert_string_equal(c.expects[2].text, "proc.hog.state == D");
	assert_string_equal(c.expects[2].value, "D");
	assert_string_equal(c.expects[3].fact, "console");
	assert_int_equal(c.expects[3].op, OP_NOMATCH);
	assert_string_equal(c.expects[3].value, "Kernel panic");
	assert_string_equal(c.expects[4].fact, "oom.1.victim.comm");
	assert_int_equal(c.expects[4].line, 34);

	case_release(&c);
	case_release(&c);	/* released twice: harmless */
	strbuf_release(&err);
}

static void test_defaults(void **state)
{
	struct oomcase c;
	struct strbuf err = STRBUF_INIT;

	(void)state;
	assert_int_equal(case_load(&c, "fixtures/cases/minimal.case", &err), 0);
	assert_string_equal(c.name, "minimal");
	assert_null(c.description);
	assert_null(c.targets);
	assert_int_equal(c.ntargets, 0);
	assert_true(c.memory == 128ULL << 20);
	assert_int_equal(c.timeout_ms, 60000);
	assert_null(c.cmdline);
	assert_int_equal(c.ncgroups, 0);
	assert_int_equal(c.nsteps, 0);
	assert_int_equal(c.nexpects, 1);
	assert_string_equal(c.expects[0].fact, "oom.count");
	assert_int_equal(c.expects[0].op, OP_GT);
	assert_string_equal(c.expects[0].value, "0");
	case_release(&c);
	strbuf_release(&err);
}

static void test_crlf(void **state)
{
	struct oomcase c;
	struct strbuf err = STRBUF_INIT;

	(void)state;
	assert_int_equal(case_load(&c, "fixtures/cases/crlf.case", &err), 0);
	assert_string_equal(c.description, "crlf");
	assert_true(c.memory == 64ULL << 20);
	assert_int_equal(c.steps[0].sleep_ms, 500);
	assert_string_equal(c.expects[0].value, "a|b");
	assert_int_equal(c.expects[0].line, 8);
	case_release(&c);
	strbuf_release(&err);
}

static void test_errors_file(void **state)
{
	struct oomcase c;
	struct strbuf err = STRBUF_INIT, want = STRBUF_INIT;
	const char *p = "fixtures/cases/errors.case";
	char *re = regerr("(unclosed");

	(void)state;
	strbuf_addf(&want,
		"%s:4: unknown key 'memroy' in [case] " KNOWN_CASE "\n"
		"%s:5: memory 12 is out of range (allowed: 32M to 16G)\n"
		"%s:6: bad duration 'soon' for 'timeout' (" DURATION_HELP ")\n"
		"%s:7: duplicate key 'timeout' in [case] (first at line 6)\n"
		"%s:9: [cgroup hog] needs 'version' (1 or 2)\n"
		"%s:14: 'cgroup' names no [cgroup nosuch] (defined: hog)\n"
		"%s:15: bad bool 'maybe' for 'background' (allowed: yes no true false 1 0)\n"
		"%s:19: [step both] has both run and module (allowed: one of them)\n"
		"%s:21: [step idle] does nothing (needs run, module, write, sleep, wait, collect or rmmod)\n"
		"%s:22: 'background' in [step idle] needs run or module\n"
		"%s:25: unknown collect item 'slabinfo' " COLLECT_HELP "\n"
		"%s:25: collect item 'proc:later' names a later step (allowed: this step or an earlier one)\n"
		"%s:30: unknown section [bogus] " SECTIONS "\n"
		"%s:32: unknown operator '=' in 'oom.count = 0' " OPS "\n"
		"%s:33: bad regex '(unclosed': %s\n",
		p, p, p, p, p, p, p, p, p, p, p, p, p, p, p, re);
	assert_int_equal(case_load(&c, p, &err), -1);
	assert_string_equal(err.buf, want.buf);
	assert_null(c.path);
	case_release(&c);
	free(re);
	strbuf_release(&err);
	strbuf_release(&want);
}

static void test_load_missing(void **state)
{
	struct oomcase c;
	struct strbuf err = STRBUF_INIT;

	(void)state;
	assert_int_equal(case_load(&c, "fixtures/cases/nosuch.case", &err), -1);
	assert_string_equal(err.buf, "fixtures/cases/nosuch.case: cannot read: No such file or directory\n");
	case_release(&c);
	strbuf_release(&err);
}

static void test_name(void **state)
{
	static const struct { const char *path, *name; } t[] = {
		{ "a/b/x.case", "x" }, { "y.case", "y" }, { "noext", "noext" },
		{ "d/z.case.bak", "z.case.bak" }, { "d/a..b.case", "a..b" }, { "d/\xc3\xa9.case", "\xc3\xa9" },
	};
	/* the name is a directory of the run: never "..", ".", hidden or with control bytes */
	static const char *const refused[] = {
		"...case", "d/...case", "d/..case", ".case", "d/.hidden.case", "d/..", "d/.", "d/", "",
		"d/a\nb.case", "d/\x1b[2J.case", "d/a\x7f.case",
	};
	struct oomcase c;
	struct strbuf err = STRBUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(case_parse(&c, t[i].path, EXPECT, strlen(EXPECT), &err), 0);
		assert_string_equal(c.name, t[i].name);
		assert_string_equal(c.path, t[i].path);
		case_release(&c);
	}
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct strbuf want = STRBUF_INIT;

		strbuf_reset(&err);
		strbuf_addf(&want, "%s: the file name gives no usable case name (allowed: a name before "
			    ".case that is not empty, does not start with '.' and has no '/' or control "
			    "bytes)\n", refused[i]);
		assert_int_equal(case_parse(&c, refused[i], EXPECT, strlen(EXPECT), &err), -1);
		assert_string_equal(err.buf, want.buf);
		strbuf_release(&want);
	}
	/* once per file, not once per run of its parameters */
	{
		static const char text[] = "[params]\nn = 1 2 3\n[step s]\nsleep = ${n}\n" EXPECT;
		struct oomcase *cases;
		size_t n;

		strbuf_reset(&err);
		assert_int_equal(case_parse_all("d/...case", text, strlen(text), &cases, &n, &err), -1);
		assert_string_equal(err.buf, "d/...case: the file name gives no usable case name (allowed: "
				    "a name before .case that is not empty, does not start with '.' and has "
				    "no '/' or control bytes)\n");
		assert_null(cases);
	}
	strbuf_release(&err);
}

static void test_load_all(void **state)
{
	struct oomcase *cases, c;
	struct strbuf err = STRBUF_INIT;
	size_t n;

	(void)state;
	assert_int_equal(case_load_all("fixtures/cases/params.case", &cases, &n, &err), 0);
	assert_string_equal(err.buf, "");
	assert_int_equal(n, 8);
	assert_string_equal(cases[0].variant, "memory=64M,order=0,mode=backup");
	assert_string_equal(cases[7].variant, "memory=128M,order=3,mode=nobackup");
	assert_string_equal(cases[5].description, "order 0 in 128M, mode nobackup");
	assert_string_equal(cases[5].path, "fixtures/cases/params.case");
	assert_string_equal(cases[5].name, "params");
	assert_int_equal(cases[5].nneeds, 3);
	assert_string_equal(cases[5].needs[2], "arch:x86_64");
	assert_int_equal(cases[6].nsysctls, 2);
	assert_string_equal(cases[6].sysctls[1].file, "vm.overcommit_memory");
	assert_string_equal(cases[6].sysctls[1].value, "3");
	assert_int_equal(cases[6].sysctls[1].line, 13);
	assert_string_equal(cases[6].cgroups[0].settings[0].value, "128M");
	assert_string_equal(cases[6].steps[0].argv[1], "order=3");
	assert_int_equal(cases[6].steps[0].oom_score_adj, -3);
	assert_int_equal(cases[6].nexpects, 3);
	assert_string_equal(cases[6].expects[1].value, "backup");
	assert_string_equal(cases[6].expects[2].selector, "i386");
	assert_string_equal(cases[6].expects[2].text, "oom.count == 0 || oom.1.order == 3");
	assert_int_equal(cases[6].expects[2].line, 29);
	release_all(cases, n);

	/* case_load: the first combination */
	assert_int_equal(case_load(&c, "fixtures/cases/params.case", &err), 0);
	assert_string_equal(c.variant, "memory=64M,order=0,mode=backup");
	assert_true(c.memory == 64ULL << 20);
	case_release(&c);

	/* a file without parameters: one case */
	assert_int_equal(case_load_all("fixtures/cases/good.case", &cases, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_null(cases[0].variant);
	assert_string_equal(cases[0].name, "good");
	release_all(cases, n);

	assert_int_equal(case_load_all("fixtures/cases/nosuch.case", &cases, &n, &err), -1);
	assert_string_equal(err.buf, "fixtures/cases/nosuch.case: cannot read: No such file or directory\n");
	assert_null(cases);
	assert_int_equal(n, 0);
	strbuf_reset(&err);

	/* errors come as case_load gives them */
	assert_int_equal(case_load_all("fixtures/cases/errors.case", &cases, &n, &err), -1);
	assert_non_null(strstr(err.buf, "fixtures/cases/errors.case:4: unknown key 'memroy'"));
	assert_null(cases);
	strbuf_release(&err);
}

static void test_guest_lists(void **state)
{
	(void)state;
	assert_string_equal(case_guest_programs[0], "hog");
	assert_null(case_guest_programs[1]);
	assert_string_equal(case_guest_modules[0], "oom_trigger");
	assert_null(case_guest_modules[1]);
}

static const char own_case[] =
	"[case]\n"
	"description = brings its own\n"
	"packages = stress-ng\n"
	"[params]\n"
	"n = 1 2\n"
	"[files]\n"
	"/etc/oomtest/n.conf = conf/n${n}.conf\n"
	"/etc/oomtest/tool = ../bin/${arch}/tool\n"
	"[step load]\n"
	"module = ../kmod/ n=${n}\n"
	"[step test]\n"
	"run = ./selftest -n ${n}\n"
	"tap = yes\n"
	"[step stress]\n"
	"run = stress-ng --vm ${n}\n"
	"rmmod = my_mod\n"
	"[expect]\n"
	"oom.count == 0\n";

/* A case file loaded by a relative path finds its files from its own
 * directory, and every run of its parameters carries them. */
static void test_own_files(void **state)
{
	char *dir = make_tmpdir(), *back = getcwd(NULL, 0), *here;
	struct oomcase *cases, c;
	struct strbuf err = STRBUF_INIT, want = STRBUF_INIT;
	size_t n;

	(void)state;
	put_file(dir, "cases/", NULL);
	put_file(dir, "cases/conf/", NULL);
	put_file(dir, "cases/conf/n1.conf", "1\n");
	put_file(dir, "cases/conf/n2.conf", "2\n");
	put_file(dir, "cases/selftest", "#!/bin/sh\necho 1..1\necho ok 1\n");
	put_file(dir, "kmod/", NULL);
	put_file(dir, "kmod/Kbuild", "obj-m := my_mod.o\n");
	put_file(dir, "cases/own.case", own_case);
	assert_int_equal(chdir(dir), 0);
	here = getcwd(NULL, 0);

	if (case_load_all("cases/own.case", &cases, &n, &err))
		fail_msg("%s", err.buf);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++) {
		const struct oomcase *k = &cases[i];

		assert_int_equal(k->npackages, 1);
		assert_string_equal(k->packages[0], "stress-ng");
		assert_int_equal(k->nfiles, 2);
		assert_string_equal(k->files[0].guest, "/etc/oomtest/n.conf");
		strbuf_reset(&want);
		strbuf_addf(&want, "%s/cases/conf/n%zu.conf", here, i + 1);
		assert_string_equal(k->files[0].host, want.buf);
		strbuf_reset(&want);
		strbuf_addf(&want, "%s/cases/../bin/${arch}/tool", here);
		assert_string_equal(k->files[1].host, want.buf);
		assert_int_equal(k->files[1].line, 8);

		assert_int_equal(k->steps[0].kind, STEP_MODULE);
		assert_string_equal(k->steps[0].argv[0], "my_mod");
		assert_int_equal(k->steps[0].module_is_dir, 1);
		strbuf_reset(&want);
		strbuf_addf(&want, "%s/cases/../kmod", here);
		assert_string_equal(k->steps[0].host_path, want.buf);

		assert_string_equal(k->steps[1].argv[0], CASE_USER_BIN "/selftest");
		strbuf_reset(&want);
		strbuf_addf(&want, "%s/cases/selftest", here);
		assert_string_equal(k->steps[1].host_path, want.buf);
		assert_int_equal(k->steps[1].tap, 1);

		assert_string_equal(k->steps[2].argv[0], "stress-ng");
		assert_null(k->steps[2].host_path);
		assert_int_equal(k->steps[2].tap, 0);
		assert_string_equal(k->steps[2].rmmod, "my_mod");
	}
	assert_string_equal(cases[1].steps[0].argv[1], "n=2");
	release_all(cases, n);

	/* released twice: harmless */
	assert_int_equal(case_load(&c, "cases/own.case", &err), 0);
	assert_int_equal(c.nfiles, 2);
	case_release(&c);
	case_release(&c);
	assert_null(c.files);
	assert_null(c.packages);

	/* its files gone: said with the case file's own name */
	put_file(dir, "cases/moved.case", "[files]\n/a = conf\n[step s]\nrun = ../selftest\n" EXPECT);
	assert_int_equal(case_load(&c, "cases/moved.case", &err), -1);
	strbuf_reset(&want);
	strbuf_addf(&want, "cases/moved.case:2: host file 'conf' for /a is a directory (files are "
		    "copied one by one)\ncases/moved.case:4: program '../selftest': no such file "
		    "(%s/cases/../selftest)\n", here);
	assert_string_equal(err.buf, want.buf);

	assert_int_equal(chdir(back), 0);
	free(back);
	free(here);
	strbuf_release(&err);
	strbuf_release(&want);
	remove_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_errors_file),
		cmocka_unit_test(test_load_missing),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_load_all),
		cmocka_unit_test(test_guest_lists),
		cmocka_unit_test(test_own_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
