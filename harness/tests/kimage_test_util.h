/* Helpers the kernel image tests share (include after cmocka.h): small
 * files with just the fields harness/target reads of a kernel image: an
 * ELF vmlinux's program headers and notes, a bzImage's setup header. */
#ifndef OOMTEST_KIMAGE_TEST_UTIL_H
#define OOMTEST_KIMAGE_TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIB (1ull << 20)

/* Xen's PVH entry note (type 18), the one QEMU boots a vmlinux by */
static const unsigned char xen_pvh[] __attribute__((unused)) =
	{ 4, 0, 0, 0, 4, 0, 0, 0, 18, 0, 0, 0, 'X', 'e', 'n', 0, 0, 0, 0, 1 };

static inline void write_file(const char *path, const char *text)
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

/* A minimal ELF of the given class (64: x86_64, 32: i386, as e_machine
 * says) with one PT_NOTE holding the given notes, then nloads PT_LOAD
 * segments (no bytes in the file): the fields kimage.c reads. */
static inline void write_elf_loads(const char *path, int bits, const void *notes, size_t n,
				   const struct load *loads, size_t nloads)
{
	unsigned char h[64 + 4 * 56] = { 0x7f, 'E', 'L', 'F', bits == 64 ? 2 : 1, 1, 1 };
	size_t word = bits / 8, ehsize = bits == 64 ? 64 : 52, phsize = bits == 64 ? 56 : 32;
	uint64_t phoff = ehsize, off = ehsize + (1 + nloads) * phsize, size = n;
	uint32_t pt_note = 4, pt_load = 1;
	uint16_t phentsize = (uint16_t)phsize, phnum = (uint16_t)(1 + nloads), machine = bits == 64 ? 62 : 3;
	FILE *f = fopen(path, "w");

	assert_true(nloads <= 3);
	memcpy(h + 18, &machine, 2);
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

static inline void write_elf(const char *path, int bits, const void *notes, size_t n)
{
	write_elf_loads(path, bits, notes, n, NULL, 0);
}

/* A bzImage as far as kimage.c reads one: "HdrS" at 0x202 and, at 0x20e,
 * the offset (from 0x200) of the version string. */
static inline void write_bzimage(const char *path, size_t size, uint16_t version_off, const char *version)
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

#endif
