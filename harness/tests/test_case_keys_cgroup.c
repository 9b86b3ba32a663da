/* test_case_keys_cgroup: the [cgroup NAME] version key and cgroup file
 * names. Run from harness/tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "case_test.h"

static void test_cgroup_value_errors(void **state)
{
	(void)state;
	fails_with("[cgroup g]\nversion = 3\n" EXPECT,
		   "t.case:2: bad version '3' for [cgroup g] (allowed: 1 or 2)\n");
	fails_with("[cgroup g]\nversion = v1\n" EXPECT,
		   "t.case:2: bad version 'v1' for [cgroup g] (allowed: 1 or 2)\n");
	fails_with("[cgroup g]\nmemory.max = 1M\n" EXPECT,
		   "t.case:1: [cgroup g] needs 'version' (1 or 2)\n");
}

static void test_cgroup_file_names(void **state)
{
	(void)state;
	fails_with("[cgroup g]\nversion = 1\nmemory/../x.y = 1\n" EXPECT,
		   "t.case:3: bad cgroup file name 'memory/../x.y' (allowed: letters, digits and _ - ., not starting with '.')\n");
	fails_with("[cgroup g]\nversion = 1\n.x = 1\n" EXPECT,
		   "t.case:3: bad cgroup file name '.x' (allowed: letters, digits and _ - ., not starting with '.')\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cgroup_value_errors),
		cmocka_unit_test(test_cgroup_file_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
