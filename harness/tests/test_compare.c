/* Tests for report/compare.c: which facts count (the noise and timing
 * table), oom.last.*, how runs are matched into pairs, the counts, and the
 * real fixture compared with its edited copy and across targets. */
#include "fixtures/compare/compare_fixture.h"

/* ---- the classification table ---- */

static const struct {
	const char *name;
	enum compare_class class;
} names[] = {
	/* noise */
	{ "step.hog.pid", COMPARE_NOISE },
	{ "oom.1.victim.pid", COMPARE_NOISE },
	{ "oom.2.kill.3.pid", COMPARE_NOISE },
	{ "oom.last.victim.pid", COMPARE_NOISE },
	{ "oom.1.invoker_pid", COMPARE_NOISE },
	{ "proc.hog.Pid", COMPARE_NOISE },
	{ "proc.hog.PPid", COMPARE_NOISE },
	{ "proc.hog.TracerPid", COMPARE_NOISE },
	{ "proc.hog.Tgid", COMPARE_NOISE },
	{ "proc.hog.NSpid", COMPARE_NOISE },
	{ "proc.hog.NSsid", COMPARE_NOISE },
	{ "proc.hog.voluntary_ctxt_switches", COMPARE_NOISE },
	{ "proc.hog.nonvoluntary_ctxt_switches", COMPARE_NOISE },
	{ "cgroup.hog.cgroup.procs", COMPARE_NOISE },
	{ "cgroup.hog.cgroup.threads", COMPARE_NOISE },
	{ "cgroup.v1.tasks", COMPARE_NOISE },
	{ "oom.1.line", COMPARE_NOISE },
	{ "oom.last.line", COMPARE_NOISE },
	{ "step.hog.samples", COMPARE_NOISE },
	{ "timeline.samples", COMPARE_NOISE },
	{ "agent.dropped_bytes", COMPARE_NOISE },
	/* timing */
	{ "run.seconds", COMPARE_TIMING },
	{ "boot.seconds", COMPARE_TIMING },
	{ "boot.path", COMPARE_TIMING },
	{ "qemu.cpu_seconds", COMPARE_TIMING },
	{ "harness.cpu_seconds", COMPARE_TIMING },
	{ "harness.anything", COMPARE_TIMING },
	{ "run.other", COMPARE_TIMING },
	{ "wait.hog.ms", COMPARE_TIMING },
	{ "payload.unpack_ms", COMPARE_TIMING },
	{ "cgroup.hog.cpu.stat.usage_usec", COMPARE_TIMING },
	{ "oom.1.time", COMPARE_TIMING },
	{ "oom.12.time", COMPARE_TIMING },
	{ "oom.last.time", COMPARE_TIMING },
	{ "cgroup.hog.memory.pressure.some", COMPARE_TIMING },
	{ "cgroup.hog.io.pressure.full", COMPARE_TIMING },
	/* what a kernel engineer compares */
	{ "oom.count", COMPARE_KEPT },
	{ "oom.1.victim.comm", COMPARE_KEPT },
	{ "oom.1.kills", COMPARE_KEPT },
	{ "oom.1.constraint", COMPARE_KEPT },
	{ "oom.1.order", COMPARE_KEPT },
	{ "oom.1.kill.1.comm", COMPARE_KEPT },
	{ "oom.1.timeout", COMPARE_KEPT },
	{ "oom.1.lines", COMPARE_KEPT },
	{ "oom.1.memcg_failcnt", COMPARE_KEPT },
	{ "cgroup.hog.memory.events.oom_kill", COMPARE_KEPT },
	{ "cgroup.hog.cgroup.pressure", COMPARE_KEPT },
	{ "buddyinfo.after.Normal.order3", COMPARE_KEPT },
	{ "oom.1.buddy.DMA32.total_kb", COMPARE_KEPT },
	{ "step.hog.exit", COMPARE_KEPT },
	{ "step.hog.rss_peak_kb", COMPARE_KEPT },
	{ "proc.hog.VmRSS", COMPARE_KEPT },
	{ "proc.hog.pids", COMPARE_KEPT },
	{ "timeline.MemFree.min", COMPARE_KEPT },
	{ "vm.accel", COMPARE_KEPT },
	{ "agent.done", COMPARE_KEPT },
	{ "seconds", COMPARE_KEPT },
	{ "pid", COMPARE_KEPT },
};

static void test_classify(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (compare_classify(names[i].name) != names[i].class)
			fail_msg("%s: class %d, want %d", names[i].name, compare_classify(names[i].name),
				 names[i].class);
	assert_null(compare_rule_for("oom.1.victim.comm"));
}

/* Every row of the table decides a name above, and says why. */
static void test_rules_all_used(void **state)
{
	(void)state;
	for (size_t r = 0; r < compare_nrules; r++) {
		int used = 0;
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			used |= compare_rule_for(names[i].name) == &compare_rules[r];
		if (!used)
			fail_msg("rule %s decides no name of the test", compare_rules[r].pattern);
		assert_true(strlen(compare_rules[r].why) > 5);
		assert_int_not_equal(compare_rules[r].class, COMPARE_KEPT);
	}
}

/* ---- facts of one pair ---- */

static void pair_of(const char *json_a, const char *json_b, const struct compare_options *opt,
		    struct compare_report r[2], struct compare_result *res)
{
	report_from(&r[0], "a.json", json_a);
	report_from(&r[1], "b.json", json_b);
	compare_reports(res, &r[0], &r[1], opt);
	assert_int_equal(res->pairs, 1);
}

static void release(struct compare_report r[2], struct compare_result *res)
{
	compare_result_release(res);
	compare_report_release(&r[0]);
	compare_report_release(&r[1]);
}

static void test_pair_facts(void **state)
{
	struct compare_report r[2];
	struct compare_result res;
	struct compare_options plain = { 0 }, timing = { .timing = 1 };
	(void)state;

	const char *a = HEAD RUN("c", "t", "pass",
				 "\"oom.count\": \"1\", \"oom.1.victim.comm\": \"hog\", \"step.hog.pid\": \"78\", "
				 "\"run.seconds\": \"1.5\", \"oom.1.order\": \"0\", \"gone\": \"x\", \"same\": \"\"") TAIL;
	const char *b = HEAD RUN("c", "t", "pass",
				 "\"oom.count\": \"1\", \"new\": \"\", \"oom.1.victim.comm\": \"init\", "
				 "\"step.hog.pid\": \"81\", \"run.seconds\": \"2.5\", \"oom.1.order\": \"0\", "
				 "\"same\": \"\"") TAIL;
	pair_of(a, b, &plain, r, &res);
	const struct compare_pair *p = &res.v[0];
	assert_false(p->verdict_differs);
	assert_int_equal(p->no_facts, 0);
	/* A's order, then what only B has; the pid and the time are left out */
	assert_int_equal(p->ndiffs, 3);
	assert_string_equal(p->diffs[0].name, "oom.1.victim.comm");
	assert_string_equal(p->diffs[0].a, "hog");
	assert_string_equal(p->diffs[0].b, "init");
	assert_string_equal(p->diffs[1].name, "gone");
	assert_null(p->diffs[1].b);
	assert_string_equal(p->diffs[2].name, "new");
	assert_null(p->diffs[2].a);
	assert_string_equal(p->diffs[2].b, "");
	assert_int_equal(res.facts_differ, 1);
	assert_int_equal(res.verdicts_differ, 0);
	assert_true(compare_pair_differs(p));
	release(r, &res);

	/* --timing: the time too, never the pid */
	pair_of(a, b, &timing, r, &res);
	assert_int_equal(res.v[0].ndiffs, 4);
	assert_non_null(find_diff(&res.v[0], "run.seconds"));
	assert_null(find_diff(&res.v[0], "step.hog.pid"));
	release(r, &res);

	/* the same facts, another verdict */
	pair_of(HEAD RUN("c", "t", "pass", "\"x\": \"1\"") TAIL, HEAD RUN("c", "t", "timeout", "\"x\": \"1\"") TAIL,
		&plain, r, &res);
	assert_true(res.v[0].verdict_differs);
	assert_int_equal(res.v[0].ndiffs, 0);
	assert_int_equal(res.verdicts_differ, 1);
	assert_int_equal(res.facts_differ, 0);
	release(r, &res);

	/* nothing differs */
	pair_of(HEAD RUN("c", "t", "pass", "\"x\": \"1\", \"run.seconds\": \"1\"") TAIL,
		HEAD RUN("c", "t", "pass", "\"x\": \"1\", \"run.seconds\": \"9\"") TAIL, &plain, r, &res);
	assert_false(compare_pair_differs(&res.v[0]));
	release(r, &res);
}

static void test_oom_last(void **state)
{
	struct compare_report r[2];
	struct compare_result res;
	struct compare_options opt = { 0 };
	(void)state;

	/* the same count: oom.last.* repeats oom.N.*, left out */
	pair_of(HEAD RUN("c", "t", "pass",
			 "\"oom.count\": \"1\", \"oom.1.victim.comm\": \"a\", \"oom.last.victim.comm\": \"a\"") TAIL,
		HEAD RUN("c", "t", "pass",
			 "\"oom.count\": \"1\", \"oom.1.victim.comm\": \"b\", \"oom.last.victim.comm\": \"b\"") TAIL,
		&opt, r, &res);
	assert_int_equal(res.v[0].ndiffs, 1);
	assert_string_equal(res.v[0].diffs[0].name, "oom.1.victim.comm");
	release(r, &res);

	/* other counts: the last events are different events, compared */
	pair_of(HEAD RUN("c", "t", "pass",
			 "\"oom.count\": \"1\", \"oom.1.victim.comm\": \"a\", \"oom.last.victim.comm\": \"a\"") TAIL,
		HEAD RUN("c", "t", "pass",
			 "\"oom.count\": \"2\", \"oom.1.victim.comm\": \"a\", \"oom.2.victim.comm\": \"b\", "
			 "\"oom.last.victim.comm\": \"b\"") TAIL,
		&opt, r, &res);
	assert_int_equal(res.v[0].ndiffs, 3);
	assert_string_equal(res.v[0].diffs[0].name, "oom.count");
	const struct compare_diff *d = find_diff(&res.v[0], "oom.last.victim.comm");
	assert_non_null(d);
	assert_string_equal(d->a, "a");
	assert_string_equal(d->b, "b");
	assert_non_null(find_diff(&res.v[0], "oom.2.victim.comm"));
	release(r, &res);

	/* a count on one side only is another count */
	pair_of(HEAD RUN("c", "t", "error", "\"oom.last.order\": \"0\"") TAIL,
		HEAD RUN("c", "t", "pass", "\"oom.count\": \"1\", \"oom.last.order\": \"3\"") TAIL, &opt, r, &res);
	assert_non_null(find_diff(&res.v[0], "oom.last.order"));
	release(r, &res);
}

/* A run without a single fact (skipped) is not listed fact by fact. */
static void test_no_facts(void **state)
{
	struct compare_report r[2];
	struct compare_result res;
	struct compare_options opt = { 0 };
	(void)state;

	pair_of(HEAD RUN("c", "t", "pass", "\"x\": \"1\", \"y\": \"2\"") TAIL, HEAD RUN("c", "t", "skip", "") TAIL, &opt,
		r, &res);
	assert_int_equal(res.v[0].no_facts, 'b');
	assert_int_equal(res.v[0].ndiffs, 0);
	assert_true(compare_pair_differs(&res.v[0]));
	release(r, &res);
	pair_of(HEAD RUN("c", "t", "skip", "") TAIL, HEAD RUN("c", "t", "pass", "\"x\": \"1\"") TAIL, &opt, r, &res);
	assert_int_equal(res.v[0].no_facts, 'a');
	release(r, &res);
	pair_of(HEAD RUN("c", "t", "skip", "") TAIL, HEAD RUN("c", "t", "skip", "") TAIL, &opt, r, &res);
	assert_int_equal(res.v[0].no_facts, 0);
	assert_false(compare_pair_differs(&res.v[0]));
	release(r, &res);
}

/* ---- matching ---- */

static void test_match_name_target(void **state)
{
	struct compare_report r[2];
	struct compare_result res;
	struct compare_options opt = { 0 };
	struct strbuf s = STRBUF_INIT;
	(void)state;

	report_from(&r[0], "a.json",
		    HEAD RUN("x", "t1", "pass", "") "," RUN("x", "t2", "pass", "") "," RUN("y", "t1", "pass", "") ","
			 RUN("z", "t1", "fail", "") TAIL);
	report_from(&r[1], "b.json",
		    HEAD RUN("w", "t1", "pass", "") "," RUN("x", "t2", "fail", "") "," RUN("x", "t1", "pass", "") ","
			 RUN("y", "t2", "pass", "") TAIL);
	compare_reports(&res, &r[0], &r[1], &opt);
	assert_string_equal(res.label_a, "a.json (run t)");
	assert_string_equal(res.label_b, "b.json (run t)");
	assert_false(res.by_name);
	/* A's order, then B's leftovers in B's order */
	assert_int_equal(res.n, 6);
	assert_ptr_equal(res.v[0].a, &r[0].v[0]);
	assert_ptr_equal(res.v[0].b, &r[1].v[2]);
	assert_ptr_equal(res.v[1].a, &r[0].v[1]);
	assert_ptr_equal(res.v[1].b, &r[1].v[1]);
	assert_true(res.v[1].verdict_differs);
	assert_ptr_equal(res.v[2].a, &r[0].v[2]); /* y on t1: only in A */
	assert_null(res.v[2].b);
	assert_ptr_equal(res.v[3].a, &r[0].v[3]);
	assert_null(res.v[3].b);
	assert_null(res.v[4].a);
	assert_ptr_equal(res.v[4].b, &r[1].v[0]);
	assert_null(res.v[5].a);
	assert_ptr_equal(res.v[5].b, &r[1].v[3]);
	assert_int_equal(res.pairs, 2);
	assert_int_equal(res.verdicts_differ, 1);
	assert_int_equal(res.only_a, 2);
	assert_int_equal(res.only_b, 2);
	compare_pair_target(&res.v[0], &s);
	assert_string_equal(s.buf, "t1");
	strbuf_reset(&s);
	compare_pair_target(&res.v[4], &s);
	assert_string_equal(s.buf, "t1");
	strbuf_reset(&s);
	compare_summary(&res, &s);
	assert_string_equal(s.buf, "2 pairs, 1 verdict differs, 0 with differing facts, 2 only in A, 2 only in B");
	strbuf_release(&s);
	release(r, &res);
}

static void test_match_by_name_fallback(void **state)
{
	struct compare_report r[2];
	struct compare_result res;
	struct compare_options opt = { 0 };
	struct strbuf s = STRBUF_INIT;
	(void)state;

	/* one kernel against another: one target each, no (name, target) in
	 * common, so by name */
	report_from(&r[0], "a.json", HEAD RUN("x", "x86_64", "pass", "") "," RUN("y", "x86_64", "pass", "") TAIL);
	report_from(&r[1], "b.json", HEAD RUN("y", "custom", "fail", "") "," RUN("x", "custom", "pass", "") TAIL);
	compare_reports(&res, &r[0], &r[1], &opt);
	assert_true(res.by_name);
	assert_int_equal(res.pairs, 2);
	assert_ptr_equal(res.v[0].b, &r[1].v[1]);
	assert_ptr_equal(res.v[1].b, &r[1].v[0]);
	compare_pair_target(&res.v[0], &s);
	assert_string_equal(s.buf, "x86_64 -> custom");
	strbuf_release(&s);
	release(r, &res);

	/* two targets on one side: no fallback, nothing in common */
	report_from(&r[0], "a.json", HEAD RUN("x", "x86_64", "pass", "") "," RUN("x", "i386", "pass", "") TAIL);
	report_from(&r[1], "b.json", HEAD RUN("x", "custom", "pass", "") TAIL);
	compare_reports(&res, &r[0], &r[1], &opt);
	assert_false(res.by_name);
	assert_int_equal(res.pairs, 0);
	assert_int_equal(res.only_a, 2);
	assert_int_equal(res.only_b, 1);
	release(r, &res);

	/* one pair in common by target: no fallback for the others */
	report_from(&r[0], "a.json", HEAD RUN("x", "t", "pass", "") "," RUN("y", "t", "pass", "") TAIL);
	report_from(&r[1], "b.json", HEAD RUN("x", "t", "pass", "") TAIL);
	compare_reports(&res, &r[0], &r[1], &opt);
	assert_false(res.by_name);
	assert_int_equal(res.pairs, 1);
	assert_int_equal(res.only_a, 1);
	release(r, &res);

	/* nothing at all on one side */
	report_from(&r[0], "a.json", HEAD RUN("x", "t", "pass", "") TAIL);
	report_from(&r[1], "b.json", HEAD TAIL);
	compare_reports(&res, &r[0], &r[1], &opt);
	assert_int_equal(res.pairs, 0);
	assert_int_equal(res.only_a, 1);
	release(r, &res);
}

static void test_match_targets(void **state)
{
	struct compare_report r;
	struct compare_result res;
	struct compare_options opt = { 0 };
	struct strbuf err = STRBUF_INIT;
	(void)state;

	report_from(&r, "r.json",
		    HEAD RUN("x", "t1", "pass", "\"v\": \"1\"") "," RUN("x", "t2", "pass", "\"v\": \"2\"") ","
			 RUN("y", "t2", "pass", "") "," RUN("x", "t3", "pass", "") TAIL);
	assert_int_equal(compare_targets(&res, &r, "t1", "t2", &opt, &err), 0);
	assert_string_equal(res.label_a, "r.json (run t), target t1");
	assert_string_equal(res.label_b, "r.json (run t), target t2");
	assert_false(res.by_name); /* asked for, not fallen back to */
	assert_int_equal(res.pairs, 1);
	assert_int_equal(res.only_b, 1);
	assert_int_equal(res.n, 2);
	assert_int_equal(res.v[0].ndiffs, 1);
	assert_string_equal(res.v[0].diffs[0].b, "2");
	compare_result_release(&res);

	/* a target the report does not have: those it has are listed */
	assert_int_equal(compare_targets(&res, &r, "t1", "t9", &opt, &err), -1);
	assert_string_equal(err.buf, "no target 't9' in r.json (have: t1 t2 t3)");
	compare_result_release(&res);
	strbuf_reset(&err);
	assert_int_equal(compare_targets(&res, &r, "t0", "t1", &opt, &err), -1);
	assert_string_equal(err.buf, "no target 't0' in r.json (have: t1 t2 t3)");
	compare_result_release(&res);
	compare_report_release(&r);
	strbuf_reset(&err);

	report_from(&r, "e.json", HEAD TAIL);
	assert_int_equal(compare_targets(&res, &r, "t1", "t2", &opt, &err), -1);
	assert_string_equal(err.buf, "no target 't1' in e.json (have: no run)");
	compare_result_release(&res);
	compare_report_release(&r);
	strbuf_release(&err);
}

/* ---- the real fixture ---- */

static void test_fixture_edited(void **state)
{
	struct compare_report r[2];
	struct compare_result res;
	struct compare_options opt = { 0 };
	(void)state;

	load_fixture(&r[0], REPORT_A);
	load_fixture(&r[1], REPORT_B);
	compare_reports(&res, &r[0], &r[1], &opt);
	assert_int_equal(res.pairs, 7);
	assert_int_equal(res.verdicts_differ, 1);
	assert_int_equal(res.facts_differ, 2);
	assert_int_equal(res.only_a, 1);
	assert_int_equal(res.only_b, 1);
	const struct compare_pair *p = find_pair(&res, "kmod-order0-backup", "x86_64");
	assert_true(p->verdict_differs);
	/* the victim, the kill, the exit, a fact gone, a fact new; the pids,
	 * the boot time and oom.last.* are not listed */
	assert_int_equal(p->ndiffs, 5);
	assert_string_equal(find_diff(p, "oom.1.victim.comm")->b, "hog");
	assert_null(find_diff(p, "oom.1.partial")->b);
	assert_null(find_diff(p, "kmod.oom_trigger.retries")->a);
	assert_null(find_diff(p, "step.load.pid"));
	assert_null(find_diff(p, "boot.seconds"));
	assert_null(find_diff(p, "oom.last.victim.comm"));
	p = find_pair(&res, "kmod-order0-backup", "x86_64-6.12");
	assert_false(compare_pair_differs(p));
	p = find_pair(&res, "memcg-v1-kill", "x86_64-6.12");
	assert_null(p->b);
	p = find_pair(&res, "memcg-v2-oom-group", "x86_64");
	assert_null(p->a);
	compare_result_release(&res);

	opt.timing = 1;
	compare_reports(&res, &r[0], &r[1], &opt);
	assert_int_equal(res.facts_differ, 3);
	p = find_pair(&res, "kmod-order0-backup", "x86_64");
	assert_int_equal(p->ndiffs, 6);
	assert_string_equal(find_diff(p, "boot.seconds")->b, "0.31");
	assert_null(find_diff(p, "step.load.pid"));
	p = find_pair(&res, "kmod-order0-backup", "x86_64-6.12");
	assert_int_equal(p->ndiffs, 2);
	release(r, &res);
}

static void test_fixture_targets(void **state)
{
	struct compare_report r;
	struct compare_result res;
	struct compare_options opt = { 0 };
	struct strbuf err = STRBUF_INIT;
	(void)state;

	load_fixture(&r, REPORT_A);
	assert_int_equal(compare_targets(&res, &r, "x86_64", "x86_64-6.12", &opt, &err), 0);
	assert_int_equal(res.pairs, 4);
	assert_int_equal(res.verdicts_differ, 1);
	const struct compare_pair *p = find_pair(&res, "memcg-v1-kill", "x86_64");
	assert_string_equal(p->b->verdict, "skip");
	assert_int_equal(p->no_facts, 'b');
	p = find_pair(&res, "kmod-order0-backup", "x86_64");
	/* what a diff of the two runs' facts under the same rules, made apart
	 * from this code, counts */
	assert_int_equal(p->ndiffs, 124);
	assert_string_equal(find_diff(p, "guest.release")->b, "6.12.118+deb12-amd64");
	assert_null(find_diff(p, "meminfo.after.Unaccepted")->a);
	assert_int_equal(find_pair(&res, "memcg-v2-max-kill", "x86_64")->ndiffs, 60);
	assert_false(compare_pair_differs(find_pair(&res, "i386-highmem", "x86_64")));
	compare_result_release(&res);
	compare_report_release(&r);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_rules_all_used),
		cmocka_unit_test(test_pair_facts),
		cmocka_unit_test(test_oom_last),
		cmocka_unit_test(test_no_facts),
		cmocka_unit_test(test_match_name_target),
		cmocka_unit_test(test_match_by_name_fallback),
		cmocka_unit_test(test_match_targets),
		cmocka_unit_test(test_fixture_edited),
		cmocka_unit_test(test_fixture_targets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
