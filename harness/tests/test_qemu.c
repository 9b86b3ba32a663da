/* Tests for qemu.c: the QEMU command line a config gives (arch: the x86
 * pc machine, arm64's virt board; memory, accelerator, cold boot or
 * restore, the case's kernel arguments, a single console) and the files a start leaves in
 * the run directory. No QEMU is started. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/qemu.h"
#include "lib/child.h"
#include "proto/disks.h"
#include "proto/payload.h"
#include "target/arch.h"

/* the x86 kernel command line as it always was, and the agent channel's device */
#define X86_CMDLINE "console=ttyS0,115200 loglevel=7 panic=-1 cryptomgr.notests noisapnp no_timer_check " \
	"oomtest.chan=ttyS1"

#define SOCKETS(d) \
	"-chardev\nsocket,id=con,path=" d "/con,server=on,wait=on\n-serial\nchardev:con\n" \
	"-chardev\nsocket,id=agent,path=" d "/agent,server=on,wait=on\n-serial\nchardev:agent\n" \
	"-chardev\nsocket,id=qmp,path=" d "/qmp,server=on,wait=on\n-mon\nchardev=qmp,mode=control\n"

static struct target tgt(const char *arch, const char *kernel, enum boot_kind boot)
{
	struct target t = { .name = (char *)arch, .arch = (char *)arch, .release = "6.1.0-50",
			    .kernel = (char *)kernel, .boot = boot };
	return t;
}

/* The command line one argument a line, as qemu.cmdline has it. */
static void argv_text(const struct vm_config *cfg, const char *accel, struct strbuf *out)
{
	char **argv = qemu_argv(cfg, accel, "/s");

	for (size_t i = 0; argv[i]; i++)
		strbuf_addf(out, "%s\n", argv[i]);
	qemu_argv_free(argv);
}

static void assert_argv(const struct vm_config *cfg, const char *accel, const char *want)
{
	struct strbuf got = STRBUF_INIT;

	argv_text(cfg, accel, &got);
	assert_string_equal(got.buf, want);
	strbuf_release(&got);
}

static int setup(void **state)
{
	(void)state;
	unsetenv("OOMTEST_QEMU");
	unsetenv("OOMTEST_QEMU_NAIVE");
	return 0;
}

static void test_x86_64_pvh_kvm(void **state)
{
	struct target t = tgt("x86_64", "/k/vmlinux", BOOT_PVH);
	struct vm_config cfg = { .target = &t, .initrd = "/i/x86_64.cpio", .memory = 128ull << 20 };

	(void)state;
	/* a PVH vmlinux is given to -kernel like a bzImage: QEMU reads its note */
	assert_argv(&cfg, "kvm",
		    "qemu-system-x86_64\n-M\npc\n-accel\nkvm\n-m\n128\n-smp\n1\n-nodefaults\n-no-user-config\n"
		    "-display\nnone\n-no-reboot\n-kernel\n/k/vmlinux\n-initrd\n/i/x86_64.cpio\n"
		    "-append\n" X86_CMDLINE "\n" SOCKETS("/s") "-device\npvpanic\n");
}

static void test_i386_bzimage_tcg(void **state)
{
	struct target t = tgt("i386", "/k/bzImage", BOOT_BZIMAGE);
	struct vm_config cfg = { .target = &t, .initrd = "/i/i386.cpio", .memory = 64ull << 20,
				 .extra_cmdline = "oomtest.x=1 vm.overcommit_memory=2" };

	(void)state;
	assert_argv(&cfg, "tcg",
		    "qemu-system-i386\n-M\npc\n-accel\ntcg\n-m\n64\n-smp\n1\n-nodefaults\n-no-user-config\n"
		    "-display\nnone\n-no-reboot\n-kernel\n/k/bzImage\n-initrd\n/i/i386.cpio\n"
		    "-append\n" X86_CMDLINE " oomtest.x=1 vm.overcommit_memory=2\n" SOCKETS("/s")
		    "-device\npvpanic\n");
}

/* QEMU's virt board: the PL011 console, the agent on a virtio console
 * port, the PCI pvpanic device */
#define ARM64_SOCKETS(d) \
	"-chardev\nsocket,id=con,path=" d "/con,server=on,wait=on\n-serial\nchardev:con\n" \
	"-device\nvirtio-serial-pci\n" \
	"-chardev\nsocket,id=agent,path=" d "/agent,server=on,wait=on\n-device\nvirtconsole,chardev=agent\n" \
	"-chardev\nsocket,id=qmp,path=" d "/qmp,server=on,wait=on\n-mon\nchardev=qmp,mode=control\n"
#define ARM64_CMDLINE "console=ttyAMA0 loglevel=7 panic=-1 cryptomgr.notests oomtest.chan=hvc0"

static void test_arm64_virt(void **state)
{
	struct target t = tgt("arm64", "/k/Image", BOOT_BZIMAGE);
	struct vm_config cfg = { .target = &t, .initrd = "/i/arm64.cpio", .memory = 128ull << 20,
				 .extra_cmdline = "vm.x=1" };

	(void)state;
	assert_argv(&cfg, "tcg",
		    "qemu-system-aarch64\n-M\nvirt\n-cpu\nmax,pauth-impdef=on\n-accel\ntcg\n-m\n128\n-smp\n1\n"
		    "-nodefaults\n-no-user-config\n-display\nnone\n-no-reboot\n-kernel\n/k/Image\n"
		    "-initrd\n/i/arm64.cpio\n-append\n" ARM64_CMDLINE " vm.x=1\n" ARM64_SOCKETS("/s")
		    "-device\npvpanic-pci\n");

	/* its disks are PCI virtio disks too */
	cfg.payload = "/r/payload.img";
	cfg.swap_disk = "/r/swap.img";
	assert_argv(&cfg, "tcg",
		    "qemu-system-aarch64\n-M\nvirt\n-cpu\nmax,pauth-impdef=on\n-accel\ntcg\n-m\n128\n-smp\n1\n"
		    "-nodefaults\n-no-user-config\n-display\nnone\n-no-reboot\n-kernel\n/k/Image\n"
		    "-initrd\n/i/arm64.cpio\n-append\n" ARM64_CMDLINE " " PAYLOAD_CMDLINE " vm.x=1\n"
		    ARM64_SOCKETS("/s") "-device\npvpanic-pci\n"
		    "-drive\nif=none,id=payload,format=raw,readonly=on,file=/r/payload.img\n"
		    "-device\nvirtio-blk-pci,drive=payload,serial=payload\n"
		    "-drive\nif=none,id=" DISK_SWAP_SERIAL ",format=raw,file=/r/swap.img\n"
		    "-device\nvirtio-blk-pci,drive=" DISK_SWAP_SERIAL ",serial=" DISK_SWAP_SERIAL "\n");

	/* naive: QEMU has no default machine for it, nor a 64-bit default CPU;
	 * under KVM the host's pointer authentication, no pauth-impdef */
	cfg.payload = cfg.swap_disk = NULL;
	cfg.extra_cmdline = NULL;
	setenv("OOMTEST_QEMU_NAIVE", "1", 1);
	assert_argv(&cfg, "kvm",
		    "qemu-system-aarch64\n-M\nvirt\n-cpu\nmax\n-accel\nkvm\n-m\n128\n-smp\n1\n"
		    "-display\nnone\n-no-reboot\n-kernel\n/k/Image\n-initrd\n/i/arm64.cpio\n"
		    "-append\nconsole=ttyAMA0 loglevel=7 panic=-1 oomtest.chan=hvc0\n" ARM64_SOCKETS("/s")
		    "-device\npvpanic-pci\n");
	unsetenv("OOMTEST_QEMU_NAIVE");
}

static void test_restore(void **state)
{
	struct target t = tgt("x86_64", "/k/vmlinux", BOOT_PVH);
	struct vm_config cfg = { .target = &t, .initrd = "/i/x86_64.cpio", .memory = 1ull << 30, .extra_cmdline = "" };
	struct strbuf cold = STRBUF_INIT, restored = STRBUF_INIT;

	(void)state;
	argv_text(&cfg, "kvm", &cold);
	assert_non_null(strstr(cold.buf, "\n-m\n1024\n"));
	assert_null(strstr(cold.buf, "-incoming"));
	/* the same machine, waiting for its state to come over QMP */
	cfg.restore = "/snap/state";
	argv_text(&cfg, "kvm", &restored);
	strbuf_addstr(&cold, "-incoming\ndefer\n");
	assert_string_equal(restored.buf, cold.buf);
	strbuf_release(&cold);
	strbuf_release(&restored);
}

static void test_payload_disk(void **state)
{
	struct target t = tgt("i386", "/k/bzImage", BOOT_BZIMAGE);
	struct vm_config cfg = { .target = &t, .initrd = "/i/i386.cpio", .memory = 64ull << 20,
				 .extra_cmdline = "x=1", .payload = "/r/case[memory=64M,order=1]/i386/payload.img" };

	(void)state;
	/* read-only virtio disk; a comma in the path is doubled for QEMU's
	 * option parser; the agent is told on the kernel command line */
	assert_argv(&cfg, "tcg",
		    "qemu-system-i386\n-M\npc\n-accel\ntcg\n-m\n64\n-smp\n1\n-nodefaults\n-no-user-config\n"
		    "-display\nnone\n-no-reboot\n-kernel\n/k/bzImage\n-initrd\n/i/i386.cpio\n"
		    "-append\n" X86_CMDLINE " " PAYLOAD_CMDLINE " x=1\n" SOCKETS("/s") "-device\npvpanic\n"
		    "-drive\nif=none,id=payload,format=raw,readonly=on,file=/r/case[memory=64M,,order=1]/i386/payload.img\n"
		    "-device\nvirtio-blk-pci,drive=payload,serial=payload\n");
}

/* One console: no agent socket or virtio-serial bus; the agent is told to
 * use /dev/kmsg, last, after the case's own arguments. */
static void test_single_console(void **state)
{
	struct target x86 = tgt("x86_64", "/k/vmlinux", BOOT_PVH), arm = tgt("arm64", "/k/Image", BOOT_BZIMAGE);
	struct vm_config cfg = { .target = &x86, .initrd = "/r/initrd.cpio", .memory = 256ull << 20,
				 .extra_cmdline = "oomtest.chan=ttyS1 vm.x=1", .single_console = 1 };
	struct strbuf got = STRBUF_INIT;

	(void)state;
	assert_argv(&cfg, "kvm",
		    "qemu-system-x86_64\n-M\npc\n-accel\nkvm\n-m\n256\n-smp\n1\n-nodefaults\n-no-user-config\n"
		    "-display\nnone\n-no-reboot\n-kernel\n/k/vmlinux\n-initrd\n/r/initrd.cpio\n"
		    "-append\n" X86_CMDLINE " oomtest.chan=ttyS1 vm.x=1 oomtest.chan=kmsg printk.devkmsg=on\n"
		    "-chardev\nsocket,id=con,path=/s/con,server=on,wait=on\n-serial\nchardev:con\n"
		    "-chardev\nsocket,id=qmp,path=/s/qmp,server=on,wait=on\n-mon\nchardev=qmp,mode=control\n"
		    "-device\npvpanic\n");
	cfg.target = &arm;
	argv_text(&cfg, "tcg", &got);
	assert_null(strstr(got.buf, "agent"));
	assert_null(strstr(got.buf, "virtio-serial"));
	assert_non_null(strstr(got.buf, "oomtest.chan=kmsg printk.devkmsg=on\n"));
	strbuf_release(&got);
}

static void test_swap_and_data_disks(void **state)
{
	struct target t = tgt("x86_64", "/k/vmlinux", BOOT_PVH);
	struct vm_config cfg = { .target = &t, .initrd = "/i", .memory = 128ull << 20,
				 .swap_disk = "/r/swap.img", .data_disk = "/r/d,isk.img" };
	char **argv = qemu_argv(&cfg, "tcg", "/s");
	struct strbuf all = STRBUF_INIT;

	(void)state;
	for (size_t i = 0; argv[i]; i++)
		strbuf_addf(&all, "%s\n", argv[i]);
	/* writable, each found by its serial; with no payload the agent is
	 * still told to load the virtio disk's driver */
	assert_non_null(strstr(all.buf, "-drive\nif=none,id=" DISK_SWAP_SERIAL ",format=raw,file=/r/swap.img\n"
				 "-device\nvirtio-blk-pci,drive=" DISK_SWAP_SERIAL ",serial=" DISK_SWAP_SERIAL "\n"
				 "-drive\nif=none,id=" DISK_DATA_SERIAL ",format=raw,file=/r/d,,isk.img\n"
				 "-device\nvirtio-blk-pci,drive=" DISK_DATA_SERIAL ",serial=" DISK_DATA_SERIAL "\n"));
	assert_non_null(strstr(all.buf, X86_CMDLINE " " PAYLOAD_CMDLINE "\n"));
	assert_null(strstr(all.buf, "id=payload"));
	qemu_argv_free(argv);
	strbuf_release(&all);
}

static void test_memory_and_overrides(void **state)
{
	struct target t = tgt("i386", "/k/bzImage", BOOT_BZIMAGE);
	struct vm_config cfg = { .target = &t, .initrd = "/i", .memory = (200ull << 20) + 4096 };
	char **argv;

	(void)state;
	/* whole MiB: what is left over is dropped */
	argv = qemu_argv(&cfg, "tcg", "/s");
	assert_string_equal(argv[5], "-m");
	assert_string_equal(argv[6], "200");
	qemu_argv_free(argv);

	/* a QEMU of one's own, for every arch */
	setenv("OOMTEST_QEMU", "/opt/qemu/bin/qemu-system-x86_64", 1);
	argv = qemu_argv(&cfg, "tcg", "/s");
	assert_string_equal(argv[0], "/opt/qemu/bin/qemu-system-x86_64");
	qemu_argv_free(argv);
	unsetenv("OOMTEST_QEMU");

	/* QEMU as one would first write it: default machine and devices */
	setenv("OOMTEST_QEMU_NAIVE", "1", 1);
	cfg.extra_cmdline = "x=1";
	assert_argv(&cfg, "tcg",
		    "qemu-system-i386\n-accel\ntcg\n-m\n200\n-smp\n1\n-display\nnone\n-no-reboot\n"
		    "-kernel\n/k/bzImage\n-initrd\n/i\n-append\nconsole=ttyS0 loglevel=7 panic=-1 oomtest.chan=ttyS1 x=1\n"
		    SOCKETS("/s") "-device\npvpanic\n");
	unsetenv("OOMTEST_QEMU_NAIVE");
}

static void test_start_writes_the_command_line(void **state)
{
	char dir[] = "/tmp/oomtest-qemu-test.XXXXXX";
	struct target t = tgt("x86_64", "/k/vmlinux", BOOT_PVH);
	struct vm_config cfg = { .target = &t, .initrd = "/i/x86_64.cpio", .memory = 128ull << 20, .run_dir = dir };
	struct strbuf err = STRBUF_INIT, path = STRBUF_INIT, text = STRBUF_INIT;
	struct vm *vm = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("OOMTEST_QEMU", "/nonexistent/qemu", 1);
	assert_int_equal(backend_qemu.start(&cfg, &vm, &err), -1);
	unsetenv("OOMTEST_QEMU");
	assert_null(vm);
	assert_string_equal(err.buf, "cannot start /nonexistent/qemu: No such file or directory "
				     "(install qemu-system-x86, or name a QEMU in OOMTEST_QEMU)");
	/* what would have run, for the user to rerun */
	strbuf_addf(&path, "%s/qemu.cmdline", dir);
	assert_int_equal(strbuf_read_file(&text, path.buf), 0);
	assert_true(!strncmp(text.buf, "/nonexistent/qemu\n-M\npc\n-accel\n", 31));
	assert_non_null(strstr(text.buf, "\n-kernel\n/k/vmlinux\n-initrd\n/i/x86_64.cpio\n"));
	assert_non_null(strstr(text.buf, ",server=on,wait=on\n-mon\nchardev=qmp,mode=control\n-device\npvpanic\n"));
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/qemu.log", dir);
	assert_int_equal(access(path.buf, F_OK), 0);

	char *rm[] = { "rm", "-rf", dir, NULL };
	assert_int_equal(child_run(rm, -1), 0);
	strbuf_release(&err);
	strbuf_release(&path);
	strbuf_release(&text);
}

/* Starts t's guest with a QEMU that is not there: the error, and the
 * command line it left in qemu.cmdline. */
static void start_missing_qemu(struct target *t, struct strbuf *err, struct strbuf *cmdline)
{
	char dir[] = "/tmp/oomtest-qemu-test.XXXXXX";
	struct vm_config cfg = { .target = t, .initrd = "/i", .memory = 128ull << 20, .run_dir = dir };
	struct strbuf path = STRBUF_INIT;
	struct vm *vm = NULL;

	assert_non_null(mkdtemp(dir));
	setenv("OOMTEST_QEMU", "/nonexistent/qemu", 1);
	assert_int_equal(backend_qemu.start(&cfg, &vm, err), -1);
	unsetenv("OOMTEST_QEMU");
	assert_null(vm);
	strbuf_addf(&path, "%s/qemu.cmdline", dir);
	assert_int_equal(strbuf_read_file(cmdline, path.buf), 0);
	char *rm[] = { "rm", "-rf", dir, NULL };
	assert_int_equal(child_run(rm, -1), 0);
	strbuf_release(&path);
}

/* With KVM chosen, a guest of an arch the host does not run natively is
 * emulated; the message names the arch's QEMU package. */
static void test_foreign_arch_is_emulated(void **state)
{
	struct target arm = tgt("arm64", "/k/Image", BOOT_BZIMAGE), x86 = tgt("x86_64", "/k/vmlinux", BOOT_PVH);
	struct strbuf err = STRBUF_INIT, text = STRBUF_INIT;
	int arm_native = arch_is_native(&arch_arm64, arch_host_machine());
	int x86_native = arch_is_native(&arch_x86_64, arch_host_machine());

	(void)state;
	setenv("OOMTEST_ACCEL", "kvm", 1);
	backend_qemu.setup(NULL, NULL);
	unsetenv("OOMTEST_ACCEL");
	assert_string_equal(backend_qemu.accel(), "kvm");
	start_missing_qemu(&arm, &err, &text);
	assert_string_equal(err.buf, "cannot start /nonexistent/qemu: No such file or directory "
				     "(install qemu-system-arm, or name a QEMU in OOMTEST_QEMU)");
	assert_non_null(strstr(text.buf, arm_native ? "\n-accel\nkvm\n" : "\n-accel\ntcg\n"));
	strbuf_reset(&err);
	strbuf_reset(&text);
	start_missing_qemu(&x86, &err, &text);
	assert_non_null(strstr(text.buf, x86_native ? "\n-accel\nkvm\n" : "\n-accel\ntcg\n"));
	setenv("OOMTEST_ACCEL", "tcg", 1);
	backend_qemu.setup(NULL, NULL);
	unsetenv("OOMTEST_ACCEL");
	strbuf_release(&err);
	strbuf_release(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_x86_64_pvh_kvm, setup),
		cmocka_unit_test_setup(test_i386_bzimage_tcg, setup),
		cmocka_unit_test_setup(test_arm64_virt, setup),
		cmocka_unit_test_setup(test_foreign_arch_is_emulated, setup),
		cmocka_unit_test_setup(test_restore, setup),
		cmocka_unit_test_setup(test_payload_disk, setup),
		cmocka_unit_test_setup(test_single_console, setup),
		cmocka_unit_test_setup(test_swap_and_data_disks, setup),
		cmocka_unit_test_setup(test_memory_and_overrides, setup),
		cmocka_unit_test_setup(test_start_writes_the_command_line, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
