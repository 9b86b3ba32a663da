/* Tests for run/timeline.c: sys, cgmem and event records into timeline
 * rows, event rows and timeline.* facts; malformed records refused whole;
 * and a run's agent.log (fixtures/timeline/) read through record_apply
 * gives the timeline.tsv and timeline-events.tsv beside it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "run/record.h"
#include "run/timeline.h"

#define FIXTURE_DIR "fixtures/timeline/swap-oom/x86_64/"

/* timeline_apply on one record line: what it returned. */
static int apply(struct timeline *t, struct facts *f, const char *line)
{
	char **v;
	size_t n = record_split(line, strlen(line), &v);
	int took = timeline_apply(t, f, v, n);
	record_fields_free(v, n);
	return took;
}

static void assert_fact(const struct facts *f, const char *name, const char *want)
{
	const char *got = facts_get(f, name);
	if (!got)
		fail_msg("no fact %s", name);
	assert_string_equal(got, want);
}

static void test_sys_rows_and_extremes(void **state)
{
	(void)state;
	struct timeline t;
	struct facts f = FACTS_INIT;

	timeline_init(&t);
	assert_true(apply(&t, &f, "sys 0 204800 213000 30120 18404 131068"));
	assert_true(apply(&t, &f, "sys 50 5120 2900 19304 18404 1264"));
	assert_true(apply(&t, &f, "sys 100 203900 202000 19504 18416 130548"));
	assert_string_equal(t.rows.buf, "0\tMemFree\t204800\n0\tMemAvailable\t213000\n0\tCached\t30120\n"
					"0\tShmem\t18404\n0\tSwapFree\t131068\n"
					"50\tMemFree\t5120\n50\tMemAvailable\t2900\n50\tCached\t19304\n"
					"50\tShmem\t18404\n50\tSwapFree\t1264\n"
					"100\tMemFree\t203900\n100\tMemAvailable\t202000\n100\tCached\t19504\n"
					"100\tShmem\t18416\n100\tSwapFree\t130548\n");
	assert_string_equal(t.events.buf, "");
	assert_fact(&f, "timeline.MemFree.min", "5120");
	assert_fact(&f, "timeline.MemFree.max", "204800");
	assert_fact(&f, "timeline.MemAvailable.min", "2900");
	assert_fact(&f, "timeline.Cached.max", "30120");
	assert_fact(&f, "timeline.Shmem.min", "18404");
	assert_fact(&f, "timeline.Shmem.max", "18416");
	assert_fact(&f, "timeline.SwapFree.min", "1264");
	assert_fact(&f, "timeline.SwapFree.max", "131068");
	assert_fact(&f, "timeline.samples", "3");
	/* no event yet: the counts are there, 0 */
	assert_fact(&f, "timeline.oom_kills", "0");
	assert_fact(&f, "timeline.alloc_fails", "0");
	/* compared as numbers, not as text ("9" > "10" as text) */
	assert_true(apply(&t, &f, "sys 150 9 10 9 9 9"));
	assert_fact(&f, "timeline.MemFree.min", "9");
	assert_fact(&f, "timeline.MemFree.max", "204800");
	timeline_release(&t);
	facts_release(&f);
}

static void test_cgmem_rows(void **state)
{
	(void)state;
	struct timeline t;
	struct facts f = FACTS_INIT;

	timeline_init(&t);
	assert_true(apply(&t, &f, "cgmem hog 0 4"));
	assert_true(apply(&t, &f, "cgmem hog 50 197031"));
	assert_true(apply(&t, &f, "cgmem other 50 12"));
	assert_true(apply(&t, &f, "cgmem hog 100 88"));
	assert_string_equal(t.rows.buf, "0\tcgroup:hog\t4\n50\tcgroup:hog\t197031\n50\tcgroup:other\t12\n"
					"100\tcgroup:hog\t88\n");
	assert_fact(&f, "timeline.cgroup.hog.min", "4");
	assert_fact(&f, "timeline.cgroup.hog.max", "197031");
	assert_fact(&f, "timeline.cgroup.other.max", "12");
	/* a cgroup is no system sample */
	assert_fact(&f, "timeline.samples", "0");
	assert_null(facts_get(&f, "timeline.MemFree.min"));
	timeline_release(&t);
	facts_release(&f);
}

static void test_events(void **state)
{
	(void)state;
	struct timeline t;
	struct facts f = FACTS_INIT;

	timeline_init(&t);
	assert_true(apply(&t, &f, "event 100 start hog"));
	assert_true(apply(&t, &f, "event 5550 alloc_fail hog"));
	assert_true(apply(&t, &f, "event 5600 oom_kill 231%20hog"));
	assert_true(apply(&t, &f, "event 5610 waited hog"));
	assert_true(apply(&t, &f, "event 5650 exit hog"));
	assert_true(apply(&t, &f, "event 5700 oom_kill 240%20kworker/u2:1%20x"));
	assert_string_equal(t.events.buf, "100\tstart\thog\n5550\talloc_fail\thog\n5600\toom_kill\t231 hog\n"
					  "5610\twaited\thog\n5650\texit\thog\n5700\toom_kill\t240 kworker/u2:1 x\n");
	assert_string_equal(t.rows.buf, "");
	assert_fact(&f, "timeline.oom_kills", "2");
	assert_fact(&f, "timeline.alloc_fails", "1");
	assert_fact(&f, "timeline.samples", "0");
	timeline_release(&t);
	facts_release(&f);
}

/* Each refused whole: no row, no fact. */
static void test_malformed_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"sys 0 1 2 3 4",               /* a field short */
		"sys 0 1 2 3 4 5 6",           /* one too many */
		"sys x 1 2 3 4 5",
		"sys 0 1 2 -3 4 5",
		"sys 0 1 2 3 4 5kB",
		"sys 0 1 2 3 4 12345678901234567890",
		"sys %- 1 2 3 4 5",
		"cgmem hog 1",
		"cgmem hog 1 2 3",
		"cgmem a%09b 1 2",
		"cgmem a%0Ab 1 2",
		"cgmem %- 1 2",
		"cgmem hog 1 x",
		"event 1 start",
		"event 1 start hog extra",
		"event x start hog",
		"event 1 begin hog",
		"event 1 start a%09b",
		"event 1 exit %-",
		"event 1 oom_kill hog",        /* no pid */
		"event 1 oom_kill 231",        /* no comm */
		"event 1 oom_kill 231%20",
		"event 1 oom_kill x1%20hog",
		"event 1 alloc_fail a%0Ab",
		"mem hog 1 1",                 /* not a timeline record */
		"sys",
	};
	struct timeline t;
	struct facts f = FACTS_INIT;

	timeline_init(&t);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (apply(&t, &f, bad[i]))
			fail_msg("took \"%s\"", bad[i]);
	assert_int_equal(t.rows.len, 0);
	assert_int_equal(t.events.len, 0);
	assert_int_equal(f.n, 0);
	assert_false(timeline_apply(&t, &f, NULL, 0));
	timeline_release(&t);
	facts_release(&f);
}

static void read_fixture(const char *name, struct strbuf *out)
{
	strbuf_reset(out);
	assert_int_equal(strbuf_read_file(out, name), 0);
}

/* The text after a TSV's header line. */
static const char *rows_of(const struct strbuf *tsv)
{
	const char *nl = strchr(tsv->buf, '\n');
	assert_non_null(nl);
	return nl + 1;
}

static void test_agent_log_golden(void **state)
{
	(void)state;
	struct record_state st;
	struct facts f = FACTS_INIT;
	struct strbuf log = STRBUF_INIT, want = STRBUF_INIT;

	record_init(&st);
	read_fixture(FIXTURE_DIR "agent.log", &log);
	for (const char *p = log.buf; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		record_apply(&st, &f, p, len);
		p += len + (nl ? 1 : 0);
	}
	assert_string_equal(st.errors.buf, "");
	read_fixture(FIXTURE_DIR "timeline.tsv", &want);
	assert_string_equal(st.timeline.rows.buf, rows_of(&want));
	read_fixture(FIXTURE_DIR "timeline-events.tsv", &want);
	assert_string_equal(st.timeline.events.buf, rows_of(&want));
	read_fixture(FIXTURE_DIR "memory.tsv", &want);
	assert_string_equal(st.samples.buf, rows_of(&want));
	/* 7 s at 50 ms; MemFree from 200M down to 5M and back after the kill */
	assert_fact(&f, "timeline.samples", "141");
	assert_fact(&f, "timeline.oom_kills", "1");
	assert_fact(&f, "timeline.alloc_fails", "1");
	assert_true(strtoull(facts_get(&f, "timeline.MemFree.min"), NULL, 10) < 6 * 1024);
	assert_true(strtoull(facts_get(&f, "timeline.MemFree.max"), NULL, 10) > 199 * 1024);
	assert_fact(&f, "timeline.SwapFree.min", "1264");
	assert_fact(&f, "timeline.SwapFree.max", "131068");
	assert_fact(&f, "timeline.cgroup.hog.min", "4");
	assert_true(strtoull(facts_get(&f, "timeline.cgroup.hog.max"), NULL, 10) > 190 * 1024);
	assert_fact(&f, "step.hog.exit", "signal:9");
	strbuf_release(&log);
	strbuf_release(&want);
	record_release(&st);
	facts_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sys_rows_and_extremes),
		cmocka_unit_test(test_cgmem_rows),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_malformed_refused),
		cmocka_unit_test(test_agent_log_golden),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
