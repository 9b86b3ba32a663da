/* kimage: what is read from a kernel image file. What it is, from its
 * first bytes: an x86 bzImage (and, from boot protocol 2.12 on, whether
 * it is 64-bit), an ELF vmlinux (its machine and class), an Image (arm64's:
 * the arch table's magic) or gzip data, and whether it can be a kernel of an arch; the release it
 * names; an ELF kernel's PVH note and where its segments end. Reads
 * hostile input: every offset is checked against the bytes there are. */
#ifndef OOMTEST_TARGET_KIMAGE_H
#define OOMTEST_TARGET_KIMAGE_H

#include <stddef.h>
#include "lib/strbuf.h"
#include "target/arch.h"

/* The release a kernel image names (bzImage header, else the banner of
 * a vmlinux or an Image). Returns 0, or -errno (-ENOENT when the
 * image names none: gzip data names none that is read). */
int kimage_release(const char *path, struct strbuf *out);
/* Whether an ELF kernel carries the PVH entry note QEMU boots it by. */
int kimage_elf_has_pvh(const char *path);
/* Where an ELF kernel's PT_LOAD segments end in guest memory (the highest
 * physical address + memsz): QEMU's PVH boot puts them there. 0: none. */
unsigned long long kimage_elf_load_end(const char *path);

/* What kimage_check reads of a file: every header above lies in it. */
#define KIMAGE_HEAD 1024

enum kimage_kind {
	KIMAGE_UNKNOWN,
	KIMAGE_BZIMAGE,        /* "HdrS" at 0x202 */
	KIMAGE_ELF,            /* "\177ELF" */
	KIMAGE_IMAGE,          /* an arch's image_magic at its image_magic_at */
	KIMAGE_GZIP,           /* 1f 8b: its contents are not unpacked here */
};

struct kimage {
	enum kimage_kind kind;
	/* the arch its header names; NULL when it names none: gzip data, an
	 * ELF file of a machine no arch has, a bzImage of a boot protocol
	 * before 2.12 (x86, of either width) */
	const struct arch_ops *arch;
	unsigned elf_machine;  /* KIMAGE_ELF: e_machine */
	int elf_class;         /* KIMAGE_ELF: 32, 64, or 0 when the header says neither */
};

enum kimage_fit {
	KIMAGE_FITS,
	KIMAGE_UNCHECKED,      /* of a kind the arch's kernels come as, but its arch is not in its header */
	KIMAGE_MISFIT,
};

/* What the first len bytes of an image say. */
void kimage_identify(const void *head, size_t len, struct kimage *out);
/* "a bzImage for x86_64", "an ELF file for RISC-V (64-bit)", "gzip data", ... */
void kimage_describe(const struct kimage *k, struct strbuf *out);
/* Whether an image can be a kernel of a: of a kind a's kernels come as
 * (x86: bzImage, ELF; arm64: Image, gzip'd Image, ELF) and, when its
 * header names an arch, of a. */
enum kimage_fit kimage_fits(const struct kimage *k, const struct arch_ops *a);
/* Reads path's head and checks it against --arch a: 0 when it fits, 1
 * when its arch cannot be read from it (gzip data), -1 with a message
 * naming both arches in err when it does not fit (or cannot be read).
 * out says what it is. */
int kimage_check(const char *path, const struct arch_ops *a, struct kimage *out, struct strbuf *err);

#endif
