/* Tests for kvm_cache.c: where the KVM probe's answer is kept, what its key
 * holds, and which files are not trusted (another key, expired, another
 * user's, writable by others); a probe that timed out is not kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "backend/kvm_cache.h"
#include "lib/child.h"
#include "lib/fs.h"

#define NOW ((time_t)1700000000)

static char dir[] = "/tmp/oomtest-kvm.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char *rm[] = { "rm", "-rf", dir, NULL };

	(void)state;
	return child_run(rm, -1);
}

static char *file_in_dir(const char *name, const char *text)
{
	struct strbuf p = STRBUF_INIT;

	strbuf_addf(&p, "%s/%s", dir, name);
	assert_int_equal(fs_write_atomic(p.buf, text, strlen(text)), 0);
	return strbuf_detach(&p);
}

static void test_path_in_state_dir(void **state)
{
	char *p = kvm_cache_path("/home/u/.cache/oomtest", "key\n");
	char *again = kvm_cache_path("/home/u/.cache/oomtest", "key\n");
	char *other = kvm_cache_path("/home/u/.cache/oomtest", "other\n");

	(void)state;
	assert_true(!strncmp(p, "/home/u/.cache/oomtest/kvm-probe-", 33));
	assert_int_equal(strlen(p), 33 + 16);
	assert_null(strstr(p, "/tmp"));
	assert_string_equal(p, again);
	assert_string_not_equal(p, other);
	free(p);
	free(again);
	free(other);
}

/* Runs that alternate between two kernels (one's own, then a default
 * target's) keep both answers: neither probes again. */
static void test_alternating_kernels(void **state)
{
	char *a = kvm_cache_path(dir, "kernel a\n"), *b = kvm_cache_path(dir, "kernel b\n");

	(void)state;
	assert_int_equal(kvm_cache_write(a, "kernel a\n", KVM_PROBE_FAILS, NOW), 0);
	assert_int_equal(kvm_cache_write(b, "kernel b\n", KVM_PROBE_WORKS, NOW), 0);
	assert_int_equal(kvm_cache_read(a, "kernel a\n", NOW + 1, getuid()), 0);
	assert_int_equal(kvm_cache_read(b, "kernel b\n", NOW + 1, getuid()), 1);
	unlink(a);
	unlink(b);
	free(a);
	free(b);
}

/* A new QEMU binary or kernel image (another path, size or mtime) is
 * another key: the answer for the old one does not hold. */
static void test_key_follows_qemu_and_kernel(void **state)
{
	char *qemu = file_in_dir("qemu", "#!/bin/sh\n"), *kernel = file_in_dir("vmlinux", "kernel one");
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct timeval old[2] = { { 1000, 0 }, { 1000, 0 } };

	(void)state;
	kvm_cache_key(&a, qemu, kernel);
	kvm_cache_key(&b, qemu, kernel);
	assert_string_equal(a.buf, b.buf);
	assert_non_null(strstr(a.buf, qemu));
	assert_non_null(strstr(a.buf, kernel));

	assert_int_equal(utimes(kernel, old), 0);
	strbuf_reset(&b);
	kvm_cache_key(&b, qemu, kernel);
	assert_string_not_equal(a.buf, b.buf);

	strbuf_reset(&a);
	kvm_cache_key(&a, qemu, kernel);
	free(file_in_dir("qemu", "#!/bin/sh\nexit 0\n"));
	strbuf_reset(&b);
	kvm_cache_key(&b, qemu, kernel);
	assert_string_not_equal(a.buf, b.buf);

	strbuf_reset(&a);
	kvm_cache_key(&a, qemu, "/nonexistent/bzImage");
	assert_string_not_equal(a.buf, b.buf);
	free(qemu);
	free(kernel);
	strbuf_release(&a);
	strbuf_release(&b);
}

static void test_read_back(void **state)
{
	char *p = kvm_cache_path(dir, "key\n");

	(void)state;
	unlink(p);
	assert_int_equal(kvm_cache_read(p, "key\n", NOW, getuid()), -1);
	assert_int_equal(kvm_cache_write(p, "key\n", KVM_PROBE_WORKS, NOW), 0);
	assert_int_equal(kvm_cache_read(p, "key\n", NOW + 60, getuid()), 1);
	/* another key */
	assert_int_equal(kvm_cache_read(p, "other\n", NOW + 60, getuid()), -1);
	assert_int_equal(kvm_cache_read(p, "key\nmore\n", NOW + 60, getuid()), -1);
	assert_int_equal(kvm_cache_write(p, "key\n", KVM_PROBE_FAILS, NOW), 0);
	assert_int_equal(kvm_cache_read(p, "key\n", NOW + 60, getuid()), 0);
	/* a day later, or written in the future: probed again */
	assert_int_equal(kvm_cache_read(p, "key\n", NOW + KVM_CACHE_SECONDS, getuid()), -1);
	assert_int_equal(kvm_cache_read(p, "key\n", NOW - 1, getuid()), -1);
	free(p);
}

/* A probe that timed out (a busy host, or a /dev/kvm that never gets a
 * guest anywhere) sends guests to TCG for an hour, then is probed again;
 * it does not replace a clear answer still remembered. */
static void test_timeout_kept_an_hour(void **state)
{
	char *p = kvm_cache_path(dir, "key\n");

	(void)state;
	unlink(p);
	assert_int_equal(kvm_cache_write(p, "key\n", KVM_PROBE_TIMED_OUT, NOW), 0);
	assert_int_equal(kvm_cache_read(p, "key\n", NOW, getuid()), 0);
	assert_int_equal(kvm_cache_read(p, "key\n", NOW + KVM_CACHE_TIMEOUT_SECONDS - 1, getuid()), 0);
	assert_int_equal(kvm_cache_read(p, "key\n", NOW + KVM_CACHE_TIMEOUT_SECONDS, getuid()), -1);
	assert_int_equal(kvm_cache_read(p, "other\n", NOW, getuid()), -1);
	assert_int_equal(kvm_cache_write(p, "key\n", KVM_PROBE_WORKS, NOW), 0);
	assert_int_equal(kvm_cache_write(p, "key\n", KVM_PROBE_TIMED_OUT, NOW + 1), 0);
	assert_int_equal(kvm_cache_read(p, "key\n", NOW + 2, getuid()), 1);
	/* the clear answer gone stale: the timeout is what is known */
	assert_int_equal(kvm_cache_write(p, "key\n", KVM_PROBE_TIMED_OUT, NOW + KVM_CACHE_SECONDS), 0);
	assert_int_equal(kvm_cache_read(p, "key\n", NOW + KVM_CACHE_SECONDS + 1, getuid()), 0);
	free(p);
}

/* Another user must not decide how this one's guests run. */
static void test_untrusted_files(void **state)
{
	char *p = kvm_cache_path(dir, "key\n");
	struct strbuf link = STRBUF_INIT;

	(void)state;
	assert_int_equal(kvm_cache_write(p, "key\n", KVM_PROBE_FAILS, NOW), 0);
	assert_int_equal(kvm_cache_read(p, "key\n", NOW, getuid()), 0);
	/* owned by someone else */
	assert_int_equal(kvm_cache_read(p, "key\n", NOW, getuid() + 1), -1);
	/* writable by the group or the world */
	assert_int_equal(chmod(p, 0666), 0);
	assert_int_equal(kvm_cache_read(p, "key\n", NOW, getuid()), -1);
	assert_int_equal(chmod(p, 0620), 0);
	assert_int_equal(kvm_cache_read(p, "key\n", NOW, getuid()), -1);
	assert_int_equal(chmod(p, 0644), 0);
	/* a symlink to a file elsewhere */
	strbuf_addf(&link, "%s/link", dir);
	assert_int_equal(symlink(p, link.buf), 0);
	assert_int_equal(kvm_cache_read(link.buf, "key\n", NOW, getuid()), -1);
	/* what is not an answer */
	const char *name = strrchr(p, '/') + 1;
	free(file_in_dir(name, "2 1700000000\nkey\n"));
	assert_int_equal(kvm_cache_read(p, "key\n", NOW, getuid()), -1);
	free(file_in_dir(name, "1\n"));
	assert_int_equal(kvm_cache_read(p, "key\n", NOW, getuid()), -1);
	free(p);
	strbuf_release(&link);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_in_state_dir),
		cmocka_unit_test(test_key_follows_qemu_and_kernel),
		cmocka_unit_test(test_read_back),
		cmocka_unit_test(test_alternating_kernels),
		cmocka_unit_test(test_timeout_kept_an_hour),
		cmocka_unit_test(test_untrusted_files),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
