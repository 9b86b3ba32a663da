/* Tests for klog/prefix: the same report behind every prefix style. */
#include "klog_test_util.h"

/* ---- the same report behind every prefix style ---- */

static void test_prefix_forms(void **state)
{
	static const char *const prefixes[] = {
		"[%5d.123456] ",				/* serial console */
		"<4>[%5d.123456] ",				/* /proc/kmsg */
		"[%5d.123456][ T4242] ",			/* printk caller id */
		"[%5d.123456][    C1] ",
		"[Tue Aug 12 03:54:%02d 2025] ",		/* dmesg -T */
		"[Di Aug 12 03:54:%02d 2025] ",			/* dmesg -T, German */
		"[mar. ao\xc3\xbb 12 03:54:%02d 2025] ",	/* dmesg -T, French */
		"Aug 12 03:54:%02d host kernel: ",		/* journalctl -k */
		"Aug  2 03:54:%02d.123456 host kernel: ",	/* journalctl -o short-precise */
		"Aug 12 03:54:%02d host kernel: [ 1.5] ",	/* syslog + dmesg */
		"Aug 12 03:54:%02d kernel: [ 1.5] ",		/* syslog without host */
		"2025-08-12T03:54:%02d.053424+00:00 host kernel: [ 9.9][T4242] ",	/* RFC 3339 */
		"2025-08-12T03:54:%02d+0000 host kernel: ",	/* journalctl -o short-iso */
		"2025-08-12T03:54:%02d,053424+00:00 ",		/* dmesg --time-format=iso */
		"4,%d,1234567,-;",				/* /dev/kmsg */
	};
	struct strbuf bare = STRBUF_INIT;
	struct facts fa = FACTS_INIT;

	(void)state;
	build_log(&bare, mini_report(), NMINI, "", "\n");
	facts_of(bare.buf, bare.len, 0, &fa);
	expect(&fa, "oom.count", "1");
	expect_mini(&fa, "1");
	for (size_t p = 0; p < sizeof(prefixes) / sizeof(prefixes[0]); p++) {
		struct strbuf log = STRBUF_INIT;
		struct facts fb = FACTS_INIT;

		build_log(&log, mini_report(), NMINI, prefixes[p], "\n");
		facts_of(log.buf, log.len, 0, &fb);
		if (!facts_get(&fb, "oom.1.invoker"))
			fail_msg("prefix \"%s\": no event", prefixes[p]);
		expect_same_facts(&fa, &fb, true);
		facts_release(&fb);
		strbuf_release(&log);
	}
	facts_release(&fa);
	strbuf_release(&bare);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
