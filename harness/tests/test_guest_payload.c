/* Tests for guest/payload.c: a newc archive unpacks under the root it is
 * given, however the source cuts it in pieces; what is not a relative
 * directory, file or symlink name is refused at its entry, and nothing is
 * made outside the root.
 *
 * fixtures/payload/tree.cpio was written by GNU cpio from a small tree
 * (`find . | LC_ALL=C sort | cpio -o -H newc -R 0:0`); tree.expected lists
 * that tree as list_tree() does, made from the tree itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "payload_test_util.h"

/* the piece sizes every archive is fed in */
static const size_t pieces[] = { 0, 1, 3, 7, 110, 4096 };
#define NPIECES (sizeof(pieces) / sizeof(pieces[0]))

/* ---- unpacking ---- */

static void test_golden_tree_from_gnu_cpio(void **state)
{
	struct buf archive = fixture("tree.cpio"), want = fixture("tree.expected");

	(void)state;
	for (size_t i = 0; i < NPIECES; i++) {
		struct buf got = { 0 };
		struct root r;

		root_make(&r);
		assert_null(unpack(&archive, pieces[i], &r));
		buf_add(&got, "", 0);
		list_tree(r.dir, "", &got);
		assert_string_equal(got.p, want.p);
		free(got.p);
		root_remove(&r);
	}
	free(archive.p);
	free(want.p);
}

static void test_names_modes_and_missing_parents(void **state)
{
	struct buf a = { 0 };
	struct root r;

	(void)state;
	add_dir(&a, ".", 0755);
	add_dir(&a, "./usr", 0755);
	add_file(&a, "./usr/local/bin/tool", 0750, "#!/bin/sh\nexit 3\n"); /* usr/local made */
	add_dir(&a, "opt/", 0711);                                       /* trailing '/' */
	add_file(&a, "opt//x", 0600, "x\n");
	add_dir(&a, "usr", 0700);                                        /* exists: kept */
	add_symlink(&a, "usr/bin", "local/bin");
	add_file(&a, "usr/bin/through-link", 0644, "via the link\n");
	add_trailer(&a);
	add_file(&a, "after-trailer", 0644, "not unpacked\n");
	for (size_t i = 0; i < NPIECES; i++) {
		root_make(&r);
		assert_null(unpack(&a, pieces[i], &r));
		char *t = file_text(in(&r, "usr/local/bin/tool"));
		assert_string_equal(t, "#!/bin/sh\nexit 3\n");
		free(t);
		assert_int_equal(perm_of(in(&r, "usr/local/bin/tool")), 0750);
		assert_int_equal(perm_of(in(&r, "usr/local")), 0755);
		assert_int_equal(perm_of(in(&r, "opt")), 0711);
		assert_int_equal(perm_of(in(&r, "opt/x")), 0600);
		assert_int_equal(perm_of(in(&r, "usr")), 0755);
		t = file_text(in(&r, "usr/local/bin/through-link"));
		assert_string_equal(t, "via the link\n");
		free(t);
		assert_int_equal(access(in(&r, "after-trailer"), F_OK), -1);
		root_remove(&r);
	}
	free(a.p);
}

/* An existing file is replaced, an existing symlink too, not followed. */
static void test_replaces_files_and_symlinks(void **state)
{
	struct buf a = { 0 };
	struct root r;
	char outside[4096];

	(void)state;
	root_make(&r);
	snprintf(outside, sizeof(outside), "%s/outside", r.base);
	close(open(outside, O_WRONLY | O_CREAT, 0644));
	assert_int_equal(symlink(outside, in(&r, "link")), 0);
	close(open(in(&r, "old"), O_WRONLY | O_CREAT, 0644));
	add_file(&a, "link", 0644, "new\n");
	add_file(&a, "old", 0755, "replaced\n");
	add_trailer(&a);
	assert_null(unpack(&a, 0, &r));
	/* a directory where a file is: refused */
	struct buf d = { 0 };
	add_dir(&d, "old", 0755);
	add_trailer(&d);
	char *msg = unpack(&d, 0, &r);
	assert_string_equal(msg, "old: exists and is not a directory");
	free(msg);
	free(d.p);
	char *t = file_text(in(&r, "link"));
	assert_string_equal(t, "new\n");
	free(t);
	t = file_text(outside);
	assert_string_equal(t, "");
	free(t);
	assert_int_equal(perm_of(in(&r, "old")), 0755);
	root_remove(&r);
	free(a.p);
}

/* Symlinks the archive made lead nowhere outside the root: a path through
 * one resolves as if the root were /. */
static void test_symlinks_stay_in_the_root(void **state)
{
	struct buf a = { 0 }, b = { 0 };
	struct root r;
	char outside[4096];
	char *msg;

	(void)state;
	root_make(&r);
	add_symlink(&a, "up", "..");
	add_symlink(&a, "slash", "/");
	add_file(&a, "up/escaped", 0644, "inside\n");
	add_file(&a, "slash/escaped2", 0644, "inside\n");
	add_trailer(&a);
	assert_null(unpack(&a, 0, &r));
	snprintf(outside, sizeof(outside), "%s/escaped", r.base);
	assert_int_equal(access(outside, F_OK), -1);
	assert_int_equal(access(in(&r, "escaped"), F_OK), 0);
	assert_int_equal(access(in(&r, "escaped2"), F_OK), 0);
	/* the directory outside is looked for under the root: not there */
	add_symlink(&b, "abs", r.base);
	add_file(&b, "abs/escaped3", 0644, "nowhere\n");
	add_trailer(&b);
	msg = unpack(&b, 0, &r);
	if (!strstr(msg, "abs/escaped3: abs: No such file or directory"))
		fail_msg("got '%s'", msg);
	free(msg);
	snprintf(outside, sizeof(outside), "%s/escaped3", r.base);
	assert_int_equal(access(outside, F_OK), -1);
	root_remove(&r);
	free(a.p);
	free(b.p);
}

/* What bad entries give: the message, and the entries before unpacked,
 * none after. */
struct bad {
	const char *what, *msg;
	void (*add)(struct buf *a);
	int ends;       /* the archive ends with it */
};

static void add_dotdot(struct buf *a) { add_file(a, "a/../../x", 0644, "x"); }
static void add_dotdot_end(struct buf *a) { add_dir(a, "./..", 0755); }
static void add_absolute(struct buf *a) { add_file(a, "/etc/x", 0644, "x"); }
static void add_absolute_dot(struct buf *a) { add_file(a, ".//etc/x", 0644, "x"); }
static void add_chardev(struct buf *a) { add_entry(a, "dev/null", S_IFCHR | 0666, "", 0); }
static void add_fifo(struct buf *a) { add_entry(a, "fifo", S_IFIFO | 0644, "", 0); }
static void add_root_file(struct buf *a) { add_file(a, ".", 0644, "x"); }
static void add_dir_data(struct buf *a) { add_entry(a, "d", S_IFDIR | 0755, "data", 4); }
static void add_bad_magic(struct buf *a)
{
	size_t at = a->len;
	add_file(a, "odc", 0644, "x");
	memcpy(a->p + at, "070707", 6);
}
static void add_bad_hex(struct buf *a)
{
	size_t at = a->len;
	add_file(a, "hex", 0644, "x");
	a->p[at + 6 + 8 + 3] = 'g';
}
static void add_huge_name(struct buf *a)
{
	size_t at = a->len;
	add_file(a, "n", 0644, "x");
	memcpy(a->p + at + 6 + 11 * 8, "7FFFFFFF", 8);
}
static void add_name_nul(struct buf *a)
{
	size_t at = a->len;
	add_file(a, "ab", 0644, "x");
	a->p[at + 110] = '\0';
}
static void add_link_nul(struct buf *a) { add_entry(a, "l", S_IFLNK | 0777, "a\0b", 3); }
static void add_empty_link(struct buf *a) { add_entry(a, "l", S_IFLNK | 0777, "", 0); }
static void add_cut_header(struct buf *a)
{
	add_file(a, "whole", 0644, "x");
	buf_add(a, "0707010000", 10);
}
static void add_cut_data(struct buf *a)
{
	add_file(a, "cut", 0644, "0123456789");
	a->len -= 8;
}

static const struct bad bads[] = {
	{ "..", "a/../../x: '..' in the name", add_dotdot, 0 },
	{ ".. last", "./..: '..' in the name", add_dotdot_end, 0 },
	{ "absolute", "/etc/x: absolute name", add_absolute, 0 },
	{ "absolute after ./", ".//etc/x: absolute name", add_absolute_dot, 0 },
	{ "char device", "dev/null: not a file, directory or symlink (mode 020666)", add_chardev, 0 },
	{ "fifo", "fifo: not a file, directory or symlink (mode 010644)", add_fifo, 0 },
	{ "file as the root", ".: names the root", add_root_file, 0 },
	{ "directory with data", "d: a directory with data", add_dir_data, 0 },
	{ "bad magic", "no newc header at offset", add_bad_magic, 0 },
	{ "bad hex", "no newc header at offset", add_bad_hex, 0 },
	{ "huge name", "bad name size 2147483647", add_huge_name, 0 },
	{ "NUL in name", "bad name at offset", add_name_nul, 0 },
	{ "NUL in symlink", "l: NUL in the symlink target", add_link_nul, 0 },
	{ "empty symlink", "l: bad symlink target size 0", add_empty_link, 0 },
	{ "truncated header", "archive truncated in a header at offset 252", add_cut_header, 1 },
	{ "truncated data", "cut: archive truncated in its data", add_cut_data, 1 },
};

static void test_bad_entries(void **state)
{
	(void)state;
	for (size_t b = 0; b < sizeof(bads) / sizeof(bads[0]); b++) {
		struct buf a = { 0 };

		add_file(&a, "before", 0644, "unpacked\n");
		bads[b].add(&a);
		if (!bads[b].ends) {
			add_file(&a, "after", 0644, "not unpacked\n");
			add_trailer(&a);
		}
		for (size_t i = 0; i < NPIECES; i++) {
			struct root r;

			root_make(&r);
			char *msg = unpack(&a, pieces[i], &r);
			if (!msg || !strstr(msg, bads[b].msg))
				fail_msg("%s: got '%s'", bads[b].what, msg ? msg : "(success)");
			free(msg);
			assert_int_equal(access(in(&r, "before"), F_OK), 0);
			assert_int_equal(access(in(&r, "after"), F_OK), -1);
			assert_int_equal(access(in(&r, "etc"), F_OK), -1);
			root_remove(&r);
		}
		free(a.p);
	}
}

/* No trailer, or nothing at all: truncated. */
static void test_no_trailer(void **state)
{
	struct buf a = { 0 };
	struct root r;
	char *msg;

	(void)state;
	root_make(&r);
	buf_add(&a, "", 0);
	msg = unpack(&a, 0, &r);
	assert_string_equal(msg, "archive truncated in a header at offset 0");
	free(msg);
	add_file(&a, "only", 0644, "x");
	msg = unpack(&a, 0, &r);
	assert_string_equal(msg, "archive truncated in a header at offset 120");
	free(msg);
	assert_int_equal(access(in(&r, "only"), F_OK), 0);
	root_remove(&r);
	free(a.p);
}

static void test_missing_root(void **state)
{
	struct buf a = { 0 };
	struct root r;
	char *msg;

	(void)state;
	add_trailer(&a);
	root_make(&r);
	strcat(r.dir, "/none");
	msg = unpack(&a, 0, &r);
	assert_non_null(strstr(msg, "/none: No such file or directory"));
	free(msg);
	root_remove(&r);
	free(a.p);
}

/* ---- the disk ---- */

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_tree_from_gnu_cpio),
		cmocka_unit_test(test_names_modes_and_missing_parents),
		cmocka_unit_test(test_replaces_files_and_symlinks),
		cmocka_unit_test(test_symlinks_stay_in_the_root),
		cmocka_unit_test(test_bad_entries),
		cmocka_unit_test(test_no_trailer),
		cmocka_unit_test(test_missing_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
