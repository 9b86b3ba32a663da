/* Tests for plan.c (case -> agent plan), tap.c, results.c and the
 * runner's judging of expectations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case/casefile.h"
#include "lib/child.h"
#include "case/plan.h"
#include "run/results.h"
#include "run/runner.h"
#include "report/tap.h"

static void parse_ok(struct oomcase *c, const char *text)
{
	struct strbuf err = STRBUF_INIT;
	int r = case_parse(c, "t.case", text, strlen(text), &err);
	if (r)
		fprintf(stderr, "%s", err.buf);
	assert_int_equal(r, 0);
	strbuf_release(&err);
}

static void test_plan_v1_steps(void **state)
{
	(void)state;
	struct oomcase c;
	struct strbuf plan = STRBUF_INIT, err = STRBUF_INIT;

	parse_ok(&c, "[cgroup hog]\nversion = 1\nmemory.limit_in_bytes = 512K\n"
		     "[step hog]\nrun = hog --chunk \"128 K\"\ncgroup = hog\nbackground = yes\n"
		     "[step look]\nsleep = 2s\ncollect = buddyinfo cgroup:hog proc:hog\n"
		     "write = /proc/sys/vm/compact_memory \"1 \"\n"
		     "[step load]\nmodule = oom_trigger order=3\nrmmod = oom_trigger\noom_score_adj = -5\n"
		     "[sysctl]\nvm.panic_on_oom = 1\n"
		     "[expect]\noom.count == 0\n");
	assert_int_equal(plan_build(&c, &plan, &err), 0);
	assert_string_equal(plan.buf,
			    "sysctl vm.panic_on_oom 1\n"
			    "mount cgroup1\n"
			    "cgroup hog\n"
			    "cgset hog memory.limit_in_bytes 512K\n"
			    "run hog 1 hog - hog --chunk 128%20K\n"
			    "write /proc/sys/vm/compact_memory 1%20\n"
			    "sleep 2000\n"
			    "collect look buddyinfo cgroup:hog proc:hog\n"
			    "module load 0 - -5 oom_trigger order=3\n"
			    "rmmod oom_trigger\n"
			    "end\n");
	case_release(&c);
	strbuf_release(&plan);
	strbuf_release(&err);
}

static void test_plan_refuses_mixed_versions(void **state)
{
	(void)state;
	struct oomcase c;
	struct strbuf plan = STRBUF_INIT, err = STRBUF_INIT;

	parse_ok(&c, "[cgroup a]\nversion = 1\n[cgroup b]\nversion = 2\n[expect]\noom.count == 0\n");
	assert_int_equal(plan_build(&c, &plan, &err), -1);
	assert_non_null(strstr(err.buf, "cgroup v1 and v2"));
	case_release(&c);
	strbuf_release(&plan);
	strbuf_release(&err);
}

static void test_judge(void **state)
{
	(void)state;
	struct oomcase c;
	struct run_result r;
	const struct target tgt = { .name = "x86_64", .arch = "x86_64", .release = "6.1.0-50-amd64" };
	const char console[] = "[ 1.0] Memory cgroup out of memory: Killed process 78 (hog)\n";

	parse_ok(&c, "[expect]\noom.count == 1\noom.1.victim.comm == init\n"
		     "console ~ \"Killed process [0-9]+ \\\\(hog\\\\)\"\nconsole !~ \"Kernel panic\"\n");
	run_result_init(&r);
	facts_set(&r.facts, "oom.count", "1");
	facts_set(&r.facts, "oom.1.victim.comm", "hog");
	run_judge(&c, &tgt, console, sizeof(console) - 1, &r);
	assert_int_equal(r.verdict, V_FAIL);
	assert_int_equal(r.nfailed, 1);
	assert_string_equal(r.failed[0].text, "oom.1.victim.comm == init");
	assert_string_equal(r.failed[0].expected, "== init");
	assert_string_equal(r.failed[0].seen, "hog");
	assert_int_equal(r.failed[0].line, 3);
	run_result_release(&r);

	run_result_init(&r);
	facts_set(&r.facts, "oom.count", "1");
	facts_set(&r.facts, "oom.1.victim.comm", "init");
	run_judge(&c, &tgt, console, sizeof(console) - 1, &r);
	assert_int_equal(r.verdict, V_PASS);
	run_result_release(&r);
	case_release(&c);
}

static void test_judge_selectors_and_either(void **state)
{
	(void)state;
	struct oomcase c;
	struct run_result r;
	const struct target t61 = { .name = "x86_64", .arch = "x86_64", .release = "6.1.0-50-amd64" };
	const struct target t612 = { .name = "x86_64-6.12", .arch = "x86_64", .release = "6.12.117+deb12-amd64" };

	parse_ok(&c, "[expect]\nstep.hog.exit == signal:9 || step.hog.exit == 3\n"
		     "[expect 6.12]\nbuddyinfo.after.order3 == 0\n");
	run_result_init(&r);
	facts_set(&r.facts, "step.hog.exit", "3");
	facts_set(&r.facts, "buddyinfo.after.order3", "2");
	run_judge(&c, &t61, "", 0, &r);
	assert_int_equal(r.verdict, V_PASS); /* the 6.12 line is not judged on 6.1 */
	run_result_release(&r);

	run_result_init(&r);
	facts_set(&r.facts, "step.hog.exit", "0");
	facts_set(&r.facts, "buddyinfo.after.order3", "2");
	run_judge(&c, &t612, "", 0, &r);
	assert_int_equal(r.verdict, V_FAIL);
	assert_int_equal(r.nfailed, 2);
	assert_string_equal(r.failed[0].text, "step.hog.exit == signal:9 || step.hog.exit == 3");
	assert_string_equal(r.failed[0].expected, "== signal:9 || step.hog.exit == 3");
	assert_string_equal(r.failed[0].seen, "0 | 0");
	assert_string_equal(r.failed[1].text, "buddyinfo.after.order3 == 0");
	run_result_release(&r);
	case_release(&c);
}

static void test_unexpected_oops_fails(void **state)
{
	(void)state;
	struct oomcase c, c2;
	struct run_result r;
	const struct target t = { .name = "x86_64", .arch = "x86_64", .release = "6.1.0-50-amd64" };
	const char console[] = "[    1.0] hog invoked oom-killer: gfp_mask=0xcc0\n"
			       "[    1.1]  ? paravirt_BUG+0x10/0x10\n"
			       "[    2.5] BUG: kernel NULL pointer dereference, address: 0000000000000008\n";

	parse_ok(&c, "[expect]\noom.count == 1\n");
	run_result_init(&r);
	facts_set(&r.facts, "oom.count", "1");
	facts_set(&r.facts, "oops.count", "0");
	facts_set(&r.facts, "bug.count", "1");
	run_judge(&c, &t, console, sizeof(console) - 1, &r);
	assert_int_equal(r.verdict, V_FAIL);
	assert_int_equal(r.nfailed, 1);
	assert_string_equal(r.failed[0].seen,
			    "oops.count 0, bug.count 1: BUG: kernel NULL pointer dereference, address: 0000000000000008");
	run_result_release(&r);

	/* a case that speaks of bugs decides for itself */
	parse_ok(&c2, "[expect]\noom.count == 1\nbug.count == 1\n");
	run_result_init(&r);
	facts_set(&r.facts, "oom.count", "1");
	facts_set(&r.facts, "bug.count", "1");
	run_judge(&c2, &t, console, sizeof(console) - 1, &r);
	assert_int_equal(r.verdict, V_PASS);
	run_result_release(&r);
	case_release(&c);
	case_release(&c2);
}

static void test_unexpected_panic_fails(void **state)
{
	(void)state;
	struct oomcase c, c2;
	struct run_result r;
	const struct target t = { .name = "x86_64", .arch = "x86_64", .release = "6.1.0-50-amd64" };

	parse_ok(&c, "[expect]\noom.count == 0\n");
	run_result_init(&r);
	facts_set(&r.facts, "oom.count", "0");
	facts_set(&r.facts, "panic", "1");
	facts_set(&r.facts, "panic.reason", "sysrq triggered crash");
	run_judge(&c, &t, "", 0, &r);
	assert_int_equal(r.verdict, V_FAIL);
	assert_int_equal(r.nfailed, 1);
	assert_string_equal(r.failed[0].expected, "panic == 0");
	assert_string_equal(r.failed[0].seen, "panic 1: sysrq triggered crash");
	run_result_release(&r);

	/* a case that speaks of panics decides for itself */
	parse_ok(&c2, "[expect]\npanic.reason ~ sysrq\n");
	run_result_init(&r);
	facts_set(&r.facts, "panic", "1");
	facts_set(&r.facts, "panic.reason", "sysrq triggered crash");
	run_judge(&c2, &t, "", 0, &r);
	assert_int_equal(r.verdict, V_PASS);
	run_result_release(&r);
	case_release(&c);
	case_release(&c2);
}

static void test_tap_output(void **state)
{
	(void)state;
	struct run_result r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	char dir[] = "/tmp/oomtest-tap.XXXXXX", log[64], want[160];

	assert_non_null(mkdtemp(dir));
	snprintf(log, sizeof(log), "%s/console.log", dir);
	fclose(fopen(log, "w"));
	tap_begin(f, 14, 3);
	run_result_init(&r);
	r.verdict = V_PASS;
	tap_result(f, 1, "a#b\x1b[31m", "x86_64", &r, "/r/a/x86_64");
	r.verdict = V_SKIP;
	strbuf_addstr(&r.reason, "needs cgroup v1\x07");
	tap_result(f, 2, "c", "i386", &r, NULL);
	strbuf_reset(&r.reason);
	r.verdict = V_FAIL;
	r.failed = xcalloc(1, sizeof(*r.failed));
	r.nfailed = 1;
	r.failed[0].text = xstrdup("x == \"q\"");
	r.failed[0].expected = xstrdup("== q");
	r.failed[0].seen = xstrdup("a\nb\x01");
	r.failed[0].line = 9;
	tap_result(f, 3, "d", "i386", &r, dir);
	fclose(f);
	assert_non_null(strstr(buf, "TAP version 14\n1..3\n"));
	assert_non_null(strstr(buf, "ok 1 - a_b_[31m [x86_64]\n"));
	assert_non_null(strstr(buf, "ok 2 - c [i386] # SKIP needs cgroup v1_\n"));
	assert_non_null(strstr(buf, "not ok 3 - d [i386]\n  ---\n  verdict: fail\n"));
	assert_non_null(strstr(buf, "    - expectation: \"x == \\\"q\\\"\"\n      line: 9\n"));
	assert_non_null(strstr(buf, "      seen: \"a\\nb\\u0001\"\n"));
	/* only the logs that exist are listed */
	snprintf(want, sizeof(want), "  logs:\n    console.log: \"%s/console.log\"\n  seconds:", dir);
	assert_non_null(strstr(buf, want));
	unlink(log);
	rmdir(dir);
	assert_non_null(strstr(buf, "  ...\n"));
	run_result_release(&r);
	free(buf);
}

static void test_results_dirs(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/oomtest-test.XXXXXX";
	struct strbuf root = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT, err = STRBUF_INIT;
	char link[256];
	ssize_t n;

	assert_non_null(mkdtemp(tmpl));
	strbuf_addf(&root, "%s/deep/results", tmpl);
	assert_int_equal(results_new_run(root.buf, &a, &err), 0);
	assert_int_equal(results_new_run(root.buf, &b, &err), 0);
	assert_string_not_equal(a.buf, b.buf);
	strbuf_addstr(&root, "/latest");
	n = readlink(root.buf, link, sizeof(link) - 1);
	assert_true(n > 0);
	link[n] = '\0';
	assert_string_equal(link, strrchr(b.buf, '/') + 1);

	strbuf_reset(&root);
	strbuf_addf(&root, "%s/f.json", b.buf);
	assert_int_equal(fs_write_atomic(root.buf, "{}\n", 3), 0);
	struct stat st;
	assert_int_equal(stat(root.buf, &st), 0);
	assert_int_equal(st.st_size, 3);
	/* an unwritable place is an error, not a crash */
	assert_true(fs_write_atomic("/proc/nonexistent/x", "a", 1) < 0);

	char *argv[] = { "rm", "-rf", tmpl, NULL };
	assert_int_equal(child_run(argv, -1), 0);
	strbuf_release(&root);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_v1_steps),
		cmocka_unit_test(test_plan_refuses_mixed_versions),
		cmocka_unit_test(test_judge),
		cmocka_unit_test(test_judge_selectors_and_either),
		cmocka_unit_test(test_unexpected_oops_fails),
		cmocka_unit_test(test_unexpected_panic_fails),
		cmocka_unit_test(test_tap_output),
		cmocka_unit_test(test_results_dirs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
