/* Tests for klog/report: the lines between an OOM header and its kill. */
#include "klog_test_util.h"

#undef skip	/* cmocka's, not the span reader */
#include "klog/report.h"

#define SPAN(lit) mkspan((lit), sizeof(lit) - 1)

static void test_report_lines(void **state)
{
	struct klog *k = klog_new();
	struct oom_event *ev = new_event(k, true);

	(void)state;
	ev->invoker = xstrdup("mysqld");
	assert_true(on_report_line(k, ev, SPAN("CPU: 3 PID: 77 Comm: mysqld Not tainted 4.9.0")));
	assert_int_equal(ev->invoker_pid, 77);
	assert_true(on_report_line(k, ev, SPAN("mysqld cpuset=/ mems_allowed=0-1")));
	assert_string_equal(ev->cpuset, "/");
	assert_string_equal(ev->mems_allowed, "0-1");
	assert_true(on_report_line(k, ev, SPAN("Task in /a killed as a result of limit of /b ")));
	assert_string_equal(ev->old_task_memcg, "/a");
	assert_string_equal(ev->old_limit_memcg, "/b");
	assert_true(on_report_line(k, ev, SPAN("Mem-Info:")));
	assert_int_equal(ev->sec, SEC_MEMINFO);
	assert_true(on_report_line(k, ev, SPAN("active_anon:5 free:6")));
	assert_int_equal(kv_get(&ev->meminfo, "free"), 6);
	assert_true(on_report_line(k, ev, SPAN("Free swap  = 100kB")));
	assert_true(on_report_line(k, ev, SPAN("Total swap = 200kB")));
	assert_int_equal(kv_get(&ev->totals, "free_swap_kb"), 100);
	assert_int_equal(kv_get(&ev->totals, "total_swap_kb"), 200);
	assert_false(on_report_line(k, ev, SPAN("e1000: link up")));
	/* another report (an allocation failure) owns its own Mem-Info */
	k->foreign = true;
	assert_false(on_report_line(k, ev, SPAN("Mem-Info:")));
	klog_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
