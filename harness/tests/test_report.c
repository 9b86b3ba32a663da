/* Tests for report.c (the model: entries, the worker's judgements, logs
 * read back) and show.c, over the shared report fixture. */
#include "fixtures/report/report_fixture.h"

/* ---- the model ---- */

static void assert_expect(const struct report_expect *x, const char *text, int line, const char *expected,
			  const char *seen, int ok)
{
	assert_string_equal(x->text, text);
	assert_int_equal(x->line, line);
	assert_string_equal(x->expected, expected);
	if (seen)
		assert_string_equal(x->seen, seen);
	else
		assert_null(x->seen);
	assert_int_equal(x->ok, ok);
}

static void test_add_entries(void **state)
{
	(void)state;
	assert_int_equal(fx.r.n, NENTRIES);
	assert_string_equal(fx.r.run_dir, fx.root);
	assert_string_equal(fx.r.run_id, strrchr(fx.root, '/') + 1);
	assert_int_equal(report_count(&fx.r, V_PASS), 1);
	assert_int_equal(report_count(&fx.r, V_FAIL), 1);
	assert_int_equal(report_count(&fx.r, V_ERROR), 1);
	assert_int_equal(report_count(&fx.r, V_TIMEOUT), 0);
	assert_int_equal(report_count(&fx.r, V_SKIP), 1);

	/* passing: every expectation listed as the worker judged it; the
	 * [expect i386] one is not judged on x86_64 */
	const struct report_entry *e = &fx.r.v[PASS];
	assert_string_equal(e->name, "kmod-order0");
	assert_string_equal(e->case_name, "kmod-order0");
	assert_null(e->variant);
	assert_string_equal(e->case_path, "cases/kmod-order0.case");
	assert_string_equal(e->description, "order 0 with a backup: insmod is the victim");
	assert_string_equal(e->target, "x86_64");
	assert_string_equal(e->release, "6.1.0-50-amd64");
	assert_null(e->host);
	assert_string_equal(e->reason, "");
	assert_true(e->seconds == 12.3456);
	assert_int_equal(e->nexpects, 3);
	assert_expect(&e->expects[0], "oom.count == 1", 15, "== 1", "1", 1);
	assert_expect(&e->expects[1], "oom.1.victim.comm == insmod", 16, "== insmod", "insmod", 1);
	assert_string_equal(e->expects[2].text, "console ~ \"invoked oom-killer\"");
	assert_int_equal(e->expects[2].line, 17);
	assert_string_equal(e->expects[2].expected, "~ invoked oom-killer");
	assert_non_null(strstr(e->expects[2].seen, "invoked oom-killer"));
	assert_true(e->expects[2].ok);
	/* facts from facts.json */
	assert_string_equal(facts_get(&e->facts, "buddyinfo.before.DMA32.order0"), "2000");
	assert_string_equal(facts_get(&e->facts, "buddyinfo.after.DMA.order2"), "12");
	assert_string_equal(facts_get(&e->facts, "oom.1.victim.comm"), "insmod");
	assert_non_null(e->dir);
	assert_non_null(e->events_json);
	assert_non_null(strstr(e->events_json, "\"oom_events\""));
	/* samples: the malformed lines skipped, the last one without \n kept */
	assert_int_equal(e->nsamples, 6);
	assert_string_equal(e->samples[0].step, "load");
	assert_int_equal(e->samples[0].ms, 0);
	assert_int_equal(e->samples[0].rss_kb, 1024);
	assert_string_equal(e->samples[2].step, "hog");
	assert_int_equal(e->samples[2].ms, 10);
	assert_int_equal(e->samples[2].rss_kb, 2048);
	assert_string_equal(e->samples[5].step, "load");
	assert_int_equal(e->samples[5].ms, 75);
	assert_int_equal(e->samples[5].rss_kb, 120000);

	/* failing: passes listed too, the implied failure (line 0) kept; the
	 * facts the result carries win over facts.json */
	e = &fx.r.v[FAIL];
	assert_string_equal(e->name, HOSTILE_NAME);
	assert_string_equal(e->host, "qemu+ssh://h<1>/system");
	assert_string_equal(facts_get(&e->facts, "oom.count"), "1");
	assert_int_equal(e->nexpects, 4);
	assert_expect(&e->expects[0], "oom.count == 2", 5, "== 2", "1", 0);
	assert_expect(&e->expects[1], "oom.1.victim.comm == hog", 6, "== hog", HOSTILE_COMM, 0);
	assert_expect(&e->expects[2], "oom.1.victim.comm != init", 7, "!= init", HOSTILE_COMM, 1);
	assert_expect(&e->expects[3], "no unexpected kernel panic (implied; expect panic to decide)", 0, "panic == 0",
		      "panic 1: " PANIC_REASON, 0);
	assert_null(e->events_json);
	assert_int_equal(e->nsamples, 0);

	/* error: not judged (seen NULL), facts.json read */
	e = &fx.r.v[ERROR];
	assert_string_equal(e->name, "javascript:alert(1)");
	assert_string_equal(e->reason, ERROR_REASON);
	assert_int_equal(e->nexpects, 1);
	assert_expect(&e->expects[0], "oom.count == 1", 2, "== 1", NULL, 0);
	assert_string_equal(facts_get(&e->facts, "boot.path"), "cold \xff");
	assert_null(facts_get(&e->facts, "n")); /* not a string */

	/* skipped: nothing read */
	e = &fx.r.v[SKIP];
	assert_string_equal(e->name, "big-memory[memory=64M]");
	assert_string_equal(e->variant, "memory=64M");
	assert_null(e->dir);
	assert_int_equal(e->nexpects, 0);
	assert_int_equal(e->facts.n, 0);
}

/* A run dir with no file at all, and with dir NULL. */
static void test_add_empty_dir(void **state)
{
	(void)state;
	struct report r;
	struct oomcase c;
	struct run_result res;
	char *dir = run_dir_for("empty");

	parse_case(&c, "cases/empty.case", fail_case);
	run_result_init(&res);
	report_init(&r, "plain-name", 0, 2);
	assert_string_equal(r.run_id, "plain-name");
	res.verdict = V_PASS;
	report_add(&r, &c, &fx.t, NULL, &res, dir);
	res.verdict = V_TIMEOUT;
	report_add(&r, &c, &fx.t, NULL, &res, NULL);
	assert_int_equal(r.n, 2);
	/* every judgement is the worker's: one that sent none judged nothing */
	assert_int_equal(r.v[0].nexpects, 3);
	assert_expect(&r.v[0].expects[0], "oom.count == 2", 5, "== 2", NULL, 0);
	assert_null(r.v[0].events_json);
	assert_int_equal(r.v[0].nsamples, 0);
	assert_int_equal(r.v[0].npoints, 0);
	assert_int_equal(r.v[0].nevents, 0);
	assert_int_equal(r.v[0].facts.n, 0);
	assert_null(r.v[1].dir);
	assert_int_equal(r.v[1].nexpects, 0);
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	report_json_build(&r, &out);
	assert_int_equal(report_junit_build(&r, &out, &err), 0);
	assert_int_equal(report_html_build(&r, &out, &err), 0);
	strbuf_release(&out);
	strbuf_release(&err);
	report_release(&r);
	run_result_release(&res);
	case_release(&c);
	free(dir);
}

/* The report shows what the worker saw: it judged `console` on the text it
 * kept in memory, which console.log on disk (cut by --log-limit) need not
 * hold. */
static void test_seen_is_the_workers(void **state)
{
	(void)state;
	static const char case_text[] = "[expect]\nconsole ~ \"invoked oom-killer\"\noom.count == 1\n";
	static const char in_memory[] = "[    1.5] hog invoked oom-killer: gfp_mask=0xcc0, order=0\n";
	static const char on_disk[] = "[    1.0] Linux version 6.1.0\n"
				      "[oomtest: log capped at 32 bytes (--log-limit); the rest was read, not kept]\n";
	char *dir = run_dir_for("capped");
	struct oomcase c;
	struct run_result res;
	struct report r;

	/* the worker's judgement, on what it kept */
	parse_case(&c, "cases/capped.case", case_text);
	run_result_init(&res);
	facts_set(&res.facts, "oom.count", "1");
	run_judge(&c, &fx.t, in_memory, sizeof(in_memory) - 1, &res);
	assert_int_equal(res.verdict, V_PASS);
	write_in(dir, "console.log", on_disk, sizeof(on_disk) - 1);
	report_init(&r, "capped", 0, 1);
	report_add(&r, &c, &fx.t, NULL, &res, dir);
	assert_int_equal(r.v[0].nexpects, 2);
	assert_true(r.v[0].expects[0].ok);
	assert_non_null(r.v[0].expects[0].seen);
	assert_non_null(strstr(r.v[0].expects[0].seen, "hog invoked oom-killer"));
	assert_expect(&r.v[0].expects[1], "oom.count == 1", 3, "== 1", "1", 1);
	report_release(&r);
	run_result_release(&res);
	case_release(&c);
	free(dir);
}

static void test_read_log(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT, want = STRBUF_INIT;
	const struct report_entry *e = &fx.r.v[PASS];

	/* \r\n shown as \n, everything else as it is */
	assert_int_equal(report_read_log(e, "console.log", (size_t)-1, &out), 0);
	for (size_t i = 0; i < fx.pass_console.len; i++)
		if (!(fx.pass_console.buf[i] == '\r' && fx.pass_console.buf[i + 1] == '\n'))
			strbuf_addch(&want, fx.pass_console.buf[i]);
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.buf, want.buf, want.len);
	assert_null(memchr(out.buf, '\r', out.len));
	assert_non_null(strstr(out.buf, "\x1b[0mtrailer \xff\n"));

	/* a file missing, or no directory: empty, not cut */
	strbuf_reset(&out);
	assert_int_equal(report_read_log(e, "agent.log", 100, &out), 0);
	assert_int_equal(out.len, 0);
	assert_int_equal(report_read_log(&fx.r.v[SKIP], "console.log", 100, &out), 0);
	assert_int_equal(out.len, 0);

	/* the limit keeps the end of the file and says it cut */
	char *dir = run_dir_for("logs");
	struct report_entry le = { .dir = dir };
	write_str(dir, "l", "0123456789\r\nabcdef\r\n");
	static const struct {
		size_t limit;
		int cut;
		const char *want;
	} lim[] = {
		{ 9, 1, "\nabcdef\n" },      /* cut inside \r\n: the \n stays */
		{ 8, 1, "abcdef\n" },
		{ 10, 1, "\nabcdef\n" },
		{ 13, 1, "789\nabcdef\n" },
		{ 19, 1, "123456789\nabcdef\n" },
		{ 20, 0, "0123456789\nabcdef\n" },
		{ 1 << 20, 0, "0123456789\nabcdef\n" },
		{ 0, 1, "" },
	};
	for (size_t i = 0; i < sizeof(lim) / sizeof(lim[0]); i++) {
		strbuf_reset(&out);
		assert_int_equal(report_read_log(&le, "l", lim[i].limit, &out), lim[i].cut);
		assert_string_equal(out.buf, lim[i].want);
	}

	/* a lone \r is kept, also at the end of the file and where a read
	 * ends; a \r\n split between two reads is still one \n */
	strbuf_reset(&want);
	for (int i = 0; i < 65535; i++)
		strbuf_addch(&want, 'a');
	strbuf_addstr(&want, "\rb\r");
	write_in(dir, "cr", want.buf, want.len);
	strbuf_reset(&out);
	assert_int_equal(report_read_log(&le, "cr", (size_t)-1, &out), 0);
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.buf, want.buf, want.len);
	want.len = 65535;
	strbuf_addstr(&want, "\r\nz\r\n");
	write_in(dir, "crlf", want.buf, want.len);
	strbuf_reset(&out);
	assert_int_equal(report_read_log(&le, "crlf", (size_t)-1, &out), 0);
	assert_int_equal(out.len, 65535 + 3);
	assert_string_equal(out.buf + 65535, "\nz\n");

	free(dir);
	strbuf_release(&out);
	strbuf_release(&want);
}

/* ---- show ---- */

static void assert_contains(const char *haystack, const char *needle)
{
	if (!strstr(haystack, needle))
		fail_msg("\"%s\" not in:\n%s", needle, haystack);
}

static void test_show_case(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT;

	show_case(&fx.cases[PASS], NULL, &out);
	assert_contains(out.buf, "case kmod-order0  (cases/kmod-order0.case)\n"
				 "  order 0 with a backup: insmod is the victim\n"
				 "  memory:   128M\n"
				 "  timeout:  60 s\n"
				 "  targets:  every default target\n");
	assert_contains(out.buf, "  steps, in order:\n"
				 "    1. load (line 6): insmod oom_trigger order=0 mode=backup release=4096; rmmod oom_trigger\n"
				 "       module oom_trigger: in the image, built for each target\n"
				 "    2. look (line 10); then sleep 100 ms; collect buddyinfo\n");
	assert_contains(out.buf, "  expectations:\n"
				 "    line 15: oom.count == 1\n"
				 "    line 16: oom.1.victim.comm == insmod\n"
				 "    line 17: console ~ \"invoked oom-killer\"\n"
				 "    line 20: oom.count == 5   [only on i386]\n");
	assert_contains(out.buf, "  plus, unless an expectation speaks of them: no kernel panic, no oops or BUG\n");
	assert_contains(out.buf, "  plan (what the guest agent is sent):\n"
				 "    module load 0 - - oom_trigger order=0 mode=backup release=4096\n"
				 "    rmmod oom_trigger\n"
				 "    sleep 100\n"
				 "    collect look buddyinfo\n"
				 "    end\n");

	/* with targets: where it runs, and where it is skipped */
	struct target tv[] = {
		{ .name = "x86_64", .arch = "x86_64", .release = "6.1" },
		{ .name = "big", .arch = "i386", .release = "6.1", .min_memory = 256ull << 20 },
	};
	struct target_list tl = { .v = tv, .n = 2 };
	strbuf_reset(&out);
	show_case(&fx.cases[PASS], &tl, &out);
	assert_contains(out.buf, "  targets:  x86_64, big (skipped: needs 256M)\n");

	/* a variant, a cgroup, a background step with words to quote in the plan */
	strbuf_reset(&out);
	show_case(&fx.cases[SKIP], NULL, &out);
	assert_contains(out.buf, "case big-memory[memory=64M]  (cases/big-memory.case)\n  memory:   64M\n");
	assert_contains(out.buf, "  expectations:\n    line 4: oom.count == 0\n");
	struct oomcase c;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(case_load(&c, "fixtures/cases/good.case", &err), 0);
	strbuf_reset(&out);
	show_case(&c, NULL, &out);
	assert_contains(out.buf, "  targets:  x86_64, i386\n");
	assert_contains(out.buf, "  cgroup hog (v1, line 9)\n    memory.limit_in_bytes = 512K\n");
	assert_contains(out.buf, "    1. hog (line 14): run hog --chunk 128K --name two words, in the background, "
				 "in cgroup hog\n");
	assert_contains(out.buf, "    3. look (line 23); then sleep 2000 ms; collect buddyinfo meminfo cgroup:hog proc:hog\n");
	assert_contains(out.buf, "    line 28: oom.count == 0\n    line 29: cgroup.hog.memory.oom_control.under_oom == 1\n");
	assert_contains(out.buf, "    line 34: oom.1.victim.comm == hog\n");
	assert_contains(out.buf, "    mount cgroup1\n");
	assert_contains(out.buf, "    run hog 1 hog - hog --chunk 128K --name \"two words\"\n");
	case_release(&c);

	/* what a case brings, and where each thing comes from */
	struct oomcase own;
	parse_case(&own, "own.case",
		   "[case]\npackages = stress-ng\n[files]\n/etc/data = fixtures/cases/good.case\n"
		   "[step mine]\nrun = ./bin-${arch}/prog 1M\n[step stress]\nrun = stress-ng --vm 1\ntap = yes\n"
		   "[step sh]\nrun = sleep 1\n[expect]\ntap.stress.fail == 0\n");
	strbuf_reset(&out);
	show_case(&own, NULL, &out);
	assert_contains(out.buf, "  packages: stress-ng (Debian's build for each target's arch, with the libraries they need)\n");
	assert_contains(out.buf, "  file /etc/data from ");
	assert_contains(out.buf, "/fixtures/cases/good.case (line 4)\n");
	assert_contains(out.buf, "    1. mine (line 5): run /usr/local/bin/prog 1M\n"
				 "       program /usr/local/bin/prog: the case's file ");
	assert_contains(out.buf, "/bin-${arch}/prog, ${arch} per target, with the libraries it needs\n");
	assert_contains(out.buf, "    2. stress (line 7): run stress-ng --vm 1; its output read as TAP (facts tap.stress.*)\n"
				 "       program stress-ng: from the case's packages, or a busybox applet\n");
	case_release(&own);

	/* a case whose plan cannot be built says so */
	struct oomcase bad;
	parse_case(&bad, "cases/mixed.case",
		   "[cgroup a]\nversion = 1\nmemory.limit_in_bytes = 1M\n[cgroup b]\nversion = 2\nmemory.max = 1M\n"
		   "[step s]\nrun = hog\ncgroup = a\n[expect]\noom.count == 0\n");
	strbuf_reset(&out);
	show_case(&bad, NULL, &out);
	assert_contains(out.buf, "  plan: cannot be built: cases/mixed.case: cgroup v1 and v2 groups in one case");
	case_release(&bad);
	strbuf_release(&err);
	strbuf_release(&out);
}

/* timeline.tsv and timeline-events.tsv: rows of three fields, numbers
 * where numbers go; anything else skipped. */
static void test_add_timeline(void **state)
{
	(void)state;
	struct report r;
	struct oomcase c;
	struct run_result res;
	char *dir = run_dir_for("timeline");
	static const char points[] = "ms\tseries\tkb\n"
				     "0\tMemFree\t204800\n"
				     "0\tcgroup:hog\t4\n"
				     "x\tMemFree\t1\n"
				     "50\tMemFree\t-1\n"
				     "50\t\t1\n"
				     "50\tMemFree\n"
				     "50\tMemFree\t1\t2\n"
				     "\n"
				     "50\tSwap Free\t131068";
	static const char events[] = "ms\tkind\twhat\n"
				     "5600\toom_kill\t231 hog\n"
				     "5650\texit\t\n"
				     "-1\tstart\thog\n"
				     "5700\tnew_kind\tx\n";

	write_in(dir, "timeline.tsv", points, sizeof(points) - 1);
	write_in(dir, "timeline-events.tsv", events, sizeof(events) - 1);
	parse_case(&c, "cases/timeline.case", fail_case);
	run_result_init(&res);
	res.verdict = V_PASS;
	report_init(&r, fx.root, 0, 1);
	report_add(&r, &c, &fx.t, NULL, &res, dir);
	const struct report_entry *e = &r.v[0];
	assert_int_equal(e->npoints, 3);
	assert_string_equal(e->points[0].series, "MemFree");
	assert_int_equal(e->points[0].ms, 0);
	assert_int_equal(e->points[0].kb, 204800);
	assert_string_equal(e->points[1].series, "cgroup:hog");
	assert_int_equal(e->points[1].kb, 4);
	assert_string_equal(e->points[2].series, "Swap Free");
	assert_int_equal(e->points[2].ms, 50);
	assert_int_equal(e->points[2].kb, 131068);
	/* a kind the report does not know is kept (and not drawn) */
	assert_int_equal(e->nevents, 2);
	assert_int_equal(e->events[0].ms, 5600);
	assert_string_equal(e->events[0].kind, "oom_kill");
	assert_string_equal(e->events[0].what, "231 hog");
	assert_string_equal(e->events[1].kind, "new_kind");
	report_release(&r);
	run_result_release(&res);
	case_release(&c);
	free(dir);
}

/* git bisect run's exit codes from a run's verdicts */
static int bisect_of(const enum verdict *v, size_t n, size_t planned, int interrupted)
{
	struct report_entry e[8];
	struct report r = { .v = e, .n = n, .planned = planned, .interrupted = interrupted };

	memset(e, 0, sizeof(e));
	for (size_t i = 0; i < n; i++)
		e[i].verdict = v[i];
	return report_bisect_status(&r);
}

static void test_bisect_status(void **state)
{
	static const enum verdict pass2[] = { V_PASS, V_PASS };
	static const enum verdict one_fail[] = { V_PASS, V_FAIL };
	static const enum verdict fail_error[] = { V_FAIL, V_ERROR };
	static const enum verdict timeout[] = { V_PASS, V_TIMEOUT };
	static const enum verdict skip[] = { V_SKIP, V_PASS };
	static const enum verdict fail_skip[] = { V_FAIL, V_SKIP };

	(void)state;
	assert_int_equal(bisect_of(pass2, 2, 2, 0), 0);
	assert_int_equal(bisect_of(one_fail, 2, 2, 0), 1);
	/* trouble outside the kernel's behaviour never blames the commit */
	assert_int_equal(bisect_of(fail_error, 2, 2, 0), REPORT_BISECT_SKIP);
	assert_int_equal(bisect_of(timeout, 2, 2, 0), REPORT_BISECT_SKIP);
	assert_int_equal(bisect_of(skip, 2, 2, 0), REPORT_BISECT_SKIP);
	assert_int_equal(bisect_of(fail_skip, 2, 2, 0), REPORT_BISECT_SKIP);
	assert_int_equal(bisect_of(pass2, 2, 2, 1), REPORT_BISECT_SKIP);
	assert_int_equal(bisect_of(pass2, 2, 3, 0), REPORT_BISECT_SKIP);
	assert_int_equal(bisect_of(NULL, 0, 0, 0), REPORT_BISECT_SKIP);
	assert_int_equal(REPORT_BISECT_SKIP, 125);
	assert_true(REPORT_BISECT_ABORT > 127);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_entries),
		cmocka_unit_test(test_add_empty_dir),
		cmocka_unit_test(test_add_timeline),
		cmocka_unit_test(test_seen_is_the_workers),
		cmocka_unit_test(test_read_log),
		cmocka_unit_test(test_show_case),
		cmocka_unit_test(test_bisect_status),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
