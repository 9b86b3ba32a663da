/* Tests for modcheck.c: libkmod reads a module built here from bytes, an
 * ELF64 relocatable whose only content is a .modinfo section (what
 * kmod_module_get_info reads), and modcheck judges its vermagic and
 * parameters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "target/modcheck.h"

/* A section header of ELF64 */
struct shdr {
	uint32_t name, type;
	uint64_t flags, addr, offset, size;
	uint32_t link, info;
	uint64_t addralign, entsize;
};

/* Writes a .ko holding modinfo (NUL-separated "key=value" strings, n
 * bytes): ELF header, .modinfo, .shstrtab, then the section headers. */
static void write_ko(const char *path, const char *modinfo, size_t n)
{
	static const char shstrtab[] = "\0.modinfo\0.shstrtab";
	unsigned char eh[64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
	uint16_t rel = 1, x86_64 = 62, ehsize = 64, shentsize = sizeof(struct shdr), shnum = 3, shstrndx = 2;
	uint32_t version = 1;
	uint64_t shoff = 64 + n + sizeof(shstrtab);
	struct shdr sh[3] = {
		{ 0 },
		{ .name = 1, .type = 1 /* PROGBITS */, .flags = 2 /* ALLOC */, .offset = 64, .size = n, .addralign = 1 },
		{ .name = 10, .type = 3 /* STRTAB */, .offset = 64 + n, .size = sizeof(shstrtab), .addralign = 1 },
	};
	FILE *f = fopen(path, "w");

	memcpy(eh + 16, &rel, 2);
	memcpy(eh + 18, &x86_64, 2);
	memcpy(eh + 20, &version, 4);
	memcpy(eh + 40, &shoff, 8);
	memcpy(eh + 52, &ehsize, 2);
	memcpy(eh + 58, &shentsize, 2);
	memcpy(eh + 60, &shnum, 2);
	memcpy(eh + 62, &shstrndx, 2);
	assert_non_null(f);
	fwrite(eh, 1, sizeof(eh), f);
	fwrite(modinfo, 1, n, f);
	fwrite(shstrtab, 1, sizeof(shstrtab), f);
	fwrite(sh, 1, sizeof(sh), f);
	fclose(f);
}

static const char oom_trigger_info[] =
	"license=GPL\0"
	"parm=mode:what to allocate (charp)\0"
	"parmtype=mode:charp\0"
	"parm=pages:how many pages (ulong)\0"
	"parmtype=pages:ulong\0"
	"vermagic=6.1.0-50-amd64 SMP preempt mod_unload modversions \0"
	"name=oom_trigger\0";

static char ko[] = "/tmp/oomtest-ko.XXXXXX";

static int make_ko(void **state)
{
	int fd = mkstemp(ko);

	(void)state;
	if (fd < 0)
		return -1;
	close(fd);
	write_ko(ko, oom_trigger_info, sizeof(oom_trigger_info));
	return 0;
}

static int remove_ko(void **state)
{
	(void)state;
	unlink(ko);
	return 0;
}

static void test_fits(void **state)
{
	char *params[] = { "mode=anon", "pages=100" };
	struct strbuf err = STRBUF_INIT;

	(void)state;
	assert_int_equal(modcheck(ko, "6.1.0-50-amd64", params, 2, &err), 0);
	assert_int_equal(err.len, 0);
	assert_int_equal(modcheck(ko, "6.1.0-50-amd64", NULL, 0, &err), 0);
	strbuf_release(&err);
}

static void test_other_kernel(void **state)
{
	struct strbuf err = STRBUF_INIT;

	(void)state;
	/* a release that is a prefix of the module's is another kernel */
	assert_int_equal(modcheck(ko, "6.1.0-5", NULL, 0, &err), -1);
	char want[256];
	snprintf(want, sizeof(want), "%s was built for '6.1.0-50-amd64', the target kernel is '6.1.0-5': "
		 "rebuild it against the target's kdir", ko);
	assert_string_equal(err.buf, want);
	strbuf_reset(&err);
	assert_int_equal(modcheck(ko, "6.1.0-50-686", NULL, 0, &err), -1);
	assert_non_null(strstr(err.buf, "the target kernel is '6.1.0-50-686'"));
	strbuf_release(&err);
}

static void test_unknown_parameter(void **state)
{
	char *params[] = { "mode=anon", "page=100" };
	struct strbuf err = STRBUF_INIT;

	(void)state;
	assert_int_equal(modcheck(ko, "6.1.0-50-amd64", params, 2, &err), -1);
	char want[256];
	snprintf(want, sizeof(want), "%s has no parameter 'page' (it has:", ko);
	assert_true(!strncmp(err.buf, want, strlen(want)));
	assert_non_null(strstr(err.buf, " mode "));
	assert_non_null(strstr(err.buf, " pages"));
	strbuf_release(&err);
}

static void test_not_a_module(void **state)
{
	static const char no_vermagic[] = "license=GPL\0name=x\0";
	char path[] = "/tmp/oomtest-ko2.XXXXXX";
	struct strbuf err = STRBUF_INIT;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	/* not ELF at all */
	assert_int_equal(write(fd, "not an ELF file, just text", 26), 26);
	close(fd);
	assert_int_equal(modcheck(path, "6.1.0-50-amd64", NULL, 0, &err), -1);
	assert_non_null(strstr(err.buf, ": cannot read module info: "));
	/* ELF with modinfo but no vermagic */
	strbuf_reset(&err);
	write_ko(path, no_vermagic, sizeof(no_vermagic));
	assert_int_equal(modcheck(path, "6.1.0-50-amd64", NULL, 0, &err), -1);
	char want[256];
	snprintf(want, sizeof(want), "%s: no vermagic: not a kernel module?", path);
	assert_string_equal(err.buf, want);
	unlink(path);
	/* no file */
	strbuf_reset(&err);
	assert_int_equal(modcheck(path, "6.1.0-50-amd64", NULL, 0, &err), -1);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	assert_string_equal(err.buf, want);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fits),
		cmocka_unit_test(test_other_kernel),
		cmocka_unit_test(test_unknown_parameter),
		cmocka_unit_test(test_not_a_module),
	};
	return cmocka_run_group_tests(tests, make_ko, remove_ko);
}
