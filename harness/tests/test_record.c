/* Tests for record.c: the agent protocol, snapshots into facts, the
 * module's result line, the timeline records handed to timeline.c, and
 * the waited records of wait conditions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "run/record.h"

static void apply(struct record_state *st, struct facts *f, const char *line)
{
	record_apply(st, f, line, strlen(line));
}

static void test_split_decodes_fields(void **state)
{
	(void)state;
	char **v;
	const char *line = "snap a%20b %- x%0Ay%25 %ZZ %4";
	size_t n = record_split(line, strlen(line), &v);
	assert_int_equal(n, 6);
	assert_string_equal(v[0], "snap");
	assert_string_equal(v[1], "a b");
	assert_string_equal(v[2], "");
	assert_string_equal(v[3], "x\ny%");
	assert_string_equal(v[4], "%ZZ");
	assert_string_equal(v[5], "%4");
	record_fields_free(v, n);
	n = record_split("  ", 2, &v);
	assert_int_equal(n, 0);
	record_fields_free(v, n);
}

static void test_encode_roundtrip(void **state)
{
	(void)state;
	const char raw[] = "a b%c\n\x01\xff end";
	struct strbuf sb = STRBUF_INIT;
	char **v;

	record_encode(&sb, raw, sizeof(raw) - 1);
	assert_null(strchr(sb.buf, ' '));
	assert_null(strchr(sb.buf, '\n'));
	size_t n = record_split(sb.buf, sb.len, &v);
	assert_int_equal(n, 1);
	assert_memory_equal(v[0], raw, sizeof(raw) - 1);
	record_fields_free(v, n);
	strbuf_reset(&sb);
	record_encode(&sb, "", 0);
	assert_string_equal(sb.buf, "%-");
	strbuf_release(&sb);
}

static void test_steps_and_state(void **state)
{
	(void)state;
	struct record_state st;
	struct facts f = FACTS_INIT;

	record_init(&st);
	apply(&st, &f, "ready 1 6.1.0-50-amd64 x86_64");
	assert_true(st.ready);
	assert_string_equal(facts_get(&f, "guest.release"), "6.1.0-50-amd64");
	/* an agent of before the pvpanic field, then one with it */
	assert_string_equal(facts_get(&f, "guest.pvpanic"), "0");
	apply(&st, &f, "ready 1 6.1.0-50-amd64 x86_64 1");
	assert_string_equal(facts_get(&f, "guest.pvpanic"), "1");
	apply(&st, &f, "start hog 78");
	apply(&st, &f, "out hog hog:%20chunk%201");
	apply(&st, &f, "exit hog signal:9");
	assert_string_equal(facts_get(&f, "step.hog.pid"), "78");
	assert_string_equal(facts_get(&f, "step.hog.exit"), "signal:9");
	assert_string_equal(facts_get(&f, "step.hog.output"), "hog: chunk 1");
	/* A step still running at the end is "running", whatever killed it. */
	apply(&st, &f, "start bg 79");
	apply(&st, &f, "left bg");
	apply(&st, &f, "exit bg signal:9");
	assert_string_equal(facts_get(&f, "step.bg.exit"), "running");
	assert_false(st.done);
	apply(&st, &f, "done");
	assert_true(st.done);
	assert_int_equal(st.errors.len, 0);
	apply(&st, &f, "err cgroup%20hog:%20EINVAL");
	apply(&st, &f, "bogus\x01 record");
	assert_non_null(strstr(st.errors.buf, "cgroup hog: EINVAL\n"));
	assert_non_null(strstr(st.errors.buf, "malformed agent record: bogus? record"));
	record_release(&st);
	facts_release(&f);
}

static void test_buddyinfo(void **state)
{
	(void)state;
	struct facts f = FACTS_INIT;
	record_buddyinfo(&f, "after",
			 "Node 0, zone      DMA      1      2      0      0      0      0      0      0      0      0      3 \n"
			 "Node 0, zone   Normal      4      4      4      0      0      0      0      0      0      0      0 \n"
			 "Node 1, zone   Normal      1      0      0      0      0      0      0      0      0      0      1 \n");
	assert_string_equal(facts_get(&f, "buddyinfo.after.DMA.order0"), "1");
	assert_string_equal(facts_get(&f, "buddyinfo.after.DMA.order10"), "3");
	assert_string_equal(facts_get(&f, "buddyinfo.after.Normal.order2"), "4");
	assert_string_equal(facts_get(&f, "buddyinfo.after.node1.Normal.order10"), "1");
	/* totals over zones and nodes */
	assert_string_equal(facts_get(&f, "buddyinfo.after.order0"), "6");
	assert_string_equal(facts_get(&f, "buddyinfo.after.order3"), "0");
	assert_string_equal(facts_get(&f, "buddyinfo.after.order10"), "4");
	assert_null(facts_get(&f, "buddyinfo.after.order11"));
	facts_release(&f);
}

static void test_snap_records(void **state)
{
	(void)state;
	struct record_state st;
	struct facts f = FACTS_INIT;
	struct strbuf line = STRBUF_INIT;

	record_init(&st);
	strbuf_addstr(&line, "snap look cgroup hog/memory.oom_control ");
	record_encode(&line, "oom_kill_disable 1\nunder_oom 1\noom_kill 0\n", 42);
	apply(&st, &f, line.buf);
	assert_string_equal(facts_get(&f, "cgroup.hog.memory.oom_control.under_oom"), "1");
	assert_string_equal(facts_get(&f, "cgroup.hog.memory.oom_control.oom_kill"), "0");
	strbuf_reset(&line);
	strbuf_addstr(&line, "snap look cgroup hog/memory.failcnt 21%0A");
	apply(&st, &f, line.buf);
	assert_string_equal(facts_get(&f, "cgroup.hog.memory.failcnt"), "21");
	strbuf_reset(&line);
	strbuf_addstr(&line, "snap look proc hog ");
	const char *status = "Name:\thog\nState:\tD (disk sleep)\nVmRSS:\t     512 kB\n";
	record_encode(&line, status, strlen(status));
	apply(&st, &f, line.buf);
	assert_string_equal(facts_get(&f, "proc.hog.state"), "D");
	assert_string_equal(facts_get(&f, "proc.hog.VmRSS"), "512");
	assert_string_equal(facts_get(&f, "proc.hog.Name"), "hog");
	strbuf_reset(&line);
	strbuf_addstr(&line, "snap s1 meminfo - ");
	const char *mi = "MemTotal:          81936 kB\nMemFree:             272 kB\n";
	record_encode(&line, mi, strlen(mi));
	apply(&st, &f, line.buf);
	assert_string_equal(facts_get(&f, "meminfo.s1.MemFree"), "272");
	assert_int_equal(st.errors.len, 0);
	strbuf_release(&line);
	record_release(&st);
	facts_release(&f);
}

/* "mem STEP MS RSS_KB": a series for the reports, the peak and count as facts */
static void test_memory_samples(void **state)
{
	(void)state;
	struct record_state st;
	struct facts f = FACTS_INIT;

	record_init(&st);
	apply(&st, &f, "mem hog 25 336");
	apply(&st, &f, "mem hog 50 9000");
	apply(&st, &f, "mem hog 75 4");
	apply(&st, &f, "mem other 75 100");
	assert_string_equal(st.samples.buf, "hog\t25\t336\nhog\t50\t9000\nhog\t75\t4\nother\t75\t100\n");
	assert_string_equal(facts_get(&f, "step.hog.rss_peak_kb"), "9000");
	assert_string_equal(facts_get(&f, "step.hog.samples"), "3");
	assert_string_equal(facts_get(&f, "step.other.samples"), "1");
	assert_int_equal(st.errors.len, 0);
	/* not numbers, a tab in the name, too few fields: refused, noted, no sample */
	apply(&st, &f, "mem hog x 1");
	apply(&st, &f, "mem hog 1 -5");
	apply(&st, &f, "mem a%09b 1 1");
	apply(&st, &f, "mem hog 1");
	apply(&st, &f, "mem %- 1 1");
	assert_int_equal(strlen(st.samples.buf), strlen("hog\t25\t336\nhog\t50\t9000\nhog\t75\t4\nother\t75\t100\n"));
	assert_non_null(strstr(st.errors.buf, "malformed agent record: mem hog x 1"));
	assert_string_equal(facts_get(&f, "step.hog.samples"), "3");
	record_release(&st);
	facts_release(&f);
}

/* The module's result comes from its parameter, read by the agent: a
 * "kmod MODULE RESULT" record, the same facts the result line gave. */
static void test_kmod_result_record(void **state)
{
	(void)state;
	struct record_state st;
	struct facts f = FACTS_INIT;
	struct strbuf line = STRBUF_INIT;

	record_init(&st);
	strbuf_addstr(&line, "kmod");
	record_add_field(&line, "oom_trigger");
	record_add_field(&line, "order=3 mode=nobackup allocated=1733 fired=1 released=0 "
				"free_at_order_or_above=0 zone.DMA=0/0/0/1 zone.DMA32=8/12/9/0\n");
	apply(&st, &f, line.buf);
	assert_string_equal(st.errors.buf, "");
	assert_string_equal(facts_get(&f, "kmod.oom_trigger.order"), "3");
	assert_string_equal(facts_get(&f, "kmod.oom_trigger.mode"), "nobackup");
	assert_string_equal(facts_get(&f, "kmod.oom_trigger.allocated"), "1733");
	assert_string_equal(facts_get(&f, "kmod.oom_trigger.fired"), "1");
	assert_string_equal(facts_get(&f, "kmod.oom_trigger.free_at_order_or_above"), "0");
	assert_string_equal(facts_get(&f, "kmod.oom_trigger.zone.DMA32.order1"), "12");
	assert_string_equal(facts_get(&f, "kmod.oom_trigger.zone.DMA.order3"), "1");
	assert_string_equal(facts_get(&f, "kmod.oom_trigger.zone.DMA32.order3"), "0");
	assert_null(facts_get(&f, "kmod.oom_trigger.zone.DMA32.order4"));

	/* a name that cannot be a module's is no record */
	size_t before = f.n;
	apply(&st, &f, "kmod a.b order=1");
	apply(&st, &f, "kmod %- order=1");
	apply(&st, &f, "kmod oom_trigger");
	assert_int_equal(f.n, before);
	assert_non_null(strstr(st.errors.buf, "malformed agent record: kmod a.b order=1"));
	strbuf_release(&line);
	record_release(&st);
	facts_release(&f);
}

static void test_payload_record(void **state)
{
	(void)state;
	struct record_state st;
	struct facts f = FACTS_INIT;

	record_init(&st);
	apply(&st, &f, "payload 37");
	assert_string_equal(st.errors.buf, "");
	assert_string_equal(facts_get(&f, "payload.unpack_ms"), "37");
	/* not a number: no fact, a malformed record */
	apply(&st, &f, "payload x7");
	assert_string_equal(facts_get(&f, "payload.unpack_ms"), "37");
	assert_non_null(strstr(st.errors.buf, "malformed agent record: payload x7"));
	record_release(&st);
	facts_release(&f);
}

/* sys, cgmem and event records go to the timeline (run/timeline.c); a
 * malformed one is noted as the others are. */
static void test_timeline_records(void **state)
{
	(void)state;
	struct record_state st;
	struct facts f = FACTS_INIT;

	record_init(&st);
	apply(&st, &f, "sys 50 204800 213000 30120 18404 131068");
	apply(&st, &f, "cgmem hog 50 4");
	apply(&st, &f, "event 5600 oom_kill 231%20hog");
	assert_string_equal(st.errors.buf, "");
	assert_non_null(strstr(st.timeline.rows.buf, "50\tMemFree\t204800\n"));
	assert_non_null(strstr(st.timeline.rows.buf, "50\tcgroup:hog\t4\n"));
	assert_string_equal(st.timeline.events.buf, "5600\toom_kill\t231 hog\n");
	assert_string_equal(facts_get(&f, "timeline.SwapFree.max"), "131068");
	assert_string_equal(facts_get(&f, "timeline.cgroup.hog.max"), "4");
	assert_string_equal(facts_get(&f, "timeline.samples"), "1");
	assert_string_equal(facts_get(&f, "timeline.oom_kills"), "1");
	size_t rows = st.timeline.rows.len, before = f.n;
	apply(&st, &f, "sys 100 1 2 3 4");
	apply(&st, &f, "cgmem hog x 4");
	apply(&st, &f, "event 5700 oom_kill hog");
	assert_non_null(strstr(st.errors.buf, "malformed agent record: sys 100 1 2 3 4\n"));
	assert_non_null(strstr(st.errors.buf, "malformed agent record: cgmem hog x 4\n"));
	assert_non_null(strstr(st.errors.buf, "malformed agent record: event 5700 oom_kill hog\n"));
	assert_int_equal(st.timeline.rows.len, rows);
	assert_int_equal(f.n, before);
	assert_string_equal(facts_get(&f, "timeline.oom_kills"), "1");
	record_release(&st);
	facts_release(&f);
}

/* "waited STEP MS met|timeout": wait.STEP.ms and wait.STEP.met. */
static void test_waited_record(void **state)
{
	(void)state;
	struct record_state st;
	struct facts f = FACTS_INIT;

	record_init(&st);
	apply(&st, &f, "waited look 1234 met");
	apply(&st, &f, "waited hog-2 30001 timeout");
	assert_string_equal(st.errors.buf, "");
	assert_string_equal(facts_get(&f, "wait.look.ms"), "1234");
	assert_string_equal(facts_get(&f, "wait.look.met"), "1");
	assert_string_equal(facts_get(&f, "wait.hog-2.ms"), "30001");
	assert_string_equal(facts_get(&f, "wait.hog-2.met"), "0");
	/* a step waited again (a later record) wins */
	apply(&st, &f, "waited look 7 timeout");
	assert_string_equal(facts_get(&f, "wait.look.ms"), "7");
	assert_string_equal(facts_get(&f, "wait.look.met"), "0");

	/* malformed: no fact, each noted */
	size_t before = f.n;
	static const char *const bad[] = { "waited look 12 maybe", "waited look -1 met", "waited look x met",
					   "waited a.b 1 met", "waited %- 1 met", "waited look 1",
					   "waited look 1 met extra", "waited", NULL };
	for (size_t i = 0; bad[i]; i++) {
		struct strbuf want = STRBUF_INIT;

		apply(&st, &f, bad[i]);
		strbuf_addf(&want, "malformed agent record: %s\n", bad[i]);
		assert_non_null(strstr(st.errors.buf, want.buf));
		strbuf_release(&want);
	}
	assert_int_equal(f.n, before);
	assert_null(facts_get(&f, "wait.a.b.ms"));
	record_release(&st);
	facts_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_decodes_fields),
		cmocka_unit_test(test_encode_roundtrip),
		cmocka_unit_test(test_steps_and_state),
		cmocka_unit_test(test_buddyinfo),
		cmocka_unit_test(test_snap_records),
		cmocka_unit_test(test_memory_samples),
		cmocka_unit_test(test_kmod_result_record),
		cmocka_unit_test(test_payload_record),
		cmocka_unit_test(test_timeline_records),
		cmocka_unit_test(test_waited_record),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
