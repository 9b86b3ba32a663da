/* Tests for klog/panic: panics, no killable processes, allocation
 * failures, oops/BUG/WARNING, watchdogs. */
#include "klog_test_util.h"

/* ---- panics ---- */

static void test_panic_on_oom(void **state)
{
	static const char *const reasons[] = {
		"Out of memory: system-wide panic_on_oom is enabled",
		"Out of memory: compulsory panic_on_oom is enabled",
	};

	(void)state;
	for (size_t r = 0; r < 2; r++) {
		struct strbuf log = STRBUF_INIT;
		struct facts f = FACTS_INIT;

		/* panic_on_oom: dump_header, then panic; no victim */
		build_log(&log, mini_report(), 9, "[    5.%06d] ", "\r\n");
		strbuf_addf(&log, "[    5.100000] Kernel panic - not syncing: %s\r\n", reasons[r]);
		strbuf_addstr(&log, "[    5.100001] CPU: 1 PID: 4242 Comm: stress Not tainted 6.1.0-26-amd64 #1\r\n");
		strbuf_addf(&log, "[    5.100009] ---[ end Kernel panic - not syncing: %s ]---\r\n", reasons[r]);
		facts_of(log.buf, log.len, 0, &f);
		expect(&f, "oom.count", "1");
		expect(&f, "panic", "1");
		expect(&f, "panic.oom", "1");
		expect(&f, "panic.count", "1");
		expect(&f, "panic.reason", reasons[r]);
		expect(&f, "oom.1.panic", "1");
		expect(&f, "oom.1.partial", "0");
		expect(&f, "oom.1.kills", "0");
		expect(&f, "oom.1.victim.pid", NULL);
		expect(&f, "oom.1.invoker", "stress");
		expect(&f, "oom.no_killable", "0");
		facts_release(&f);
		strbuf_release(&log);
	}
}

static void test_no_killable_panic(void **state)
{
	struct facts f = FACTS_INIT;

	(void)state;
	/* 4.19+: a warning, then "System is deadlocked on memory" */
	facts_of_str("[    2.000000] oomtest-init invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		     "[    2.000001] CPU: 0 PID: 1 Comm: oomtest-init Not tainted 6.1.0-26-amd64 #1\n"
		     "[    2.000002] Mem-Info:\n"
		     "[    2.000003] Tasks state (memory values in pages):\n"
		     "[    2.000004] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
		     "[    2.000005] Out of memory and no killable processes...\n"
		     "[    2.000006] Kernel panic - not syncing: System is deadlocked on memory\n"
		     "[    2.000007] ---[ end Kernel panic - not syncing: System is deadlocked on memory ]---\n",
		     &f);
	expect(&f, "oom.count", "1");
	expect(&f, "oom.no_killable", "1");
	expect(&f, "oom.1.no_killable", "1");
	expect(&f, "oom.1.panic", "1");
	expect(&f, "oom.1.partial", "0");
	expect(&f, "oom.1.kills", "0");
	expect(&f, "oom.1.invoker_pid", "1");
	expect(&f, "oom.1.tasks", "0");
	expect(&f, "panic", "1");
	expect(&f, "panic.oom", "1");
	expect(&f, "panic.reason", "System is deadlocked on memory");
	facts_release(&f);

	/* 4.4-4.18: the panic itself says it */
	facts_of_str("init invoked oom-killer: gfp_mask=0x24200ca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0\n"
		     "Kernel panic - not syncing: Out of memory and no killable processes...\n"
		     "\n",
		     &f);
	expect(&f, "oom.no_killable", "1");
	expect(&f, "panic.oom", "1");
	expect(&f, "panic.reason", "Out of memory and no killable processes...");
	expect(&f, "oom.1.partial", "0");
	facts_release(&f);

	/* memcg OOM without a victim: no panic */
	facts_of_str("hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=-1000\n"
		     "memory: usage 512kB, limit 512kB, failcnt 9\n"
		     "Out of memory and no killable processes...\n",
		     &f);
	expect(&f, "oom.no_killable", "1");
	expect(&f, "panic", "0");
	expect(&f, "panic.oom", "0");
	expect(&f, "panic.reason", NULL);
	expect(&f, "oom.1.memcg_failcnt", "9");
	expect(&f, "oom.1.oom_score_adj", "-1000");
	facts_release(&f);

	/* a panic that has nothing to do with memory */
	facts_of_str("[    1.0] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\n", &f);
	expect(&f, "panic", "1");
	expect(&f, "panic.oom", "0");
	expect(&f, "panic.reason", "VFS: Unable to mount root fs on unknown-block(0,0)");
	expect(&f, "oom.count", "0");
	facts_release(&f);
}

/* ---- allocation failures ---- */

static void test_alloc_failure(void **state)
{
	struct facts f = FACTS_INIT;

	(void)state;
	facts_of_str("[   12.000000] kworker/u2:1: page allocation failure: order:4, mode:0x40cc0(GFP_KERNEL|__GFP_COMP), nodemask=(null),cpuset=/,mems_allowed=0\n"
		     "[   12.000001] CPU: 0 PID: 33 Comm: kworker/u2:1 Not tainted 6.1.0-26-amd64 #1\n"
		     "[   12.000002] Call Trace:\n"
		     "[   12.000003] Mem-Info:\n"
		     "[   12.000004] active_anon:1 inactive_anon:2 isolated_anon:0\n"
		     "[   12.000005] Node 0 DMA32: 1*4kB (U) 0*8kB 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 4kB\n"
		     "[   13.000000] insmod: page allocation failure: order:10, mode:0xd0\n"
		     "sh: page allocation failure. order:1, mode:0x20\n",
		     &f);
	expect(&f, "oom.count", "0");
	expect(&f, "alloc_failure.count", "3");
	expect(&f, "alloc_failure.1.comm", "kworker/u2:1");
	expect(&f, "alloc_failure.1.order", "4");
	expect(&f, "alloc_failure.1.gfp_mask", "0x40cc0");
	expect(&f, "alloc_failure.1.gfp_flags", "GFP_KERNEL|__GFP_COMP");
	expect(&f, "alloc_failure.2.comm", "insmod");
	expect(&f, "alloc_failure.2.order", "10");
	expect(&f, "alloc_failure.2.gfp_mask", "0xd0");
	expect(&f, "alloc_failure.3.comm", "sh");
	expect(&f, "alloc_failure.3.order", "1");
	facts_release(&f);
}

/* ---- oops, BUG, WARNING ---- */

static void test_oops_bug_warning(void **state)
{
	struct facts f = FACTS_INIT;

	(void)state;
	facts_of_str("[    3.0] ------------[ cut here ]------------\n"
		     "[    3.1] WARNING: CPU: 0 PID: 1 at mm/page_alloc.c:5534 __alloc_pages+0x2b1/0x2f0\n"
		     "[    3.2] BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
		     "[    3.3] #PF: supervisor read access in kernel mode\n"
		     "[    3.4] Oops: 0000 [#1] PREEMPT SMP NOPTI\n"
		     "[    3.5] kernel BUG at mm/slub.c:321!\n"
		     "[    3.6] invalid opcode: 0000 [#2] PREEMPT SMP NOPTI\n"
		     "[    3.7] general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#3] SMP\n"
		     "[    3.8] Internal error: Oops: 805 [#4] PREEMPT ARM\n"
		     "[    3.9] WARNING: at kernel/foo.c:12 foo()\n"
		     "[    4.0] ---[ end trace 0000000000000000 ]---\n"
		     "[    4.1] usb 1-1: hub #1 [#2] is fine\n"
		     "Jan  1 00:00:00 host app[3]: Oops: 0000 [#1] SMP\n",
		     &f);
	expect(&f, "oops.count", "4");
	expect(&f, "bug.count", "2");
	expect(&f, "warning.count", "2");
	expect(&f, "oom.count", "0");
	expect(&f, "panic", "0");
	facts_release(&f);
}

/* ---- watchdogs: lockups, hung tasks, RCU stalls, old and new prefixes ---- */

static void test_watchdogs(void **state)
{
	struct facts f = FACTS_INIT;

	(void)state;
	facts_of_str("[   48.1] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [hog:93]\n"
		     "[   49.0] NMI watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [kswapd0:40]\n"
		     "[   50.0] NMI watchdog: Watchdog detected hard LOCKUP on cpu 1\n"
		     "[   50.1] Watchdog detected hard LOCKUP on cpu 0\n"
		     "[  242.0] INFO: task kworker/0:1:12 blocked for more than 120 seconds.\n"
		     "[  242.1]       Not tainted 6.1.0-50-amd64 #1 Debian 6.1.176-1\n"
		     "[  242.2] \"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.\n"
		     "[  300.0] rcu: INFO: rcu_preempt self-detected stall on CPU\n"
		     "[  301.0] INFO: rcu_sched detected stalls on CPUs/tasks:\n"
		     "[  302.0] INFO: task list is long\n"
		     "[  303.0] watchdog: enabled\n",
		     &f);
	expect(&f, "lockup.soft.count", "2");
	expect(&f, "lockup.hard.count", "2");
	expect(&f, "hung_task.count", "1");
	expect(&f, "rcu_stall.count", "2");
	expect(&f, "bug.count", "0");
	expect(&f, "oops.count", "0");
	facts_release(&f);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_panic_on_oom),
		cmocka_unit_test(test_no_killable_panic),
		cmocka_unit_test(test_alloc_failure),
		cmocka_unit_test(test_oops_bug_warning),
		cmocka_unit_test(test_watchdogs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
