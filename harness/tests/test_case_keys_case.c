/* test_case_keys_case: the [case] keys: values, their errors, needs,
 * packages. Run from harness/tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "case_test.h"

static void test_case_value_errors(void **state)
{
	(void)state;
	fails_with("[case]\nmemory = lots\n" EXPECT,
		   "t.case:2: bad size 'lots' for 'memory' (" SIZE_HELP ")\n");
	fails_with("[case]\nmemory = -128M\n" EXPECT,
		   "t.case:2: bad size '-128M' for 'memory' (" SIZE_HELP ")\n");
	fails_with("[case]\nmemory = 31M\n" EXPECT,
		   "t.case:2: memory 31M is out of range (allowed: 32M to 16G)\n");
	fails_with("[case]\nmemory = 17G\n" EXPECT,
		   "t.case:2: memory 17G is out of range (allowed: 32M to 16G)\n");
	fails_with("[case]\ntimeout = 0s\n" EXPECT,
		   "t.case:2: bad duration '0s' for 'timeout' (" DURATION_HELP ")\n");
	fails_with("[case]\ntargets = x86_64 \"i386\n" EXPECT,
		   "t.case:2: unterminated \"quote\" in 'targets'\n");
}

static void test_swap_and_disk(void **state)
{
	struct oomcase c;

	(void)state;
	parses("[case]\nswap = 64M\ndisk = 256M\n" EXPECT, &c);
	assert_true(c.swap == 64ULL << 20);
	assert_int_equal(c.swap_line, 2);
	assert_true(c.disk == 256ULL << 20);
	assert_int_equal(c.disk_line, 3);
	case_release(&c);
	parses("[case]\n" EXPECT, &c);
	assert_true(c.swap == 0 && c.disk == 0);
	case_release(&c);
	fails_with("[case]\nswap = much\n" EXPECT, "t.case:2: bad size 'much' for 'swap' (" SIZE_HELP ")\n");
	fails_with("[case]\nswap = 5G\n" EXPECT, "t.case:2: swap 5G is out of range (allowed: 1M to 4G)\n");
	fails_with("[case]\nswap = 512K\n" EXPECT, "t.case:2: swap 512K is out of range (allowed: 1M to 4G)\n");
	fails_with("[case]\ndisk = 4M\n" EXPECT, "t.case:2: disk 4M is out of range (allowed: 8M to 16G)\n");
	fails_with("[case]\ndisk = 17G\n" EXPECT, "t.case:2: disk 17G is out of range (allowed: 8M to 16G)\n");
}

static void test_case_values(void **state)
{
	struct oomcase c;

	(void)state;
	parses("[case]\nmemory = 32M\ntimeout = 1500ms\ntargets = a\n" EXPECT, &c);
	assert_true(c.memory == 32ULL << 20);
	assert_int_equal(c.timeout_ms, 1500);
	assert_int_equal(c.ntargets, 1);
	case_release(&c);
	parses("[case]\nmemory = 16GiB\ntimeout = 2m\n" EXPECT, &c);
	assert_true(c.memory == 16ULL << 30);
	assert_int_equal(c.timeout_ms, 120000);
	case_release(&c);
	/* an empty [case] is fine */
	parses("[case]\n" EXPECT, &c);
	assert_true(c.memory == 128ULL << 20);
	case_release(&c);
}

#define NEEDS_KNOWN "(known: cgroup-v1 cgroup-v2 kconfig:CONFIG_NAME min-kernel:X.Y " \
	"max-kernel:X.Y arch:ARCH memory:SIZE)"

static void test_needs(void **state)
{
	struct oomcase c;

	(void)state;
	parses("[case]\nneeds = cgroup-v1 cgroup-v2 kconfig:CONFIG_MEMCG_V1 kconfig:!CONFIG_X "
	       "min-kernel:5.19 max-kernel:6.10 arch:i386 memory:1G min-kernel:6.1.20 arch:x86_64 "
	       "kconfig:CONFIG_9P_FS\n" EXPECT, &c);
	assert_int_equal(c.nneeds, 11);
	assert_string_equal(c.needs[0], "cgroup-v1");
	assert_string_equal(c.needs[3], "kconfig:!CONFIG_X");
	assert_string_equal(c.needs[4], "min-kernel:5.19");
	assert_string_equal(c.needs[7], "memory:1G");
	assert_string_equal(c.needs[8], "min-kernel:6.1.20");
	assert_string_equal(c.needs[10], "kconfig:CONFIG_9P_FS");
	assert_null(c.needs[11]);
	case_release(&c);
	parses("[case]\n" EXPECT, &c);
	assert_null(c.needs);
	assert_int_equal(c.nneeds, 0);
	case_release(&c);
	/* arm64 is an arch a case may name, as a requirement and a target */
	parses("[case]\ntargets = arm64\nneeds = arch:arm64\n" EXPECT, &c);
	assert_string_equal(c.targets[0], "arm64");
	assert_string_equal(c.needs[0], "arch:arm64");
	case_release(&c);

	fails_with("[case]\nneeds = cgroup-v3\n" EXPECT,
		   "t.case:2: unknown requirement 'cgroup-v3' " NEEDS_KNOWN "\n");
	fails_with("[case]\nneeds = cgroup-v1 kernel:6.1 CONFIG_X\n" EXPECT,
		   "t.case:2: unknown requirement 'kernel:6.1' " NEEDS_KNOWN "\n"
		   "t.case:2: unknown requirement 'CONFIG_X' " NEEDS_KNOWN "\n");
	fails_with("[case]\nneeds = kconfig:MEMCG kconfig:CONFIG_ kconfig:CONFIG_memcg kconfig:!!CONFIG_X\n"
		   EXPECT,
		   "t.case:2: bad requirement 'kconfig:MEMCG' (expected kconfig:CONFIG_NAME or "
		   "kconfig:!CONFIG_NAME; CONFIG_ then A-Z, 0-9 and _)\n"
		   "t.case:2: bad requirement 'kconfig:CONFIG_' (expected kconfig:CONFIG_NAME or "
		   "kconfig:!CONFIG_NAME; CONFIG_ then A-Z, 0-9 and _)\n"
		   "t.case:2: bad requirement 'kconfig:CONFIG_memcg' (expected kconfig:CONFIG_NAME or "
		   "kconfig:!CONFIG_NAME; CONFIG_ then A-Z, 0-9 and _)\n"
		   "t.case:2: bad requirement 'kconfig:!!CONFIG_X' (expected kconfig:CONFIG_NAME or "
		   "kconfig:!CONFIG_NAME; CONFIG_ then A-Z, 0-9 and _)\n");
	fails_with("[case]\nneeds = min-kernel:6 max-kernel:6.1.2.3 min-kernel:6. max-kernel:v6.1 "
		   "min-kernel:6.x\n" EXPECT,
		   "t.case:2: bad requirement 'min-kernel:6' (expected min-kernel:X.Y or min-kernel:X.Y.Z)\n"
		   "t.case:2: bad requirement 'max-kernel:6.1.2.3' (expected max-kernel:X.Y or max-kernel:X.Y.Z)\n"
		   "t.case:2: bad requirement 'min-kernel:6.' (expected min-kernel:X.Y or min-kernel:X.Y.Z)\n"
		   "t.case:2: bad requirement 'max-kernel:v6.1' (expected max-kernel:X.Y or max-kernel:X.Y.Z)\n"
		   "t.case:2: bad requirement 'min-kernel:6.x' (expected min-kernel:X.Y or min-kernel:X.Y.Z)\n");
	fails_with("[case]\nneeds = arch:arm arch:\n" EXPECT,
		   "t.case:2: bad requirement 'arch:arm' (known arches: x86_64 i386 arm64)\n"
		   "t.case:2: bad requirement 'arch:' (known arches: x86_64 i386 arm64)\n");
	/* a target's arch is the arch's own name: another would match none */
	fails_with("[case]\nneeds = arch:aarch64 arch:amd64\n" EXPECT,
		   "t.case:2: bad requirement 'arch:aarch64' (the arch is called arm64 here: arch:arm64)\n"
		   "t.case:2: bad requirement 'arch:amd64' (the arch is called x86_64 here: arch:x86_64)\n");
	fails_with("[case]\nneeds = memory:lots\n" EXPECT,
		   "t.case:2: bad requirement 'memory:lots' (memory:SIZE, SIZE " SIZE_HELP ")\n");
	fails_with("[case]\nneeds = arch:i386 cgroup-v2 arch:i386\n" EXPECT,
		   "t.case:2: duplicate requirement 'arch:i386'\n");
	fails_with("[case]\nneeds = \"arch:i386\n" EXPECT,
		   "t.case:2: unterminated \"quote\" in 'needs'\n");
	fails_with("[case]\nneeds =\n" EXPECT, "t.case:2: empty value for 'needs' in [case]\n");
}

#define BAD_PACKAGE(name) "t.case:2: bad package name '" name "' (allowed: a lower-case letter or " \
	"digit, then one or more of lower-case letters, digits and + . -)\n"

static void test_packages(void **state)
{
	struct oomcase c;

	(void)state;
	parses("[case]\npackages = stress-ng libc6 g++-12 0ad lib32gcc-s1 libstdc++6 python3.11 "
	       "\"xz-utils\"\n" EXPECT, &c);
	assert_int_equal(c.npackages, 8);
	assert_string_equal(c.packages[0], "stress-ng");
	assert_string_equal(c.packages[2], "g++-12");
	assert_string_equal(c.packages[3], "0ad");
	assert_string_equal(c.packages[6], "python3.11");
	assert_string_equal(c.packages[7], "xz-utils");
	assert_null(c.packages[8]);
	case_release(&c);
	parses("[case]\n" EXPECT, &c);
	assert_null(c.packages);
	assert_int_equal(c.npackages, 0);
	case_release(&c);

	fails_with("[case]\npackages = stress-ng:i386\n" EXPECT,
		   "t.case:2: bad package 'stress-ng:i386': the arch comes from the target (allowed: "
		   "the name alone, e.g. stress-ng)\n");
	fails_with("[case]\npackages = libc6:amd64 :x86_64\n" EXPECT,
		   "t.case:2: bad package 'libc6:amd64': the arch comes from the target (allowed: "
		   "the name alone, e.g. libc6)\n"
		   "t.case:2: bad package name ':x86_64' (allowed: a lower-case letter or digit, then one "
		   "or more of lower-case letters, digits and + . -)\n");
	fails_with("[case]\npackages = s\n" EXPECT, BAD_PACKAGE("s"));
	fails_with("[case]\npackages = Stress-ng\n" EXPECT, BAD_PACKAGE("Stress-ng"));
	fails_with("[case]\npackages = -ng\n" EXPECT, BAD_PACKAGE("-ng"));
	fails_with("[case]\npackages = .ab\n" EXPECT, BAD_PACKAGE(".ab"));
	fails_with("[case]\npackages = stress_ng\n" EXPECT, BAD_PACKAGE("stress_ng"));
	fails_with("[case]\npackages = stress-ng=0.15\n" EXPECT, BAD_PACKAGE("stress-ng=0.15"));
	fails_with("[case]\npackages = ../x\n" EXPECT, BAD_PACKAGE("../x"));
	fails_with("[case]\npackages = \"\"\n" EXPECT, BAD_PACKAGE(""));
	fails_with("[case]\npackages = stress-ng libc6 stress-ng\n" EXPECT,
		   "t.case:2: duplicate package 'stress-ng'\n");
	fails_with("[case]\npackages = \"stress-ng\n" EXPECT,
		   "t.case:2: unterminated \"quote\" in 'packages'\n");
	fails_with("[case]\npackages = a1\npackages = b1\n" EXPECT,
		   "t.case:3: duplicate key 'packages' in [case] (first at line 2)\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_case_value_errors),
		cmocka_unit_test(test_case_values),
		cmocka_unit_test(test_swap_and_disk),
		cmocka_unit_test(test_needs),
		cmocka_unit_test(test_packages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
