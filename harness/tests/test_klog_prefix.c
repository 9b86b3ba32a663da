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

static void test_logcat_stamp(void **state)
{
	(void)state;
	assert_int_equal(logcat_stamp(SPAN("07-13 08:41:51.341 <4>[1.5s] x")), 19);
	assert_int_equal(logcat_stamp(SPAN("07-13 08:41:51 x")), 15);
	assert_int_equal(logcat_stamp(SPAN("07-13 08:41:51.341")), 0);
	assert_int_equal(logcat_stamp(SPAN("2024-01-07 17:53:49 x")), 0);
	assert_int_equal(logcat_stamp(SPAN("6,1234,5678901,-;msg")), 0);
}

/* s after context_fields(), or "-" when it found none */
static void expect_context(const char *line, const char *rest)
{
	struct span s = mkspan(line, strlen(line));
	bool found = context_fields(&s);

	if (!strcmp(rest, "-")) {
		if (found || s.p != line)
			fail_msg("\"%s\": took a context field", line);
		return;
	}
	if (!found || s.n != strlen(rest) || memcmp(s.p, rest, s.n))
		fail_msg("\"%s\": left \"%.*s\", want \"%s\"", line, (int)s.n, s.p, rest);
}

static void test_context_fields(void **state)
{
	struct span s, time = { NULL, 0 };
	long long tid = LLONG_MIN;

	(void)state;
	expect_context("[pid:1361,cpu5,sManagerService]Mem-Info:", "Mem-Info:");
	expect_context("[pid:2912,cpu3,sh][  250]     0   250 ueventd", "[  250]     0   250 ueventd");
	expect_context("[pid:2912,cpu3,sh][<ffffffc000088e5c>] dump_backtrace", "[<ffffffc000088e5c>] dump_backtrace");
	expect_context(" [3:  Binder:9343_3:22875] Mem-Info:", "Mem-Info:");
	expect_context(" [4:        kswapd0: 1209]  active_file:1", " active_file:1");
	expect_context("(3)[2576:tx_thread]kworker/u:0: page", "kworker/u:0: page");
	expect_context("-(1)[106:kswapd0]Mem-Info:", "Mem-Info:");
	expect_context(".(1)[3386:bwrap][3386:bwrap] fork", "fork");
	expect_context("(0)[]Freezing of tasks", "Freezing of tasks");
	expect_context("<0>-(0)[936:tx_thread][wlan] x", "[wlan] x");
	/* message text that starts with brackets is no context */
	expect_context("[  250]     0   250 ueventd", "-");
	expect_context("[ pid ]   uid  tgid total_vm", "-");
	expect_context("[<c011e49c>] (unwind_backtrace+0x0/0xf0)", "-");
	expect_context("[drm:intel_pipe_update_end [i915]] *ERROR* x", "-");
	expect_context("[I/sensorhub] shb_release ok", "-");
	expect_context("[cpu-0:thread:62] 2012-08-02", "-");
	expect_context("(0)[b2] (0)[b2]", "-");
	expect_context("()[1:x]", "-");
	expect_context("[1:unterminated", "-");
	expect_context(" active_file:19087", "-");
	expect_context("", "-");

	s = SPAN("<4>[309805.658142s][pid:1361,cpu5,x]msg");
	console_prefix(&s, &time, &tid);
	assert_memory_equal(time.p, "309805.658142", 13);	/* the unit is no part of it */
	assert_int_equal(time.n, 13);
	assert_true(context_fields(&s));
	assert_int_equal(s.n, 3);
	assert_memory_equal(s.p, "msg", 3);
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
		/* vendor kernels: context after the stamp */
		"07-13 08:41:%02d.341 <4>[309805.658142s][pid:4242,cpu5,stress]",
		"<4>[%5d.123456s][pid:4242,cpu1,stress]",
		"<4>[%5d.637280]  [3:  stress: 4242] ",
		"<4>[%5d.458590] (3)[4242:stress]",
		"[%5d.359650] -(1)[4242:stress]",
		"05-20 11:32:%02d.439 <4>[ 3273.328514]<2> (1)[4122:tx_thread]",
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
		cmocka_unit_test(test_logcat_stamp),
		cmocka_unit_test(test_context_fields),
		cmocka_unit_test(test_prefix_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
