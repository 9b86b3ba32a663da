/* Tests for klog/tasks: the header names the columns, rows follow them. */
#include "klog_test_util.h"

#undef skip	/* cmocka's, not the span reader */
#include "klog/tasks.h"

#define SPAN(lit) mkspan((lit), sizeof(lit) - 1)

static void test_task_table(void **state)
{
	struct klog *k = klog_new();
	struct oom_event *ev = new_event(k, true);
	const struct task_table *t = &ev->tasks;

	(void)state;
	assert_false(on_task_header(ev, SPAN("[  pid  ]   uid  Tgid name")));
	assert_false(on_task_header(ev, SPAN("[  pid  ]   uid  tgid")));
	assert_true(on_task_header(ev, SPAN("[  pid  ]   uid  tgid total_vm      rss oom_score_adj name")));
	assert_int_equal(ev->sec, SEC_TASKS);
	assert_int_equal(t->ncols, 5);
	assert_string_equal(t->cols[4], "oom_score_adj");
	assert_true(on_task_row(ev, SPAN("[   4242]  1000  4242    50000    40000         -500 12 monkeys")));
	assert_false(on_task_row(ev, SPAN("[   4243]  1000  4243    50000 stress")));	/* short a column */
	assert_int_equal(t->nrows, 1);
	assert_int_equal(t->vals[0], 4242);
	assert_int_equal(t->vals[5], -500);
	assert_string_equal(t->names[0], "12 monkeys");
	klog_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_task_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
