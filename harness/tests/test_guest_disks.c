/* Tests for guest/disks.c: the disk is found by the serial its sysfs
 * directory holds (the virtio_blk driver's serial attribute, ending in a
 * newline), whatever its vdX name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest/disks.h"
#include "proto/disks.h"

static char dir[] = "/tmp/oomtest-sysblock-XXXXXX";

static void add_disk(const char *name, const char *serial)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(mkdir(path, 0755), 0);
	if (serial) {
		snprintf(path, sizeof(path), "%s/%s/serial", dir, name);
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		assert_int_equal(fputs(serial, f) >= 0, 1);
		assert_int_equal(fclose(f), 0);
	}
}

static void test_find(void **state)
{
	char *dev;

	(void)state;
	assert_non_null(mkdtemp(dir));
	add_disk("loop0", NULL);
	add_disk("vda", "payload\n");
	add_disk("vdb", DISK_DATA_SERIAL "\n");
	add_disk("vdc", DISK_SWAP_SERIAL "\n");
	add_disk("vdd", DISK_SWAP_SERIAL "-other\n");
	dev = disks_find(dir, DISK_SWAP_SERIAL);
	assert_string_equal(dev, "/dev/vdc");
	free(dev);
	dev = disks_find(dir, DISK_DATA_SERIAL);
	assert_string_equal(dev, "/dev/vdb");
	free(dev);
	/* a prefix of a serial is not it */
	assert_null(disks_find(dir, "oomtest"));
	assert_null(disks_find("/nonexistent-oomtest", DISK_SWAP_SERIAL));
	static const char *const names[] = { "loop0", "vda", "vdb", "vdc", "vdd" };
	for (size_t i = 0; i < 5; i++) {
		char path[256];
		snprintf(path, sizeof(path), "%s/%s/serial", dir, names[i]);
		remove(path);
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		assert_int_equal(rmdir(path), 0);
	}
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
