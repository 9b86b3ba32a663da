/* Tests for target/bisect.c: git bisect run's outcome read from its real
 * output (git 2.39: a first bad commit; only skipped commits left; a run
 * that stopped on an exit code of 128), and the prebuilt-kernel file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "lib/strbuf.h"
#include "target/bisect.h"

static const char found[] =
	"running  'sh' '-c' 'test $(cat f) -lt 3'\n"
	"Bisecting: 0 revisions left to test after this (roughly 0 steps)\n"
	"[05e27f5c7cd0d6ddb0c1beb6e54a332ee965cd64] c2\n"
	"running  'sh' '-c' 'test $(cat f) -lt 3'\n"
	"43622542122cf1576187e3702c64fa7eec322b6f is the first bad commit\n"
	"commit 43622542122cf1576187e3702c64fa7eec322b6f\n"
	"Author: t <a@b>\n"
	"Date:   Sun Dec 6 09:33:31 2026 +0000\n"
	"\n"
	"    c3 is the first bad commit in words only\n"
	"\n"
	" f | 2 +-\n"
	" 1 file changed, 1 insertion(+), 1 deletion(-)\n"
	"bisect found first bad commit";

static const char skipped[] =
	"running  'sh' '-c' 'exit 125'\n"
	"There are only 'skip'ped commits left to test.\n"
	"The first bad commit could be any of:\n"
	"05e27f5c7cd0d6ddb0c1beb6e54a332ee965cd64\n"
	"43622542122cf1576187e3702c64fa7eec322b6f\n"
	"0c685a31176d3e19982463bbac0ca496602b2f13\n"
	"We cannot bisect more!\n"
	"error: bisect run cannot continue any more\n";

static const char stopped[] =
	"running  'sh' '-c' 'exit 128'\n"
	"error: bisect run failed: exit code 128 from ' 'sh' '-c' 'exit 128'' is < 0 or >= 128\n";

static void test_outcomes(void **state)
{
	struct strbuf sha = STRBUF_INIT;

	(void)state;
	assert_int_equal(bisect_outcome_of(found, &sha), BISECT_FOUND);
	assert_string_equal(sha.buf, "43622542122cf1576187e3702c64fa7eec322b6f");
	assert_int_equal(bisect_outcome_of(skipped, &sha), BISECT_ONLY_SKIPPED);
	assert_string_equal(sha.buf, "05e27f5c7cd0d6ddb0c1beb6e54a332ee965cd64\n"
				     "43622542122cf1576187e3702c64fa7eec322b6f\n"
				     "0c685a31176d3e19982463bbac0ca496602b2f13\n");
	assert_int_equal(bisect_outcome_of(stopped, &sha), BISECT_UNKNOWN);
	assert_int_equal(bisect_outcome_of("", &sha), BISECT_UNKNOWN);
	/* a commit message saying so is not git's verdict */
	assert_int_equal(bisect_outcome_of("    xyz is the first bad commit\n", &sha), BISECT_UNKNOWN);
	assert_int_equal(bisect_outcome_of("The first bad commit could be any of:\n", &sha), BISECT_UNKNOWN);
	strbuf_release(&sha);
}

static void test_prebuilt(void **state)
{
	struct prebuilt_kernel k;
	struct strbuf err = STRBUF_INIT;

	(void)state;
	assert_int_equal(prebuilt_kernel_parse("# which kernel\nkernel  boot/vmlinuz\n\nkdir /abs/headers\t\narch x86_64\n",
					       "oomtest-kernel", "/repo", &k, &err), 0);
	assert_string_equal(k.kernel.buf, "/repo/boot/vmlinuz");
	assert_string_equal(k.kdir.buf, "/abs/headers");
	assert_string_equal(k.arch.buf, "x86_64");
	prebuilt_kernel_release(&k);

	assert_int_equal(prebuilt_kernel_parse("kernel a\nkernel b\n", "f", "/r", &k, &err), -1);
	assert_string_equal(err.buf, "f:2: 'kernel' given twice");
	prebuilt_kernel_release(&k);
	strbuf_reset(&err);
	assert_int_equal(prebuilt_kernel_parse("kernel a\nimage b\n", "f", "/r", &k, &err), -1);
	assert_string_equal(err.buf, "f:2: expected 'kernel PATH', 'kdir PATH' or 'arch ARCH'");
	prebuilt_kernel_release(&k);
	strbuf_reset(&err);
	assert_int_equal(prebuilt_kernel_parse("kernel a\narch\n", "f", "/r", &k, &err), -1);
	assert_string_equal(err.buf, "f:2: expected 'kernel PATH', 'kdir PATH' or 'arch ARCH'");
	prebuilt_kernel_release(&k);
	strbuf_reset(&err);
	assert_int_equal(prebuilt_kernel_parse("kernel a\narch arm64\n", "f", "/r", &k, &err), -1);
	assert_string_equal(err.buf, "f: names no kdir");
	prebuilt_kernel_release(&k);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_prebuilt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
