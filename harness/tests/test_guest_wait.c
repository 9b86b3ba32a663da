/* Tests for guest/wait.c and guest/sample.c's readers: a wait condition's
 * comparison and the values it reads from cgroup, vmstat and meminfo text
 * as the kernel writes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>

#include "guest/sample.h"
#include "guest/wait.h"

static void test_compare(void **state)
{
	(void)state;
	assert_int_equal(wait_compare(1, "==", 1), 1);
	assert_int_equal(wait_compare(1, "!=", 1), 0);
	assert_int_equal(wait_compare(0, ">", 0), 0);
	assert_int_equal(wait_compare(1, ">", 0), 1);
	assert_int_equal(wait_compare(8 << 20, ">=", 8 << 20), 1);
	assert_int_equal(wait_compare(3, "<", 3), 0);
	assert_int_equal(wait_compare(3, "<=", 3), 1);
	assert_int_equal(wait_compare(3, "=>", 3), -1);
	assert_int_equal(wait_compare(3, "", 3), -1);
}

static void test_read_value(void **state)
{
	static const char events[] = "low 0\nhigh 17\nmax 0\noom 1\noom_kill 2\noom_group_kill 0\n";
	static const char oom_control[] = "oom_kill_disable 1\nunder_oom 1\noom_kill 0\n";
	static const char vmstat[] = "nr_free_pages 12004\nnr_zone_inactive_anon 3\noom_kill 4\nunevictable_pgs_culled 0\n";

	(void)state;
	assert_int_equal(wait_read_value(events, "high"), 17);
	assert_int_equal(wait_read_value(events, "oom_kill"), 2);
	/* "oom" is not the start of "oom_kill" or the other way round */
	assert_int_equal(wait_read_value(events, "oom"), 1);
	assert_int_equal(wait_read_value(events, "oom_group_kill"), 0);
	assert_int_equal(wait_read_value(events, "missing"), -1);
	assert_int_equal(wait_read_value(oom_control, "under_oom"), 1);
	assert_int_equal(wait_read_value(vmstat, "oom_kill"), 4);
	/* files of one value: memory.current, memory.max */
	assert_int_equal(wait_read_value("8388608\n", NULL), 8388608);
	assert_int_equal(wait_read_value("max\n", NULL), LLONG_MAX);
	assert_int_equal(wait_read_value("", NULL), -1);
	assert_int_equal(wait_read_value("some avg10=0.00 total=0\n", "some"), -1);
}

static void test_meminfo(void **state)
{
	static const char meminfo[] = "MemTotal:         216336 kB\nMemFree:          180220 kB\n"
				      "MemAvailable:     171516 kB\nBuffers:               0 kB\n"
				      "Cached:            14108 kB\nSwapCached:            0 kB\n"
				      "Shmem:              1012 kB\nSwapTotal:         65532 kB\n"
				      "SwapFree:          65532 kB\n";

	(void)state;
	assert_int_equal(sample_meminfo_kb(meminfo, "MemFree"), 180220);
	assert_int_equal(sample_meminfo_kb(meminfo, "Cached"), 14108);
	assert_int_equal(sample_meminfo_kb(meminfo, "SwapFree"), 65532);
	assert_int_equal(sample_meminfo_kb(meminfo, "Shmem"), 1012);
	assert_int_equal(sample_meminfo_kb(meminfo, "Mem"), -1);
	assert_int_equal(sample_meminfo_kb(meminfo, "HugePages_Total"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_read_value),
		cmocka_unit_test(test_meminfo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
