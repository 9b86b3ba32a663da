/* Tests for target.c: target lists, user kernels (x86 and arm64), and
 * what is read from kernel images (the PVH note of an ELF vmlinux, a
 * bzImage's setup header, the version banner), on small images built here
 * with just the fields target.c reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "lib/child.h"
#include "target/target.h"
#include "kimage_test_util.h"



static void test_targets(void **state)
{
	(void)state;
	char dir[] = "/tmp/oomtest-tgt.XXXXXX";
	struct target_list l;
	struct target t;
	struct strbuf p = STRBUF_INIT, err = STRBUF_INIT;

	assert_non_null(mkdtemp(dir));
	strbuf_addf(&p, "%s/targets.list", dir);
	write_file(p.buf, "# oomtest targets\n# abi 6.1.0-50\n"
		   "x86_64 x86_64 6.1.0-50-amd64 build/vmlinux build/kdir pvh\n"
		   "i386 i386 6.1.0-50-686 /abs/bzImage /abs/kdir bzimage\n");
	assert_int_equal(targets_load(&l, "/root", p.buf, &err), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.abi_comment, "6.1.0-50");
	const struct target *x = targets_find(&l, "x86_64");
	assert_non_null(x);
	assert_string_equal(x->kernel, "/root/build/vmlinux");
	assert_int_equal(x->boot, BOOT_PVH);
	assert_string_equal(targets_find(&l, "i386")->kernel, "/abs/bzImage");
	assert_null(targets_find(&l, "arm"));
	targets_release(&l);

	/* an arch by any of its names */
	write_file(p.buf, "i386 i686 6.1.0-50-686 k d bzimage\na64 aarch64 6.1.0-50-arm64 Image d image 256M\n");
	assert_int_equal(targets_load(&l, "/r", p.buf, &err), 0);
	assert_string_equal(l.v[0].arch, "i386");
	assert_string_equal(l.v[1].arch, "arm64");
	assert_int_equal(l.v[1].boot, BOOT_BZIMAGE);
	assert_true(l.v[1].min_memory == 256ull << 20);
	targets_release(&l);

	write_file(p.buf, "x86_64 sparc 1 k d pvh\n");
	assert_int_equal(targets_load(&l, "/", p.buf, &err), -1);
	assert_non_null(strstr(err.buf, "targets.list:1: expected"));
	strbuf_reset(&err);
	assert_int_equal(targets_load(&l, "/", "/nonexistent/targets.list", &err), -1);
	assert_non_null(strstr(err.buf, "make images"));

	/* a user's kernel: release from the kdir, PVH when the image is ELF */
	struct strbuf k = STRBUF_INIT, kd = STRBUF_INIT;
	static const unsigned char pvh[] = { 4, 0, 0, 0, 4, 0, 0, 0, 18, 0, 0, 0, 'X', 'e', 'n', 0, 0, 0, 0, 1 };
	strbuf_addf(&k, "%s/vmlinux", dir);
	write_elf(k.buf, 64, "", 0);
	strbuf_addf(&kd, "%s/include/config", dir);
	char *mk[] = { "mkdir", "-p", kd.buf, NULL };
	assert_int_equal(child_run(mk, -1), 0);
	strbuf_addstr(&kd, "/kernel.release");
	write_file(kd.buf, "6.9.0-custom\n");
	strbuf_reset(&err);
	/* an ELF QEMU cannot boot: said at once */
	assert_int_equal(target_custom(&t, k.buf, dir, "x86_64", &err), -1);
	assert_non_null(strstr(err.buf, "without a PVH entry note"));
	strbuf_reset(&err);
	write_elf(k.buf, 64, pvh, sizeof(pvh));
	assert_int_equal(target_custom(&t, k.buf, dir, "x86_64", &err), 0);
	assert_string_equal(t.release, "6.9.0-custom");
	assert_int_equal(t.boot, BOOT_PVH);
	assert_true(!strncmp(t.name, "custom-x86_64-", 14) && strlen(t.name) == 22);
	target_release(&t);
	/* UTS_RELEASE wins over kernel.release, and must match the image */
	strbuf_reset(&kd);
	strbuf_addf(&kd, "%s/include/generated", dir);
	char *mk2[] = { "mkdir", "-p", kd.buf, NULL };
	assert_int_equal(child_run(mk2, -1), 0);
	strbuf_addstr(&kd, "/utsrelease.h");
	write_file(kd.buf, "#define UTS_RELEASE \"6.9.0-uts\"\n");
	assert_int_equal(target_custom(&t, k.buf, dir, "amd64", &err), 0);
	assert_string_equal(t.release, "6.9.0-uts");
	/* an arch by another of its names is the arch's own */
	assert_string_equal(t.arch, "x86_64");
	assert_true(!strncmp(t.name, "custom-x86_64-", 14));
	target_release(&t);
	/* a 64-bit vmlinux is no i386 kernel: both arches are named */
	assert_int_equal(target_custom(&t, k.buf, dir, "i386", &err), -1);
	assert_non_null(strstr(err.buf, "is an ELF vmlinux for x86_64, but --arch is i386: give --arch x86_64"));
	strbuf_reset(&err);
	write_file(k.buf, "\177ELF....Linux version 6.9.0-other (gcc) #1");
	assert_int_equal(target_custom(&t, k.buf, dir, "x86_64", &err), -1);
	assert_non_null(strstr(err.buf, "is Linux 6.9.0-other but --kdir"));
	strbuf_reset(&err);
	assert_int_equal(target_custom(&t, k.buf, dir, "sparc", &err), -1);
	assert_string_equal(err.buf, "--arch sparc: unknown architecture (x86_64, i386, arm64)");
	strbuf_reset(&err);
	assert_int_equal(target_custom(&t, k.buf, "/nonexistent", "i386", &err), -1);
	assert_non_null(strstr(err.buf, "--kdir /nonexistent"));

	char *rm[] = { "rm", "-rf", dir, NULL };
	assert_int_equal(child_run(rm, -1), 0);
	strbuf_release(&p);
	strbuf_release(&k);
	strbuf_release(&kd);
	strbuf_release(&err);
}

/* A bzImage given with a build tree whose vmlinux has a PVH note boots
 * through that vmlinux; one whose vmlinux is another kernel does not. */
static void test_custom_bzimage_prefers_vmlinux(void **state)
{
	char dir[] = "/tmp/oomtest-tgt.XXXXXX";
	struct strbuf bz = STRBUF_INIT, vm = STRBUF_INIT, rel = STRBUF_INIT, err = STRBUF_INIT;
	struct target t;
	char *real;

	(void)state;
	assert_non_null(mkdtemp(dir));
	strbuf_addf(&rel, "%s/include/config", dir);
	char *mk[] = { "mkdir", "-p", rel.buf, NULL };
	assert_int_equal(child_run(mk, -1), 0);
	strbuf_addstr(&rel, "/kernel.release");
	write_file(rel.buf, "6.9.0-t\n");
	strbuf_addf(&bz, "%s/bzImage", dir);
	write_bzimage(bz.buf, 0x1000, 0x300, "6.9.0-t (me@here) #1");

	/* no vmlinux beside it */
	assert_int_equal(target_custom(&t, bz.buf, dir, "i386", &err), 0);
	assert_int_equal(t.boot, BOOT_BZIMAGE);
	assert_true(!strncmp(t.name, "custom-i386-", 12) && strlen(t.name) == 20);
	real = realpath(bz.buf, NULL);
	assert_string_equal(t.kernel, real);
	free(real);
	target_release(&t);

	/* a vmlinux with a PVH note of the same release */
	static const char banner[] = "Linux version 6.9.0-t (me@here)";
	strbuf_addf(&vm, "%s/vmlinux", dir);
	write_elf(vm.buf, 64, xen_pvh, sizeof(xen_pvh));
	/* its banner after the note, outside the note segment */
	FILE *f = fopen(vm.buf, "a");
	assert_non_null(f);
	fwrite(banner, 1, sizeof(banner), f);
	fclose(f);
	assert_int_equal(target_custom(&t, bz.buf, dir, "x86_64", &err), 0);
	assert_int_equal(t.boot, BOOT_PVH);
	real = realpath(vm.buf, NULL);
	assert_string_equal(t.kernel, real);
	free(real);
	target_release(&t);

	/* a vmlinux of another release is not used */
	write_file(rel.buf, "6.9.0-u\n");
	write_bzimage(bz.buf, 0x1000, 0x300, "6.9.0-u (me@here) #1");
	assert_int_equal(target_custom(&t, bz.buf, dir, "x86_64", &err), 0);
	assert_int_equal(t.boot, BOOT_BZIMAGE);
	target_release(&t);
	/* and a bzImage of another release than the build tree is refused */
	write_bzimage(bz.buf, 0x1000, 0x300, "6.9.0-v (me@here) #1");
	assert_int_equal(target_custom(&t, bz.buf, dir, "x86_64", &err), -1);
	assert_non_null(strstr(err.buf, "is Linux 6.9.0-v but --kdir"));
	strbuf_reset(&err);
	assert_int_equal(target_custom(&t, "/nonexistent/bzImage", dir, "x86_64", &err), -1);
	assert_non_null(strstr(err.buf, "--kernel /nonexistent/bzImage: No such file or directory"));

	char *rm[] = { "rm", "-rf", dir, NULL };
	assert_int_equal(child_run(rm, -1), 0);
	strbuf_release(&bz);
	strbuf_release(&vm);
	strbuf_release(&rel);
	strbuf_release(&err);
}

/* A vmlinux of release 6.9.0-t whose segments end at 16M + 40M + 12M:
 * 68M of guest memory before the kernel has run at all. */
static void write_big_vmlinux(const char *path)
{
	static const char banner[] = "Linux version 6.9.0-t (me@here)";
	static const struct load loads[] = { { 16 * MIB, 40 * MIB }, { 56 * MIB, 12 * MIB } };
	FILE *f;

	write_elf_loads(path, 64, xen_pvh, sizeof(xen_pvh), loads, 2);
	f = fopen(path, "a");
	assert_non_null(f);
	fwrite(banner, 1, sizeof(banner), f);
	fclose(f);
}

/* A vmlinux whose segments do not fit in a guest's memory is not booted
 * there: the bzImage of the same kernel is (and boot.path says
 * cold-bzimage); where there is no bzImage, the target needs more memory
 * (the runs of smaller guests are skipped). */
static void test_boot_path_fits_memory(void **state)
{
	char dir[] = "/tmp/oomtest-tgt.XXXXXX";
	struct strbuf bz = STRBUF_INIT, vm = STRBUF_INIT, rel = STRBUF_INIT, err = STRBUF_INIT;
	struct target t, booted;
	char *real_vm, *real_bz;

	(void)state;
	assert_non_null(mkdtemp(dir));
	strbuf_addf(&rel, "%s/arch/x86/boot", dir);
	char *mk[] = { "mkdir", "-p", rel.buf, NULL };
	assert_int_equal(child_run(mk, -1), 0);
	strbuf_reset(&rel);
	strbuf_addf(&rel, "%s/include/config", dir);
	assert_int_equal(child_run(mk, -1), 0);
	strbuf_addstr(&rel, "/kernel.release");
	write_file(rel.buf, "6.9.0-t\n");
	strbuf_addf(&bz, "%s/bzImage", dir);
	write_bzimage(bz.buf, 0x1000, 0x300, "6.9.0-t (me@here) #1");
	strbuf_addf(&vm, "%s/vmlinux", dir);
	write_big_vmlinux(vm.buf);
	real_vm = realpath(vm.buf, NULL);
	real_bz = realpath(bz.buf, NULL);

	/* a bzImage with the vmlinux beside it: each where it fits */
	assert_int_equal(target_custom(&t, bz.buf, dir, "x86_64", &err), 0);
	assert_int_equal(t.boot, BOOT_PVH);
	assert_string_equal(t.kernel, real_vm);
	assert_string_equal(t.bzimage, real_bz);
	assert_true(t.load_end == 68 * MIB);
	assert_true(t.min_memory == 0);
	booted = target_for_memory(&t, 64 * MIB);
	assert_int_equal(booted.boot, BOOT_BZIMAGE);
	assert_string_equal(booted.kernel, real_bz);
	booted = target_for_memory(&t, 68 * MIB + PVH_HEADROOM - 1);
	assert_int_equal(booted.boot, BOOT_BZIMAGE);
	booted = target_for_memory(&t, 68 * MIB + PVH_HEADROOM);
	assert_int_equal(booted.boot, BOOT_PVH);
	assert_string_equal(booted.kernel, real_vm);
	booted = target_for_memory(&t, 128 * MIB);
	assert_int_equal(booted.boot, BOOT_PVH);
	assert_string_equal(booted.kernel, real_vm);
	assert_string_equal(booted.name, t.name);
	target_release(&t);

	/* the vmlinux given, with no bzImage in the tree: nothing smaller to
	 * boot, so the target says how much memory it needs */
	assert_int_equal(target_custom(&t, vm.buf, dir, "x86_64", &err), 0);
	assert_int_equal(t.boot, BOOT_PVH);
	assert_null(t.bzimage);
	assert_true(t.min_memory == 68 * MIB + PVH_HEADROOM);
	booted = target_for_memory(&t, 128 * MIB);
	assert_string_equal(booted.kernel, real_vm);
	target_release(&t);

	/* the vmlinux given, the tree's own bzImage kept for small guests */
	strbuf_reset(&bz);
	strbuf_addf(&bz, "%s/arch/x86/boot/bzImage", dir);
	write_bzimage(bz.buf, 0x1000, 0x300, "6.9.0-t (me@here) #1");
	free(real_bz);
	real_bz = realpath(bz.buf, NULL);
	assert_int_equal(target_custom(&t, vm.buf, dir, "x86_64", &err), 0);
	assert_string_equal(t.bzimage, real_bz);
	assert_true(t.min_memory == 0);
	booted = target_for_memory(&t, 64 * MIB);
	assert_string_equal(booted.kernel, real_bz);
	assert_int_equal(booted.boot, BOOT_BZIMAGE);
	target_release(&t);

	char *rm[] = { "rm", "-rf", dir, NULL };
	assert_int_equal(child_run(rm, -1), 0);
	free(real_vm);
	free(real_bz);
	strbuf_release(&bz);
	strbuf_release(&vm);
	strbuf_release(&rel);
	strbuf_release(&err);
}

static char *name_of(const char *arch, const char *kernel, const char *kdir)
{
	char *name = target_custom_name(arch, kernel, kdir);
	size_t n = strlen(name);

	/* custom-ARCH- and 8 hex digits */
	assert_true(n > 9 && strspn(name + n - 8, "0123456789abcdef") == 8 && name[n - 9] == '-');
	return name;
}

/* A user's kernel is named by its build: a rebuilt kernel whose release
 * string stays the same (new Module.symvers, new image) is another target,
 * with its own module and initramfs. */
static void test_custom_name_follows_kernel(void **state)
{
	char dir[] = "/tmp/oomtest-tgt.XXXXXX";
	struct strbuf k = STRBUF_INIT, sym = STRBUF_INIT;
	struct timeval old[2] = { { 1000, 0 }, { 1000, 0 } };
	char *a, *b;

	(void)state;
	assert_non_null(mkdtemp(dir));
	strbuf_addf(&k, "%s/bzImage", dir);
	strbuf_addf(&sym, "%s/Module.symvers", dir);
	write_file(k.buf, "kernel");
	write_file(sym.buf, "0x12345678\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n");
	a = name_of("x86_64", k.buf, dir);
	b = name_of("x86_64", k.buf, dir);
	assert_string_equal(a, b);
	assert_true(!strncmp(a, "custom-x86_64-", 14) && strlen(a) == 22);
	free(b);
	b = name_of("i386", k.buf, dir);
	assert_true(!strncmp(b, "custom-i386-", 12) && strlen(b) == 20);
	free(b);
	/* the kernel's exported symbols changed */
	write_file(sym.buf, "0x87654321\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n");
	b = name_of("x86_64", k.buf, dir);
	assert_string_not_equal(a, b);
	free(a);
	a = b;
	/* the image was rebuilt */
	assert_int_equal(utimes(k.buf, old), 0);
	b = name_of("x86_64", k.buf, dir);
	assert_string_not_equal(a, b);
	free(a);
	a = b;
	/* no Module.symvers (the build of the module says so) */
	unlink(sym.buf);
	b = name_of("x86_64", k.buf, dir);
	assert_string_not_equal(a, b);
	free(a);
	free(b);
	/* -t custom-x86_64 still names it */
	assert_true(target_name_matches("custom-x86_64", "custom-x86_64-0a1b2c3d"));
	assert_false(target_name_matches("custom-i386", "custom-x86_64-0a1b2c3d"));
	assert_false(target_name_matches("x86_64", "x86_64-6.12"));
	assert_true(target_name_matches("x86_64-6.12", "x86_64-6.12"));

	char *rm[] = { "rm", "-rf", dir, NULL };
	assert_int_equal(child_run(rm, -1), 0);
	strbuf_release(&k);
	strbuf_release(&sym);
}

/* An arm64 kernel is booted from its Image as it is; a gzip'd one is
 * taken on --arch's word; a vmlinux, or another arch's image, is refused. */
static void test_custom_arm64(void **state)
{
	char dir[] = "/tmp/oomtest-tgt.XXXXXX";
	struct strbuf img = STRBUF_INIT, rel = STRBUF_INIT, err = STRBUF_INIT;
	unsigned char head[128] = { 0 };
	struct target t;

	(void)state;
	assert_non_null(mkdtemp(dir));
	strbuf_addf(&rel, "%s/include/config", dir);
	char *mk[] = { "mkdir", "-p", rel.buf, NULL };
	assert_int_equal(child_run(mk, -1), 0);
	strbuf_addstr(&rel, "/kernel.release");
	write_file(rel.buf, "6.1.0-50-arm64\n");
	strbuf_addf(&img, "%s/Image", dir);
	memcpy(head + 56, "ARM\x64", 4);
	memcpy(head + 64, "Linux version 6.1.0-50-arm64 (me@here)", 38);
	FILE *f = fopen(img.buf, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(head, 1, sizeof(head), f), sizeof(head));
	fclose(f);
	assert_int_equal(target_custom(&t, img.buf, dir, "aarch64", &err), 0);
	assert_string_equal(t.arch, "arm64");
	assert_int_equal(t.boot, BOOT_BZIMAGE);
	assert_null(t.bzimage);
	assert_true(!strncmp(t.name, "custom-arm64-", 13) && strlen(t.name) == 21);
	target_release(&t);
	assert_int_equal(target_custom(&t, img.buf, dir, "x86_64", &err), -1);
	assert_non_null(strstr(err.buf, "/Image is an Image for arm64, but --arch is x86_64: give --arch arm64, "
				       "or a kernel built for x86_64"));
	strbuf_reset(&err);
	/* gzip data: its arch is not read */
	write_file(img.buf, "\x1f\x8b\x08 compressed");
	assert_int_equal(target_custom(&t, img.buf, dir, "arm64", &err), 0);
	target_release(&t);
	assert_int_equal(target_custom(&t, img.buf, dir, "i386", &err), -1);
	assert_non_null(strstr(err.buf, "is gzip data, not a kernel for i386 (--arch i386)"));
	strbuf_reset(&err);
	/* an arm64 vmlinux: an ELF file QEMU would not boot as Linux */
	memset(head, 0, 64);
	memcpy(head, "\177ELF\2\1\1", 7);
	head[18] = 183;	/* EM_AARCH64 */
	f = fopen(img.buf, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(head, 1, sizeof(head), f), sizeof(head));
	fclose(f);
	assert_int_equal(target_custom(&t, img.buf, dir, "arm64", &err), -1);
	assert_non_null(strstr(err.buf, "is an ELF vmlinux: QEMU boots arm64 kernels from their Image: give "
				       "arch/arm64/boot/Image"));

	char *rm[] = { "rm", "-rf", dir, NULL };
	assert_int_equal(child_run(rm, -1), 0);
	strbuf_release(&img);
	strbuf_release(&rel);
	strbuf_release(&err);
}

static void test_arch_and_qemu(void **state)
{
	(void)state;
	unsetenv("OOMTEST_QEMU");
	assert_string_equal(qemu_binary("x86_64"), "qemu-system-x86_64");
	assert_string_equal(qemu_binary("i386"), "qemu-system-i386");
	assert_string_equal(qemu_binary("arm64"), "qemu-system-aarch64");
	assert_string_equal(qemu_binary("i686"), "qemu-system-i386");
	setenv("OOMTEST_QEMU", "", 1);
	assert_string_equal(qemu_binary("i386"), "qemu-system-i386");
	setenv("OOMTEST_QEMU", "/q/qemu", 1);
	assert_string_equal(qemu_binary("i386"), "/q/qemu");
	unsetenv("OOMTEST_QEMU");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_custom_bzimage_prefers_vmlinux),
		cmocka_unit_test(test_boot_path_fits_memory),
		cmocka_unit_test(test_custom_name_follows_kernel),
		cmocka_unit_test(test_custom_arm64),
		cmocka_unit_test(test_arch_and_qemu),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
