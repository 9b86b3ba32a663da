/* Tests for klog/feed: chunking, line endings, overlong lines, pr_cont
 * rejoining, escaped newlines, text that quotes the kernel. */
#include "klog_test_util.h"

/* ---- chunking: byte by byte, odd sizes, all at once: same result ---- */

static void test_chunking(void **state)
{
	static const size_t chunks[] = { 1, 2, 3, 7, 64, 4093 };
	size_t nfixtures;
	const char *const *fixtures = fixture_list(&nfixtures);

	(void)state;
	for (size_t i = 0; i < nfixtures; i++) {
		struct strbuf log = STRBUF_INIT, ja = STRBUF_INIT;
		struct facts fa = FACTS_INIT;
		struct klog *k;

		read_fixture(fixtures[i], &log);
		k = parse_chunked(log.buf, log.len, 0);
		klog_add_facts(k, &fa);
		klog_to_json(k, &ja);
		klog_free(k);
		for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
			struct strbuf jb = STRBUF_INIT;
			struct facts fb = FACTS_INIT;

			k = parse_chunked(log.buf, log.len, chunks[c]);
			klog_add_facts(k, &fb);
			klog_to_json(k, &jb);
			klog_free(k);
			expect_same_facts(&fa, &fb, false);
			if (strcmp(ja.buf, jb.buf))
				fail_msg("%s: JSON differs with %zu-byte chunks", fixtures[i], chunks[c]);
			facts_release(&fb);
			strbuf_release(&jb);
		}
		facts_release(&fa);
		strbuf_release(&ja);
		strbuf_release(&log);
	}
}

/* ---- line endings ---- */

static void replace_eol(const struct strbuf *in, struct strbuf *out, const char *eol)
{
	for (size_t i = 0; i < in->len; i++) {
		if (in->buf[i] == '\n')
			strbuf_addstr(out, eol);
		else if (in->buf[i] != '\r')
			strbuf_addch(out, in->buf[i]);
	}
}

static void test_crlf(void **state)
{
	static const char *const eols[] = { "\r\n", "\r\r\n", "\n" };
	static const char *const logs[] = {
		"01-archlinux-6.1-global-doxygen.log",
		"08-aks-5.15-memcg-v2-kubepods-oomgroup.log",
		"guest-6.1-serial.log",
	};

	(void)state;
	for (size_t l = 0; l < sizeof(logs) / sizeof(logs[0]); l++) {
		struct strbuf log = STRBUF_INIT, lf = STRBUF_INIT;
		struct facts fa = FACTS_INIT;

		read_fixture(logs[l], &log);
		replace_eol(&log, &lf, "\n");
		facts_of(lf.buf, lf.len, 0, &fa);
		for (size_t e = 0; e < sizeof(eols) / sizeof(eols[0]); e++) {
			struct strbuf x = STRBUF_INIT;
			struct facts fb = FACTS_INIT;

			replace_eol(&log, &x, eols[e]);
			facts_of(x.buf, x.len, 5, &fb);
			expect_same_facts(&fa, &fb, false);
			check_golden(&fb, logs[l]);
			facts_release(&fb);
			strbuf_release(&x);
		}
		facts_release(&fa);
		strbuf_release(&lf);
		strbuf_release(&log);
	}
}


/* ---- an overlong line is cut, counted, and parsing goes on ---- */

static void test_overlong_line(void **state)
{
	struct strbuf log = STRBUF_INIT, big = STRBUF_INIT, json = STRBUF_INIT;
	struct facts fa = FACTS_INIT, fb = FACTS_INIT;
	const char *at;
	struct klog *k;

	(void)state;
	read_fixture("guest-6.1-serial.log", &log);
	facts_of(log.buf, log.len, 0, &fa);
	/* 1 MiB of junk as one line inside the first report's task table, and
	 * 200 KiB with no newline at the very end */
	at = strstr(log.buf, "[    2.345760] [     57]");
	assert_non_null(at);
	strbuf_add(&big, log.buf, (size_t)(at - log.buf));
	for (int i = 0; i < 1024 * 1024; i++)
		strbuf_addch(&big, (char)('A' + i % 26));
	strbuf_addstr(&big, "\r\n");
	strbuf_addstr(&big, at);
	for (int i = 0; i < 200 * 1024; i++)
		strbuf_addch(&big, 'x');
	for (size_t chunk = 0; chunk <= 4096; chunk += 4096) {
		k = parse_chunked(big.buf, big.len, chunk);
		klog_add_facts(k, &fb);
		strbuf_reset(&json);
		klog_to_json(k, &json);
		klog_free(k);
		assert_non_null(strstr(json.buf, "\"overlong_lines\":2"));
		expect_valid_json(&json);
		expect(&fb, "oom.count", "2");
		expect(&fb, "oom.1.victim.pid", "57");
		expect(&fb, "oom.1.tasks", "2");
		expect(&fb, "oom.1.partial", "0");
		expect(&fb, "oom.2.victim.pid", "63");
		expect(&fb, "oom.2.memcg_failcnt", "37");
		expect(&fb, "oom.1.buddy.DMA32.total_kb", "628");
		facts_release(&fb);
	}
	/* a kill line that goes on forever is still read */
	strbuf_reset(&big);
	strbuf_addstr(&big, "Out of memory: Killed process 77 (big) total-vm:8kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0");
	for (int i = 0; i < 100000; i++)
		strbuf_addstr(&big, " junk");
	strbuf_addstr(&big, "\nOut of memory: Killed process 78 (next) total-vm:8kB, anon-rss:4kB, file-rss:0kB\n");
	facts_of(big.buf, big.len, 1000, &fb);
	expect(&fb, "oom.count", "2");
	expect(&fb, "oom.1.victim.pid", "77");
	expect(&fb, "oom.1.victim.oom_score_adj", "0");
	expect(&fb, "oom.2.victim.pid", "78");
	expect(&fb, "oom.2.victim.shmem_rss_kb", NULL);
	facts_release(&fb);
	facts_release(&fa);
	strbuf_release(&json);
	strbuf_release(&big);
	strbuf_release(&log);
}

/* ---- text that quotes the kernel is not the kernel ---- */

static void test_quoted_kernel_text(void **state)
{
	struct facts f = FACTS_INIT;

	(void)state;
	facts_of_str("May 19 18:14:43 node node-problem-detector-startup.sh[4208]: I0519 18:14:43.767687 4208 log_monitor.go:159] New status generated: Reason:OOMKilling Message:Memory cgroup out of memory: Killed process 7788 (bash) total-vm:7169492kB, anon-rss:7165824kB, file-rss:956kB, shmem-rss:0kB, UID:0 pgtables:14076kB oom_score_adj:1000\n"
		     "May 19 18:14:44 node systemd[1]: Killed process 12 (x) total-vm:1kB, anon-rss:1kB, file-rss:0kB\n"
		     "May 19 18:14:45 node oomd[7]: bash invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		     "May 19 18:14:45 node logger: Out of memory: Killed process 1 (init) total-vm:1kB, anon-rss:1kB, file-rss:0kB\n"
		     "May 19 18:14:46 oomd[7]: Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled\n"
		     "2025-05-19T18:14:47.000000+00:00 node alertd[9]: Out of memory: Killed process 2 (y) total-vm:1kB, anon-rss:1kB, file-rss:0kB\n"
		     "2025-05-19T18:14:47+0000 node kubelet[11]: oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),task=z,pid=3,uid=0\n"
		     "I0519 18:14:43.767687 4208 log_monitor.go:159] Memory cgroup out of memory: Killed process 7788 (bash)\n"
		     "[    9.000000] audit: comm=\"sh\" msg='Out of memory: Killed process 5 (sh)'\n"
		     "[    9.000001] oom_trigger: ran; Killed process count 0; sh invoked oom-killer: nothing\n"
		     "[    9.000002] some very long command name invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n",
		     &f);
	expect(&f, "oom.count", "0");
	expect(&f, "panic", "0");
	facts_release(&f);
}

/* ---- pr_cont: lines the console split ---- */

static void test_pr_cont_fragments(void **state)
{
	struct facts f = FACTS_INIT;

	(void)state;
	/* 4.11-4.14 print the header's nodemask with pr_cont */
	facts_of_str("[    1.0] a.out invoked oom-killer: gfp_mask=0x14280ca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO), nodemask=\n"
		     "[    1.0] (null),  order=0, oom_score_adj=0\n"
		     "[    1.1] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/a,task_memcg=/a/b\n"
		     "[    1.1] ,task=a.out,pid=99,uid=0\n"
		     "[    1.2] Node 0 DMA32: 1*4kB (U) 2*8kB (M) 0*16kB 0*32kB \n"
		     "[    1.2] 0*64kB 0*128kB 1*256kB = 276kB\n"
		     "[    1.3] Memory cgroup out of memory: Killed process 99 (a.out) total-vm:10kB, anon-rss:8kB, file-rss:0kB, shmem-rss:0kB\n",
		     &f);
	expect(&f, "oom.count", "1");
	expect(&f, "oom.1.invoker", "a.out");
	expect(&f, "oom.1.gfp_mask", "0x14280ca");
	expect(&f, "oom.1.order", "0");
	expect(&f, "oom.1.oom_score_adj", "0");
	expect(&f, "oom.1.constraint", "CONSTRAINT_MEMCG");
	expect(&f, "oom.1.memcg", "/a");
	expect(&f, "oom.1.task_memcg", "/a/b");
	expect(&f, "oom.1.victim.uid", "0");
	expect(&f, "oom.1.victim.pid", "99");
	facts_release(&f);

	/* 4.9-4.10 nodemask on one line, commas in lists and cgroup names */
	facts_of_str("x invoked oom-killer: gfp_mask=0x24201ca(GFP_HIGHUSER_MOVABLE|__GFP_COLD), nodemask=0-1,3, order=2, oom_score_adj=-17\n"
		     "oom-kill:constraint=CONSTRAINT_MEMORY_POLICY,nodemask=0-1,3,cpuset=a,b,mems_allowed=0-3,global_oom,task_memcg=/we,ird,task=x,y,pid=7,uid=-1\n"
		     "Out of memory (oom_kill_allocating_task): Killed process 7 (x,y) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:-17\n",
		     &f);
	expect(&f, "oom.1.order", "2");
	expect(&f, "oom.1.oom_score_adj", "-17");
	expect(&f, "oom.1.nodemask", "0-1,3");
	expect(&f, "oom.1.cpuset", "a,b");
	expect(&f, "oom.1.mems_allowed", "0-3");
	expect(&f, "oom.1.constraint", "CONSTRAINT_MEMORY_POLICY");
	expect(&f, "oom.1.task_memcg", "/we,ird");
	expect(&f, "oom.1.memcg", NULL);
	expect(&f, "oom.1.victim.comm", "x,y");
	expect(&f, "oom.1.kill_kind", "allocating_task");
	facts_release(&f);
}


/* ---- kernel 6.8+ task table, 6.12 CPU line, rsyslog #012, kmsg \x0a ---- */

static void test_newer_and_escaped_forms(void **state)
{
	struct facts f = FACTS_INIT;
	struct strbuf json = STRBUF_INIT;
	struct klog *k;
	const char *log =
		"4,100,5000,-;hog invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0\n"
		"4,101,5001,-;CPU: 2 UID: 0 PID: 77 Comm: hog Not tainted 6.12.9-amd64 #1 Debian 6.12.9-1\n"
		"4,102,5002,-;Mem-Info:\n"
		"4,103,5003,-;active_anon:1 inactive_anon:2 isolated_anon:0\\x0a active_file:3 inactive_file:4 isolated_file:0\\x0a free:55 free_pcp:0 free_cma:0\n"
		" SUBSYSTEM=memory\n"
		"6,104,5004,-;Tasks state (memory values in pages):\n"
		"6,105,5005,-;[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name\n"
		"6,106,5006,-;[     77]     0    77     1000      500      400      100        0    40960        0             0 hog\n"
		"6,107,5007,-;[     78]     0    78     1000      500      400      100        0    40960        0          -500 12 monkeys\n"
		"3,108,5008,-;Out of memory: Killed process 77 (hog) total-vm:4000kB, anon-rss:1600kB, file-rss:400kB, shmem-rss:0kB, UID:0 pgtables:40kB oom_score_adj:0\n";

	(void)state;
	k = parse_chunked(log, strlen(log), 0);
	klog_add_facts(k, &f);
	klog_to_json(k, &json);
	klog_free(k);
	expect_valid_json(&json);
	expect(&f, "oom.1.invoker_pid", "77");
	expect(&f, "oom.1.free_pages", "55");
	expect(&f, "oom.1.tasks", "2");
	expect(&f, "oom.1.victim.file_rss_kb", "400");
	assert_non_null(strstr(json.buf, "\"rss_shmem\""));
	assert_non_null(strstr(json.buf, "\"12 monkeys\""));
	assert_non_null(strstr(json.buf, "\"inactive_file\":4"));
	facts_release(&f);
	strbuf_release(&json);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chunking),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_overlong_line),
		cmocka_unit_test(test_quoted_kernel_text),
		cmocka_unit_test(test_pr_cont_fragments),
		cmocka_unit_test(test_newer_and_escaped_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
