/* arch/x86: the x86_64 and i386 entries of the arch table, which share a
 * pc machine and its devices. */
#include "target/arch.h"

#include <elf.h>
#include <stddef.h>

static const char *const x86_64_aliases[] = { "amd64", NULL };
static const char *const i386_aliases[] = { "i686", NULL };

/* an x86_64 host runs i386 guests under KVM and builds them with -m32 */
static const char *const x86_64_hosts[] = { "x86_64", NULL };
static const char *const i386_hosts[] = { "x86_64", "i686", NULL };

static const char *const x86_64_zones[] = { "DMA", "DMA32", "Normal", "Movable", NULL };
static const char *const i386_zones[] = { "DMA", "Normal", "HighMem", "Movable", NULL };

/* What the x86 entries share: a pc machine with two 16550 serial ports
 * (the console ttyS0, the agent ttyS1) and the ISA pvpanic device.
 * no_timer_check: a guest whose vCPU waits for a busy host CPU can fail
 * the IO-APIC timer check at boot and panic ("IO-APIC + timer doesn't
 * work"); the check is for broken hardware timers, which QEMU's are not.
 * noisapnp: there is no ISA PnP to probe. */
#define X86_COMMON \
	.machine = "pc", .machine_is_default = 1, .cpu = NULL, .cpu_tcg = NULL, .libvirt_cpu_mode = NULL, \
	.libvirt_acpi = 1, .chan = ARCH_CHAN_SERIAL, .panic_device = "pvpanic", \
	.libvirt_panic = "isa", .console_dev = "ttyS0", .console_arg = "console=ttyS0,115200", \
	.agent_dev = "ttyS1", .cmdline_extra = "noisapnp no_timer_check", .kernel = ARCH_KERNEL_X86, .image_magic = NULL, .image_magic_at = 0, \
	.kdir_image = "arch/x86/boot/bzImage", .qemu_package = "qemu-system-x86"

const struct arch_ops arch_x86_64 = {
	.name = "x86_64",
	.aliases = x86_64_aliases,
	.debian = "amd64",
	.triplet = "x86_64-linux-gnu",
	.multilib = "64",
	.uname = "x86_64",
	.libvirt = "x86_64",
	.elf_machine = EM_X86_64,
	.elf_class = 64,
	.cflags = "",
	.cross_prefix = "x86_64-linux-gnu-",
	.native_hosts = x86_64_hosts,
	.qemu = "qemu-system-x86_64",
	.zones = x86_64_zones,
	X86_COMMON,
};

const struct arch_ops arch_i386 = {
	.name = "i386",
	.aliases = i386_aliases,
	.debian = "i386",
	.triplet = "i386-linux-gnu",
	.multilib = "32",
	.uname = "i686",
	.libvirt = "i686",
	.elf_machine = EM_386,
	.elf_class = 32,
	.cflags = "-m32",
	.cross_prefix = "i686-linux-gnu-",
	.native_hosts = i386_hosts,
	.qemu = "qemu-system-i386",
	.zones = i386_zones,
	X86_COMMON,
};
