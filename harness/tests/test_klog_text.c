/* Tests for klog/text: the human summary names what matters. */
#include "klog_test_util.h"

/* ---- the human summary names what matters ---- */

static void test_text_summary(void **state)
{
	struct strbuf log = STRBUF_INIT, text = STRBUF_INIT;
	struct klog *k;

	(void)state;
	read_fixture("guest-6.1-serial.log", &log);
	k = parse_chunked(log.buf, log.len, 0);
	klog_to_text(k, &text);
	klog_free(k);
	assert_non_null(strstr(text.buf, "OOM event 1 of 2"));
	assert_non_null(strstr(text.buf, "oomtest-init (pid 58)"));
	assert_non_null(strstr(text.buf, "killed: hog (pid 57"));
	assert_non_null(strstr(text.buf, "anon-rss 384 kB"));
	assert_non_null(strstr(text.buf, "memcg /hog"));
	assert_non_null(strstr(text.buf, "buddy Node 0 DMA32: 628 kB free"));
	strbuf_reset(&text);
	k = parse_chunked("nothing here\n", 13, 0);
	klog_to_text(k, &text);
	klog_free(k);
	assert_non_null(strstr(text.buf, "No OOM events"));
	strbuf_release(&text);
	strbuf_release(&log);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_summary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
