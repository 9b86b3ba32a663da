/* Tests for target.c: target lists, user kernels, and what is read from
 * kernel images (the PVH note of an ELF vmlinux, a bzImage's setup header,
 * the version banner), on small images built here with just the fields
 * target.c reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "lib/child.h"
#include "target/target.h"

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A PT_LOAD segment: where it goes in guest memory and how much. */
struct load {
	uint64_t paddr, memsz;
};

/* A minimal ELF of the given class (64: x86_64, 32: i386) with one
 * PT_NOTE holding the given notes, then nloads PT_LOAD segments (no
 * bytes in the file): the fields target.c reads. */
static void write_elf_loads(const char *path, int bits, const void *notes, size_t n, const struct load *loads,
			    size_t nloads)
{
	unsigned char h[64 + 4 * 56] = { 0x7f, 'E', 'L', 'F', bits == 64 ? 2 : 1, 1, 1 };
	size_t word = bits / 8, ehsize = bits == 64 ? 64 : 52, phsize = bits == 64 ? 56 : 32;
	uint64_t phoff = ehsize, off = ehsize + (1 + nloads) * phsize, size = n;
	uint32_t pt_note = 4, pt_load = 1;
	uint16_t phentsize = (uint16_t)phsize, phnum = (uint16_t)(1 + nloads);
	FILE *f = fopen(path, "w");

	assert_true(nloads <= 3);
	/* little-endian: the low bytes of a uint64_t come first */
	memcpy(h + (bits == 64 ? 32 : 28), &phoff, word);
	memcpy(h + (bits == 64 ? 54 : 42), &phentsize, 2);
	memcpy(h + (bits == 64 ? 56 : 44), &phnum, 2);
	memcpy(h + ehsize, &pt_note, 4);
	memcpy(h + ehsize + (bits == 64 ? 8 : 4), &off, word);
	memcpy(h + ehsize + (bits == 64 ? 32 : 16), &size, word);
	for (size_t i = 0; i < nloads; i++) {
		unsigned char *ph = h + ehsize + (1 + i) * phsize;
		memcpy(ph, &pt_load, 4);
		memcpy(ph + (bits == 64 ? 24 : 12), &loads[i].paddr, word);
		memcpy(ph + (bits == 64 ? 40 : 20), &loads[i].memsz, word);
	}
	assert_non_null(f);
	fwrite(h, 1, off, f);
	fwrite(notes, 1, n, f);
	fclose(f);
}

static void write_elf(const char *path, int bits, const void *notes, size_t n)
{
	write_elf_loads(path, bits, notes, n, NULL, 0);
}

static void test_targets(void **state)
{
	(void)state;
	char dir[] = "/tmp/oomtest-tgt.XXXXXX";
	struct target_list l;
	struct target t;
	struct strbuf p = STRBUF_INIT, err = STRBUF_INIT;

	assert_non_null(mkdtemp(dir));
	strbuf_addf(&p, "%s/targets.list", dir);
	write_file(p.buf, "# oomtest targets\n# abi 6.1.0-50\n"
		   "x86_64 x86_64 6.1.0-50-amd64 build/vmlinux build/kdir pvh\n"
		   "i386 i386 6.1.0-50-686 /abs/bzImage /abs/kdir bzimage\n");
	assert_int_equal(targets_load(&l, "/root", p.buf, &err), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.abi_comment, "6.1.0-50");
	const struct target *x = targets_find(&l, "x86_64");
	assert_non_null(x);
	assert_string_equal(x->kernel, "/root/build/vmlinux");
	assert_int_equal(x->boot, BOOT_PVH);
	assert_string_equal(targets_find(&l, "i386")->kernel, "/abs/bzImage");
	assert_null(targets_find(&l, "arm"));
	targets_release(&l);

	write_file(p.buf, "x86_64 sparc 1 k d pvh\n");
	assert_int_equal(targets_load(&l, "/", p.buf, &err), -1);
	assert_non_null(strstr(err.buf, "targets.list:1: expected"));
	strbuf_reset(&err);
	assert_int_equal(targets_load(&l, "/", "/nonexistent/targets.list", &err), -1);
	assert_non_null(strstr(err.buf, "make images"));

	/* a user's kernel: release from the kdir, PVH when the image is ELF */
	struct strbuf k = STRBUF_INIT, kd = STRBUF_INIT;
	static const unsigned char pvh[] = { 4, 0, 0, 0, 4, 0, 0, 0, 18, 0, 0, 0, 'X', 'e', 'n', 0, 0, 0, 0, 1 };
	strbuf_addf(&k, "%s/vmlinux", dir);
	write_file(k.buf, "\177ELF....");
	strbuf_addf(&kd, "%s/include/config", dir);
	char *mk[] = { "mkdir", "-p", kd.buf, NULL };
	assert_int_equal(child_run(mk, -1), 0);
	strbuf_addstr(&kd, "/kernel.release");
	write_file(kd.buf, "6.9.0-custom\n");
	strbuf_reset(&err);
	/* an ELF QEMU cannot boot: said at once */
	assert_int_equal(target_custom(&t, k.buf, dir, "x86_64", &err), -1);
	assert_non_null(strstr(err.buf, "without a PVH entry note"));
	strbuf_reset(&err);
	write_elf(k.buf, 64, pvh, sizeof(pvh));
	assert_int_equal(target_custom(&t, k.buf, dir, "x86_64", &err), 0);
	assert_string_equal(t.release, "6.9.0-custom");
	assert_int_equal(t.boot, BOOT_PVH);
	assert_true(!strncmp(t.name, "custom-x86_64-", 14) && strlen(t.name) == 22);
	target_release(&t);
	/* UTS_RELEASE wins over kernel.release, and must match the image */
	strbuf_reset(&kd);
	strbuf_addf(&kd, "%s/include/generated", dir);
	char *mk2[] = { "mkdir", "-p", kd.buf, NULL };
	assert_int_equal(child_run(mk2, -1), 0);
	strbuf_addstr(&kd, "/utsrelease.h");
	write_file(kd.buf, "#define UTS_RELEASE \"6.9.0-uts\"\n");
	assert_int_equal(target_custom(&t, k.buf, dir, "i386", &err), 0);
	assert_string_equal(t.release, "6.9.0-uts");
	target_release(&t);
	write_file(k.buf, "\177ELF....Linux version 6.9.0-other (gcc) #1");
	assert_int_equal(target_custom(&t, k.buf, dir, "x86_64", &err), -1);
	assert_non_null(strstr(err.buf, "is Linux 6.9.0-other but --kdir"));
	strbuf_reset(&err);
	assert_int_equal(target_custom(&t, k.buf, dir, "arm64", &err), -1);
	assert_non_null(strstr(err.buf, "unknown architecture"));
	strbuf_reset(&err);
	assert_int_equal(target_custom(&t, k.buf, "/nonexistent", "i386", &err), -1);
	assert_non_null(strstr(err.buf, "--kdir /nonexistent"));

	char *rm[] = { "rm", "-rf", dir, NULL };
	assert_int_equal(child_run(rm, -1), 0);
	strbuf_release(&p);
	strbuf_release(&k);
	strbuf_release(&kd);
	strbuf_release(&err);
}

static void test_pvh_note(void **state)
{
	/* namesz descsz type name desc: a GNU build id, then Xen's PVH entry */
	static const unsigned char gnu[] = { 4, 0, 0, 0, 4, 0, 0, 0, 3, 0, 0, 0, 'G', 'N', 'U', 0, 1, 2, 3, 4 };
	static const unsigned char xen18[] = { 4, 0, 0, 0, 4, 0, 0, 0, 18, 0, 0, 0, 'X', 'e', 'n', 0, 0, 0, 0, 1 };
	static const unsigned char xen17[] = { 4, 0, 0, 0, 4, 0, 0, 0, 17, 0, 0, 0, 'X', 'e', 'n', 0, 0, 0, 0, 1 };
	static const unsigned char bad[] = { 4, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 18, 0, 0, 0, 'X', 'e', 'n', 0 };
	unsigned char both[sizeof(gnu) + sizeof(xen18)];
	char path[] = "/tmp/oomtest-elf.XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	memcpy(both, gnu, sizeof(gnu));
	memcpy(both + sizeof(gnu), xen18, sizeof(xen18));
	write_elf(path, 64, both, sizeof(both));
	assert_true(target_elf_has_pvh(path));
	write_elf(path, 64, xen17, sizeof(xen17));
	assert_false(target_elf_has_pvh(path));
	write_elf(path, 64, bad, sizeof(bad));	/* a note running past its segment */
	assert_false(target_elf_has_pvh(path));
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, "MZ not an ELF", 13), 13);
	close(fd);
	assert_false(target_elf_has_pvh(path));
	unlink(path);
	assert_false(target_elf_has_pvh(path));
}

static const unsigned char xen_pvh[] = { 4, 0, 0, 0, 4, 0, 0, 0, 18, 0, 0, 0, 'X', 'e', 'n', 0, 0, 0, 0, 1 };

static void test_pvh_note_layouts(void **state)
{
	char path[] = "/tmp/oomtest-elf.XXXXXX";
	int fd = mkstemp(path);
	unsigned char h[64 + 56] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
	uint64_t phoff = 4096;
	uint16_t phentsize = 56, phnum = 1;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_elf(path, 32, xen_pvh, sizeof(xen_pvh));
	assert_true(target_elf_has_pvh(path));
	/* a note of another name with the same type */
	static const unsigned char xem[] = { 4, 0, 0, 0, 4, 0, 0, 0, 18, 0, 0, 0, 'X', 'e', 'm', 0, 0, 0, 0, 1 };
	write_elf(path, 32, xem, sizeof(xem));
	assert_false(target_elf_has_pvh(path));
	/* no program headers at all */
	write_elf(path, 64, xen_pvh, sizeof(xen_pvh));
	assert_true(target_elf_has_pvh(path));
	fd = open(path, O_WRONLY);
	phnum = 0;
	assert_int_equal(pwrite(fd, &phnum, 2, 56), 2);
	close(fd);
	assert_false(target_elf_has_pvh(path));
	/* program headers that lie past the end of the file */
	memcpy(h + 32, &phoff, 8);
	memcpy(h + 54, &phentsize, 2);
	phnum = 1;
	memcpy(h + 56, &phnum, 2);
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, h, sizeof(h)), (ssize_t)sizeof(h));
	close(fd);
	assert_false(target_elf_has_pvh(path));
	unlink(path);
}

/* A bzImage as far as target.c reads one: "HdrS" at 0x202 and, at 0x20e,
 * the offset (from 0x200) of the version string. */
static void write_bzimage(const char *path, size_t size, uint16_t version_off, const char *version)
{
	unsigned char *img = calloc(1, size);
	FILE *f = fopen(path, "w");

	assert_non_null(img);
	assert_non_null(f);
	memcpy(img + 0x202, "HdrS", 4);
	memcpy(img + 0x20e, &version_off, 2);
	if (version)
		memcpy(img + 0x200 + version_off, version, strlen(version));
	fwrite(img, 1, size, f);
	fclose(f);
	free(img);
}

static void test_image_release(void **state)
{
	char path[] = "/tmp/oomtest-img.XXXXXX";
	struct strbuf rel = STRBUF_INIT;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	/* the kernel's own string: the release, then a space */
	write_bzimage(path, 0x1000, 0x300, "6.1.0-50-686 (debian-kernel@lists.debian.org) #1 SMP");
	assert_int_equal(target_image_release(path, &rel), 0);
	assert_string_equal(rel.buf, "6.1.0-50-686");
	/* an offset of 0 or past the end names nothing */
	write_bzimage(path, 0x1000, 0, NULL);
	strbuf_reset(&rel);
	assert_int_equal(target_image_release(path, &rel), -ENOENT);
	assert_int_equal(rel.len, 0);
	write_bzimage(path, 0x1000, 0xe00, NULL);
	assert_int_equal(target_image_release(path, &rel), -ENOENT);
	/* a release that runs to the end of the file stops there */
	write_bzimage(path, 0x309, 0x100, "6.9.0-rc1");
	assert_int_equal(target_image_release(path, &rel), 0);
	assert_string_equal(rel.buf, "6.9.0-rc1");

	/* anything else: the banner of a vmlinux */
	fd = open(path, O_WRONLY | O_TRUNC);
	static const char vmlinux[] = "\177ELF\2\1\1......\0Linux version 6.1.0-50-amd64 (debian-kernel@lists) #1\0";
	assert_int_equal(write(fd, vmlinux, sizeof(vmlinux)), (ssize_t)sizeof(vmlinux));
	close(fd);
	strbuf_reset(&rel);
	assert_int_equal(target_image_release(path, &rel), 0);
	assert_string_equal(rel.buf, "6.1.0-50-amd64");
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, "no banner here", 14), 14);
	close(fd);
	strbuf_reset(&rel);
	assert_int_equal(target_image_release(path, &rel), -ENOENT);
	unlink(path);
	assert_int_equal(target_image_release(path, &rel), -ENOENT);
	strbuf_release(&rel);
}

/* A bzImage given with a build tree whose vmlinux has a PVH note boots
 * through that vmlinux; one whose vmlinux is another kernel does not. */
static void test_custom_bzimage_prefers_vmlinux(void **state)
{
	char dir[] = "/tmp/oomtest-tgt.XXXXXX";
	struct strbuf bz = STRBUF_INIT, vm = STRBUF_INIT, rel = STRBUF_INIT, err = STRBUF_INIT;
	struct target t;
	char *real;

	(void)state;
	assert_non_null(mkdtemp(dir));
	strbuf_addf(&rel, "%s/include/config", dir);
	char *mk[] = { "mkdir", "-p", rel.buf, NULL };
	assert_int_equal(child_run(mk, -1), 0);
	strbuf_addstr(&rel, "/kernel.release");
	write_file(rel.buf, "6.9.0-t\n");
	strbuf_addf(&bz, "%s/bzImage", dir);
	write_bzimage(bz.buf, 0x1000, 0x300, "6.9.0-t (me@here) #1");

	/* no vmlinux beside it */
	assert_int_equal(target_custom(&t, bz.buf, dir, "i386", &err), 0);
	assert_int_equal(t.boot, BOOT_BZIMAGE);
	assert_true(!strncmp(t.name, "custom-i386-", 12) && strlen(t.name) == 20);
	real = realpath(bz.buf, NULL);
	assert_string_equal(t.kernel, real);
	free(real);
	target_release(&t);

	/* a vmlinux with a PVH note of the same release */
	static const char banner[] = "Linux version 6.9.0-t (me@here)";
	strbuf_addf(&vm, "%s/vmlinux", dir);
	write_elf(vm.buf, 64, xen_pvh, sizeof(xen_pvh));
	/* its banner after the note, outside the note segment */
	FILE *f = fopen(vm.buf, "a");
	assert_non_null(f);
	fwrite(banner, 1, sizeof(banner), f);
	fclose(f);
	assert_int_equal(target_custom(&t, bz.buf, dir, "x86_64", &err), 0);
	assert_int_equal(t.boot, BOOT_PVH);
	real = realpath(vm.buf, NULL);
	assert_string_equal(t.kernel, real);
	free(real);
	target_release(&t);

	/* a vmlinux of another release is not used */
	write_file(rel.buf, "6.9.0-u\n");
	write_bzimage(bz.buf, 0x1000, 0x300, "6.9.0-u (me@here) #1");
	assert_int_equal(target_custom(&t, bz.buf, dir, "x86_64", &err), 0);
	assert_int_equal(t.boot, BOOT_BZIMAGE);
	target_release(&t);
	/* and a bzImage of another release than the build tree is refused */
	write_bzimage(bz.buf, 0x1000, 0x300, "6.9.0-v (me@here) #1");
	assert_int_equal(target_custom(&t, bz.buf, dir, "x86_64", &err), -1);
	assert_non_null(strstr(err.buf, "is Linux 6.9.0-v but --kdir"));
	strbuf_reset(&err);
	assert_int_equal(target_custom(&t, "/nonexistent/bzImage", dir, "x86_64", &err), -1);
	assert_non_null(strstr(err.buf, "--kernel /nonexistent/bzImage: No such file or directory"));

	char *rm[] = { "rm", "-rf", dir, NULL };
	assert_int_equal(child_run(rm, -1), 0);
	strbuf_release(&bz);
	strbuf_release(&vm);
	strbuf_release(&rel);
	strbuf_release(&err);
}

#define MIB (1ull << 20)

/* A vmlinux of release 6.9.0-t whose segments end at 16M + 40M + 12M:
 * 68M of guest memory before the kernel has run at all. */
static void write_big_vmlinux(const char *path)
{
	static const char banner[] = "Linux version 6.9.0-t (me@here)";
	static const struct load loads[] = { { 16 * MIB, 40 * MIB }, { 56 * MIB, 12 * MIB } };
	FILE *f;

	write_elf_loads(path, 64, xen_pvh, sizeof(xen_pvh), loads, 2);
	f = fopen(path, "a");
	assert_non_null(f);
	fwrite(banner, 1, sizeof(banner), f);
	fclose(f);
}

static void test_elf_load_end(void **state)
{
	char path[] = "/tmp/oomtest-elf.XXXXXX";
	static const struct load loads[] = { { 60 * MIB, 8 * MIB }, { 16 * MIB, 40 * MIB } };
	static const struct load wraps[] = { { UINT64_MAX - 10, 100 } };
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	/* the highest end, not the sum nor the last segment's */
	write_elf_loads(path, 64, xen_pvh, sizeof(xen_pvh), loads, 2);
	assert_int_equal(target_elf_load_end(path), 68 * MIB);
	write_elf_loads(path, 32, xen_pvh, sizeof(xen_pvh), loads, 2);
	assert_int_equal(target_elf_load_end(path), 68 * MIB);
	/* notes are not loaded */
	write_elf(path, 64, xen_pvh, sizeof(xen_pvh));
	assert_int_equal(target_elf_load_end(path), 0);
	write_elf_loads(path, 64, xen_pvh, sizeof(xen_pvh), wraps, 1);
	assert_true(target_elf_load_end(path) == UINT64_MAX);
	assert_false(target_pvh_fits(target_elf_load_end(path), UINT64_MAX - 1));
	write_file(path, "not an ELF");
	assert_int_equal(target_elf_load_end(path), 0);
	unlink(path);
	assert_int_equal(target_elf_load_end(path), 0);
}

/* A vmlinux whose segments do not fit in a guest's memory is not booted
 * there: the bzImage of the same kernel is (and boot.path says
 * cold-bzimage); where there is no bzImage, the target needs more memory
 * (the runs of smaller guests are skipped). */
static void test_boot_path_fits_memory(void **state)
{
	char dir[] = "/tmp/oomtest-tgt.XXXXXX";
	struct strbuf bz = STRBUF_INIT, vm = STRBUF_INIT, rel = STRBUF_INIT, err = STRBUF_INIT;
	struct target t, booted;
	char *real_vm, *real_bz;

	(void)state;
	assert_non_null(mkdtemp(dir));
	strbuf_addf(&rel, "%s/arch/x86/boot", dir);
	char *mk[] = { "mkdir", "-p", rel.buf, NULL };
	assert_int_equal(child_run(mk, -1), 0);
	strbuf_reset(&rel);
	strbuf_addf(&rel, "%s/include/config", dir);
	assert_int_equal(child_run(mk, -1), 0);
	strbuf_addstr(&rel, "/kernel.release");
	write_file(rel.buf, "6.9.0-t\n");
	strbuf_addf(&bz, "%s/bzImage", dir);
	write_bzimage(bz.buf, 0x1000, 0x300, "6.9.0-t (me@here) #1");
	strbuf_addf(&vm, "%s/vmlinux", dir);
	write_big_vmlinux(vm.buf);
	real_vm = realpath(vm.buf, NULL);
	real_bz = realpath(bz.buf, NULL);

	/* a bzImage with the vmlinux beside it: each where it fits */
	assert_int_equal(target_custom(&t, bz.buf, dir, "x86_64", &err), 0);
	assert_int_equal(t.boot, BOOT_PVH);
	assert_string_equal(t.kernel, real_vm);
	assert_string_equal(t.bzimage, real_bz);
	assert_true(t.load_end == 68 * MIB);
	assert_true(t.min_memory == 0);
	booted = target_for_memory(&t, 64 * MIB);
	assert_int_equal(booted.boot, BOOT_BZIMAGE);
	assert_string_equal(booted.kernel, real_bz);
	booted = target_for_memory(&t, 68 * MIB + PVH_HEADROOM - 1);
	assert_int_equal(booted.boot, BOOT_BZIMAGE);
	booted = target_for_memory(&t, 68 * MIB + PVH_HEADROOM);
	assert_int_equal(booted.boot, BOOT_PVH);
	assert_string_equal(booted.kernel, real_vm);
	booted = target_for_memory(&t, 128 * MIB);
	assert_int_equal(booted.boot, BOOT_PVH);
	assert_string_equal(booted.kernel, real_vm);
	assert_string_equal(booted.name, t.name);
	target_release(&t);

	/* the vmlinux given, with no bzImage in the tree: nothing smaller to
	 * boot, so the target says how much memory it needs */
	assert_int_equal(target_custom(&t, vm.buf, dir, "x86_64", &err), 0);
	assert_int_equal(t.boot, BOOT_PVH);
	assert_null(t.bzimage);
	assert_true(t.min_memory == 68 * MIB + PVH_HEADROOM);
	booted = target_for_memory(&t, 128 * MIB);
	assert_string_equal(booted.kernel, real_vm);
	target_release(&t);

	/* the vmlinux given, the tree's own bzImage kept for small guests */
	strbuf_reset(&bz);
	strbuf_addf(&bz, "%s/arch/x86/boot/bzImage", dir);
	write_bzimage(bz.buf, 0x1000, 0x300, "6.9.0-t (me@here) #1");
	free(real_bz);
	real_bz = realpath(bz.buf, NULL);
	assert_int_equal(target_custom(&t, vm.buf, dir, "x86_64", &err), 0);
	assert_string_equal(t.bzimage, real_bz);
	assert_true(t.min_memory == 0);
	booted = target_for_memory(&t, 64 * MIB);
	assert_string_equal(booted.kernel, real_bz);
	assert_int_equal(booted.boot, BOOT_BZIMAGE);
	target_release(&t);

	char *rm[] = { "rm", "-rf", dir, NULL };
	assert_int_equal(child_run(rm, -1), 0);
	free(real_vm);
	free(real_bz);
	strbuf_release(&bz);
	strbuf_release(&vm);
	strbuf_release(&rel);
	strbuf_release(&err);
}

static char *name_of(const char *arch, const char *kernel, const char *kdir)
{
	char *name = target_custom_name(arch, kernel, kdir);
	size_t n = strlen(name);

	/* custom-ARCH- and 8 hex digits */
	assert_true(n > 9 && strspn(name + n - 8, "0123456789abcdef") == 8 && name[n - 9] == '-');
	return name;
}

/* A user's kernel is named by its build: a rebuilt kernel whose release
 * string stays the same (new Module.symvers, new image) is another target,
 * with its own module and initramfs. */
static void test_custom_name_follows_kernel(void **state)
{
	char dir[] = "/tmp/oomtest-tgt.XXXXXX";
	struct strbuf k = STRBUF_INIT, sym = STRBUF_INIT;
	struct timeval old[2] = { { 1000, 0 }, { 1000, 0 } };
	char *a, *b;

	(void)state;
	assert_non_null(mkdtemp(dir));
	strbuf_addf(&k, "%s/bzImage", dir);
	strbuf_addf(&sym, "%s/Module.symvers", dir);
	write_file(k.buf, "kernel");
	write_file(sym.buf, "0x12345678\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n");
	a = name_of("x86_64", k.buf, dir);
	b = name_of("x86_64", k.buf, dir);
	assert_string_equal(a, b);
	assert_true(!strncmp(a, "custom-x86_64-", 14) && strlen(a) == 22);
	free(b);
	b = name_of("i386", k.buf, dir);
	assert_true(!strncmp(b, "custom-i386-", 12) && strlen(b) == 20);
	free(b);
	/* the kernel's exported symbols changed */
	write_file(sym.buf, "0x87654321\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n");
	b = name_of("x86_64", k.buf, dir);
	assert_string_not_equal(a, b);
	free(a);
	a = b;
	/* the image was rebuilt */
	assert_int_equal(utimes(k.buf, old), 0);
	b = name_of("x86_64", k.buf, dir);
	assert_string_not_equal(a, b);
	free(a);
	a = b;
	/* no Module.symvers (the build of the module says so) */
	unlink(sym.buf);
	b = name_of("x86_64", k.buf, dir);
	assert_string_not_equal(a, b);
	free(a);
	free(b);
	/* -t custom-x86_64 still names it */
	assert_true(target_name_matches("custom-x86_64", "custom-x86_64-0a1b2c3d"));
	assert_false(target_name_matches("custom-i386", "custom-x86_64-0a1b2c3d"));
	assert_false(target_name_matches("x86_64", "x86_64-6.12"));
	assert_true(target_name_matches("x86_64-6.12", "x86_64-6.12"));

	char *rm[] = { "rm", "-rf", dir, NULL };
	assert_int_equal(child_run(rm, -1), 0);
	strbuf_release(&k);
	strbuf_release(&sym);
}

static void test_arch_and_qemu(void **state)
{
	(void)state;
	assert_true(arch_valid("x86_64"));
	assert_true(arch_valid("i386"));
	assert_false(arch_valid("i686"));
	assert_false(arch_valid(""));
	unsetenv("OOMTEST_QEMU");
	assert_string_equal(qemu_binary("x86_64"), "qemu-system-x86_64");
	assert_string_equal(qemu_binary("i386"), "qemu-system-i386");
	setenv("OOMTEST_QEMU", "", 1);
	assert_string_equal(qemu_binary("i386"), "qemu-system-i386");
	setenv("OOMTEST_QEMU", "/q/qemu", 1);
	assert_string_equal(qemu_binary("i386"), "/q/qemu");
	unsetenv("OOMTEST_QEMU");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pvh_note),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_pvh_note_layouts),
		cmocka_unit_test(test_image_release),
		cmocka_unit_test(test_custom_bzimage_prefers_vmlinux),
		cmocka_unit_test(test_elf_load_end),
		cmocka_unit_test(test_boot_path_fits_memory),
		cmocka_unit_test(test_custom_name_follows_kernel),
		cmocka_unit_test(test_arch_and_qemu),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
