/* Tests for snapshot.c: the cache key follows each input file's size and
 * mtime, and making a new state removes only the stale states of the same
 * target, memory and image, never one another process holds the lock of,
 * and never a lock file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/child.h"
#include "lib/fs.h"
#include "lib/hash.h"
#include "proto/payload.h"
#include "run/snapshot.h"
#include "tests/run_test_util.h"

static int starts;

static int failing_start(const struct vm_config *cfg, struct vm **out, struct strbuf *err)
{
	(void)cfg;
	(void)out;
	starts++;
	strbuf_addstr(err, "no guest in a unit test");
	return -1;
}

static int never_save(struct vm *vm, const char *path, struct strbuf *err)
{
	(void)vm;
	(void)path;
	(void)err;
	return -1;
}

static const struct backend_ops saving_backend = { .name = "test", .start = failing_start, .save = never_save };

static long long disk_size_at_start = -1;

static int disk_start(const struct vm_config *cfg, struct vm **out, struct strbuf *err)
{
	struct stat st;

	disk_size_at_start = cfg->payload && !stat(cfg->payload, &st) ? (long long)st.st_size : -1;
	return failing_start(cfg, out, err);
}

static const struct backend_ops disk_backend = { .name = "test", .start = disk_start, .save = never_save };

static void write_text(const char *dir, const char *name, const char *text)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/%s", dir, name);
	assert_int_equal(fs_write_atomic(p.buf, text, strlen(text)), 0);
	strbuf_release(&p);
}

static int exists(const char *dir, const char *name)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/%s", dir, name);
	int r = !access(p.buf, F_OK);
	strbuf_release(&p);
	return r;
}

struct fixture {
	char dir[64];
	struct strbuf kernel, initrd;
	struct target t;
	struct vm_config cfg;
};

static void fixture_init(struct fixture *f)
{
	strcpy(f->dir, "/tmp/oomtest-snapshot.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	strbuf_init(&f->kernel);
	strbuf_init(&f->initrd);
	strbuf_addf(&f->kernel, "%s/vmlinuz", f->dir);
	strbuf_addf(&f->initrd, "%s/initramfs.cpio", f->dir);
	write_text(f->dir, "vmlinuz", "kernel");
	write_text(f->dir, "initramfs.cpio", "initrd");
	f->t = (struct target){ .name = "x86_64", .arch = "x86_64", .kernel = f->kernel.buf };
	f->cfg = (struct vm_config){ .target = &f->t, .initrd = f->initrd.buf, .memory = 128ull << 20 };
}

static void fixture_release(struct fixture *f)
{
	remove_dir(f->dir);
	strbuf_release(&f->kernel);
	strbuf_release(&f->initrd);
}

static void key_of(const struct fixture *f, struct strbuf *key)
{
	strbuf_reset(key);
	snapshot_key(&saving_backend, &f->cfg, key);
}

static void test_key_follows_files(void **state)
{
	(void)state;
	struct fixture f;
	struct strbuf k1 = STRBUF_INIT, k2 = STRBUF_INIT;
	struct timespec times[2] = { { .tv_sec = 1000000000 }, { .tv_sec = 1000000000 } };

	fixture_init(&f);
	assert_int_equal(utimensat(AT_FDCWD, f.initrd.buf, times, 0), 0);
	key_of(&f, &k1);
	key_of(&f, &k2);
	assert_string_equal(k1.buf, k2.buf);
	assert_non_null(strstr(k1.buf, "memory 134217728\n"));
	assert_non_null(strstr(k1.buf, "cmdline -\n"));
	/* the machine and CPU the state was saved on */
	assert_non_null(strstr(k1.buf, "machine pc cpu - tcg-cpu -\n"));

	/* a new size */
	write_text(f.dir, "initramfs.cpio", "initrd, rebuilt");
	assert_int_equal(utimensat(AT_FDCWD, f.initrd.buf, times, 0), 0);
	key_of(&f, &k2);
	assert_string_not_equal(k1.buf, k2.buf);

	/* the same size, a new mtime */
	write_text(f.dir, "initramfs.cpio", "initrd");
	times[1].tv_sec += 60;
	assert_int_equal(utimensat(AT_FDCWD, f.initrd.buf, times, 0), 0);
	key_of(&f, &k2);
	assert_string_not_equal(k1.buf, k2.buf);
	times[1].tv_sec -= 60;
	assert_int_equal(utimensat(AT_FDCWD, f.initrd.buf, times, 0), 0);
	key_of(&f, &k2);
	assert_string_equal(k1.buf, k2.buf);

	/* the kernel counts too, and a missing file is said */
	write_text(f.dir, "vmlinuz", "another kernel");
	key_of(&f, &k2);
	assert_string_not_equal(k1.buf, k2.buf);
	unlink(f.kernel.buf);
	key_of(&f, &k2);
	assert_non_null(strstr(k2.buf, " missing\n"));

	/* so do the memory and the command line */
	write_text(f.dir, "vmlinuz", "kernel");
	key_of(&f, &k1);
	f.cfg.memory = 256ull << 20;
	key_of(&f, &k2);
	assert_string_not_equal(k1.buf, k2.buf);
	f.cfg.memory = 128ull << 20;
	f.cfg.extra_cmdline = "quiet";
	key_of(&f, &k2);
	assert_string_not_equal(k1.buf, k2.buf);
	f.cfg.extra_cmdline = NULL;

	/* a guest saved with a payload disk is another one; which run's disk
	 * it is restored with is not part of it */
	key_of(&f, &k1);
	f.cfg.payload = "/runs/a/payload.img";
	key_of(&f, &k2);
	assert_string_not_equal(k1.buf, k2.buf);
	f.cfg.payload = "/runs/b/payload.img";
	key_of(&f, &k1);
	assert_string_equal(k1.buf, k2.buf);

	strbuf_release(&k1);
	strbuf_release(&k2);
	fixture_release(&f);
}

/* The guest a payload run restores was booted with an empty disk of the
 * size every payload disk has, not with the run's own. */
static void test_made_with_an_empty_disk(void **state)
{
	(void)state;
	struct fixture f;
	struct snapshot s = { 0 };
	struct strbuf err = STRBUF_INIT, snaps = STRBUF_INIT;

	fixture_init(&f);
	strbuf_addf(&snaps, "%s/snapshots", f.dir);
	f.cfg.payload = "/nonexistent/payload.img";
	assert_int_equal(snapshot_get(&disk_backend, &f.cfg, snaps.buf, &s, &err), -1);
	assert_int_equal(disk_size_at_start, (long long)PAYLOAD_DISK_SIZE);
	snapshot_release(&s);
	strbuf_release(&err);
	strbuf_release(&snaps);
	fixture_release(&f);
}

static void test_prune_only_stale_states(void **state)
{
	(void)state;
	struct fixture f;
	struct strbuf key = STRBUF_INIT, keep = STRBUF_INIT, err = STRBUF_INIT, snaps = STRBUF_INIT, p = STRBUF_INIT;
	struct snapshot s;

	fixture_init(&f);
	strbuf_addf(&snaps, "%s/snapshots", f.dir);
	assert_int_equal(fs_mkdirs(snaps.buf), 0);
	key_of(&f, &key);
	strbuf_addf(&keep, "x86_64-128M-%016llx", (unsigned long long)hash_fnv1a(key.buf, key.len));

	/* stale: the same target, memory and image, another key */
	write_text(snaps.buf, "x86_64-128M-0123456789abcdef.state", "s");
	write_text(snaps.buf, "x86_64-128M-0123456789abcdef.console", "c");
	strbuf_addf(&p, "%s/x86_64-128M-0123456789abcdef.boot", snaps.buf);
	assert_int_equal(fs_mkdirs(p.buf), 0);
	write_text(p.buf, "qemu.log", "log");
	/* not ours to remove: the shell's image, other memory, another target,
	 * a name that is not PREFIX + 16 hex digits, the current key's files */
	write_text(snaps.buf, "x86_64-128M-initramfs-shell-0123456789abcdef.state", "s");
	write_text(snaps.buf, "x86_64-256M-0123456789abcdef.state", "s");
	write_text(snaps.buf, "i386-128M-0123456789abcdef.state", "s");
	write_text(snaps.buf, "x86_64-128M-0123.state", "s");
	write_text(snaps.buf, "x86_64-128M-0123456789abcdeg.state", "s");
	strbuf_reset(&p);
	strbuf_addf(&p, "%s.console", keep.buf);
	write_text(snaps.buf, p.buf, "c");

	starts = 0;
	assert_int_equal(snapshot_get(&saving_backend, &f.cfg, snaps.buf, &s, &err), -1);
	assert_string_equal(err.buf, "no guest in a unit test");
	assert_int_equal(starts, 1);
	assert_false(exists(snaps.buf, "x86_64-128M-0123456789abcdef.state"));
	assert_false(exists(snaps.buf, "x86_64-128M-0123456789abcdef.console"));
	assert_false(exists(snaps.buf, "x86_64-128M-0123456789abcdef.boot"));
	assert_true(exists(snaps.buf, "x86_64-128M-initramfs-shell-0123456789abcdef.state"));
	assert_true(exists(snaps.buf, "x86_64-256M-0123456789abcdef.state"));
	assert_true(exists(snaps.buf, "i386-128M-0123456789abcdef.state"));
	assert_true(exists(snaps.buf, "x86_64-128M-0123.state"));
	assert_true(exists(snaps.buf, "x86_64-128M-0123456789abcdeg.state"));
	assert_true(exists(snaps.buf, p.buf));
	/* the key it was made for is kept beside it */
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/%s.key", snaps.buf, keep.buf);
	strbuf_reset(&err);
	assert_int_equal(strbuf_read_file(&err, p.buf), 0);
	assert_string_equal(err.buf, key.buf);
	snapshot_release(&s);

	/* a backend that cannot save is said so, and nothing is touched */
	const struct backend_ops no_save = { .name = "nosave", .start = failing_start };
	strbuf_reset(&err);
	assert_int_equal(snapshot_get(&no_save, &f.cfg, snaps.buf, &s, &err), -1);
	assert_string_equal(err.buf, "the nosave backend cannot save a guest");
	assert_int_equal(starts, 1);
	snapshot_release(&s);

	strbuf_release(&key);
	strbuf_release(&keep);
	strbuf_release(&err);
	strbuf_release(&snaps);
	strbuf_release(&p);
	fixture_release(&f);
}

static const char *kvm_accel(void)
{
	return "kvm";
}

/* The same target, memory and files, another accelerator: another
 * oomtest's guests beside ours. */
static const struct backend_ops kvm_backend = { .name = "test", .start = failing_start, .save = never_save,
						.accel = kvm_accel };

/* Writes NAME.key and NAME.state for the key cfg has now under b; NAME
 * (PREFIX + hash) into name. */
static void plant_state(const struct fixture *f, const struct backend_ops *b, const char *snaps, struct strbuf *name)
{
	struct strbuf key = STRBUF_INIT, p = STRBUF_INIT;

	snapshot_key(b, &f->cfg, &key);
	strbuf_reset(name);
	strbuf_addf(name, "x86_64-128M-%016llx", (unsigned long long)hash_fnv1a(key.buf, key.len));
	strbuf_addf(&p, "%s.key", name->buf);
	write_text(snaps, p.buf, key.buf);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s.state", name->buf);
	write_text(snaps, p.buf, "s");
	strbuf_release(&key);
	strbuf_release(&p);
}

static int has(const char *snaps, const struct strbuf *name, const char *suffix)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s%s", name->buf, suffix);
	int r = exists(snaps, p.buf);
	strbuf_release(&p);
	return r;
}

static void test_prune_leaves_locked_and_live_states(void **state)
{
	(void)state;
	struct fixture f;
	struct strbuf snaps = STRBUF_INIT, err = STRBUF_INIT, p = STRBUF_INIT;
	struct strbuf locked = STRBUF_INIT, stale = STRBUF_INIT, live = STRBUF_INIT;
	struct snapshot s;

	fixture_init(&f);
	strbuf_addf(&snaps, "%s/snapshots", f.dir);
	assert_int_equal(fs_mkdirs(snaps.buf), 0);
	/* two states of the initramfs as it is now, one another process holds */
	plant_state(&f, &saving_backend, snaps.buf, &locked);
	strbuf_addf(&p, "%s/%s.lock", snaps.buf, locked.buf);
	int held = open(p.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	assert_true(held >= 0);
	assert_int_equal(flock(held, LOCK_EX), 0);
	f.cfg.extra_cmdline = "quiet";
	plant_state(&f, &saving_backend, snaps.buf, &stale);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s.lock", stale.buf);
	write_text(snaps.buf, p.buf, "");
	f.cfg.extra_cmdline = NULL;
	/* the initramfs is rebuilt: both are stale now; another oomtest with
	 * KVM has made its state of the new one */
	write_text(f.dir, "initramfs.cpio", "initrd, rebuilt");
	plant_state(&f, &kvm_backend, snaps.buf, &live);

	assert_int_equal(snapshot_get(&saving_backend, &f.cfg, snaps.buf, &s, &err), -1);
	snapshot_release(&s);
	assert_true(has(snaps.buf, &locked, ".state"));
	assert_true(has(snaps.buf, &locked, ".key"));
	assert_false(has(snaps.buf, &stale, ".state"));
	assert_false(has(snaps.buf, &stale, ".key"));
	assert_true(has(snaps.buf, &live, ".state"));
	assert_true(has(snaps.buf, &live, ".key"));
	/* lock files stay, the held one and the others */
	assert_true(has(snaps.buf, &locked, ".lock"));
	assert_true(has(snaps.buf, &stale, ".lock"));

	/* once the lock is free, the stale state goes; its lock file stays */
	close(held);
	strbuf_reset(&err);
	assert_int_equal(snapshot_get(&saving_backend, &f.cfg, snaps.buf, &s, &err), -1);
	snapshot_release(&s);
	assert_false(has(snaps.buf, &locked, ".state"));
	assert_true(has(snaps.buf, &locked, ".lock"));
	assert_true(has(snaps.buf, &live, ".state"));

	strbuf_release(&snaps);
	strbuf_release(&err);
	strbuf_release(&p);
	strbuf_release(&locked);
	strbuf_release(&stale);
	strbuf_release(&live);
	fixture_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_follows_files),
		cmocka_unit_test(test_made_with_an_empty_disk),
		cmocka_unit_test(test_prune_only_stale_states),
		cmocka_unit_test(test_prune_leaves_locked_and_live_states),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
