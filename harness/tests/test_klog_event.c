/* Tests for klog/event: cut-off reports kept as partial, several events,
 * the event cap and the detail budget. */
#include "klog_test_util.h"

/* ---- a cut-off report is kept and marked partial ---- */

static void test_truncated(void **state)
{
	struct strbuf log = STRBUF_INIT;
	struct facts f = FACTS_INIT;
	const char *cut;

	(void)state;
	read_fixture("guest-6.1-serial.log", &log);
	/* stop in the middle of the first buddy line, no newline at the end */
	cut = strstr(log.buf, "Node 0 DMA: 2*4kB (U) 1*8kB");
	assert_non_null(cut);
	facts_of(log.buf, (size_t)(cut - log.buf) + 22, 0, &f);
	expect(&f, "oom.count", "1");
	expect(&f, "oom.1.partial", "1");
	expect(&f, "oom.last.partial", "1");
	expect(&f, "oom.1.invoker", "oomtest-init");
	expect(&f, "oom.1.invoker_pid", "58");
	expect(&f, "oom.1.gfp_mask", "0xcc0");
	expect(&f, "oom.1.free_pages", "201");
	expect(&f, "oom.1.zone.DMA32.free_kb", "628");
	expect(&f, "oom.1.buddy.DMA.order0", "2");	/* the flushed last line */
	expect(&f, "oom.1.buddy.DMA.total_kb", NULL);
	expect(&f, "oom.1.kills", "0");
	expect(&f, "oom.1.victim.pid", NULL);
	facts_release(&f);

	/* cut right after the header line */
	cut = strstr(log.buf, "[    2.345690] CPU:");
	facts_of(log.buf, (size_t)(cut - log.buf), 0, &f);
	expect(&f, "oom.count", "1");
	expect(&f, "oom.1.partial", "1");
	expect(&f, "oom.1.invoker", "oomtest-init");
	expect(&f, "oom.1.order", "0");
	facts_release(&f);

	/* a new report starts before the last one ended */
	facts_of_str("a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		     "Mem-Info:\n"
		     "b invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=1, oom_score_adj=0\n"
		     "Out of memory: Killed process 9 (b) total-vm:8kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n",
		     &f);
	expect(&f, "oom.count", "2");
	expect(&f, "oom.1.partial", "1");
	expect(&f, "oom.1.kills", "0");
	expect(&f, "oom.2.partial", "0");
	expect(&f, "oom.2.victim.pid", "9");
	expect(&f, "oom.2.order", "1");
	facts_release(&f);
	strbuf_release(&log);
}


/* ---- several events ---- */

static void test_two_events(void **state)
{
	struct strbuf log = STRBUF_INIT;
	struct facts f = FACTS_INIT;

	(void)state;
	build_log(&log, mini_report(), NMINI, "[%5d.000001] ", "\n");
	strbuf_addstr(&log, "[  100.000000] oom_trigger: second round\n");
	build_log(&log, mini_report(), NMINI, "[%5d.000002] ", "\n");
	facts_of(log.buf, log.len, 0, &f);
	expect(&f, "oom.count", "2");
	expect_mini(&f, "1");
	expect_mini(&f, "2");
	expect_mini(&f, "last");
	expect(&f, "oom.1.time", "0.000001");
	expect(&f, "oom.2.time", "0.000002");
	expect(&f, "oom.3.invoker", NULL);
	facts_release(&f);
	strbuf_release(&log);
}

/* ---- many events: the first KLOG_MAX_EVENTS - 1 and the latest are kept ---- */

static void test_many_events(void **state)
{
	struct strbuf log = STRBUF_INIT, json = STRBUF_INIT, text = STRBUF_INIT;
	struct klog *k;
	char want[64];

	(void)state;
	for (int i = 0; i < KLOG_MAX_EVENTS + 500; i++) {
		strbuf_addf(&log, "[%5d.000000] p%d invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n", i, i);
		strbuf_addf(&log, "[%5d.000001] Out of memory: Killed process %d (v%d) total-vm:8kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n", i, 1000 + i, i);
	}
	k = parse_chunked(log.buf, log.len, 4096);
	assert_int_equal(klog_oom_count(k), KLOG_MAX_EVENTS + 500);
	klog_to_json(k, &json);
	klog_to_text(k, &text);
	expect_valid_json(&json);
	snprintf(want, sizeof(want), "\"oom_events_dropped\":%d", 500);
	assert_non_null(strstr(json.buf, want));
	snprintf(want, sizeof(want), "\"index\":%d,", KLOG_MAX_EVENTS - 1);
	assert_non_null(strstr(json.buf, want));
	snprintf(want, sizeof(want), "\"index\":%d,", KLOG_MAX_EVENTS);
	assert_null(strstr(json.buf, want));
	snprintf(want, sizeof(want), "\"index\":%d,", KLOG_MAX_EVENTS + 500);
	assert_non_null(strstr(json.buf, want));
	snprintf(want, sizeof(want), "\"comm\":\"v%d\"", KLOG_MAX_EVENTS + 499);
	assert_non_null(strstr(json.buf, want));
	assert_non_null(strstr(text.buf, "the first 999 and the last are shown"));
	klog_free(k);
	strbuf_release(&text);
	strbuf_release(&json);
	strbuf_release(&log);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_two_events),
		cmocka_unit_test(test_many_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
