/* Tests for results.c: the results tree. */
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

#include "lib/child.h"
#include "run/results.h"

static void test_results_dirs(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/oomtest-test.XXXXXX";
	struct strbuf root = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT, err = STRBUF_INIT;
	char link[256];
	ssize_t n;

	assert_non_null(mkdtemp(tmpl));
	strbuf_addf(&root, "%s/deep/results", tmpl);
	assert_int_equal(results_new_run(root.buf, &a, &err), 0);
	assert_int_equal(results_new_run(root.buf, &b, &err), 0);
	assert_string_not_equal(a.buf, b.buf);
	strbuf_addstr(&root, "/latest");
	n = readlink(root.buf, link, sizeof(link) - 1);
	assert_true(n > 0);
	link[n] = '\0';
	assert_string_equal(link, strrchr(b.buf, '/') + 1);

	strbuf_reset(&root);
	strbuf_addf(&root, "%s/f.json", b.buf);
	assert_int_equal(fs_write_atomic(root.buf, "{}\n", 3), 0);
	struct stat st;
	assert_int_equal(stat(root.buf, &st), 0);
	assert_int_equal(st.st_size, 3);
	/* an unwritable place is an error, not a crash */
	assert_true(fs_write_atomic("/proc/nonexistent/x", "a", 1) < 0);

	char *argv[] = { "rm", "-rf", tmpl, NULL };
	assert_int_equal(child_run(argv, -1), 0);
	strbuf_release(&root);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_results_dirs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
