/* Tests for arch.c: the table of guest architectures, entry by entry and
 * field by field, its lookups by every name, and what is made from it
 * (the kernel command line, the compiler prefix, the QEMU binary). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "case/parser.h"
#include "target/arch.h"

/* A NULL-terminated list as one string, "a b c". */
static void assert_list(const char *const *list, const char *want)
{
	struct strbuf got = STRBUF_INIT;

	for (size_t i = 0; list[i]; i++)
		strbuf_addf(&got, "%s%s", i ? " " : "", list[i]);
	assert_string_equal(got.buf, want);
	strbuf_release(&got);
}

static void test_x86_64(void **state)
{
	const struct arch_ops *a = &arch_x86_64;

	(void)state;
	assert_string_equal(a->name, "x86_64");
	assert_list(a->aliases, "amd64");
	assert_string_equal(a->debian, "amd64");
	assert_string_equal(a->triplet, "x86_64-linux-gnu");
	assert_string_equal(a->multilib, "64");
	assert_string_equal(a->uname, "x86_64");
	assert_string_equal(a->libvirt, "x86_64");
	assert_int_equal(a->elf_machine, EM_X86_64);
	assert_int_equal(a->elf_class, 64);
	assert_string_equal(a->cflags, "");
	assert_string_equal(a->cross_prefix, "x86_64-linux-gnu-");
	assert_list(a->native_hosts, "x86_64");
	assert_string_equal(a->qemu, "qemu-system-x86_64");
	assert_string_equal(a->qemu_package, "qemu-system-x86");
	assert_string_equal(a->machine, "pc");
	assert_true(a->machine_is_default);
	assert_null(a->cpu);
	assert_null(a->cpu_tcg);
	assert_null(a->libvirt_cpu_mode);
	assert_true(a->libvirt_acpi);
	assert_int_equal(a->chan, ARCH_CHAN_SERIAL);
	assert_string_equal(a->panic_device, "pvpanic");
	assert_string_equal(a->libvirt_panic, "isa");
	assert_string_equal(a->console_dev, "ttyS0");
	assert_string_equal(a->console_arg, "console=ttyS0,115200");
	assert_string_equal(a->agent_dev, "ttyS1");
	assert_string_equal(a->cmdline_extra, "noisapnp no_timer_check");
	assert_int_equal(a->kernel, ARCH_KERNEL_X86);
	assert_null(a->image_magic);
	assert_string_equal(a->kdir_image, "arch/x86/boot/bzImage");
	assert_list(a->zones, "DMA DMA32 Normal Movable");
}

/* i386 shares the pc machine and its devices with x86_64 */
static void test_i386(void **state)
{
	const struct arch_ops *a = &arch_i386;

	(void)state;
	assert_string_equal(a->name, "i386");
	assert_list(a->aliases, "i686");
	assert_string_equal(a->debian, "i386");
	assert_string_equal(a->triplet, "i386-linux-gnu");
	assert_string_equal(a->multilib, "32");
	assert_string_equal(a->uname, "i686");
	assert_string_equal(a->libvirt, "i686");
	assert_int_equal(a->elf_machine, EM_386);
	assert_int_equal(a->elf_class, 32);
	assert_string_equal(a->cflags, "-m32");
	assert_string_equal(a->cross_prefix, "i686-linux-gnu-");
	assert_list(a->native_hosts, "x86_64 i686");
	assert_string_equal(a->qemu, "qemu-system-i386");
	assert_string_equal(a->qemu_package, "qemu-system-x86");
	assert_string_equal(a->machine, "pc");
	assert_true(a->machine_is_default);
	assert_null(a->cpu);
	assert_null(a->cpu_tcg);
	assert_null(a->libvirt_cpu_mode);
	assert_true(a->libvirt_acpi);
	assert_int_equal(a->chan, ARCH_CHAN_SERIAL);
	assert_string_equal(a->panic_device, "pvpanic");
	assert_string_equal(a->libvirt_panic, "isa");
	assert_string_equal(a->console_dev, "ttyS0");
	assert_string_equal(a->console_arg, "console=ttyS0,115200");
	assert_string_equal(a->agent_dev, "ttyS1");
	assert_string_equal(a->cmdline_extra, "noisapnp no_timer_check");
	assert_int_equal(a->kernel, ARCH_KERNEL_X86);
	assert_null(a->image_magic);
	assert_string_equal(a->kdir_image, "arch/x86/boot/bzImage");
	assert_list(a->zones, "DMA Normal HighMem Movable");
}

static void test_arm64(void **state)
{
	const struct arch_ops *a = &arch_arm64;

	(void)state;
	assert_string_equal(a->name, "arm64");
	assert_list(a->aliases, "aarch64");
	assert_string_equal(a->debian, "arm64");
	assert_string_equal(a->triplet, "aarch64-linux-gnu");
	assert_null(a->multilib);
	assert_string_equal(a->uname, "aarch64");
	assert_string_equal(a->libvirt, "aarch64");
	assert_int_equal(a->elf_machine, EM_AARCH64);
	assert_int_equal(a->elf_class, 64);
	assert_string_equal(a->cflags, "");
	assert_string_equal(a->cross_prefix, "aarch64-linux-gnu-");
	assert_list(a->native_hosts, "aarch64");
	assert_string_equal(a->qemu, "qemu-system-aarch64");
	assert_string_equal(a->qemu_package, "qemu-system-arm");
	assert_string_equal(a->machine, "virt");
	assert_false(a->machine_is_default);
	assert_string_equal(a->cpu, "max");
	assert_string_equal(a->cpu_tcg, "max,pauth-impdef=on");
	assert_string_equal(a->libvirt_cpu_mode, "maximum");
	assert_false(a->libvirt_acpi);
	assert_int_equal(a->chan, ARCH_CHAN_VIRTCONSOLE);
	assert_string_equal(a->panic_device, "pvpanic-pci");
	assert_null(a->libvirt_panic);
	assert_string_equal(a->console_dev, "ttyAMA0");
	assert_string_equal(a->console_arg, "console=ttyAMA0");
	assert_string_equal(a->agent_dev, "hvc0");
	assert_string_equal(a->cmdline_extra, "");
	assert_int_equal(a->kernel, ARCH_KERNEL_IMAGE);
	assert_memory_equal(a->image_magic, "ARM\x64", 5);
	assert_int_equal(a->image_magic_at, 56);
	assert_string_equal(a->kdir_image, "arch/arm64/boot/Image");
	assert_list(a->zones, "DMA DMA32 Normal Movable");
}

static void test_lookup(void **state)
{
	static const struct {
		const char *name;
		const struct arch_ops *arch;
	} names[] = {
		{ "x86_64", &arch_x86_64 }, { "amd64", &arch_x86_64 },
		{ "i386", &arch_i386 }, { "i686", &arch_i386 },
		{ "arm64", &arch_arm64 }, { "aarch64", &arch_arm64 },
	};
	static const char *const unknown[] = { "", "x86", "X86_64", "amd64 ", "arm", "armhf", "riscv64", "i586",
					       "aarch64_be", "sparc" };
	struct strbuf list = STRBUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_ptr_equal(arch_find(names[i].name), names[i].arch);
		assert_ptr_equal(arch_of(names[i].name), names[i].arch);
	}
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		assert_null(arch_find(unknown[i]));
	/* every name of every entry finds it, and no two entries share one */
	for (size_t i = 0; arch_table[i]; i++) {
		const struct arch_ops *a = arch_table[i];
		assert_ptr_equal(arch_find(a->name), a);
		assert_ptr_equal(arch_find(a->debian), a);
		assert_ptr_equal(arch_find(a->libvirt), a);
		assert_ptr_equal(arch_find(a->uname), a);
		for (size_t j = 0; a->aliases[j]; j++)
			assert_ptr_equal(arch_find(a->aliases[j]), a);
	}
	assert_ptr_equal(arch_for_elf(EM_X86_64, 64), &arch_x86_64);
	assert_ptr_equal(arch_for_elf(EM_386, 32), &arch_i386);
	assert_ptr_equal(arch_for_elf(EM_AARCH64, 64), &arch_arm64);
	assert_null(arch_for_elf(EM_X86_64, 32));	/* x32 */
	assert_null(arch_for_elf(EM_RISCV, 64));
	assert_ptr_equal(arch_for_elf_machine(EM_X86_64), &arch_x86_64);
	assert_null(arch_for_elf_machine(EM_ARM));
	/* the names users are shown: the case parser's list is the table's */
	arch_list_names(&list, " ");
	assert_string_equal(list.buf, ARCH_LIST);
	strbuf_reset(&list);
	arch_list_names(&list, ", ");
	assert_string_equal(list.buf, "x86_64, i386, arm64");
	strbuf_release(&list);
}

static void test_guest_cmdline(void **state)
{
	struct strbuf cmd = STRBUF_INIT;

	(void)state;
	arch_guest_cmdline(&arch_x86_64, &cmd);
	assert_string_equal(cmd.buf, "console=ttyS0,115200 loglevel=7 panic=-1 cryptomgr.notests noisapnp "
				     "no_timer_check oomtest.chan=ttyS1");
	strbuf_reset(&cmd);
	arch_guest_cmdline(&arch_i386, &cmd);
	assert_string_equal(cmd.buf, "console=ttyS0,115200 loglevel=7 panic=-1 cryptomgr.notests noisapnp "
				     "no_timer_check oomtest.chan=ttyS1");
	strbuf_reset(&cmd);
	arch_guest_cmdline(&arch_arm64, &cmd);
	assert_string_equal(cmd.buf, "console=ttyAMA0 loglevel=7 panic=-1 cryptomgr.notests oomtest.chan=hvc0");
	strbuf_release(&cmd);
}

static void test_hosts_and_compilers(void **state)
{
	(void)state;
	/* an x86_64 host builds and runs both x86 arches, arm64 needs a cross compiler */
	assert_true(arch_is_native(&arch_x86_64, "x86_64"));
	assert_true(arch_is_native(&arch_i386, "x86_64"));
	assert_false(arch_is_native(&arch_arm64, "x86_64"));
	assert_string_equal(arch_cross_prefix(&arch_x86_64, "x86_64"), "");
	assert_string_equal(arch_cross_prefix(&arch_i386, "x86_64"), "");
	assert_string_equal(arch_cross_prefix(&arch_arm64, "x86_64"), "aarch64-linux-gnu-");
	/* and the other way round */
	assert_true(arch_is_native(&arch_arm64, "aarch64"));
	assert_string_equal(arch_cross_prefix(&arch_arm64, "aarch64"), "");
	assert_string_equal(arch_cross_prefix(&arch_x86_64, "aarch64"), "x86_64-linux-gnu-");
	assert_string_equal(arch_cross_prefix(&arch_i386, "aarch64"), "i686-linux-gnu-");
	assert_false(arch_is_native(&arch_x86_64, "i686"));
	/* this host is one of the machines uname names */
	assert_true(strlen(arch_host_machine()) > 0);
	assert_ptr_equal(arch_host_machine(), arch_host_machine());
}

static void test_qemu_binary(void **state)
{
	(void)state;
	unsetenv("OOMTEST_QEMU");
	for (size_t i = 0; arch_table[i]; i++)
		assert_string_equal(arch_qemu_binary(arch_table[i]), arch_table[i]->qemu);
	setenv("OOMTEST_QEMU", "", 1);
	assert_string_equal(arch_qemu_binary(&arch_arm64), "qemu-system-aarch64");
	setenv("OOMTEST_QEMU", "/q/qemu", 1);
	assert_string_equal(arch_qemu_binary(&arch_arm64), "/q/qemu");
	unsetenv("OOMTEST_QEMU");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x86_64),
		cmocka_unit_test(test_i386),
		cmocka_unit_test(test_arm64),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_guest_cmdline),
		cmocka_unit_test(test_hosts_and_compilers),
		cmocka_unit_test(test_qemu_binary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
