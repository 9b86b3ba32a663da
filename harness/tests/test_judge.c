/* Tests for judge.c: expectations against facts, the implied checks (no
 * unexpected oops, BUG or panic; every wait condition held) and the
 * verdict from how a run ended. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/casefile.h"
#include "run/judge.h"
#include "tests/run_test_util.h"

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
	/* the others held, each with what was seen (the report shows it) */
	assert_int_equal(r.nheld, 3);
	assert_string_equal(r.held[0].text, "oom.count == 1");
	assert_string_equal(r.held[0].expected, "== 1");
	assert_string_equal(r.held[0].seen, "1");
	assert_int_equal(r.held[0].line, 2);
	assert_int_equal(r.held[1].line, 4);
	assert_non_null(strstr(r.held[1].seen, "Killed process 78 (hog)"));
	assert_int_equal(r.held[2].line, 5);
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

static const struct target t61 = { .name = "x86_64", .arch = "x86_64", .release = "6.1.0-50-amd64" };

/* The verdict and reason of a run that ended as e says, for a case that
 * expects one OOM kill. */
static enum verdict judge_end(const struct run_end *e, const char *vm_exit, struct strbuf *reason)
{
	struct oomcase c;
	struct run_result r;

	parse_ok(&c, "[expect]\noom.count == 1\n");
	run_result_init(&r);
	facts_set(&r.facts, "oom.count", "1");
	facts_set(&r.facts, "vm.exit", vm_exit);
	facts_set(&r.facts, "panic.reason", "Out of memory and no killable processes...");
	judge_run(e, &c, &t61, "", 0, &r);
	enum verdict v = r.verdict;
	strbuf_addbuf(reason, &r.reason);
	assert_int_equal(r.host_failed, e->host_lost && !e->interrupted);
	run_result_release(&r);
	case_release(&c);
	return v;
}

static void test_run_end_verdicts(void **state)
{
	(void)state;
	struct strbuf reason = STRBUF_INIT;
	const struct run_end ok = { .ready = 1, .done = 1, .agent_errors = "", .timeout_ms = 60000 };
	struct run_end e;

	/* a run that went to the end is judged on its expectations */
	assert_int_equal(judge_end(&ok, "exit 0", &reason), V_PASS);
	assert_string_equal(reason.buf, "");

	e = ok;
	e.interrupted = 1;
	e.host_lost = 1;
	strbuf_reset(&reason);
	assert_int_equal(judge_end(&e, "exit 0", &reason), V_ERROR);
	assert_string_equal(reason.buf, "interrupted");

	e = ok;
	e.host_lost = 1;
	strbuf_reset(&reason);
	assert_int_equal(judge_end(&e, "exit 0", &reason), V_ERROR);
	assert_string_equal(reason.buf, "the host running the guest went away (its connection closed)");

	/* the plan never reached the agent: an error, whatever came after */
	e = ok;
	e.ready = 1;
	e.done = 0;
	e.timed_out = 1;
	e.plan_error = EPIPE;
	strbuf_reset(&reason);
	assert_int_equal(judge_end(&e, "signal 9", &reason), V_ERROR);
	assert_string_equal(reason.buf, "cannot send the plan to the agent: Broken pipe");

	e = ok;
	e.silent = e.timed_out = 1;
	e.silence_ms = 30000;
	strbuf_reset(&reason);
	assert_int_equal(judge_end(&e, "signal 9", &reason), V_TIMEOUT);
	assert_string_equal(reason.buf, "no console or agent output for 30 s (--silence); QEMU was killed");

	e = ok;
	e.ready = e.done = 0;
	e.panicked = 1;
	strbuf_reset(&reason);
	assert_int_equal(judge_end(&e, "exit 0", &reason), V_ERROR);
	assert_string_equal(reason.buf, "boot failure: the kernel panicked before the guest agent started: "
					"Out of memory and no killable processes...");

	e = ok;
	e.ready = e.done = 0;
	e.timed_out = 1;
	strbuf_reset(&reason);
	assert_int_equal(judge_end(&e, "signal 9", &reason), V_ERROR);
	assert_string_equal(reason.buf, "boot failure: the guest agent never said ready within 60 s "
					"(see console.log); QEMU was killed");

	e = ok;
	e.done = 0;
	e.timed_out = 1;
	strbuf_reset(&reason);
	assert_int_equal(judge_end(&e, "signal 9", &reason), V_TIMEOUT);
	assert_string_equal(reason.buf, "the guest did not finish within 60 s (the agent was still running "
					"the plan); QEMU was killed");

	e = ok;
	e.agent_errors = "run hog: No such file\nsecond error\n";
	strbuf_reset(&reason);
	assert_int_equal(judge_end(&e, "exit 0", &reason), V_ERROR);
	assert_string_equal(reason.buf, "guest agent: run hog: No such file");

	e = ok;
	e.ready = e.done = 0;
	strbuf_reset(&reason);
	assert_int_equal(judge_end(&e, "exit 1", &reason), V_ERROR);
	assert_string_equal(reason.buf, "boot failure: the guest ended (QEMU exit 1) before its agent said ready "
					"(see console.log)");

	e = ok;
	e.done = 0;
	strbuf_reset(&reason);
	assert_int_equal(judge_end(&e, "signal 11", &reason), V_ERROR);
	assert_string_equal(reason.buf, "QEMU died of signal 11 before the plan finished (see qemu.log, console.log)");
	strbuf_reset(&reason);
	assert_int_equal(judge_end(&e, "exit 0", &reason), V_ERROR);
	assert_string_equal(reason.buf, "the guest stopped before the plan finished (QEMU exit 0; see console.log)");

	/* a panic after ready ends the plan early: the expectations decide */
	e.panicked = 1;
	strbuf_reset(&reason);
	assert_int_equal(judge_end(&e, "exit 0", &reason), V_PASS);
	strbuf_release(&reason);
}

#define WAIT_CASE "[cgroup hog]\nversion = 2\n[step hog]\nrun = hog\ncgroup = hog\nbackground = yes\n" \
	"[step look]\nwait = cgroup hog memory.events.high > 0\n" \
	"[step gone]\nwait = exit hog\nwait_max = 1500ms\n"

/* A wait that did not hold within its bound fails the run, with a line
 * that names the step, the condition as written and the bound. */
static void test_wait_not_held_fails(void **state)
{
	(void)state;
	struct oomcase c;
	struct run_result r;

	parse_ok(&c, WAIT_CASE "[expect]\noom.count == 0\n");
	run_result_init(&r);
	facts_set(&r.facts, "oom.count", "0");
	facts_set(&r.facts, "agent.done", "1");
	facts_set(&r.facts, "wait.look.met", "0");
	facts_set(&r.facts, "wait.look.ms", "30004");
	facts_set(&r.facts, "wait.gone.met", "1");
	facts_set(&r.facts, "wait.gone.ms", "12");
	run_judge(&c, &t61, "", 0, &r);
	assert_int_equal(r.verdict, V_FAIL);
	assert_int_equal(r.nfailed, 1);
	assert_string_equal(r.failed[0].text,
			    "step look: wait = cgroup hog memory.events.high > 0: did not hold within 30s");
	assert_int_equal(r.failed[0].line, 0);	/* the harness's: shown by every report */
	assert_string_equal(r.failed[0].expected, "wait.look.met == 1");
	assert_string_equal(r.failed[0].seen, "wait.look.met 0 after 30004 ms");
	assert_int_equal(r.nheld, 1);
	run_result_release(&r);

	/* both timed out: one line each, in step order; the bound as written */
	run_result_init(&r);
	facts_set(&r.facts, "oom.count", "0");
	facts_set(&r.facts, "wait.look.met", "0");
	facts_set(&r.facts, "wait.gone.met", "0");
	facts_set(&r.facts, "wait.gone.ms", "1501");
	run_judge(&c, &t61, "", 0, &r);
	assert_int_equal(r.verdict, V_FAIL);
	assert_int_equal(r.nfailed, 2);
	assert_string_equal(r.failed[0].seen, "wait.look.met 0 after ? ms");
	assert_string_equal(r.failed[1].text, "step gone: wait = exit hog: did not hold within 1500ms");
	assert_string_equal(r.failed[1].seen, "wait.gone.met 0 after 1501 ms");
	run_result_release(&r);

	/* every wait held */
	run_result_init(&r);
	facts_set(&r.facts, "oom.count", "0");
	facts_set(&r.facts, "agent.done", "1");
	facts_set(&r.facts, "wait.look.met", "1");
	facts_set(&r.facts, "wait.gone.met", "1");
	run_judge(&c, &t61, "", 0, &r);
	assert_int_equal(r.verdict, V_PASS);
	assert_int_equal(r.nfailed, 0);
	run_result_release(&r);

	/* the plan ran to its end with no waited record: no result is no pass */
	run_result_init(&r);
	facts_set(&r.facts, "oom.count", "0");
	facts_set(&r.facts, "agent.done", "1");
	facts_set(&r.facts, "wait.look.met", "1");
	run_judge(&c, &t61, "", 0, &r);
	assert_int_equal(r.verdict, V_FAIL);
	assert_int_equal(r.nfailed, 1);
	assert_string_equal(r.failed[0].text, "step gone: wait = exit hog: gave no result");
	assert_string_equal(r.failed[0].expected, "wait.gone.met == 1");
	assert_string_equal(r.failed[0].seen, "no waited record for step gone");
	run_result_release(&r);

	/* a plan a panic cut short: its expectations decide, not the waits it never reached */
	run_result_init(&r);
	facts_set(&r.facts, "oom.count", "0");
	facts_set(&r.facts, "agent.done", "0");
	facts_set(&r.facts, "wait.look.met", "1");
	run_judge(&c, &t61, "", 0, &r);
	assert_int_equal(r.verdict, V_PASS);
	run_result_release(&r);
	case_release(&c);
}

/* A case that expects wait.STEP.met itself decides; on the targets its
 * [expect SELECTOR] picks. */
static void test_wait_met_expected_by_case(void **state)
{
	(void)state;
	struct oomcase c;
	struct run_result r;
	const struct target t612 = { .name = "x86_64-6.12", .arch = "x86_64", .release = "6.12.117+deb12-amd64" };

	parse_ok(&c, WAIT_CASE "[expect]\nwait.look.met == 0\n[expect 6.12]\nwait.gone.met == 0 || oom.count == 1\n");
	run_result_init(&r);
	facts_set(&r.facts, "agent.done", "1");
	facts_set(&r.facts, "wait.look.met", "0");
	facts_set(&r.facts, "wait.gone.met", "0");
	run_judge(&c, &t612, "", 0, &r);
	assert_int_equal(r.verdict, V_PASS);
	assert_int_equal(r.nheld, 2);
	run_result_release(&r);

	/* on 6.1 nothing speaks of wait.gone.met: its timeout fails the run */
	run_result_init(&r);
	facts_set(&r.facts, "agent.done", "1");
	facts_set(&r.facts, "wait.look.met", "0");
	facts_set(&r.facts, "wait.gone.met", "0");
	run_judge(&c, &t61, "", 0, &r);
	assert_int_equal(r.verdict, V_FAIL);
	assert_int_equal(r.nfailed, 1);
	assert_string_equal(r.failed[0].text, "step gone: wait = exit hog: did not hold within 1500ms");
	run_result_release(&r);
	case_release(&c);
}

/* Through judge_run: a run that went to the end with a wait that timed out. */
static void test_wait_timeout_verdict(void **state)
{
	(void)state;
	struct oomcase c;
	struct run_result r;
	const struct run_end e = { .ready = 1, .done = 1, .agent_errors = "", .timeout_ms = 60000 };

	parse_ok(&c, WAIT_CASE "[expect]\noom.count == 0\n");
	run_result_init(&r);
	facts_set(&r.facts, "oom.count", "0");
	facts_set(&r.facts, "vm.exit", "exit 0");
	facts_set(&r.facts, "agent.done", "1");
	facts_set(&r.facts, "wait.look.met", "1");
	facts_set(&r.facts, "wait.gone.met", "0");
	facts_set(&r.facts, "wait.gone.ms", "1500");
	judge_run(&e, &c, &t61, "", 0, &r);
	assert_int_equal(r.verdict, V_FAIL);
	assert_int_equal(r.nfailed, 1);
	assert_string_equal(r.failed[0].text, "step gone: wait = exit hog: did not hold within 1500ms");
	run_result_release(&r);
	case_release(&c);
}

static void test_verdict_names(void **state)
{
	(void)state;
	assert_string_equal(verdict_name(V_PASS), "pass");
	assert_string_equal(verdict_name(V_FAIL), "fail");
	assert_string_equal(verdict_name(V_ERROR), "error");
	assert_string_equal(verdict_name(V_TIMEOUT), "timeout");
	assert_string_equal(verdict_name(V_SKIP), "skip");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_judge),
		cmocka_unit_test(test_judge_selectors_and_either),
		cmocka_unit_test(test_unexpected_oops_fails),
		cmocka_unit_test(test_unexpected_panic_fails),
		cmocka_unit_test(test_run_end_verdicts),
		cmocka_unit_test(test_verdict_names),
		cmocka_unit_test(test_wait_not_held_fails),
		cmocka_unit_test(test_wait_met_expected_by_case),
		cmocka_unit_test(test_wait_timeout_verdict),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
