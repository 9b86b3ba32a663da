/* test_case_programs: run and module naming the case's own programs, .ko
 * files and Kbuild directories: found from the case file's directory,
 * checked, given their guest names. Run from harness/tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "case_test.h"

/* A case file's directory with one of each kind of file a step may name. */
static int setup(void **state)
{
	char *dir = make_tmpdir();
	struct strbuf fifo = STRBUF_INIT;

	put_file(dir, "prog", "#!/bin/sh\necho ok 1\n");
	put_file(dir, "hog", "#!/bin/sh\n");
	put_file(dir, "sub/", NULL);
	put_file(dir, "sub/prog", "#!/bin/sh\n");
	put_file(dir, "m.ko", "\177ELF");
	put_file(dir, "m.txt", "");
	put_file(dir, "oom_trigger.ko", "\177ELF");
	put_file(dir, "bad.name.ko", "\177ELF");
	put_file(dir, "src/", NULL);
	put_file(dir, "src/Kbuild", "obj-m := mysrc.o\n");
	put_file(dir, "src/mysrc.c", "");
	put_file(dir, "mk/", NULL);
	put_file(dir, "mk/Makefile", "ifneq ($(KERNELRELEASE),)\nobj-m += my-mk.o\nelse\nall:\n\t$(MAKE) -C x\nendif\n");
	put_file(dir, "empty/", NULL);
	put_file(dir, "multi/", NULL);
	put_file(dir, "multi/Kbuild", "obj-m := a.o\nobj-m += b.o\n");
	put_file(dir, "ours/", NULL);
	put_file(dir, "ours/Kbuild", "obj-m := oom_trigger.o\n");
	put_file(dir, "also_m/", NULL);
	put_file(dir, "also_m/Kbuild", "obj-m := m.o\n");
	strbuf_addf(&fifo, "%s/fifo.ko", dir);
	assert_int_equal(mkfifo(fifo.buf, 0600), 0);
	strbuf_release(&fifo);
	*state = dir;
	return 0;
}

static int teardown(void **state)
{
	remove_tree(*state);
	return 0;
}

static char *path_of(const char *dir, const char *rel)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/%s", dir, rel);
	return strbuf_detach(&sb);
}

static void assert_host(const struct case_step *s, const char *dir, const char *rel)
{
	char *want = path_of(dir, rel);

	assert_non_null(s->host_path);
	assert_string_equal(s->host_path, want);
	free(want);
}

static void test_run_host(void **state)
{
	const char *dir = *state;
	char *abs = path_of(dir, "sub/prog");
	struct strbuf text = STRBUF_INIT;
	struct oomcase c;

	parses_in(dir, "[step a]\nrun = ./prog --x \"a b\"\n[step b]\nrun = sub/../prog\n"
		  "[step c]\nrun = ./hog --bogus\n[step d]\nrun = ./prog\n[step e]\nrun = hog\n" EXPECT, &c);
	assert_int_equal(c.steps[0].kind, STEP_RUN);
	assert_int_equal(c.steps[0].argc, 3);
	assert_string_equal(c.steps[0].argv[0], CASE_USER_BIN "/prog");
	assert_string_equal(c.steps[0].argv[2], "a b");
	assert_null(c.steps[0].argv[3]);
	assert_host(&c.steps[0], dir, "prog");
	/* the same file twice is one program */
	assert_host(&c.steps[3], dir, "prog");
	assert_string_equal(c.steps[3].argv[0], CASE_USER_BIN "/prog");
	/* by another path: the same file */
	assert_string_equal(c.steps[1].argv[0], CASE_USER_BIN "/prog");
	assert_host(&c.steps[1], dir, "sub/../prog");
	/* a hog of the case's own is just a program: its arguments are its own */
	assert_string_equal(c.steps[2].argv[0], CASE_USER_BIN "/hog");
	assert_string_equal(c.steps[2].argv[1], "--bogus");
	assert_null(c.steps[4].host_path);
	assert_string_equal(c.steps[4].argv[0], "hog");
	/* the line of the run key, for messages about the program */
	assert_int_equal(c.steps[0].line, 1);
	assert_int_equal(c.steps[0].key_line, 2);
	assert_int_equal(c.steps[4].key_line, 10);
	case_release(&c);

	parses_in(dir, "[step a]\nrun = sub/prog\n" EXPECT, &c);
	assert_string_equal(c.steps[0].argv[0], CASE_USER_BIN "/prog");
	assert_host(&c.steps[0], dir, "sub/prog");
	case_release(&c);

	/* absolute: as it is */
	strbuf_addf(&text, "[step a]\nrun = %s\n" EXPECT, abs);
	parses_in(dir, text.buf, &c);
	assert_string_equal(c.steps[0].host_path, abs);
	case_release(&c);

	/* ${arch}: not looked for now */
	parses_in(dir, "[step a]\nrun = ./bin/${arch}/prog\n[step b]\nrun = ./x-${arch}.sh 1\n" EXPECT, &c);
	assert_host(&c.steps[0], dir, "bin/${arch}/prog");
	assert_string_equal(c.steps[0].argv[0], CASE_USER_BIN "/prog");
	assert_host(&c.steps[1], dir, "x-${arch}.sh");
	assert_string_equal(c.steps[1].argv[0], CASE_USER_BIN "/x-${arch}.sh");
	case_release(&c);
	strbuf_release(&text);
	free(abs);
}

static void test_run_host_errors(void **state)
{
	const char *dir = *state;

	fails_in(dir, "[step a]\nrun = ./nosuch\n" EXPECT,
		 "{D}/t.case:2: program './nosuch': no such file ({D}/nosuch)\n");
	fails_in(dir, "[step a]\nrun = ./sub\n" EXPECT,
		 "{D}/t.case:2: program './sub' is a directory, not a program\n");
	fails_in(dir, "[step a]\nrun = ./sub/\n" EXPECT,
		 "{D}/t.case:2: program './sub/' is a directory, not a program\n");
	fails_in(dir, "[step a]\nrun = sub/..\n" EXPECT,
		 "{D}/t.case:2: program 'sub/..' is a directory, not a program\n");
	fails_in(dir, "[step a]\nrun = ./fifo.ko\n" EXPECT,
		 "{D}/t.case:2: program './fifo.ko': not a regular file ({D}/fifo.ko)\n");
	fails_in(dir, "[step a]\nrun = ./prog/x\n" EXPECT,
		 "{D}/t.case:2: program './prog/x': no such file ({D}/prog/x)\n");
	fails_in(dir, "[step a]\nrun = \"./a b\"\n" EXPECT,
		 "{D}/t.case:2: bad program file name 'a b' (allowed: letters, digits and _ . + -; "
		 "the program is " CASE_USER_BIN "/NAME in the guest)\n");
	fails_in(dir, "[step a]\nrun = ./${arch}/x;y\n" EXPECT,
		 "{D}/t.case:2: bad program file name 'x;y' (allowed: letters, digits and _ . + -; "
		 "the program is " CASE_USER_BIN "/NAME in the guest)\n");
	/* two files, one guest path */
	fails_in(dir, "[step a]\nsleep = 1\nrun = ./prog\n[step b]\nrun = ./sub/prog\n"
		 "[step c]\nrun = ./${arch}/prog\n" EXPECT,
		 "{D}/t.case:5: program {D}/sub/prog and {D}/prog of [step a] (line 3) would both be "
		 CASE_USER_BIN "/prog in the guest (allowed: different base names)\n"
		 "{D}/t.case:7: program {D}/${arch}/prog and {D}/prog of [step a] (line 3) would both be "
		 CASE_USER_BIN "/prog in the guest (allowed: different base names)\n");
}

/* Each run of a file with [params] finds its own file. */
static void test_run_params(void **state)
{
	const char *dir = *state;
	static const char text[] = "[params]\np = prog sub/prog\n[step a]\nrun = ./${p}\n" EXPECT;
	struct strbuf path = STRBUF_INIT;
	struct oomcase *cases;
	size_t n;
	struct strbuf err = STRBUF_INIT;

	strbuf_addf(&path, "%s/t.case", dir);
	assert_int_equal(case_parse_all(path.buf, text, strlen(text), &cases, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_host(&cases[0].steps[0], dir, "prog");
	assert_host(&cases[1].steps[0], dir, "sub/prog");
	assert_string_equal(cases[1].variant, "p=sub/prog");
	release_all(cases, n);
	strbuf_release(&path);
	strbuf_release(&err);
}

static void test_module_host(void **state)
{
	const char *dir = *state;
	struct oomcase c;

	parses_in(dir, "[step a]\nmodule = sub/../m.ko\n[step b]\nmodule = ./m.ko\n" EXPECT, &c);
	assert_host(&c.steps[0], dir, "sub/../m.ko");
	assert_host(&c.steps[1], dir, "m.ko");
	case_release(&c);

	parses_in(dir, "[step a]\nmodule = ./m.ko size=1 name=\"a b\"\nrmmod = m\n[step b]\nmodule = ./src\n"
		  "[step c]\nmodule = mk/\nrmmod = my-mk\n[step d]\nmodule = ./${arch}/arch_m.ko\n"
		  "[step e]\nmodule = ./m.ko\n[step f]\nmodule = ./src/\nrmmod = mysrc\n[step g]\n"
		  "rmmod = arch_m\n" EXPECT, &c);
	assert_int_equal(c.steps[0].kind, STEP_MODULE);
	assert_int_equal(c.steps[0].argc, 3);
	assert_string_equal(c.steps[0].argv[0], "m");
	assert_string_equal(c.steps[0].argv[2], "name=a b");
	assert_host(&c.steps[0], dir, "m.ko");
	assert_int_equal(c.steps[0].module_is_dir, 0);
	assert_string_equal(c.steps[0].rmmod, "m");
	assert_string_equal(c.steps[1].argv[0], "mysrc");
	assert_host(&c.steps[1], dir, "src");
	assert_int_equal(c.steps[1].module_is_dir, 1);
	assert_string_equal(c.steps[2].argv[0], "my-mk");
	assert_host(&c.steps[2], dir, "mk");
	assert_int_equal(c.steps[2].module_is_dir, 1);
	assert_string_equal(c.steps[3].argv[0], "arch_m");
	assert_host(&c.steps[3], dir, "${arch}/arch_m.ko");
	assert_int_equal(c.steps[3].module_is_dir, 0);
	assert_string_equal(c.steps[4].argv[0], "m");
	assert_host(&c.steps[5], dir, "src");
	assert_int_equal(c.steps[5].module_is_dir, 1);
	assert_string_equal(c.steps[6].rmmod, "arch_m");
	case_release(&c);
}

static void test_module_host_errors(void **state)
{
	const char *dir = *state;

	fails_in(dir, "[step a]\nmodule = ./nosuch.ko\n" EXPECT,
		 "{D}/t.case:2: module './nosuch.ko': no such file ({D}/nosuch.ko)\n");
	fails_in(dir, "[step a]\nmodule = ./nosuch/\n" EXPECT,
		 "{D}/t.case:2: module './nosuch/': no such directory ({D}/nosuch)\n");
	fails_in(dir, "[step a]\nmodule = ./m.ko/\n" EXPECT,
		 "{D}/t.case:2: module './m.ko/': not a directory ({D}/m.ko)\n");
	fails_in(dir, "[step a]\nmodule = ./m.txt\n" EXPECT,
		 "{D}/t.case:2: module './m.txt' is not a .ko file or a Kbuild directory\n");
	fails_in(dir, "[step a]\nmodule = ./fifo.ko\n" EXPECT,
		 "{D}/t.case:2: module './fifo.ko': not a regular file ({D}/fifo.ko)\n");
	fails_in(dir, "[step a]\nmodule = ./empty\n" EXPECT,
		 "{D}/t.case:2: module './empty': no Kbuild or Makefile in {D}/empty\n");
	fails_in(dir, "[step a]\nmodule = ./multi/ x=1\n" EXPECT,
		 "{D}/t.case:2: module './multi/': {D}/multi/Kbuild: obj-m names 2 modules (a b; "
		 "allowed: one, a directory per module)\n");
	fails_in(dir, "[step a]\nmodule = ./bad.name.ko\n" EXPECT,
		 "{D}/t.case:2: bad module name 'bad.name' from './bad.name.ko' (allowed: letters, "
		 "digits, _ and -)\n");
	fails_in(dir, "[step a]\nmodule = ./${arch}/.ko\n" EXPECT,
		 "{D}/t.case:2: bad module name '' from './${arch}/.ko' (allowed: letters, digits, _ and -)\n");
	fails_in(dir, "[step a]\nmodule = ./oom_trigger.ko\n[step b]\nmodule = ./ours\n" EXPECT,
		 "{D}/t.case:2: module './oom_trigger.ko' is called oom_trigger, as the image's own "
		 "module is (allowed: another name)\n"
		 "{D}/t.case:4: module './ours' is called oom_trigger, as the image's own "
		 "module is (allowed: another name)\n");
	fails_in(dir, "[step a]\nmodule = ./${arch}/\n[step b]\nmodule = ./src-${arch}\n" EXPECT,
		 "{D}/t.case:2: module './${arch}/': ${arch} is for programs and .ko files, not Kbuild "
		 "directories\n"
		 "{D}/t.case:4: module './src-${arch}': ${arch} is for programs and .ko files, not Kbuild "
		 "directories\n");
	/* one name, two sources */
	fails_in(dir, "[step a]\nmodule = ./m.ko\n[step b]\nmodule = ./also_m\n" EXPECT,
		 "{D}/t.case:4: module {D}/also_m and {D}/m.ko of [step a] (line 2) are both named 'm' "
		 "(allowed: one source per module name)\n");
	/* the parameters are checked too; rmmod of the module in error says nothing more */
	fails_in(dir, "[step a]\nmodule = ./nosuch.ko =1\n[step b]\nrmmod = nosuch\n" EXPECT,
		 "{D}/t.case:2: module './nosuch.ko': no such file ({D}/nosuch.ko)\n"
		 "{D}/t.case:2: module parameter '=1' is not key=value\n");
	fails_in(dir, "[step a]\nmodule = ./m.ko\n[step b]\nrmmod = mysrc\n" EXPECT,
		 "{D}/t.case:4: unknown module 'mysrc' for 'rmmod' (known: oom_trigger m)\n");
	/* no '/': the image's */
	fails_in(dir, "[step a]\nmodule = m.ko\n" EXPECT,
		 "{D}/t.case:2: unknown module 'm.ko' (known: oom_trigger; or a path with '/' to a .ko "
		 "file or Kbuild directory of yours)\n");
	fails_in(dir, "[step a]\nmodule = ./m.ko\nrun = ./prog\n" EXPECT,
		 "{D}/t.case:3: [step a] has both run and module (allowed: one of them)\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_host),
		cmocka_unit_test(test_run_host_errors),
		cmocka_unit_test(test_run_params),
		cmocka_unit_test(test_module_host),
		cmocka_unit_test(test_module_host_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
