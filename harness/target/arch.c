/* arch: the table of guest architectures and its lookups. */
#include "target/arch.h"
#include "proto/proto.h"

#include <elf.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

static const char *const x86_64_aliases[] = { "amd64", NULL };
static const char *const i386_aliases[] = { "i686", NULL };
static const char *const arm64_aliases[] = { "aarch64", NULL };

/* an x86_64 host runs i386 guests under KVM and builds them with -m32 */
static const char *const x86_64_hosts[] = { "x86_64", NULL };
static const char *const i386_hosts[] = { "x86_64", "i686", NULL };
static const char *const arm64_hosts[] = { "aarch64", NULL };

static const char *const x86_64_zones[] = { "DMA", "DMA32", "Normal", "Movable", NULL };
static const char *const i386_zones[] = { "DMA", "Normal", "HighMem", "Movable", NULL };
static const char *const arm64_zones[] = { "DMA", "DMA32", "Normal", "Movable", NULL };

/* What the x86 entries share: a pc machine with two 16550 serial ports
 * (the console ttyS0, the agent ttyS1) and the ISA pvpanic device.
 * no_timer_check: a guest whose vCPU waits for a busy host CPU can fail
 * the IO-APIC timer check at boot and panic ("IO-APIC + timer doesn't
 * work"); the check is for broken hardware timers, which QEMU's are not.
 * noisapnp: there is no ISA PnP to probe. */
#define X86_COMMON \
	.machine = "pc", .machine_is_default = 1, .cpu = NULL, .libvirt_cpu_mode = NULL, \
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

const struct arch_ops *const arch_table[] = { &arch_x86_64, &arch_i386, &arch_arm64, NULL };

const struct arch_ops *arch_find(const char *name)
{
	for (size_t i = 0; arch_table[i]; i++) {
		const struct arch_ops *a = arch_table[i];
		if (!strcmp(a->name, name))
			return a;
		for (size_t j = 0; a->aliases[j]; j++)
			if (!strcmp(a->aliases[j], name))
				return a;
	}
	return NULL;
}

const struct arch_ops *arch_of(const char *name)
{
	const struct arch_ops *a = arch_find(name);

	if (!a) {
		fprintf(stderr, "oomtest: internal error: a target of unknown arch '%s'\n", name);
		abort();
	}
	return a;
}

const struct arch_ops *arch_for_elf(unsigned machine, int elf_class)
{
	for (size_t i = 0; arch_table[i]; i++)
		if (arch_table[i]->elf_machine == machine && arch_table[i]->elf_class == elf_class)
			return arch_table[i];
	return NULL;
}

const struct arch_ops *arch_for_elf_machine(unsigned machine)
{
	for (size_t i = 0; arch_table[i]; i++)
		if (arch_table[i]->elf_machine == machine)
			return arch_table[i];
	return NULL;
}

void arch_list_names(struct strbuf *out, const char *sep)
{
	for (size_t i = 0; arch_table[i]; i++)
		strbuf_addf(out, "%s%s", i ? sep : "", arch_table[i]->name);
}

static struct utsname host;
static pthread_once_t host_once = PTHREAD_ONCE_INIT;

static void read_host(void)
{
	if (uname(&host))
		strcpy(host.machine, "unknown");
}

const char *arch_host_machine(void)
{
	pthread_once(&host_once, read_host);
	return host.machine;
}

int arch_is_native(const struct arch_ops *a, const char *host_machine)
{
	for (size_t i = 0; a->native_hosts[i]; i++)
		if (!strcmp(a->native_hosts[i], host_machine))
			return 1;
	return 0;
}

const char *arch_cross_prefix(const struct arch_ops *a, const char *host_machine)
{
	return arch_is_native(a, host_machine) ? "" : a->cross_prefix;
}

const char *arch_qemu_binary(const struct arch_ops *a)
{
	const char *own = getenv("OOMTEST_QEMU");

	/* a QEMU of one's own (qemu-system-x86_64 runs i386 guests too) */
	if (own && *own)
		return own;
	return a->qemu;
}

void arch_guest_cmdline(const struct arch_ops *a, struct strbuf *out)
{
	strbuf_addf(out, "%s loglevel=7 panic=-1 cryptomgr.notests", a->console_arg);
	if (*a->cmdline_extra)
		strbuf_addf(out, " %s", a->cmdline_extra);
	strbuf_addf(out, " " OOMTEST_CHAN_ARG "%s", a->agent_dev);
}
