/* target: what a case runs on — arch, kernel image, module build dir,
 * how to boot it — read from build/images/targets.list or given by the user
 * (--kernel/--kdir/--arch). */
#ifndef OOMTEST_TARGET_H
#define OOMTEST_TARGET_H

#include <stddef.h>
#include "lib/strbuf.h"

/* BOOT_BZIMAGE: the image is given to -kernel as it is (a bzImage; on
 * arm64 an Image or vmlinuz); BOOT_PVH: an x86 ELF vmlinux, through its
 * PVH entry. */
enum boot_kind { BOOT_BZIMAGE, BOOT_PVH };

struct target {
	char *name;                /* e.g. "x86_64" */
	char *arch;                /* an arch's own name (target/arch.h): x86_64, i386, arm64 */
	char *release;             /* kernel release (uname -r) */
	char *kernel;              /* image given to -kernel */
	char *bzimage;             /* PVH: a bzImage of the same kernel for guests it does not fit in; or NULL */
	unsigned long long load_end; /* PVH: where its PT_LOAD segments end in guest memory; 0: unknown */
	char *kdir;                /* module build dir */
	enum boot_kind boot;
	unsigned long long min_memory; /* smallest guest RAM it is known to boot in; 0: unknown */
};

struct target_list {
	struct target *v;
	size_t n;
	char *abi_comment;         /* what targets.list says it was built from */
};

/* Reads a targets.list; relative paths are taken from root, an arch may
 * be given by any of its names. Returns 0 or -1 with a message in err. */
int targets_load(struct target_list *l, const char *root, const char *path, struct strbuf *err);
/* A user's kernel for arch (any of its names): release from
 * KDIR/include/generated/utsrelease.h (or include/config/kernel.release),
 * which must match the image's; the image's header must fit the arch
 * (kimage_check: a mismatch names both; gzip data, whose arch cannot be
 * read, is taken to be the arch's with a notice on stderr). On x86, PVH
 * boot when the image is an ELF file or a bzImage has a vmlinux of the
 * same release in KDIR, with the bzImage (given, or KDIR's) kept for the
 * guests the vmlinux does not fit in; where there is none, min_memory is
 * what the vmlinux needs. On arm64 the Image (or vmlinuz) as it is.
 * Returns 0 or -1 with err. */
int target_custom(struct target *t, const char *kernel, const char *kdir, const char *arch,
		  struct strbuf *err);
/* Guest memory a PVH kernel needs above its segments: the initramfs QEMU
 * puts at the top of memory and the kernel's first allocations. */
#define PVH_HEADROOM (16ull << 20)
/* Whether a PVH kernel whose segments end at load_end boots in memory. */
int target_pvh_fits(unsigned long long load_end, unsigned long long memory);
/* how T boots, as lists and facts name it: pvh, bzimage (x86) or image */
const char *target_boot_name(const struct target *t);
/* t as it boots in a guest of memory bytes: its PVH kernel where that
 * fits (or its fit is unknown), else its bzImage. Shares t's strings. */
struct target target_for_memory(const struct target *t, unsigned long long memory);
/* Whether a target name given by the user (--target, targets =, [expect
 * NAME]) names the target called name: the same, or custom-ARCH for any
 * custom-ARCH-XXXXXXXX. */
int target_name_matches(const char *word, const char *name);
/* The first target that name names (see target_name_matches). */
const struct target *targets_find(const struct target_list *l, const char *name);
/* A user's kernel's target name, custom-ARCH-XXXXXXXX: a hash of what
 * identifies its build (the image's path, size and mtime, and
 * KDIR/Module.symvers), so two kernels never share a target directory
 * (module, initramfs) nor a snapshot name; ARCH is the arch's own name.
 * Free() it. */
char *target_custom_name(const char *arch, const char *kernel, const char *kdir);
void target_release(struct target *t);
void targets_release(struct target_list *l);
/* The QEMU a target of arch runs in (arch_qemu_binary). */
const char *qemu_binary(const char *arch);

#endif
