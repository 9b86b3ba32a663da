/* test_payload_disks: the swap and data images, made with the host's
 * mkswap and mke2fs and read back: the swap signature and size where the
 * kernel reads them, the filesystem through e2fsprogs' own debugfs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/child.h"
#include "lib/fs.h"
#include "lib/strbuf.h"
#include "case/casefile.h"
#include "payload/disks.h"
#include "payload/payload.h"
#include "proto/disks.h"

static char dir[] = "/tmp/oomtest-disks-XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return fs_remove_tree(dir);
}

static void path_in(struct strbuf *p, const char *name)
{
	strbuf_reset(p);
	strbuf_addf(p, "%s/%s", dir, name);
}

static void test_swap(void **state)
{
	struct strbuf p = STRBUF_INIT, err = STRBUF_INIT;
	unsigned char page[DISK_SWAP_PAGE];
	struct stat st;
	uint32_t version, last_page;

	(void)state;
	path_in(&p, "swap.img");
	assert_int_equal(disks_make_swap(p.buf, 64ull << 20, &err), 0);
	assert_int_equal(stat(p.buf, &st), 0);
	/* the nominal size, and sparse: the header is all that was written */
	assert_true((unsigned long long)st.st_size == DISK_SWAP_SIZE);
	assert_true((unsigned long long)st.st_blocks * 512 < (1ull << 20));
	/* writable by the user a libvirt daemon runs the machine as */
	assert_int_equal(st.st_mode & 0777, 0666);
	int fd = open(p.buf, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, page, sizeof(page), 0), sizeof(page));
	close(fd);
	/* union swap_header (include/linux/swap.h): the magic ends the page,
	 * version and last_page follow the 1024 boot bytes */
	assert_memory_equal(page + DISK_SWAP_PAGE - 10, "SWAPSPACE2", 10);
	memcpy(&version, page + 1024, 4);
	memcpy(&last_page, page + 1028, 4);
	assert_int_equal(version, 1);
	assert_int_equal(last_page, (64u << 20) / DISK_SWAP_PAGE - 1);
	/* too big for its disk */
	assert_int_equal(disks_make_swap(p.buf, DISK_SWAP_SIZE + 1, &err), -1);
	assert_non_null(strstr(err.buf, "does not fit"));
	strbuf_release(&p);
	strbuf_release(&err);
}

static void test_data(void **state)
{
	struct strbuf p = STRBUF_INIT, content = STRBUF_INIT, err = STRBUF_INIT, out = STRBUF_INIT;
	struct stat st;

	(void)state;
	path_in(&content, "content");
	assert_int_equal(fs_mkdirs(content.buf), 0);
	path_in(&p, "content/hello.txt");
	assert_int_equal(fs_write_atomic(p.buf, "hello disk\n", 11), 0);
	path_in(&p, "disk.img");
	assert_int_equal(disks_make_data(p.buf, 32ull << 20, content.buf, &err), 0);
	assert_int_equal(stat(p.buf, &st), 0);
	assert_true((unsigned long long)st.st_size == DISK_DATA_SIZE);
	char *debugfs = child_find_program("debugfs");
	assert_non_null(debugfs);
	/* the filesystem's own size and the file in it, as e2fsprogs reads them */
	char *argv[] = { debugfs, "-R", "stats", p.buf, NULL };
	assert_int_equal(child_run_capture(argv, dir, &out), 0);
	assert_non_null(strstr(out.buf, "Filesystem volume name:   " DISK_DATA_SERIAL));
	assert_non_null(strstr(out.buf, "Block count:              32768"));
	assert_non_null(strstr(out.buf, "extent"));
	strbuf_reset(&out);
	char *cat[] = { debugfs, "-R", "cat /hello.txt", p.buf, NULL };
	assert_int_equal(child_run_capture(cat, dir, &out), 0);
	assert_non_null(strstr(out.buf, "hello disk\n"));
	free(debugfs);
	/* an empty one */
	path_in(&p, "empty.img");
	assert_int_equal(disks_make_data(p.buf, 8ull << 20, NULL, &err), 0);
	/* mke2fs's own refusal comes back in its words */
	assert_int_equal(disks_make_data(p.buf, 8ull << 10, NULL, &err), -1);
	assert_non_null(strstr(err.buf, "mke2fs"));
	strbuf_release(&p);
	strbuf_release(&content);
	strbuf_release(&err);
	strbuf_release(&out);
}

/* A case's disk brings its filesystem's modules, in the load order the
 * target's disk-modules directory gives; a case without one does not. */
static void test_disk_modules(void **state)
{
	static const char text[] = "[case]\ndisk = 64M\n[step s]\nrun = hog --max 1M\n[expect]\noom.count == 0\n";
	struct target t = { .name = "x86_64", .arch = "x86_64", .release = "6.1.0-test" };
	struct strbuf p = STRBUF_INIT, st = STRBUF_INIT, why = STRBUF_INIT;
	struct manifest m = MANIFEST_INIT;
	struct oomcase c;

	(void)state;
	strbuf_addf(&st, "%s/state", dir);
	path_in(&p, "state/targets/x86_64/disk-modules");
	assert_int_equal(fs_mkdirs(p.buf), 0);
	path_in(&p, "state/targets/x86_64/disk-modules/02-ext4.ko");
	assert_int_equal(fs_write_atomic(p.buf, "ext4", 4), 0);
	path_in(&p, "state/targets/x86_64/disk-modules/01-jbd2.ko");
	assert_int_equal(fs_write_atomic(p.buf, "jbd2", 4), 0);
	assert_int_equal(case_parse(&c, "t.case", text, strlen(text), &why), 0);
	assert_int_equal(payload_gather(dir, st.buf, &c, &t, &m, &why), PAYLOAD_READY);
	assert_int_equal(m.n, 2);
	assert_string_equal(m.v[0].guest, DISK_MODULES_DIR "/01-jbd2.ko");
	assert_string_equal(m.v[1].guest, DISK_MODULES_DIR "/02-ext4.ko");
	assert_string_equal(m.v[0].host, p.buf);
	manifest_release(&m);
	/* no disk, no modules */
	m = (struct manifest)MANIFEST_INIT;
	c.disk = 0;
	assert_int_equal(payload_gather(dir, st.buf, &c, &t, &m, &why), PAYLOAD_READY);
	assert_int_equal(m.n, 0);
	manifest_release(&m);
	/* a target prepared before disks existed: said, with the case's line */
	m = (struct manifest)MANIFEST_INIT;
	c.disk = 64ull << 20;
	t.name = "i386";
	assert_int_equal(payload_gather(dir, st.buf, &c, &t, &m, &why), PAYLOAD_ERROR);
	assert_non_null(strstr(why.buf, "t.case:2: "));
	assert_non_null(strstr(why.buf, "disk-modules"));
	manifest_release(&m);
	case_release(&c);
	strbuf_release(&p);
	strbuf_release(&st);
	strbuf_release(&why);
}

static void test_find_tool(void **state)
{
	(void)state;
	char *t = child_find_program("mkswap");
	assert_non_null(t);
	assert_true(t[0] == '/');
	free(t);
	assert_null(child_find_program("no-such-tool-oomtest"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_swap),
		cmocka_unit_test(test_data),
		cmocka_unit_test(test_disk_modules),
		cmocka_unit_test(test_find_tool),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
