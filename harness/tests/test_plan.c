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

/* arm before the step's run/module/write lines, wait after them and
 * before its collect and rmmod; every kind's encoding. */
static void test_plan_waits(void **state)
{
	(void)state;
	struct oomcase c;
	struct strbuf plan = STRBUF_INIT, err = STRBUF_INIT;

	parse_ok(&c, "[case]\ntimeout = 2m\n"
		     "[cgroup hog]\nversion = 2\nmemory.high = 4M\n"
		     "[step hog]\nrun = hog --name \"a b\"\ncgroup = hog\nbackground = yes\n"
		     "wait = output \"chunk 3 total\"\nwait_max = 90s\n"
		     "[step look]\nwait = cgroup hog memory.events.high > 0\ncollect = cgroup:hog\n"
		     "[step big]\nwait = cgroup hog memory.current >= 8M\nwrite = /proc/sys/vm/drop_caches 3\n"
		     "[step kill]\nwait = oom_kill\nwait_max = 1500ms\n"
		     "[step kill2]\nwait = oom_kill hog\n"
		     "[step load]\nmodule = oom_trigger order=1\nbackground = yes\nwait = exit\n"
		     "rmmod = oom_trigger\n"
		     "[step gone]\nwait = exit hog\n"
		     "[step swap]\nwait = cgroup hog memory.swap.events.max != 2\n"
		     "[expect]\noom.count == 0\n");
	assert_int_equal(plan_build(&c, &plan, &err), 0);
	assert_string_equal(plan.buf,
			    "mount cgroup2\n"
			    "cgroup hog\n"
			    "cgset hog memory.high 4M\n"
			    "arm hog output chunk%203%20total\n"
			    "run hog 1 hog - hog --name a%20b\n"
			    "wait hog 90000\n"
			    "arm look cgroup hog memory.events high > 0\n"
			    "wait look 30000\n"
			    "collect look cgroup:hog\n"
			    "arm big cgroup hog memory.current - >= 8388608\n"
			    "write /proc/sys/vm/drop_caches 3\n"
			    "wait big 30000\n"
			    "arm kill oom_kill -\n"
			    "wait kill 1500\n"
			    "arm kill2 oom_kill hog\n"
			    "wait kill2 30000\n"
			    "arm load exit load\n"
			    "module load 1 - - oom_trigger order=1\n"
			    "wait load 30000\n"
			    "rmmod oom_trigger\n"
			    "arm gone exit hog\n"
			    "wait gone 30000\n"
			    "arm swap cgroup hog memory.swap.events max != 2\n"
			    "wait swap 30000\n"
			    "end\n");
	assert_int_equal(err.len, 0);
	case_release(&c);
	strbuf_release(&plan);

	/* the other operators, as written */
	static const char *const ops[] = { "==", "<", "<=", NULL };
	for (size_t i = 0; ops[i]; i++) {
		struct strbuf text = STRBUF_INIT, want = STRBUF_INIT;

		strbuf_addf(&text, "[cgroup g]\nversion = 1\n[step s]\nwait = cgroup g memory.failcnt %s 1K\n"
			    "[expect]\noom.count == 0\n", ops[i]);
		parse_ok(&c, text.buf);
		assert_int_equal(plan_build(&c, &plan, &err), 0);
		strbuf_addf(&want, "arm s cgroup g memory.failcnt - %s 1024\nwait s 30000\n", ops[i]);
		assert_non_null(strstr(plan.buf, want.buf));
		case_release(&c);
		strbuf_reset(&plan);
		strbuf_release(&text);
		strbuf_release(&want);
	}
	strbuf_release(&plan);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_v1_steps),
		cmocka_unit_test(test_plan_refuses_mixed_versions),
		cmocka_unit_test(test_plan_waits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
