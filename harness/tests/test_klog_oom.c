/* Tests for klog/oom: reports without a header, a victim already exiting. */
#include "klog_test_util.h"

/* ---- odd report shapes ---- */

static void test_headerless_and_exiting(void **state)
{
	struct facts f = FACTS_INIT;

	(void)state;
	/* ratelimited: kill lines with no header; each is its own event */
	facts_of_str("Out of memory: Killed process 10 (a) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:5 pgtables:0kB oom_score_adj:3\n"
		     "oom_reaper: reaped process 10 (a), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n"
		     "Memory cgroup out of memory: Killed process 11 (b) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:5 pgtables:0kB oom_score_adj:3\n",
		     &f);
	expect(&f, "oom.count", "2");
	expect(&f, "oom.1.invoker", NULL);
	expect(&f, "oom.1.victim.pid", "10");
	expect(&f, "oom.1.victim.uid", "5");
	expect(&f, "oom.1.reaped", "1");
	expect(&f, "oom.1.partial", "0");
	expect(&f, "oom.2.victim.pid", "11");
	expect(&f, "oom.2.reaped", "0");
	expect(&f, "oom.2.kill_kind", "memcg");
	facts_release(&f);

	/* 5.9+: the chosen victim is already exiting; 3.x sharing mm */
	facts_of_str("a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		     "Memory cgroup out of memory: OOM victim 5 (b) is already exiting. Skip killing the task\n"
		     "c invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0\n"
		     "Out of memory: Kill process 6 (d) score 900 or sacrifice child\n"
		     "Killed process 6 (d) total-vm:4kB, anon-rss:4kB, file-rss:0kB\n"
		     "Kill process 8 (e) sharing same memory\n"
		     "oom_reaper: unable to reap pid:6 (d)\n",
		     &f);
	expect(&f, "oom.count", "2");
	expect(&f, "oom.1.victim_exiting", "5");
	expect(&f, "oom.1.kills", "0");
	expect(&f, "oom.1.partial", "0");
	expect(&f, "oom.2.kills", "2");
	expect(&f, "oom.2.victim.pid", "6");
	expect(&f, "oom.2.victim.score", "900");
	expect(&f, "oom.2.kill.2.pid", "8");
	expect(&f, "oom.2.reaped", "0");
	facts_release(&f);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headerless_and_exiting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
