/* Tests for payload/elf.c: real programs built by gcc (static i386, dynamic
 * i386 and x86-64, a library), a real big-endian S/390 file, scripts,
 * garbage, and ELF files made here in both byte orders and classes, cut
 * short and corrupted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/strbuf.h"
#include "payload/elf.h"

#define FIXTURE(name) "fixtures/payload/elf/" name

static void inspect_ok(const char *path, struct elf_info *info)
{
	struct strbuf err = STRBUF_INIT;
	int r = elf_inspect(path, info, &err);
	if (r)
		fail_msg("%s: %s", path, err.buf);
	assert_int_equal(err.len, 0);
	strbuf_release(&err);
}

static void test_static_i386(void **state)
{
	struct elf_info info;
	struct strbuf msg = STRBUF_INIT;
	(void)state;

	inspect_ok(FIXTURE("static-i386"), &info);
	assert_true(info.is_elf);
	assert_int_equal(info.elf_class, 32);
	assert_int_equal(info.machine, EM_386);
	assert_null(info.interp);
	assert_int_equal(info.nneeded, 0);
	assert_null(info.script_interp);
	assert_true(elf_arch_matches(&info, "i386"));
	assert_false(elf_arch_matches(&info, "x86_64"));
	elf_arch_mismatch(&info, "x86_64", &msg);
	assert_string_equal(msg.buf, "ELF is i386, the target is x86_64");
	strbuf_release(&msg);
	elf_info_release(&info);
}

static void test_dynamic_x86_64(void **state)
{
	struct elf_info info;
	struct strbuf msg = STRBUF_INIT;
	(void)state;

	inspect_ok(FIXTURE("hello-x86_64"), &info);
	assert_int_equal(info.elf_class, 64);
	assert_int_equal(info.machine, EM_X86_64);
	assert_string_equal(info.interp, "/lib64/ld-linux-x86-64.so.2");
	assert_int_equal(info.nneeded, 1);
	assert_string_equal(info.needed[0], "libc.so.6");
	assert_true(elf_arch_matches(&info, "x86_64"));
	assert_false(elf_arch_matches(&info, "i386"));
	assert_false(elf_arch_matches(&info, "aarch64"));
	elf_arch_mismatch(&info, "i386", &msg);
	assert_string_equal(msg.buf, "ELF is x86-64, the target is i386");
	strbuf_release(&msg);
	elf_info_release(&info);
	assert_null(info.needed);
}

static void test_dynamic_i386_and_library(void **state)
{
	struct elf_info info;
	(void)state;

	inspect_ok(FIXTURE("hello-i386"), &info);
	assert_int_equal(info.elf_class, 32);
	assert_string_equal(info.interp, "/lib/ld-linux.so.2");
	assert_int_equal(info.nneeded, 1);
	assert_string_equal(info.needed[0], "libc.so.6");
	elf_info_release(&info);

	inspect_ok(FIXTURE("usedemo-x86_64"), &info);
	assert_int_equal(info.nneeded, 2);
	assert_string_equal(info.needed[0], "libdemo.so.1");
	assert_string_equal(info.needed[1], "libc.so.6");
	elf_info_release(&info);

	/* a shared library: dynamic, no interpreter */
	inspect_ok(FIXTURE("libdemo-x86_64.so"), &info);
	assert_null(info.interp);
	assert_int_equal(info.nneeded, 1);
	assert_string_equal(info.needed[0], "libc.so.6");
	elf_info_release(&info);

	inspect_ok(FIXTURE("stub-i386.so"), &info);
	assert_int_equal(info.elf_class, 32);
	assert_null(info.interp);
	assert_int_equal(info.nneeded, 0);
	elf_info_release(&info);
}

static void test_big_endian_s390(void **state)
{
	struct elf_info info;
	struct strbuf msg = STRBUF_INIT;
	(void)state;

	inspect_ok(FIXTURE("s390x-be.img"), &info);
	assert_true(info.is_elf);
	assert_int_equal(info.elf_class, 64);
	assert_int_equal(info.machine, EM_S390);
	assert_string_equal(info.interp, "/lib/ld64.so.1");
	assert_int_equal(info.nneeded, 0);
	assert_string_equal(elf_machine_name(info.machine), "S/390");
	assert_false(elf_arch_matches(&info, "x86_64"));
	elf_arch_mismatch(&info, "x86_64", &msg);
	assert_string_equal(msg.buf, "ELF is S/390, the target is x86_64");
	strbuf_release(&msg);
	elf_info_release(&info);
}

static void test_scripts(void **state)
{
	struct elf_info info;
	(void)state;

	inspect_ok(FIXTURE("script-sh"), &info);
	assert_false(info.is_elf);
	assert_string_equal(info.script_interp, "/bin/sh");
	assert_string_equal(info.script_arg, "-e");
	assert_false(elf_arch_matches(&info, "x86_64"));
	elf_info_release(&info);

	/* blanks around both, a CR: the whole rest is one argument */
	inspect_ok(FIXTURE("script-env"), &info);
	assert_string_equal(info.script_interp, "/usr/bin/env");
	assert_string_equal(info.script_arg, "python3 -u");
	elf_info_release(&info);

	inspect_ok(FIXTURE("script-noline"), &info);
	assert_string_equal(info.script_interp, "/bin/busybox");
	assert_null(info.script_arg);
	elf_info_release(&info);
}

static void expect_error(const void *buf, size_t len, const char *part)
{
	struct elf_info info;
	struct strbuf err = STRBUF_INIT;

	assert_int_equal(elf_inspect_mem(buf, len, &info, &err), -1);
	if (!strstr(err.buf, part))
		fail_msg("'%s' does not hold '%s'", err.buf, part);
	elf_info_release(&info);
	strbuf_release(&err);
}

static void test_bad_scripts(void **state)
{
	char *long_line = xmalloc(5000);
	(void)state;

	expect_error("#!\n/bin/sh", 10, "names no interpreter");
	expect_error("#!   \t \n", 8, "names no interpreter");
	expect_error("#!/bin/s\0h\n", 11, "NUL byte");
	expect_error("#!/bin/sh a\0b\n", 14, "NUL byte");
	memcpy(long_line, "#!/", 3);
	memset(long_line + 3, 'x', 4997);
	expect_error(long_line, 5000, "longer than");
	free(long_line);
}

static void test_not_programs(void **state)
{
	struct elf_info info;
	struct strbuf err = STRBUF_INIT;
	char empty[] = "/tmp/oomtest-elf-empty.XXXXXX";
	int fd;
	(void)state;

	inspect_ok(FIXTURE("garbage"), &info);
	assert_false(info.is_elf);
	assert_null(info.script_interp);
	assert_int_equal(info.elf_class, 0);
	elf_info_release(&info);

	fd = mkstemp(empty);
	assert_true(fd >= 0);
	close(fd);
	inspect_ok(empty, &info);
	assert_false(info.is_elf);
	assert_null(info.script_interp);
	unlink(empty);

	assert_int_equal(elf_inspect(FIXTURE("truncated-elf"), &info, &err), -1);
	assert_string_equal(err.buf, FIXTURE("truncated-elf") ": malformed ELF file: shorter than its ELF header");
	elf_info_release(&info);
	strbuf_reset(&err);

	assert_int_equal(elf_inspect(FIXTURE("no-such-file"), &info, &err), -1);
	assert_string_equal(err.buf, FIXTURE("no-such-file") ": No such file or directory");
	strbuf_reset(&err);
	assert_int_equal(elf_inspect(FIXTURE(""), &info, &err), -1);
	assert_non_null(strstr(err.buf, "not a regular file"));
	strbuf_release(&err);
}

/* An ELF file of either class and byte order: ehdr, three program headers
 * (PT_LOAD of the whole file, PT_INTERP, PT_DYNAMIC), the interpreter, a
 * string table, the dynamic section. */
struct layout {
	int is64, big;
	unsigned machine;
	size_t phoff, interp, strtab, strsz, dynamic, total;
};

static void put(unsigned char *b, size_t off, uint64_t v, unsigned width, int big)
{
	for (unsigned i = 0; i < width; i++)
		b[off + i] = (unsigned char)(v >> (big ? 8 * (width - 1 - i) : 8 * i));
}

#define VBASE 0x400000u

static unsigned char *make_elf(struct layout *l, const char *interp, const char *const *needed, size_t n)
{
	unsigned w = l->is64 ? 8 : 4, phent = l->is64 ? 56 : 32;
	unsigned char *b = xcalloc(1, 4096);
	size_t at;

	l->phoff = l->is64 ? 64 : 52;
	l->interp = l->phoff + 3 * phent;
	l->strtab = l->interp + strlen(interp) + 1;
	at = l->strtab + 1;
	for (size_t i = 0; i < n; i++) {
		strcpy((char *)b + at, needed[i]);
		at += strlen(needed[i]) + 1;
	}
	l->strsz = at - l->strtab;
	l->dynamic = (at + 7) & ~(size_t)7;
	l->total = l->dynamic + (n + 3) * 2 * w;
	assert_true(l->total <= 4096);

	memcpy(b, ELFMAG, SELFMAG);
	b[EI_CLASS] = l->is64 ? ELFCLASS64 : ELFCLASS32;
	b[EI_DATA] = l->big ? ELFDATA2MSB : ELFDATA2LSB;
	b[EI_VERSION] = EV_CURRENT;
	put(b, 16, ET_EXEC, 2, l->big);
	put(b, 18, l->machine, 2, l->big);
	put(b, l->is64 ? 32 : 28, l->phoff, w, l->big);
	put(b, l->is64 ? 54 : 42, phent, 2, l->big);
	put(b, l->is64 ? 56 : 44, 3, 2, l->big);
	struct { uint32_t type; size_t off, size; } ph[3] = {
		{ PT_LOAD, 0, l->total }, { PT_INTERP, l->interp, strlen(interp) + 1 },
		{ PT_DYNAMIC, l->dynamic, (n + 3) * 2 * w },
	};
	for (int i = 0; i < 3; i++) {
		size_t p = l->phoff + (size_t)i * phent;
		put(b, p, ph[i].type, 4, l->big);
		put(b, p + (l->is64 ? 8 : 4), ph[i].off, w, l->big);
		put(b, p + (l->is64 ? 16 : 8), VBASE + ph[i].off, w, l->big);
		put(b, p + (l->is64 ? 32 : 16), ph[i].size, w, l->big);
	}
	strcpy((char *)b + l->interp, interp);
	at = l->dynamic;
	size_t name = 1;
	for (size_t i = 0; i < n; i++, at += 2 * w) {
		put(b, at, DT_NEEDED, w, l->big);
		put(b, at + w, name, w, l->big);
		name += strlen(needed[i]) + 1;
	}
	put(b, at, DT_STRTAB, w, l->big);
	put(b, at + w, VBASE + l->strtab, w, l->big);
	at += 2 * w;
	put(b, at, DT_STRSZ, w, l->big);
	put(b, at + w, l->strsz, w, l->big);
	return b;
}

static void test_made_both_orders_and_classes(void **state)
{
	static const char *const needed[] = { "libfoo.so.1", "libc.so.6", "libbar.so" };
	(void)state;

	for (int is64 = 0; is64 < 2; is64++) {
		for (int big = 0; big < 2; big++) {
			struct layout l = { is64, big, big ? EM_PPC : EM_386, 0, 0, 0, 0, 0, 0 };
			unsigned char *b = make_elf(&l, "/lib/ld.so.1", needed, 3);
			struct elf_info info;
			struct strbuf err = STRBUF_INIT;

			assert_int_equal(elf_inspect_mem(b, l.total, &info, &err), 0);
			assert_int_equal(info.elf_class, is64 ? 64 : 32);
			assert_int_equal(info.machine, big ? EM_PPC : EM_386);
			assert_string_equal(info.interp, "/lib/ld.so.1");
			assert_int_equal(info.nneeded, 3);
			for (int i = 0; i < 3; i++)
				assert_string_equal(info.needed[i], needed[i]);
			elf_info_release(&info);
			strbuf_release(&err);
			free(b);
		}
	}
}

/* Every prefix of a made file: an error or a result, never a read past the
 * end (ASan watches: each prefix is a buffer of its own length). */
static void test_every_prefix(void **state)
{
	static const char *const needed[] = { "libfoo.so.1", "libc.so.6" };
	(void)state;

	for (int is64 = 0; is64 < 2; is64++) {
		struct layout l = { is64, is64, EM_X86_64, 0, 0, 0, 0, 0, 0 };
		unsigned char *b = make_elf(&l, "/lib/ld.so", needed, 2);
		int complete = 0;

		for (size_t len = 0; len <= l.total; len++) {
			unsigned char *copy = xmalloc(len ? len : 1);
			struct elf_info info;
			struct strbuf err = STRBUF_INIT;

			memcpy(copy, b, len);
			int r = elf_inspect_mem(copy, len, &info, &err);
			assert_true(r == 0 || (r == -1 && err.len > 0));
			if (r == 0 && info.nneeded == 2)
				complete++;
			elf_info_release(&info);
			strbuf_release(&err);
			free(copy);
		}
		/* only once the whole dynamic section is there */
		assert_int_equal(complete, 1);
		free(b);
	}
}

static void test_corrupt(void **state)
{
	static const char *const needed[] = { "libfoo.so.1" };
	struct layout l = { 1, 0, EM_X86_64, 0, 0, 0, 0, 0, 0 };
	unsigned char *b = make_elf(&l, "/lib/ld.so", needed, 1);
	unsigned char *c = xmalloc(l.total);
	(void)state;

#define CORRUPT(off, val, width, msg) do { \
		memcpy(c, b, l.total); \
		put(c, (off), (val), (width), 0); \
		expect_error(c, l.total, (msg)); \
	} while (0)
	CORRUPT(EI_CLASS, 3, 1, "unknown ELF class");
	CORRUPT(EI_DATA, 0, 1, "unknown byte order");
	CORRUPT(54, 32, 2, "unexpected program header size");
	CORRUPT(32, UINT64_MAX - 8, 8, "program headers outside the file");
	CORRUPT(56, 60, 2, "program headers outside the file");
	/* PN_XNUM with the section headers past the end */
	memcpy(c, b, l.total);
	put(c, 40, 1u << 20, 8, 0);
	put(c, 56, PN_XNUM, 2, 0);
	expect_error(c, l.total, "section header holding the program header count");
	/* PT_INTERP: not terminated, empty, past the end */
	CORRUPT(l.phoff + 56 + 32, 3, 8, "not a NUL-terminated string");
	CORRUPT(l.interp, 0, 1, "PT_INTERP is empty");
	CORRUPT(l.phoff + 56 + 8, l.total, 8, "PT_INTERP outside the file");
	CORRUPT(l.phoff + 56 + 32, UINT64_MAX, 8, "PT_INTERP outside the file");
	/* PT_DYNAMIC past the end */
	CORRUPT(l.phoff + 112 + 32, l.total, 8, "PT_DYNAMIC outside the file");
	/* a name past the string table (DT_STRSZ bounds it) or the segment */
	CORRUPT(l.dynamic + 8, l.strsz, 8, "outside the string table");
	CORRUPT(l.dynamic + 8, UINT64_MAX, 8, "outside the string table");
	CORRUPT(l.dynamic + 16 + 8, 0x10, 8, "without a DT_STRTAB in a loaded segment");
	/* the segment ends inside the string: no NUL within it */
	CORRUPT(l.phoff + 32, l.strtab + 4, 8, "outside the string table");
	/* DT_STRTAB's tag turned into one we ignore */
	CORRUPT(l.dynamic + 16, DT_HASH, 8, "without a DT_STRTAB");
#undef CORRUPT

	/* PN_XNUM read from section 0's sh_info */
	unsigned char *x = xcalloc(1, l.total + 64);
	memcpy(x, b, l.total);
	put(x, 40, l.total, 8, 0);
	put(x, 56, PN_XNUM, 2, 0);
	put(x, l.total + 44, 3, 4, 0);
	struct elf_info info;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(elf_inspect_mem(x, l.total + 64, &info, &err), 0);
	assert_int_equal(info.nneeded, 1);
	assert_string_equal(info.needed[0], "libfoo.so.1");
	elf_info_release(&info);
	strbuf_release(&err);
	free(x);
	free(c);
	free(b);
}

static void test_machine_names_and_mismatch(void **state)
{
	struct elf_info info;
	struct strbuf msg = STRBUF_INIT;
	(void)state;

	assert_string_equal(elf_machine_name(EM_AARCH64), "AArch64");
	assert_string_equal(elf_machine_name(EM_386), "i386");
	assert_string_equal(elf_machine_name(EM_X86_64), "x86-64");
	assert_string_equal(elf_machine_name(EM_RISCV), "RISC-V");
	assert_string_equal(elf_machine_name(9999), "unknown");

	/* x32: an x86-64 machine in a 32-bit file matches neither target */
	memset(&info, 0, sizeof(info));
	info.is_elf = 1;
	info.elf_class = 32;
	info.machine = EM_X86_64;
	assert_false(elf_arch_matches(&info, "x86_64"));
	assert_false(elf_arch_matches(&info, "i386"));
	elf_arch_mismatch(&info, "x86_64", &msg);
	assert_string_equal(msg.buf, "ELF is 32-bit x86-64, the target is x86_64");
	strbuf_reset(&msg);

	/* an arm64 program: arm64's, by any of its names */
	info.elf_class = 64;
	info.machine = EM_AARCH64;
	assert_true(elf_arch_matches(&info, "arm64"));
	assert_true(elf_arch_matches(&info, "aarch64"));
	assert_false(elf_arch_matches(&info, "x86_64"));
	assert_false(elf_arch_matches(&info, "sparc"));
	elf_arch_mismatch(&info, "x86_64", &msg);
	assert_string_equal(msg.buf, "ELF is AArch64, the target is x86_64");
	strbuf_reset(&msg);
	info.elf_class = 32;
	assert_false(elf_arch_matches(&info, "arm64"));
	elf_arch_mismatch(&info, "arm64", &msg);
	assert_string_equal(msg.buf, "ELF is 32-bit AArch64, the target is arm64");
	strbuf_reset(&msg);

	info.machine = 9999;
	elf_arch_mismatch(&info, "i386", &msg);
	assert_string_equal(msg.buf, "ELF is for machine 9999, the target is i386");
	strbuf_reset(&msg);

	info.is_elf = 0;
	elf_arch_mismatch(&info, "i386", &msg);
	assert_string_equal(msg.buf, "not an ELF file, the target is i386");
	strbuf_release(&msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_static_i386),
		cmocka_unit_test(test_dynamic_x86_64),
		cmocka_unit_test(test_dynamic_i386_and_library),
		cmocka_unit_test(test_big_endian_s390),
		cmocka_unit_test(test_scripts),
		cmocka_unit_test(test_bad_scripts),
		cmocka_unit_test(test_not_programs),
		cmocka_unit_test(test_made_both_orders_and_classes),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_machine_names_and_mismatch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
