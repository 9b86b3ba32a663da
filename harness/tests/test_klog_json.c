/* Tests for klog/json: valid JSON whatever the bytes. */
#include "klog_test_util.h"

/* ---- JSON stays valid whatever the bytes ---- */

static void test_json_escaping(void **state)
{
	struct strbuf log = STRBUF_INIT, json = STRBUF_INIT;
	struct klog *k;

	(void)state;
	strbuf_addstr(&log, "[    1.0] a\"b\\c\x01\x7f invoked oom-killer: gfp_mask=0xcc0(GFP_\xff\xfe), order=0, oom_score_adj=0\n");
	strbuf_addstr(&log, "Out of memory: Killed process 1 (\t\x1b[31m\xc3(\") total-vm:1kB, anon-rss:1kB, file-rss:0kB\n");
	strbuf_addstr(&log, "Kernel panic - not syncing: \x02\x03\xe2\x82\n");
	strbuf_add(&log, "x\0y invoked oom-killer: gfp_mask=0x1, order=0, oom_score_adj=0\n", 60);
	k = parse_chunked(log.buf, log.len, 0);
	klog_to_json(k, &json);
	expect_valid_json(&json);
	assert_int_equal(klog_oom_count(k), 2);	/* the kill line ends the first */
	klog_free(k);
	strbuf_release(&json);
	strbuf_release(&log);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escaping),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
