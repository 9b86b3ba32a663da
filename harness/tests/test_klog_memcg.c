/* Tests for klog/memcg: counters and both forms of the stats block. */
#include "klog_test_util.h"

#undef skip	/* cmocka's, not the span reader */
#include "klog/memcg.h"

#define SPAN(lit) mkspan((lit), sizeof(lit) - 1)

static void test_memcg_lines(void **state)
{
	struct klog *k = klog_new();
	struct oom_event *ev = new_event(k, true);

	(void)state;
	assert_true(on_memcg_counter(ev, SPAN("memory+swap: usage 2048kB, limit 4096kB, failcnt 3")));
	assert_string_equal(ev->counters[0].name, "memory+swap");
	assert_int_equal(ev->counters[0].usage_kb, 2048);
	assert_int_equal(ev->counters[0].limit_kb, 4096);
	assert_int_equal(ev->counters[0].failcnt, 3);
	assert_int_equal(ev->sec, SEC_MEMCG);
	assert_false(on_memcg_counter(ev, SPAN("Memory: usage 1kB")));	/* not a counter name */
	assert_int_equal(ev->ncounters, 1);

	/* <= 5.2: one line */
	on_memcg_stats(ev, SPAN("/kubepods/pod1: cache:12KB rss:34KB"));
	assert_string_equal(ev->stats[0].path, "/kubepods/pod1");
	assert_int_equal(kv_get(&ev->stats[0].vals, "rss"), 34);
	/* 5.3+: "key value" lines follow */
	on_memcg_stats(ev, SPAN("/a: b:"));
	assert_string_equal(ev->stats[1].path, "/a: b");
	assert_int_equal(ev->sec, SEC_MEMCG_STATS);
	assert_true(on_stat_line(ev, SPAN("anon 4096")));
	assert_true(on_stat_line(ev, SPAN("  pgfault 12")));
	assert_false(on_stat_line(ev, SPAN("anon 12x")));
	assert_false(on_stat_line(ev, SPAN("Tasks state (memory values in pages):")));
	assert_int_equal(kv_get(&ev->stats[1].vals, "anon"), 4096);
	assert_int_equal(kv_get(&ev->stats[1].vals, "pgfault"), 12);
	klog_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcg_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
