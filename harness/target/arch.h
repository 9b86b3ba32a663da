/* arch: what the harness knows of each guest architecture, one const
 * struct arch_ops per arch (as libkmod and fio keep theirs), looked up by
 * any of its names: the names other tools give it, how QEMU and libvirt
 * build its machine, how its kernel console and the agent channel are
 * attached, its kernels' command line, images and zones, and how its
 * programs are built. Adding an architecture is one entry in arch.c (and
 * its test in test_arch.c). */
#ifndef OOMTEST_TARGET_ARCH_H
#define OOMTEST_TARGET_ARCH_H

#include <stddef.h>
#include "lib/strbuf.h"

/* How QEMU is given its kernels. */
enum arch_kernel {
	ARCH_KERNEL_X86,       /* a bzImage, or an ELF vmlinux with a PVH entry note */
	ARCH_KERNEL_IMAGE,     /* an Image (image_magic at image_magic_at), or one gzip'd */
};

/* How the agent channel reaches the guest. */
enum arch_chan {
	ARCH_CHAN_SERIAL,      /* a second serial port beside the console's */
	ARCH_CHAN_VIRTCONSOLE, /* a virtio console port on a virtio-serial-pci bus */
};

struct arch_ops {
	/* the harness's name: targets.list, `targets =`, `needs arch:`,
	 * ${arch}, build/guest/ARCH, custom-ARCH-... */
	const char *name;
	const char *const *aliases;      /* the other names it answers to; NULL-terminated */

	/* what other tools call it */
	const char *debian;              /* dpkg's arch: amd64 */
	const char *triplet;             /* multiarch: x86_64-linux-gnu (/lib/TRIPLET) */
	const char *multilib;            /* its multilib dirs' suffix, "64": /lib64; NULL: none */
	const char *uname;               /* uname -m of its kernels: x86_64, i686, aarch64 */
	const char *libvirt;             /* libvirt's <type arch=...>: x86_64, i686, aarch64 */

	/* building its programs */
	unsigned elf_machine;            /* e_machine of its programs and of a vmlinux */
	int elf_class;                   /* 32 or 64 */
	const char *cflags;              /* what a native compiler adds for it: -m32; "" */
	const char *cross_prefix;        /* the cross compiler's prefix where it is not native */
	const char *const *native_hosts; /* uname -m of the hosts whose compiler (with cflags)
					    builds for it and whose KVM runs it; NULL-terminated */

	/* its QEMU machine */
	const char *qemu;                /* qemu-system-x86_64 */
	const char *qemu_package;        /* Debian's package with it: qemu-system-x86 */
	const char *machine;             /* -M, and libvirt's machine: pc, virt */
	int machine_is_default;          /* QEMU takes it without -M */
	const char *cpu;                 /* -cpu; NULL: the machine's own */
	const char *cpu_tcg;             /* -cpu under TCG where it differs from cpu; NULL: cpu */
	const char *libvirt_cpu_mode;    /* <cpu mode=...> for that; NULL: no <cpu> */
	int libvirt_acpi;                /* <features><acpi/>: on arm64 libvirt wants UEFI for it */
	enum arch_chan chan;
	const char *panic_device;        /* -device that tells QEMU of a panic: pvpanic, pvpanic-pci */
	const char *libvirt_panic;       /* libvirt's <panic model=...> for it: isa; NULL: none */

	/* its kernels */
	const char *console_dev;         /* the console (the first serial port): ttyS0, ttyAMA0 */
	const char *console_arg;         /* console=... as the backends give it */
	const char *agent_dev;           /* the agent channel's device: ttyS1, hvc0 */
	const char *cmdline_extra;       /* kernel arguments of its own; "" */
	enum arch_kernel kernel;
	const char *image_magic;         /* ARCH_KERNEL_IMAGE: its Image header's magic, "ARM\x64" */
	size_t image_magic_at;           /* and where it is: 56 */
	const char *kdir_image;          /* a build tree's image: arch/x86/boot/bzImage */
	const char *const *zones;        /* its kernels' zones that hold memory, low to high */
};

extern const struct arch_ops arch_x86_64, arch_i386, arch_arm64;
/* Every arch, NULL-terminated, in the order they are listed to users. */
extern const struct arch_ops *const arch_table[];

/* The arch a name (its own or an alias) names; NULL when none. */
const struct arch_ops *arch_find(const char *name);
/* The arch of a target, whose name was checked with arch_find when the
 * target was made: an unknown one is a bug (it aborts). */
const struct arch_ops *arch_of(const char *name);
/* The arch whose programs are ELF machine/elf_class; NULL when none. */
const struct arch_ops *arch_for_elf(unsigned machine, int elf_class);
/* The first arch whose programs are ELF machine, of whatever class. */
const struct arch_ops *arch_for_elf_machine(unsigned machine);
/* The arch names joined by sep: "x86_64 i386 arm64". */
void arch_list_names(struct strbuf *out, const char *sep);

/* uname -m of this host (cached). */
const char *arch_host_machine(void);
/* Whether a host of uname -m host_machine builds for a with its own
 * compiler and runs it under KVM. */
int arch_is_native(const struct arch_ops *a, const char *host_machine);
/* The compiler prefix for a on that host: "" when native, else
 * a->cross_prefix ("aarch64-linux-gnu-" for arm64 on an x86 host). */
const char *arch_cross_prefix(const struct arch_ops *a, const char *host_machine);

/* The QEMU a's guests run in: OOMTEST_QEMU when set, else a->qemu. */
const char *arch_qemu_binary(const struct arch_ops *a);
/* The kernel command line every backend boots a's guests with, before
 * the payload's and the case's arguments: its console=, the common
 * arguments, its own, and the agent channel's device
 * (proto/proto.h, OOMTEST_CHAN_ARG). */
void arch_guest_cmdline(const struct arch_ops *a, struct strbuf *out);

#endif
