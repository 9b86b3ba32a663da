/* Tests for child.c and target.c: process groups, reaping, kill-all;
 * target lists and user kernels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/child.h"
#include "target/target.h"

static void test_run_status(void **state)
{
	(void)state;
	char *t[] = { "true", NULL }, *f[] = { "false", NULL }, *none[] = { "/nonexistent/x", NULL };
	int st = child_run(t, -1);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = child_run(f, -1);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	assert_int_equal(child_run(none, -1), -ENOENT);
}

/* Processes of group pgid that are not zombies (a killed grandchild may
 * wait a while for its new parent to reap it). */
static int live_in_group(pid_t pgid)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d))) {
		char path[300], buf[512], *rp;
		FILE *f;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		if (!(f = fopen(path, "r")))
			continue;
		if (fgets(buf, sizeof(buf), f) && (rp = strrchr(buf, ')'))) {
			char st;
			int ppid, pg;
			if (sscanf(rp + 2, "%c %d %d", &st, &ppid, &pg) == 3 && pg == pgid && st != 'Z')
				n++;
		}
		fclose(f);
	}
	if (d)
		closedir(d);
	return n;
}

static void test_group_is_killed(void **state)
{
	(void)state;
	/* a shell with a grandchild: both must go with the group */
	char *argv[] = { "sh", "-c", "sleep 30 & sleep 30", NULL };
	struct child c;
	assert_int_equal(child_start(&c, argv, -1), 0);
	pid_t pgid = c.pid;
	assert_int_equal(child_wait(&c, 100), 0);
	child_kill_all();
	assert_int_equal(child_wait(&c, 5000), 1);
	assert_true(WIFSIGNALED(c.status));
	for (int i = 0; i < 50 && live_in_group(pgid); i++)
		usleep(20000);
	assert_int_equal(live_in_group(pgid), 0);
}

static void test_stop(void **state)
{
	(void)state;
	char *argv[] = { "sleep", "30", NULL };
	struct child c;
	assert_int_equal(child_start(&c, argv, -1), 0);
	child_stop(&c);
	assert_int_equal(c.pid, 0);
	child_stop(&c); /* twice is harmless */
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A minimal ELF64 with one PT_NOTE holding the given notes. */
static void write_elf(const char *path, const void *notes, size_t n)
{
	unsigned char h[64 + 56] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
	uint64_t phoff = 64, off = sizeof(h), size = n;
	uint32_t pt_note = 4;
	uint16_t phentsize = 56, phnum = 1;
	FILE *f = fopen(path, "w");

	memcpy(h + 32, &phoff, 8);
	memcpy(h + 54, &phentsize, 2);
	memcpy(h + 56, &phnum, 2);
	memcpy(h + 64, &pt_note, 4);
	memcpy(h + 64 + 8, &off, 8);
	memcpy(h + 64 + 32, &size, 8);
	assert_non_null(f);
	fwrite(h, 1, sizeof(h), f);
	fwrite(notes, 1, n, f);
	fclose(f);
}

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
	write_file(k.buf, "\177ELF....");
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
	write_elf(k.buf, pvh, sizeof(pvh));
	assert_int_equal(target_custom(&t, k.buf, dir, "x86_64", &err), 0);
	assert_string_equal(t.release, "6.9.0-custom");
	assert_int_equal(t.boot, BOOT_PVH);
	assert_string_equal(t.name, "custom-x86_64");
	target_release(&t);
	/* UTS_RELEASE wins over kernel.release, and must match the image */
	strbuf_reset(&kd);
	strbuf_addf(&kd, "%s/include/generated", dir);
	char *mk2[] = { "mkdir", "-p", kd.buf, NULL };
	assert_int_equal(child_run(mk2, -1), 0);
	strbuf_addstr(&kd, "/utsrelease.h");
	write_file(kd.buf, "#define UTS_RELEASE \"6.9.0-uts\"\n");
	assert_int_equal(target_custom(&t, k.buf, dir, "i386", &err), 0);
	assert_string_equal(t.release, "6.9.0-uts");
	target_release(&t);
	write_file(k.buf, "\177ELF....Linux version 6.9.0-other (gcc) #1");
	assert_int_equal(target_custom(&t, k.buf, dir, "x86_64", &err), -1);
	assert_non_null(strstr(err.buf, "is Linux 6.9.0-other but --kdir"));
	strbuf_reset(&err);
	assert_int_equal(target_custom(&t, k.buf, dir, "arm64", &err), -1);
	assert_non_null(strstr(err.buf, "unknown architecture"));
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

static void test_pvh_note(void **state)
{
	/* namesz descsz type name desc: a GNU build id, then Xen's PVH entry */
	static const unsigned char gnu[] = { 4, 0, 0, 0, 4, 0, 0, 0, 3, 0, 0, 0, 'G', 'N', 'U', 0, 1, 2, 3, 4 };
	static const unsigned char xen18[] = { 4, 0, 0, 0, 4, 0, 0, 0, 18, 0, 0, 0, 'X', 'e', 'n', 0, 0, 0, 0, 1 };
	static const unsigned char xen17[] = { 4, 0, 0, 0, 4, 0, 0, 0, 17, 0, 0, 0, 'X', 'e', 'n', 0, 0, 0, 0, 1 };
	static const unsigned char bad[] = { 4, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 18, 0, 0, 0, 'X', 'e', 'n', 0 };
	unsigned char both[sizeof(gnu) + sizeof(xen18)];
	char path[] = "/tmp/oomtest-elf.XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	memcpy(both, gnu, sizeof(gnu));
	memcpy(both + sizeof(gnu), xen18, sizeof(xen18));
	write_elf(path, both, sizeof(both));
	assert_true(target_elf_has_pvh(path));
	write_elf(path, xen17, sizeof(xen17));
	assert_false(target_elf_has_pvh(path));
	write_elf(path, bad, sizeof(bad));	/* a note running past its segment */
	assert_false(target_elf_has_pvh(path));
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, "MZ not an ELF", 13), 13);
	close(fd);
	assert_false(target_elf_has_pvh(path));
	unlink(path);
	assert_false(target_elf_has_pvh(path));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_status),
		cmocka_unit_test(test_pvh_note),
		cmocka_unit_test(test_group_is_killed),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_targets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
