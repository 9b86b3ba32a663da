/* Tests for plan.c: a case made the agent's plan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/casefile.h"
#include "case/plan.h"
#include "tests/run_test_util.h"

static void test_plan_v1_steps(void **state)
{
	(void)state;
	struct oomcase c;
	struct strbuf plan = STRBUF_INIT, err = STRBUF_INIT;

	parse_ok(&c, "[cgroup hog]\nversion = 1\nmemory.limit_in_bytes = 512K\n"
		     "[step hog]\nrun = hog --name \"128 K\"\ncgroup = hog\nbackground = yes\n"
		     "[step look]\nsleep = 2s\ncollect = buddyinfo cgroup:hog proc:hog\n"
		     "write = /proc/sys/vm/compact_memory \"1 \"\n"
		     "[step load]\nmodule = oom_trigger order=3\nrmmod = oom_trigger\noom_score_adj = -5\n"
		     "[sysctl]\nvm.panic_on_oom = 1\n"
		     "[expect]\noom.count == 0\n");
	assert_int_equal(plan_build(&c, &plan, &err), 0);
	assert_string_equal(plan.buf,
			    "sysctl vm.panic_on_oom 1\n"
			    "mount cgroup1\n"
			    "cgroup hog\n"
			    "cgset hog memory.limit_in_bytes 512K\n"
			    "run hog 1 hog - hog --name 128%20K\n"
			    "write /proc/sys/vm/compact_memory 1%20\n"
			    "sleep 2000\n"
			    "collect look buddyinfo cgroup:hog proc:hog\n"
			    "module load 0 - -5 oom_trigger order=3\n"
			    "rmmod oom_trigger\n"
			    "end\n");
	case_release(&c);
	strbuf_release(&plan);
	strbuf_release(&err);
}

static void test_plan_refuses_mixed_versions(void **state)
{
	(void)state;
	struct oomcase c;
	struct strbuf plan = STRBUF_INIT, err = STRBUF_INIT;

	parse_ok(&c, "[cgroup a]\nversion = 1\n[cgroup b]\nversion = 2\n[expect]\noom.count == 0\n");
	assert_int_equal(plan_build(&c, &plan, &err), -1);
	assert_non_null(strstr(err.buf, "cgroup v1 and v2"));
	case_release(&c);
	strbuf_release(&plan);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_v1_steps),
		cmocka_unit_test(test_plan_refuses_mixed_versions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
