/* Tests for kimage.c: what is read from a kernel image: its kind and
 * arch from its header (real heads of Debian's images in
 * fixtures/kimage/, and small images built here), whether it fits an
 * arch, the release it names, an ELF kernel's PVH note and where its
 * segments end. */
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
#include <unistd.h>

#include "target/kimage.h"
#include "target/target.h"
#include "kimage_test_util.h"

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
	assert_true(kimage_elf_has_pvh(path));
	write_elf(path, 64, xen17, sizeof(xen17));
	assert_false(kimage_elf_has_pvh(path));
	write_elf(path, 64, bad, sizeof(bad));	/* a note running past its segment */
	assert_false(kimage_elf_has_pvh(path));
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, "MZ not an ELF", 13), 13);
	close(fd);
	assert_false(kimage_elf_has_pvh(path));
	unlink(path);
	assert_false(kimage_elf_has_pvh(path));
}

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
	assert_true(kimage_elf_has_pvh(path));
	/* a note of another name with the same type */
	static const unsigned char xem[] = { 4, 0, 0, 0, 4, 0, 0, 0, 18, 0, 0, 0, 'X', 'e', 'm', 0, 0, 0, 0, 1 };
	write_elf(path, 32, xem, sizeof(xem));
	assert_false(kimage_elf_has_pvh(path));
	/* no program headers at all */
	write_elf(path, 64, xen_pvh, sizeof(xen_pvh));
	assert_true(kimage_elf_has_pvh(path));
	fd = open(path, O_WRONLY);
	phnum = 0;
	assert_int_equal(pwrite(fd, &phnum, 2, 56), 2);
	close(fd);
	assert_false(kimage_elf_has_pvh(path));
	/* program headers that lie past the end of the file */
	memcpy(h + 32, &phoff, 8);
	memcpy(h + 54, &phentsize, 2);
	phnum = 1;
	memcpy(h + 56, &phnum, 2);
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, h, sizeof(h)), (ssize_t)sizeof(h));
	close(fd);
	assert_false(kimage_elf_has_pvh(path));
	unlink(path);
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
	assert_int_equal(kimage_release(path, &rel), 0);
	assert_string_equal(rel.buf, "6.1.0-50-686");
	/* an offset of 0 or past the end names nothing */
	write_bzimage(path, 0x1000, 0, NULL);
	strbuf_reset(&rel);
	assert_int_equal(kimage_release(path, &rel), -ENOENT);
	assert_int_equal(rel.len, 0);
	write_bzimage(path, 0x1000, 0xe00, NULL);
	assert_int_equal(kimage_release(path, &rel), -ENOENT);
	/* a release that runs to the end of the file stops there */
	write_bzimage(path, 0x309, 0x100, "6.9.0-rc1");
	assert_int_equal(kimage_release(path, &rel), 0);
	assert_string_equal(rel.buf, "6.9.0-rc1");

	/* anything else: the banner of a vmlinux */
	fd = open(path, O_WRONLY | O_TRUNC);
	static const char vmlinux[] = "\177ELF\2\1\1......\0Linux version 6.1.0-50-amd64 (debian-kernel@lists) #1\0";
	assert_int_equal(write(fd, vmlinux, sizeof(vmlinux)), (ssize_t)sizeof(vmlinux));
	close(fd);
	strbuf_reset(&rel);
	assert_int_equal(kimage_release(path, &rel), 0);
	assert_string_equal(rel.buf, "6.1.0-50-amd64");
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, "no banner here", 14), 14);
	close(fd);
	strbuf_reset(&rel);
	assert_int_equal(kimage_release(path, &rel), -ENOENT);
	unlink(path);
	assert_int_equal(kimage_release(path, &rel), -ENOENT);
	strbuf_release(&rel);
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
	assert_int_equal(kimage_elf_load_end(path), 68 * MIB);
	write_elf_loads(path, 32, xen_pvh, sizeof(xen_pvh), loads, 2);
	assert_int_equal(kimage_elf_load_end(path), 68 * MIB);
	/* notes are not loaded */
	write_elf(path, 64, xen_pvh, sizeof(xen_pvh));
	assert_int_equal(kimage_elf_load_end(path), 0);
	write_elf_loads(path, 64, xen_pvh, sizeof(xen_pvh), wraps, 1);
	assert_true(kimage_elf_load_end(path) == UINT64_MAX);
	assert_false(target_pvh_fits(kimage_elf_load_end(path), UINT64_MAX - 1));
	write_file(path, "not an ELF");
	assert_int_equal(kimage_elf_load_end(path), 0);
	unlink(path);
	assert_int_equal(kimage_elf_load_end(path), 0);
}

/* What the head of a fixture (a real image's) is. */
static void identify_fixture(const char *name, struct kimage *k)
{
	struct strbuf path = STRBUF_INIT, head = STRBUF_INIT;

	strbuf_addf(&path, "fixtures/kimage/%s", name);
	assert_int_equal(strbuf_read_file(&head, path.buf), 0);
	kimage_identify(head.buf, head.len, k);
	strbuf_release(&path);
	strbuf_release(&head);
}

static void assert_describes(const struct kimage *k, const char *want)
{
	struct strbuf what = STRBUF_INIT;

	kimage_describe(k, &what);
	assert_string_equal(what.buf, want);
	strbuf_release(&what);
}

/* Debian's images: each names its arch, but gzip data */
static void test_real_heads(void **state)
{
	struct kimage k;

	(void)state;
	identify_fixture("bzimage-6.1.0-50-amd64.head", &k);
	assert_int_equal(k.kind, KIMAGE_BZIMAGE);
	assert_ptr_equal(k.arch, &arch_x86_64);
	assert_describes(&k, "a bzImage for x86_64");
	identify_fixture("bzimage-6.1.0-50-686.head", &k);
	assert_int_equal(k.kind, KIMAGE_BZIMAGE);
	assert_ptr_equal(k.arch, &arch_i386);
	identify_fixture("vmlinux-6.1.0-50-amd64.head", &k);
	assert_int_equal(k.kind, KIMAGE_ELF);
	assert_int_equal(k.elf_machine, 62);
	assert_int_equal(k.elf_class, 64);
	assert_ptr_equal(k.arch, &arch_x86_64);
	assert_describes(&k, "an ELF vmlinux for x86_64");
	/* an EFI stub's "MZ" first, the Image header's magic at 56 */
	identify_fixture("image-6.1.0-50-cloud-arm64.head", &k);
	assert_int_equal(k.kind, KIMAGE_IMAGE);
	assert_ptr_equal(k.arch, &arch_arm64);
	assert_describes(&k, "an Image for arm64");
	identify_fixture("image-6.1.0-50-cloud-arm64.head.gz", &k);
	assert_int_equal(k.kind, KIMAGE_GZIP);
	assert_null(k.arch);
	assert_describes(&k, "gzip data");
}

/* Short and odd heads: nothing is read past them. */
static void test_small_heads(void **state)
{
	unsigned char b[0x240] = { 0 };
	struct kimage k;

	(void)state;
	kimage_identify(b, 0, &k);
	assert_int_equal(k.kind, KIMAGE_UNKNOWN);
	assert_describes(&k, "not a kernel image (neither a bzImage, an ELF vmlinux nor an Image)");
	/* an ELF file too short for e_machine, and one of no valid class */
	kimage_identify("\177ELF\2\1", 6, &k);
	assert_int_equal(k.kind, KIMAGE_ELF);
	assert_null(k.arch);
	assert_describes(&k, "an ELF file of no valid class");
	/* big-endian e_machine; a machine no arch has */
	memcpy(b, "\177ELF\2\2\1", 7);
	b[19] = 183;
	kimage_identify(b, 64, &k);
	assert_ptr_equal(k.arch, &arch_arm64);
	memcpy(b, "\177ELF\2\1\1", 7);
	b[18] = 243;	/* EM_RISCV */
	b[19] = 0;
	kimage_identify(b, 64, &k);
	assert_null(k.arch);
	assert_describes(&k, "an ELF file for RISC-V (64-bit)");
	/* a 32-bit x86-64 file (x32) is no x86_64 kernel */
	b[4] = 1;
	b[18] = 62;
	kimage_identify(b, 64, &k);
	assert_null(k.arch);
	/* a bzImage before boot protocol 2.12 says no width; cut before its
	 * xloadflags it says none either */
	memset(b, 0, sizeof(b));
	memcpy(b + 0x202, "HdrS\x0b\x02", 6);
	b[0x236] = 1;
	kimage_identify(b, sizeof(b), &k);
	assert_int_equal(k.kind, KIMAGE_BZIMAGE);
	assert_null(k.arch);
	assert_describes(&k, "a bzImage for x86");
	b[0x206] = 0x0c;
	kimage_identify(b, sizeof(b), &k);
	assert_ptr_equal(k.arch, &arch_x86_64);
	kimage_identify(b, 0x237, &k);
	assert_null(k.arch);
	kimage_identify(b, 0x205, &k);
	assert_int_equal(k.kind, KIMAGE_UNKNOWN);
	/* the arm64 magic needs its 4 bytes; gzip its 2 */
	memset(b, 0, sizeof(b));
	memcpy(b + 56, "ARM\x64", 4);
	kimage_identify(b, 59, &k);
	assert_int_equal(k.kind, KIMAGE_UNKNOWN);
	kimage_identify("\x1f", 1, &k);
	assert_int_equal(k.kind, KIMAGE_UNKNOWN);
}

/* Which images fit which arches. */
static void test_fits(void **state)
{
	struct kimage bz64 = { KIMAGE_BZIMAGE, &arch_x86_64, 0, 0 }, bz_old = { KIMAGE_BZIMAGE, NULL, 0, 0 };
	struct kimage elf32 = { KIMAGE_ELF, &arch_i386, 3, 32 }, elf_odd = { KIMAGE_ELF, NULL, 243, 64 };
	struct kimage image = { KIMAGE_IMAGE, &arch_arm64, 0, 0 }, gz = { KIMAGE_GZIP, NULL, 0, 0 };
	struct kimage elf_arm = { KIMAGE_ELF, &arch_arm64, 183, 64 }, junk = { KIMAGE_UNKNOWN, NULL, 0, 0 };

	(void)state;
	assert_int_equal(kimage_fits(&bz64, &arch_x86_64), KIMAGE_FITS);
	assert_int_equal(kimage_fits(&bz64, &arch_i386), KIMAGE_MISFIT);
	assert_int_equal(kimage_fits(&bz64, &arch_arm64), KIMAGE_MISFIT);
	assert_int_equal(kimage_fits(&bz_old, &arch_i386), KIMAGE_FITS);
	assert_int_equal(kimage_fits(&bz_old, &arch_x86_64), KIMAGE_FITS);
	assert_int_equal(kimage_fits(&bz_old, &arch_arm64), KIMAGE_MISFIT);
	assert_int_equal(kimage_fits(&elf32, &arch_i386), KIMAGE_FITS);
	assert_int_equal(kimage_fits(&elf32, &arch_x86_64), KIMAGE_MISFIT);
	assert_int_equal(kimage_fits(&elf_odd, &arch_arm64), KIMAGE_MISFIT);
	assert_int_equal(kimage_fits(&image, &arch_arm64), KIMAGE_FITS);
	assert_int_equal(kimage_fits(&image, &arch_x86_64), KIMAGE_MISFIT);
	assert_int_equal(kimage_fits(&gz, &arch_arm64), KIMAGE_UNCHECKED);
	assert_int_equal(kimage_fits(&gz, &arch_x86_64), KIMAGE_MISFIT);
	/* the ELF vmlinux of arm64 is arm64's: that QEMU boots its Image is
	 * target.c's to say */
	assert_int_equal(kimage_fits(&elf_arm, &arch_arm64), KIMAGE_FITS);
	for (size_t i = 0; arch_table[i]; i++)
		assert_int_equal(kimage_fits(&junk, arch_table[i]), KIMAGE_MISFIT);
}

/* A file's check, and the message that names both arches. */
static void test_check(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct kimage k;

	(void)state;
	assert_int_equal(kimage_check("fixtures/kimage/bzimage-6.1.0-50-686.head", &arch_i386, &k, &err), 0);
	assert_int_equal(kimage_check("fixtures/kimage/image-6.1.0-50-cloud-arm64.head.gz", &arch_arm64, &k, &err), 1);
	assert_int_equal(err.len, 0);
	assert_int_equal(kimage_check("fixtures/kimage/bzimage-6.1.0-50-686.head", &arch_x86_64, &k, &err), -1);
	assert_string_equal(err.buf, "--kernel fixtures/kimage/bzimage-6.1.0-50-686.head is a bzImage for i386, "
				     "but --arch is x86_64: give --arch i386, or a kernel built for x86_64");
	strbuf_reset(&err);
	assert_int_equal(kimage_check("fixtures/kimage/vmlinux-6.1.0-50-amd64.head", &arch_arm64, &k, &err), -1);
	assert_string_equal(err.buf, "--kernel fixtures/kimage/vmlinux-6.1.0-50-amd64.head is an ELF vmlinux for "
				     "x86_64, but --arch is arm64: give --arch x86_64, or a kernel built for arm64");
	strbuf_reset(&err);
	assert_int_equal(kimage_check("fixtures/kimage/image-6.1.0-50-cloud-arm64.head.gz", &arch_i386, &k, &err), -1);
	assert_string_equal(err.buf, "--kernel fixtures/kimage/image-6.1.0-50-cloud-arm64.head.gz is gzip data, "
				     "not a kernel for i386 (--arch i386)");
	strbuf_reset(&err);
	assert_int_equal(kimage_check("fixtures/kimage/README", &arch_x86_64, &k, &err), -1);
	assert_non_null(strstr(err.buf, "README is not a kernel image (neither"));
	strbuf_reset(&err);
	assert_int_equal(kimage_check("fixtures/kimage/none", &arch_x86_64, &k, &err), -1);
	assert_string_equal(err.buf, "--kernel fixtures/kimage/none: No such file or directory");
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_heads),
		cmocka_unit_test(test_small_heads),
		cmocka_unit_test(test_fits),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_pvh_note),
		cmocka_unit_test(test_pvh_note_layouts),
		cmocka_unit_test(test_image_release),
		cmocka_unit_test(test_elf_load_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
