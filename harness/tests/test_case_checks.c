/* test_case_checks: the checks after the last line: references between
 * sections (wait conditions' too), keys that need others. Run from
 * harness/tests. */
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

#define HOG "[cgroup hog]\nversion = 2\n[step hog]\nrun = hog\ncgroup = hog\nbackground = yes\n"

/* What a wait names and needs, checked once the whole file is read. */
static void test_wait_references(void **state)
{
	struct oomcase c;

	(void)state;
	/* a cgroup defined after the step whose wait names it; a step that
	 * only waits does something; wait_max up to the case's timeout */
	parses("[step hog]\nrun = hog\nbackground = yes\ncgroup = late\n"
	       "[step look]\nwait = cgroup late memory.events.high > 0\nwait_max = 90s\n"
	       "[step gone]\nwait = oom_kill late\n"
	       "[cgroup late]\nversion = 2\n[case]\ntimeout = 90s\n" EXPECT, &c);
	assert_int_equal(c.steps[1].wait->max_ms, 90000);
	assert_int_equal(c.steps[2].wait->max_ms, CASE_WAIT_MAX_MS);
	assert_string_equal(c.steps[2].wait->group, "late");
	case_release(&c);
	/* exit: this background step, or an earlier one, run or module */
	parses("[step m]\nmodule = oom_trigger\nbackground = yes\nwait = exit\n"
	       "[step w]\nwait = exit m\n" EXPECT, &c);
	assert_string_equal(c.steps[0].wait->step, "m");
	assert_string_equal(c.steps[1].wait->step, "m");
	case_release(&c);

	fails_with(HOG "[step a]\nwait = exit nope\n" EXPECT,
		   "t.case:8: wait 'exit nope' names no [step nope]\n");
	fails_with("[step a]\nwait = exit b\n[step b]\nrun = hog\nbackground = yes\n" EXPECT,
		   "t.case:2: wait 'exit b' names a later step (allowed: this step or an earlier one)\n");
	fails_with("[step a]\nwrite = /proc/sys/vm/drop_caches 3\n[step b]\nwait = exit a\n" EXPECT,
		   "t.case:4: wait 'exit a' names a step with no run or module\n");
	fails_with("[step a]\nwrite = /proc/sys/vm/drop_caches 3\nwait = exit\n" EXPECT,
		   "t.case:3: wait 'exit': [step a] starts nothing to wait for (allowed: exit STEP, "
		   "naming a step with background = yes)\n");
	fails_with("[step a]\nrun = hog\nwait = exit\n" EXPECT,
		   "t.case:3: wait 'exit': [step a] is not in the background, and a foreground step is "
		   "already waited for (allowed: a step with background = yes)\n");
	fails_with("[step a]\nrun = hog\nbackground = no\n[step b]\nwait = exit a\n" EXPECT,
		   "t.case:5: wait 'exit a': [step a] is not in the background, and a foreground step is "
		   "already waited for (allowed: a step with background = yes)\n");
	fails_with("[step a]\nwait = output \"chunk 1\"\n" EXPECT,
		   "t.case:2: wait 'output \"chunk 1\"' in [step a] needs run or module (the output it "
		   "watches is this step's)\n");
	fails_with(HOG "[step a]\nwait = oom_kill nope\n" EXPECT,
		   "t.case:8: wait 'oom_kill nope' names no [cgroup nope] (defined: hog)\n");
	fails_with("[step a]\nwait = cgroup nope memory.current > 1\n" EXPECT,
		   "t.case:2: wait 'cgroup nope memory.current > 1' names no [cgroup nope] (defined: none)\n");
	/* wait_max needs wait, and stays within the case's timeout */
	fails_with(HOG "wait_max = 5s\n" EXPECT,
		   "t.case:7: 'wait_max' in [step hog] needs wait\n");
	fails_with(HOG "wait = exit\nwait_max = 61s\n" EXPECT,
		   "t.case:8: 'wait_max' 61s in [step hog] is over the case's timeout 60s\n");
	fails_with("[case]\ntimeout = 1500ms\n" HOG "wait = exit\nwait_max = 2s\n" EXPECT,
		   "t.case:10: 'wait_max' 2s in [step hog] is over the case's timeout 1500ms\n");
	/* sleep or wait, not both: said at the second of them */
	fails_with(HOG "sleep = 1s\nwait = exit\n" EXPECT,
		   "t.case:8: [step hog] has both sleep and wait (allowed: one of them)\n");
	fails_with(HOG "wait = exit\nsleep = 1s\n" EXPECT,
		   "t.case:8: [step hog] has both sleep and wait (allowed: one of them)\n");
	/* every error of a file at once, in line order */
	fails_with("[step a]\nwait = exit z\nwait_max = 2m\n[step b]\nwait_max = 1s\nsleep = 1s\n" EXPECT,
		   "t.case:2: wait 'exit z' names no [step z]\n"
		   "t.case:3: 'wait_max' 120s in [step a] is over the case's timeout 60s\n"
		   "t.case:5: 'wait_max' in [step b] needs wait\n");
}

/* hog --kind file needs the case's disk, or a --dir of its own */
static void test_hog_file_needs_disk(void **state)
{
	struct oomcase c;

	(void)state;
	fails_with("[case]\nmemory = 64M\n[step r]\nrun = hog --kind file --max 8M\n" EXPECT,
		   "t.case:4: hog --kind file writes to /mnt/disk: the case needs 'disk = SIZE' in [case] "
		   "(or give the hog --dir)\n");
	/* the disk may come after the step */
	parses("[step r]\nrun = hog --kind file --max 8M\n[case]\ndisk = 64M\n" EXPECT, &c);
	case_release(&c);
	parses("[step r]\nrun = hog --kind file --dir /tmp --max 8M\n" EXPECT, &c);
	case_release(&c);
	parses("[step r]\nrun = hog --kind shmem --max 8M\n" EXPECT, &c);
	case_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_wait_references),
		cmocka_unit_test(test_hog_file_needs_disk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
