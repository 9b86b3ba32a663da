/* arch/arm64: the arm64 entry of the arch table. */
#include "target/arch.h"

#include <elf.h>
#include <stddef.h>

static const char *const arm64_aliases[] = { "aarch64", NULL };
static const char *const arm64_hosts[] = { "aarch64", NULL };
static const char *const arm64_zones[] = { "DMA", "DMA32", "Normal", "Movable", NULL };

/* QEMU's virt board: the PL011 is the console (ttyAMA0); the agent talks
 * over a virtio console port (hvc0), on PCI like the run's disks, so the
 * guest needs one virtio transport (virtio_pci) for both. -cpu max: the
 * board's default CPU is a 32-bit one. Its kernel is booted from the
 * Image, with the device tree QEMU makes: libvirt's ACPI needs UEFI. */
const struct arch_ops arch_arm64 = {
	.name = "arm64",
	.aliases = arm64_aliases,
	.debian = "arm64",
	.triplet = "aarch64-linux-gnu",
	.multilib = NULL,
	.uname = "aarch64",
	.libvirt = "aarch64",
	.elf_machine = EM_AARCH64,
	.elf_class = 64,
	.cflags = "",
	.cross_prefix = "aarch64-linux-gnu-",
	.native_hosts = arm64_hosts,
	.qemu = "qemu-system-aarch64",
	.qemu_package = "qemu-system-arm",
	.machine = "virt",
	.machine_is_default = 0,
	.cpu = "max",
	/* max emulates pointer authentication with the architected QARMA
	 * cipher, which is costly in TCG: the guests ran 3 to 7 times slower
	 * (bench/speed.sh). The implementation-defined algorithm still signs
	 * and checks pointers; KVM refuses the property. */
	.cpu_tcg = "max,pauth-impdef=on",
	.libvirt_cpu_mode = "maximum",
	.libvirt_acpi = 0,
	.chan = ARCH_CHAN_VIRTCONSOLE,
	.panic_device = "pvpanic-pci",
	/* none: libvirt names the PCI pvpanic device from 9.1 on (Debian 12
	 * has 9.0, which refuses the domain), and Debian's arm64 kernels have
	 * no pvpanic driver; a panic is read from the console */
	.libvirt_panic = NULL,
	.console_dev = "ttyAMA0",
	.console_arg = "console=ttyAMA0",
	.agent_dev = "hvc0",
	.cmdline_extra = "",
	.kernel = ARCH_KERNEL_IMAGE,
	/* Documentation/arch/arm64/booting.rst */
	.image_magic = "ARM\x64",
	.image_magic_at = 56,
	.kdir_image = "arch/arm64/boot/Image",
	.zones = arm64_zones,
};
