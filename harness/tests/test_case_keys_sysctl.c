/* test_case_keys_sysctl: the [sysctl] section. Run from harness/tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "case_test.h"

static void test_sysctl(void **state)
{
	struct oomcase c;

	(void)state;
	parses("[sysctl]\nvm.panic_on_oom = 1\nkernel.panic=10 # s\nvm.overcommit_memory = 2\n"
	       "net.ipv4.tcp_mem = 4096,8192\nvm.x = \"\"\n" EXPECT, &c);
	assert_int_equal(c.nsysctls, 5);
	assert_string_equal(c.sysctls[0].file, "vm.panic_on_oom");
	assert_string_equal(c.sysctls[0].value, "1");
	assert_int_equal(c.sysctls[0].line, 2);
	assert_string_equal(c.sysctls[1].file, "kernel.panic");
	assert_string_equal(c.sysctls[1].value, "10");
	assert_string_equal(c.sysctls[2].file, "vm.overcommit_memory");
	assert_string_equal(c.sysctls[3].file, "net.ipv4.tcp_mem");
	assert_string_equal(c.sysctls[3].value, "4096,8192");
	assert_string_equal(c.sysctls[4].value, "\"\"");
	case_release(&c);
	parses(EXPECT, &c);
	assert_null(c.sysctls);
	assert_int_equal(c.nsysctls, 0);
	case_release(&c);

#define SYSCTL_BAD(k) "t.case:2: bad sysctl name '" k "' (allowed: lower-case words of " \
	"letters, digits and _ joined by '.', e.g. vm.panic_on_oom)\n"
	fails_with("[sysctl]\nvm = 1\n" EXPECT, SYSCTL_BAD("vm"));
	fails_with("[sysctl]\nvm..panic = 1\n" EXPECT, SYSCTL_BAD("vm..panic"));
	fails_with("[sysctl]\nvm/panic_on_oom = 1\n" EXPECT, SYSCTL_BAD("vm/panic_on_oom"));
	fails_with("[sysctl]\nvm.../x = 1\n" EXPECT, SYSCTL_BAD("vm.../x"));
	fails_with("[sysctl]\n.vm.x = 1\n" EXPECT, SYSCTL_BAD(".vm.x"));
	fails_with("[sysctl]\nvm.x. = 1\n" EXPECT, SYSCTL_BAD("vm.x."));
	fails_with("[sysctl]\nVM.Panic = 1\n" EXPECT, SYSCTL_BAD("VM.Panic"));
	fails_with("[sysctl]\nvm.a-b = 1\n" EXPECT, SYSCTL_BAD("vm.a-b"));
	fails_with("[sysctl]\nvm.x = 1 2\n" EXPECT,
		   "t.case:2: bad value '1 2' for sysctl vm.x (allowed: one word, no spaces)\n");
	fails_with("[sysctl]\nvm.x =\n" EXPECT, "t.case:2: empty value for 'vm.x' in [sysctl]\n");
	fails_with("[sysctl]\nvm.x = 1\nvm.y = 1\nvm.x = 2\n" EXPECT,
		   "t.case:4: duplicate key 'vm.x' in [sysctl] (first at line 2)\n");
	fails_with("[sysctl]\nvm.x\n" EXPECT,
		   "t.case:2: missing '=' in 'vm.x' in [sysctl] (expected key = value)\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sysctl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
