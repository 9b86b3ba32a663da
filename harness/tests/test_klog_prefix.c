/* Tests for klog/prefix: each stamp and prefix reader alone, and the same
 * report behind every prefix style. */
#include "klog_test_util.h"

#include <limits.h>

/* cmocka's skip() would hide the span reader of that name */
#undef skip
#include "klog/prefix.h"

#define SPAN(lit) mkspan((lit), sizeof(lit) - 1)

static void test_syslog_stamp(void **state)
{
	struct span s;

	(void)state;
	assert_int_equal(syslog_stamp(SPAN("Jan  5 15:19:27 host kernel: x")), 16);
	assert_int_equal(syslog_stamp(SPAN("Aug 12 03:54:03.123456 h kernel: x")), 23);
	assert_int_equal(syslog_stamp(SPAN("Mai 19 18:00:00 h kernel: x")), 16);	/* localised */
	assert_int_equal(syslog_stamp(SPAN("Jan  5 15:19:2")), 0);
	assert_int_equal(syslog_stamp(SPAN("Jan 5x 15:19:27 h")), 0);
	assert_int_equal(syslog_stamp(SPAN("hello world, this is not a stamp")), 0);
	s = SPAN("host kernel: msg");
	assert_true(syslog_kernel(&s));
	assert_int_equal(s.n, 3);
	assert_memory_equal(s.p, "msg", 3);
	s = SPAN("kernel: msg");
	assert_true(syslog_kernel(&s));
	assert_memory_equal(s.p, "msg", 3);
	s = SPAN("host systemd[1]: kernel: msg");
	assert_false(syslog_kernel(&s));
	assert_int_equal(s.n, 28);
}

static void test_iso_stamp(void **state)
{
	bool comma = true;

	(void)state;
	assert_int_equal(iso_stamp(SPAN("2024-01-07T17:53:49.123456+00:00 h kernel: x"), &comma), 33);
	assert_false(comma);
	assert_int_equal(iso_stamp(SPAN("2024-01-07T17:53:49,123456+0000 x"), &comma), 32);
	assert_true(comma);
	assert_int_equal(iso_stamp(SPAN("2024-01-07T17:53:49Z x"), &comma), 21);
	assert_false(comma);
	assert_int_equal(iso_stamp(SPAN("2024-01-07 17:53:49 x"), &comma), 0);
	assert_int_equal(iso_stamp(SPAN("2024-01-07T17:53:49"), &comma), 0);
}

static void test_kernel_stamp(void **state)
{
	(void)state;
	assert_true(kernel_stamp(SPAN("[    1.234567] x")));
	assert_true(kernel_stamp(SPAN("[99999.000001] x")));
	assert_false(kernel_stamp(SPAN("[    1.234567]x")));
	assert_false(kernel_stamp(SPAN("[    1.23456a] x")));
	assert_false(kernel_stamp(SPAN("[  a 1.234567] x")));
	assert_false(kernel_stamp(SPAN("[100000.000001] x")));	/* the slow path reads it */
}

static void test_console_prefix(void **state)
{
	struct span s, time = { NULL, 0 };
	long long tid = LLONG_MIN;

	(void)state;
	s = SPAN("<6>[100000.000001][ T123] msg");
	console_prefix(&s, &time, &tid);
	assert_int_equal(s.n, 3);
	assert_memory_equal(s.p, "msg", 3);
	assert_int_equal(time.n, 13);
	assert_memory_equal(time.p, "100000.000001", 13);
	assert_int_equal(tid, 123);

	tid = LLONG_MIN;
	s = SPAN("[Di Aug 12 03:54:03 2025][    C1] msg");
	console_prefix(&s, &time, &tid);
	assert_memory_equal(s.p, "msg", 3);
	assert_int_equal(time.n, 23);
	assert_memory_equal(time.p, "Di Aug 12 03:54:03 2025", 23);
	assert_true(tid == LLONG_MIN);	/* a CPU id is no thread */

	time = mkspan(NULL, 0);
	s = SPAN("[  pid  ]   uid  tgid name");
	console_prefix(&s, &time, &tid);
	assert_int_equal(s.n, 26);	/* a task table header is no prefix */
	assert_null(time.p);

	s = SPAN("[    1.5] msg");
	console_prefix(&s, &time, &tid);
	assert_memory_equal(s.p, "msg", 3);
	assert_int_equal(time.n, 7);	/* "    1.5" as printed */
}

static void test_kmsg_prefix(void **state)
{
	struct span s = SPAN("6,1234,5678901,-;msg");

	(void)state;
	assert_true(kmsg_prefix(&s));
	assert_int_equal(s.n, 3);
	assert_memory_equal(s.p, "msg", 3);
	s = SPAN("6,1234,5678901,-,caller=T1;msg");
	assert_true(kmsg_prefix(&s));
	assert_memory_equal(s.p, "msg", 3);
	s = SPAN("6,1234;msg");
	assert_false(kmsg_prefix(&s));
	assert_int_equal(s.n, 10);
	s = SPAN("12 monkeys");
	assert_false(kmsg_prefix(&s));
}

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
		cmocka_unit_test(test_syslog_stamp),
		cmocka_unit_test(test_iso_stamp),
		cmocka_unit_test(test_kernel_stamp),
		cmocka_unit_test(test_console_prefix),
		cmocka_unit_test(test_kmsg_prefix),
		cmocka_unit_test(test_prefix_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
