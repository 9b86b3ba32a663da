/* Tests for guest/payload.c's disk: its header, its size against the
 * device, chunked aligned reads, waiting for the device to appear, and the
 * kernel command line word that asks for it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "payload_test_util.h"

static void test_header(void **state)
{
	uint64_t size = 7;
	unsigned char block[PAYLOAD_HEADER_SIZE] = { 0 };

	(void)state;
	memcpy(block, PAYLOAD_MAGIC "5120\n", sizeof(PAYLOAD_MAGIC "5120\n") - 1);
	assert_int_equal(payload_header(block, sizeof(block), &size), 0);
	assert_int_equal(size, 5120);
	memcpy(block, PAYLOAD_MAGIC "18446744073709551615\n", sizeof(PAYLOAD_MAGIC "18446744073709551615\n") - 1);
	assert_int_equal(payload_header(block, sizeof(block), &size), 0);
	assert_true(size == UINT64_MAX);
	static const char *const bad[] = {
		PAYLOAD_MAGIC "18446744073709551616\n", /* overflows */
		PAYLOAD_MAGIC "\n", PAYLOAD_MAGIC "12 \n", PAYLOAD_MAGIC "-1\n",
		"OOMTEST-PAYLOAD 2\n12\n", "",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(block, 0, sizeof(block));
		memcpy(block, bad[i], strlen(bad[i]));
		size = 7;
		assert_int_equal(payload_header(block, sizeof(block), &size), -1);
		assert_int_equal(size, 7);
	}
	/* no '\n' within the block */
	memset(block, '1', sizeof(block));
	memcpy(block, PAYLOAD_MAGIC, sizeof(PAYLOAD_MAGIC) - 1);
	assert_int_equal(payload_header(block, sizeof(block), &size), -1);
}

/* A disk file: header saying `size`, the archive, zeros up to disk_size. */
static void write_disk(const char *path, const struct buf *a, unsigned long long size, size_t disk_size)
{
	char *disk = calloc(1, disk_size);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_non_null(disk);
	snprintf(disk, PAYLOAD_HEADER_SIZE, "%s%llu\n", PAYLOAD_MAGIC, size);
	assert_true(PAYLOAD_HEADER_SIZE + a->len <= disk_size);
	memcpy(disk + PAYLOAD_HEADER_SIZE, a->p, a->len);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, disk, disk_size), (ssize_t)disk_size);
	close(fd);
	free(disk);
}

/* An archive larger than a read chunk: a 1.5 MiB file of a pattern. */
static void test_disk(void **state)
{
	size_t big_len = 3u << 19;
	char *big = malloc(big_len + 1), disk[4096];
	struct buf a = { 0 };
	struct root r;
	char *msg = NULL;

	(void)state;
	for (size_t i = 0; i < big_len; i++)
		big[i] = (char)('a' + i % 23);
	big[big_len] = '\0';
	add_dir(&a, "./usr", 0755);
	add_file(&a, "./usr/big", 0644, big);
	add_file(&a, "./usr/small", 0644, "small\n");
	add_trailer(&a);
	root_make(&r);
	snprintf(disk, sizeof(disk), "%s/disk", r.base);
	write_disk(disk, &a, a.len, (2u << 20) + 8192);
	assert_int_equal(payload_unpack_disk(disk, r.dir, 0, &msg), 0);
	assert_null(msg);
	struct buf got = { 0 };
	buf_reserve(&got, big_len + 64);
	assert_int_equal(read_file(in(&r, "usr/big"), &got), 0);
	assert_int_equal(got.len, big_len);
	assert_memory_equal(got.p, big, big_len);
	free(got.p);
	char *t = file_text(in(&r, "usr/small"));
	assert_string_equal(t, "small\n");
	free(t);
	root_remove(&r);
	free(big);
	free(a.p);
}

static void test_disk_failures(void **state)
{
	struct buf a = { 0 };
	struct root r;
	char disk[4096];
	char *msg = NULL;

	(void)state;
	add_file(&a, "f", 0644, "x\n");
	add_trailer(&a);
	root_make(&r);
	snprintf(disk, sizeof(disk), "%s/disk", r.base);

	/* an archive said to reach beyond the disk */
	write_disk(disk, &a, 65536 - PAYLOAD_HEADER_SIZE + 1, 65536);
	assert_int_equal(payload_unpack_disk(disk, r.dir, 0, &msg), -1);
	assert_non_null(strstr(msg, ": an archive of 61441 bytes on a disk of 65536"));
	free(msg);
	assert_int_equal(access(in(&r, "f"), F_OK), -1);
	/* the header's size cuts the archive short */
	write_disk(disk, &a, a.len - 4, 65536);
	assert_int_equal(payload_unpack_disk(disk, r.dir, 0, &msg), -1);
	assert_non_null(strstr(msg, ": archive truncated in a name at offset"));
	free(msg);
	assert_int_equal(access(in(&r, "f"), F_OK), 0);
	/* no header */
	int fd = open(disk, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, "070701", 6), 6);
	assert_int_equal(ftruncate(fd, 65536), 0);
	close(fd);
	assert_int_equal(payload_unpack_disk(disk, r.dir, 0, &msg), -1);
	assert_non_null(strstr(msg, ": no payload header"));
	free(msg);
	/* shorter than a header */
	assert_int_equal(truncate(disk, 100), 0);
	assert_int_equal(payload_unpack_disk(disk, r.dir, 0, &msg), -1);
	assert_non_null(strstr(msg, ": short read of the header: 100 bytes"));
	free(msg);
	/* a device that never comes: waited for, then named */
	strcat(disk, "-none");
	uint64_t t0 = clock_now_ms();
	assert_int_equal(payload_unpack_disk(disk, r.dir, 200, &msg), -1);
	assert_true(clock_now_ms() - t0 >= 200);
	assert_non_null(strstr(msg, "-none: No such file or directory"));
	free(msg);
	root_remove(&r);
	free(a.p);
}

/* A device that appears while it is waited for. */
static void test_disk_appears(void **state)
{
	struct buf a = { 0 };
	struct root r;
	char disk[4096], early[4096];
	char *msg = NULL;

	(void)state;
	add_file(&a, "late", 0644, "x\n");
	add_trailer(&a);
	root_make(&r);
	snprintf(disk, sizeof(disk), "%s/disk", r.base);
	snprintf(early, sizeof(early), "%s/disk.tmp", r.base);
	write_disk(early, &a, a.len, 65536);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		nanosleep(&(struct timespec){ .tv_nsec = 300 * 1000 * 1000 }, NULL);
		_exit(rename(early, disk) ? 1 : 0);
	}
	assert_int_equal(payload_unpack_disk(disk, r.dir, 5000, &msg), 0);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(status, 0);
	assert_int_equal(access(in(&r, "late"), F_OK), 0);
	root_remove(&r);
	free(a.p);
}

static void test_cmdline(void **state)
{
	(void)state;
	assert_true(payload_cmdline_has(PAYLOAD_CMDLINE));
	assert_true(payload_cmdline_has("console=ttyS0 " PAYLOAD_CMDLINE "\n"));
	assert_true(payload_cmdline_has("quiet\t" PAYLOAD_CMDLINE " panic=-1\n"));
	assert_false(payload_cmdline_has("console=ttyS0 " PAYLOAD_CMDLINE "0\n"));
	assert_false(payload_cmdline_has("x" PAYLOAD_CMDLINE));
	assert_false(payload_cmdline_has("oomtest.payload=0"));
	assert_false(payload_cmdline_has(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_disk),
		cmocka_unit_test(test_disk_failures),
		cmocka_unit_test(test_disk_appears),
		cmocka_unit_test(test_cmdline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
