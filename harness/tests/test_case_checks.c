/* test_case_checks: the checks after the last line: references between
 * sections, keys that need others. Run from harness/tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "case_test.h"

static void test_references(void **state)
{
	struct oomcase c;

	(void)state;
	/* a cgroup may be defined after the step that uses it; proc: may name
	 * the step itself */
	parses("[step s]\nrun = hog\ncgroup = late\nsleep = 1\ncollect = proc:s cgroup:late vmstat\n"
	       "[cgroup late]\nversion = 2\n" EXPECT, &c);
	assert_string_equal(c.steps[0].cgroup, "late");
	assert_int_equal(c.steps[0].ncollect, 3);
	case_release(&c);

	fails_with("[step s]\nrun = hog\ncgroup = nope\n" EXPECT,
		   "t.case:3: 'cgroup' names no [cgroup nope] (defined: none)\n");
	fails_with("[cgroup a]\nversion=1\n[cgroup b]\nversion=1\n[step s]\ncollect = cgroup:c\n" EXPECT,
		   "t.case:6: collect item 'cgroup:c' names no [cgroup c] (defined: a b)\n");
	fails_with("[cgroup c0]\nversion=1\n[cgroup c1]\nversion=1\n[cgroup c2]\nversion=1\n"
		   "[cgroup c3]\nversion=1\n[cgroup c4]\nversion=1\n[cgroup c5]\nversion=1\n"
		   "[cgroup c6]\nversion=1\n[cgroup c7]\nversion=1\n[cgroup c8]\nversion=1\n"
		   "[step s]\nrun = hog\ncgroup = c9\n" EXPECT,
		   "t.case:21: 'cgroup' names no [cgroup c9] (defined: c0 c1 c2 c3 c4 c5 c6 c7 ...)\n");
	fails_with("[step s]\ncollect = proc:nope\n" EXPECT,
		   "t.case:2: collect item 'proc:nope' names no [step nope]\n");
	fails_with("[step s]\ncollect = proc:t\n[step t]\nrun = hog\n" EXPECT,
		   "t.case:2: collect item 'proc:t' names a later step (allowed: this step or an earlier one)\n");
	fails_with("[step t]\nsleep = 1\n[step s]\ncollect = proc:t\n" EXPECT,
		   "t.case:4: collect item 'proc:t' names a step with no run or module\n");
	fails_with("[step s]\ncollect = meminfo cgroup: proc:a.b slabinfo\n" EXPECT,
		   "t.case:2: unknown collect item 'cgroup:' " COLLECT_HELP "\n"
		   "t.case:2: unknown collect item 'proc:a.b' " COLLECT_HELP "\n"
		   "t.case:2: unknown collect item 'slabinfo' " COLLECT_HELP "\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_references),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
