/* target: what a case runs on — arch, kernel image, module build dir,
 * how to boot it — read from build/images/targets.list or given by the user
 * (--kernel/--kdir/--arch). */
#ifndef OOMTEST_TARGET_H
#define OOMTEST_TARGET_H

#include <stddef.h>
#include "lib/strbuf.h"

enum boot_kind { BOOT_BZIMAGE, BOOT_PVH };

struct target {
	char *name;                /* e.g. "x86_64" */
	char *arch;                /* x86_64 | i386 */
	char *release;             /* kernel release (uname -r) */
	char *kernel;              /* image given to -kernel */
	char *kdir;                /* module build dir */
	enum boot_kind boot;
	unsigned long long min_memory; /* smallest guest RAM it is known to boot in; 0: unknown */
};

struct target_list {
	struct target *v;
	size_t n;
	char *abi_comment;         /* what targets.list says it was built from */
};

/* Reads a targets.list; relative paths are taken from root. Returns 0 or
 * -1 with a message in err. */
int targets_load(struct target_list *l, const char *root, const char *path, struct strbuf *err);
/* A user's kernel: release from KDIR/include/generated/utsrelease.h (or
 * include/config/kernel.release), which must match the image's; PVH
 * boot when the image is an ELF file. Returns 0 or -1 with err. */
int target_custom(struct target *t, const char *kernel, const char *kdir, const char *arch,
		  struct strbuf *err);
/* The release a kernel image names (bzImage header or vmlinux banner).
 * Returns 0, or -errno (-ENOENT when the image names none). */
int target_image_release(const char *path, struct strbuf *out);
/* Whether an ELF kernel carries the PVH entry note QEMU boots it by. */
int target_elf_has_pvh(const char *path);
const struct target *targets_find(const struct target_list *l, const char *name);
void target_release(struct target *t);
void targets_release(struct target_list *l);
int arch_valid(const char *arch);
const char *qemu_binary(const char *arch);

#endif
