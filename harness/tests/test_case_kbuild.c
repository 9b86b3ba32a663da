/* test_case_kbuild: the module a Kbuild directory builds: obj-m lines of
 * real module Makefiles (fixtures/kbuild, golden), make's line rules, and
 * which file of a directory is read. Run from harness/tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>

#include "case_test.h"
#include "case/kbuild.h"

#define DIR_KBUILD "fixtures/kbuild"

/* "module NAME" or "error MESSAGE", as the .want files hold it. */
static void outcome(const char *text, size_t len, struct strbuf *out)
{
	struct strbuf why = STRBUF_INIT;
	char *name;

	if (kbuild_module_name(text, len, &name, &why)) {
		assert_null(name);
		assert_true(why.len > 0);
		strbuf_addf(out, "error %s\n", why.buf);
	} else {
		assert_int_equal(why.len, 0);
		strbuf_addf(out, "module %s\n", name);
		free(name);
	}
	strbuf_release(&why);
}

static void test_golden(void **state)
{
	DIR *d = opendir(DIR_KBUILD);
	struct dirent *e;
	size_t n = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d))) {
		struct strbuf path = STRBUF_INIT, text = STRBUF_INIT, want = STRBUF_INIT, got = STRBUF_INIT;
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.' || !strcmp(e->d_name, "README") ||
		    (len > 5 && !strcmp(e->d_name + len - 5, ".want")))
			continue;
		strbuf_addf(&path, DIR_KBUILD "/%s", e->d_name);
		assert_int_equal(strbuf_read_file(&text, path.buf), 0);
		strbuf_addstr(&path, ".want");
		assert_int_equal(strbuf_read_file(&want, path.buf), 0);
		outcome(text.buf, text.len, &got);
		if (strcmp(got.buf, want.buf))
			fail_msg("%s: got %s want %s", e->d_name, got.buf, want.buf);
		n++;
		strbuf_release(&path);
		strbuf_release(&text);
		strbuf_release(&want);
		strbuf_release(&got);
	}
	closedir(d);
	assert_int_equal(n, 12);
}

static void expect_module(const char *text, const char *name)
{
	struct strbuf got = STRBUF_INIT, want = STRBUF_INIT;

	outcome(text, strlen(text), &got);
	strbuf_addf(&want, "module %s\n", name);
	assert_string_equal(got.buf, want.buf);
	strbuf_release(&got);
	strbuf_release(&want);
}

static void expect_error(const char *text, const char *msg)
{
	struct strbuf got = STRBUF_INIT, want = STRBUF_INIT;

	outcome(text, strlen(text), &got);
	strbuf_addf(&want, "error %s\n", msg);
	assert_string_equal(got.buf, want.buf);
	strbuf_release(&got);
	strbuf_release(&want);
}

#define NO_OBJ_M "no obj-m line (expected obj-m += NAME.o)"

static void test_lines(void **state)
{
	(void)state;
	expect_module("obj-m += a.o\n", "a");
	expect_module("obj-m:=a_b-c.o", "a_b-c");
	expect_module("obj-m=a.o\r\n", "a");
	expect_module("\t obj-m \t += a.o # the module\n", "a");
	/* the same module twice (both branches of an ifneq) is one module */
	expect_module("ifneq ($(KERNELRELEASE),)\nobj-m := a.o\nelse\nobj-m := a.o\nendif\n", "a");
	/* a continued line goes on; a continued comment too */
	expect_module("obj-m := \\\n\ta.o\n", "a");
	expect_module("obj-m := \\\r\n a.o\r\n", "a");
	expect_module("# obj-m += b.o \\\nobj-m += c.o\nobj-m += a.o\n", "a");
	/* composite objects and other lists are not modules */
	expect_module("obj-m += a.o\na-y := x.o y.o\nobj-y += z.o\nobj-$(CONFIG_A) += w.o\n"
		      "obj-mx := v.o\nccflags-y += -Dobj-m=u.o\n", "a");
	expect_module("obj-m +=\nobj-m += a.o\n", "a");
	expect_module("obj-m += a.o", "a");
	/* a '\\' ending the text is a continuation, as it is before a last newline */
	expect_module("obj-m += a.o \\", "a");
	expect_module("obj-m += a.o\\\r", "a");
	expect_module("obj-m += a.o\\\r\n", "a");
	expect_error("obj-m += a.o\\x\n", "obj-m names 'a.o\\x' (expected NAME.o)");
	/* a recipe that mentions obj-m is no assignment */
	expect_module("obj-m := a.o\nclean:\n\trm $(obj-m) a.ko\n", "a");

	expect_error("", NO_OBJ_M);
	expect_error("all:\n\tmake -C /lib/modules/x M=$(PWD)\n", NO_OBJ_M);
	expect_error("obj-m ?= a.o\n", NO_OBJ_M);
	expect_error("# obj-m += a.o\n", NO_OBJ_M);
	expect_error("x := 1 # \\\nobj-m += a.o\n", NO_OBJ_M);
	expect_error("obj-y += a.o\n", NO_OBJ_M);
	expect_error("obj-m += a.o b.o\n",
		     "obj-m names 2 modules (a b; allowed: one, a directory per module)");
	expect_error("obj-m += a.o\nobj-m += b.o\n",
		     "obj-m names 2 modules (a b; allowed: one, a directory per module)");
	expect_error("obj-m += a.o b.o c.o d.o e.o f.o g.o h.o i.o\n",
		     "obj-m names 9 modules (a b c d e f g h ...; allowed: one, a directory per module)");
	expect_error("obj-m += sub/\n", "obj-m names 'sub/' (expected NAME.o)");
	expect_error("obj-m += a.c\n", "obj-m names 'a.c' (expected NAME.o)");
	expect_error("obj-m += .o\n", "obj-m names '.o' (expected NAME.o)");
	expect_error("obj-m += a.b.o\n", "obj-m names 'a.b.o', not a module's NAME.o (NAME: letters, "
		     "digits, _ and -)");
	expect_error("obj-m += $(M).o\n",
		     "obj-m names '$(M).o': make variables are not read here (write NAME.o)");
	expect_error("obj-m += ${M}\n",
		     "obj-m names '${M}': make variables are not read here (write NAME.o)");
}

/* As make does, a NUL byte ends what is read of its line. */
static void test_nul(void **state)
{
	static const char text[] = "obj-m += a\0b.o\nobj-m += c.o\0\n";
	static const char later[] = "x\0obj-m += z.o\nobj-m += c.o\0 d.o\n";
	struct strbuf why = STRBUF_INIT;
	char *name;

	(void)state;
	assert_int_equal(kbuild_module_name(text, sizeof(text) - 1, &name, &why), -1);
	assert_null(name);
	assert_string_equal(why.buf, "obj-m names 'a' (expected NAME.o)");
	strbuf_reset(&why);
	assert_int_equal(kbuild_module_name(later, sizeof(later) - 1, &name, &why), 0);
	assert_string_equal(name, "c");
	free(name);
	strbuf_release(&why);
}

static void dir_outcome(const char *dir, const char *sub, struct strbuf *out)
{
	struct strbuf path = STRBUF_INIT, why = STRBUF_INIT;
	char *name;

	strbuf_addf(&path, "%s/%s", dir, sub);
	if (kbuild_dir_module(path.buf, &name, &why)) {
		assert_null(name);
		strbuf_addf(out, "error %s", why.buf + (strncmp(why.buf, dir, strlen(dir)) ? 0 : strlen(dir)));
	} else {
		assert_int_equal(why.len, 0);
		strbuf_addf(out, "module %s", name);
		free(name);
	}
	strbuf_release(&path);
	strbuf_release(&why);
}

static void test_dir(void **state)
{
	char *dir = make_tmpdir();
	struct strbuf got = STRBUF_INIT, big = STRBUF_INIT, want = STRBUF_INIT;

	(void)state;
	put_file(dir, "both/", NULL);
	put_file(dir, "both/Kbuild", "obj-m := from_kbuild.o\n");
	put_file(dir, "both/Makefile", "obj-m := from_makefile.o\n");
	put_file(dir, "make/", NULL);
	put_file(dir, "make/Makefile", "obj-m := from_makefile.o\n");
	put_file(dir, "bad/", NULL);
	put_file(dir, "bad/Kbuild", "obj-y := x.o\n");
	put_file(dir, "bad/Makefile", "obj-m := from_makefile.o\n");
	put_file(dir, "none/", NULL);
	put_file(dir, "none/kbuild", "obj-m := lower.o\n");
	put_file(dir, "kdir/", NULL);
	put_file(dir, "kdir/Kbuild/", NULL);
	put_file(dir, "huge/", NULL);
	for (int i = 0; i < (1 << 20) / 16 + 1; i++)
		strbuf_addstr(&big, "# .............\n");	/* 16 bytes */
	put_file(dir, "huge/Kbuild", big.buf);

	dir_outcome(dir, "both", &got);
	assert_string_equal(got.buf, "module from_kbuild");
	strbuf_reset(&got);
	dir_outcome(dir, "make", &got);
	assert_string_equal(got.buf, "module from_makefile");
	strbuf_reset(&got);
	/* the kernel's build reads the Kbuild alone when there is one */
	dir_outcome(dir, "bad", &got);
	assert_string_equal(got.buf, "error /bad/Kbuild: " NO_OBJ_M);
	strbuf_reset(&got);
	dir_outcome(dir, "none", &got);
	strbuf_addf(&want, "error no Kbuild or Makefile in %s/none", dir);
	assert_string_equal(got.buf, want.buf);
	strbuf_reset(&got);
	dir_outcome(dir, "kdir", &got);
	assert_string_equal(got.buf, "error /kdir/Kbuild is not a regular file");
	strbuf_reset(&got);
	dir_outcome(dir, "huge", &got);
	assert_string_equal(got.buf, "error /huge/Kbuild is too big for a module's build file "
			    "(at most 1048576 bytes)");
	strbuf_reset(&got);
	dir_outcome(dir, "nosuch", &got);
	strbuf_reset(&want);
	strbuf_addf(&want, "error no Kbuild or Makefile in %s/nosuch", dir);
	assert_string_equal(got.buf, want.buf);

	strbuf_release(&got);
	strbuf_release(&big);
	strbuf_release(&want);
	remove_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
