/* Tests for the TAP half of run/record.c and its two lines in runner.c: a
 * tap step's output kept whole (bounded), read as TAP into facts at the end
 * of a run, and judged by the case's [expect]. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "run/record.h"
#include "run/runner.h"
#include "tests/run_test_util.h"

static void apply(struct record_state *st, struct facts *f, const char *line)
{
	record_apply(st, f, line, strlen(line));
}

/* An "out" record of step with text encoded as the agent encodes it. */
static void out(struct record_state *st, struct facts *f, const char *step, const char *text)
{
	struct strbuf line = STRBUF_INIT;

	strbuf_addstr(&line, "out");
	record_add_field(&line, step);
	record_add_field(&line, text);
	apply(st, f, line.buf);
	strbuf_release(&line);
}

static void two_steps(struct oomcase *c)
{
	parse_ok(c, "[step t]\nrun = hog\n[step plain]\nrun = hog\n[expect]\nagent.done == 1\n");
	c->steps[0].tap = 1;
}

static void test_keeps_a_tap_steps_output(void **state)
{
	(void)state;
	struct oomcase c;
	struct record_state st;
	struct facts f = FACTS_INIT;

	two_steps(&c);
	record_init(&st);
	record_want_tap(&st, &c);
	assert_int_equal(st.ntaps, 1);
	out(&st, &f, "t", "TAP version 13");
	out(&st, &f, "t", "1..2");
	out(&st, &f, "plain", "ok 1 - not the tap step's");
	out(&st, &f, "t", "# with spaces, a \\# and % in it");
	out(&st, &f, "t", "ok 1 - first");
	out(&st, &f, "t", "not ok 2 - second\r");
	apply(&st, &f, "exit t 1");
	assert_string_equal(st.taps[0].out.buf, "TAP version 13\n1..2\n# with spaces, a \\# and % in it\n"
						"ok 1 - first\nnot ok 2 - second\r\n");
	/* the last line is still step.STEP.output */
	assert_string_equal(facts_get(&f, "step.t.output"), "not ok 2 - second\r");
	record_tap_facts(&st, &f);
	assert_string_equal(facts_get(&f, "tap.t.valid"), "1");
	assert_string_equal(facts_get(&f, "tap.t.capped"), "0");
	assert_string_equal(facts_get(&f, "tap.t.pass"), "1");
	assert_string_equal(facts_get(&f, "tap.t.fail"), "1");
	assert_string_equal(facts_get(&f, "tap.t.2.description"), "second");
	assert_string_equal(facts_get(&f, "tap.t.1.diagnostic"), "# with spaces, a \\# and % in it");
	/* a step not marked tap has no tap facts */
	for (size_t i = 0; i < f.n; i++)
		assert_null(strstr(f.v[i].name, "tap.plain"));
	record_release(&st);
	facts_release(&f);
	case_release(&c);
}

static void test_silent_step_is_not_tap(void **state)
{
	(void)state;
	struct oomcase c;
	struct record_state st;
	struct facts f = FACTS_INIT;

	two_steps(&c);
	record_init(&st);
	record_want_tap(&st, &c);
	record_tap_facts(&st, &f);
	assert_string_equal(facts_get(&f, "tap.t.valid"), "0");
	assert_string_equal(facts_get(&f, "tap.t.capped"), "0");
	assert_null(facts_get(&f, "tap.t.fail"));
	record_release(&st);
	facts_release(&f);
	case_release(&c);
}

/* Past RECORD_TAP_MAX whole lines are dropped and tap.STEP.capped says so. */
static void test_output_is_bounded(void **state)
{
	(void)state;
	struct oomcase c;
	struct record_state st;
	struct facts f = FACTS_INIT;
	struct strbuf line = STRBUF_INIT;
	const size_t width = 1000;
	size_t n = RECORD_TAP_MAX / width + 50;

	two_steps(&c);
	record_init(&st);
	record_want_tap(&st, &c);
	out(&st, &f, "t", "TAP version 13");
	for (size_t i = 1; i <= n; i++) {
		strbuf_reset(&line);
		strbuf_addf(&line, "ok %zu ", i);
		while (line.len < width - 1)
			strbuf_addch(&line, 'x');
		out(&st, &f, "t", line.buf);
	}
	assert_true(st.taps[0].capped);
	assert_true(st.taps[0].out.len <= RECORD_TAP_MAX);
	assert_true(st.taps[0].out.len > RECORD_TAP_MAX - width);
	assert_int_equal(st.taps[0].out.buf[st.taps[0].out.len - 1], '\n');
	record_tap_facts(&st, &f);
	assert_string_equal(facts_get(&f, "tap.t.capped"), "1");
	/* what was kept is read: whole lines only */
	long seen = strtol(facts_get(&f, "tap.t.seen"), NULL, 10);
	assert_true(seen > 0 && (size_t)seen < n);
	assert_string_equal(facts_get(&f, "tap.t.unknown"), "0");
	record_release(&st);
	facts_release(&f);
	strbuf_release(&line);
	case_release(&c);
}

/* ---- through the runner ---- */

struct vm {
	int con[2], agent[2];
};

static const char *agent_text;

static int fake_start(const struct vm_config *cfg, struct vm **out_vm, struct strbuf *err)
{
	(void)cfg;
	(void)err;
	struct vm *vm = xcalloc(1, sizeof(*vm));
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, vm->con), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, vm->agent), 0);
	assert_int_equal(write(vm->agent[1], agent_text, strlen(agent_text)), (ssize_t)strlen(agent_text));
	shutdown(vm->con[1], SHUT_WR);
	shutdown(vm->agent[1], SHUT_WR);
	fcntl(vm->con[0], F_SETFL, O_NONBLOCK);
	fcntl(vm->agent[0], F_SETFL, O_NONBLOCK);
	*out_vm = vm;
	return 0;
}

static int fake_console_fd(struct vm *vm) { return vm->con[0]; }
static int fake_agent_fd(struct vm *vm) { return vm->agent[0]; }
static int fake_wait(struct vm *vm, int timeout_ms) { (void)vm; (void)timeout_ms; return 1; }
static void fake_kill(struct vm *vm) { (void)vm; }
static void fake_describe_exit(struct vm *vm, struct strbuf *o) { (void)vm; strbuf_addstr(o, "exit 0"); }

static void fake_destroy(struct vm *vm)
{
	for (int i = 0; i < 2; i++) {
		close(vm->con[i]);
		close(vm->agent[i]);
	}
	free(vm);
}

static const struct backend_ops fake_backend = {
	.name = "fake", .start = fake_start, .console_fd = fake_console_fd, .agent_fd = fake_agent_fd,
	.wait = fake_wait, .kill = fake_kill, .describe_exit = fake_describe_exit, .destroy = fake_destroy,
};

static const struct target tgt = { .name = "x86_64", .arch = "x86_64", .release = "6.1.0-50-amd64" };

static void run_tap_case(const char *expect, char *dir, struct run_result *res)
{
	struct oomcase c;
	struct strbuf text = STRBUF_INIT;

	strbuf_addf(&text, "[step selftest]\nrun = hog\n[expect]\n%s\n", expect);
	parse_ok(&c, text.buf);
	c.steps[0].tap = 1;
	assert_non_null(mkdtemp(dir));
	struct run_request rq = { .c = &c, .t = &tgt, .backend = &fake_backend, .initrd = "/nonexistent",
				  .run_dir = dir, .timeout_ms = 20000 };
	run_result_init(res);
	run_one(&rq, res);
	case_release(&c);
	strbuf_release(&text);
}

static void test_runner_makes_and_judges_tap_facts(void **state)
{
	(void)state;
	char dir[] = "/tmp/oomtest-ktap.XXXXXX", dir2[] = "/tmp/oomtest-ktap.XXXXXX";
	struct run_result res;
	struct strbuf text = STRBUF_INIT;

	agent_text = "ready 1 6.1.0-50-amd64 x86_64\nstart selftest 5\n"
		     "out selftest TAP%20version%2013\nout selftest 1..2\n"
		     "out selftest #%20%20RUN%20global.a\nout selftest ok%201%20global.a\n"
		     "out selftest ok%202%20global.b%20#%20SKIP%20no%20hugetlb\n"
		     "exit selftest 0\ndone\n";
	run_tap_case("tap.selftest.fail == 0", dir, &res);
	assert_string_equal(res.reason.buf, "");
	assert_int_equal(res.verdict, V_PASS);
	assert_string_equal(facts_get(&res.facts, "tap.selftest.pass"), "1");
	assert_string_equal(facts_get(&res.facts, "tap.selftest.skip"), "1");
	assert_string_equal(facts_get(&res.facts, "tap.selftest.global_b"), "skip");
	/* and facts.json has them for the report */
	read_run_file(dir, "facts.json", &text);
	assert_non_null(strstr(text.buf, "\"tap.selftest.1.diagnostic\": \"#  RUN global.a\""));
	run_result_release(&res);

	agent_text = "ready 1 6.1.0-50-amd64 x86_64\nstart selftest 5\n"
		     "out selftest 1..2\nout selftest not%20ok%201%20broken\nexit selftest 1\ndone\n";
	run_tap_case("tap.selftest.fail == 0", dir2, &res);
	assert_int_equal(res.verdict, V_FAIL);
	assert_int_equal(res.nfailed, 1);
	assert_string_equal(res.failed[0].seen, "1");
	assert_string_equal(facts_get(&res.facts, "tap.selftest.missing"), "1");
	run_result_release(&res);
	strbuf_release(&text);
	remove_dir(dir);
	remove_dir(dir2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keeps_a_tap_steps_output),
		cmocka_unit_test(test_silent_step_is_not_tap),
		cmocka_unit_test(test_output_is_bounded),
		cmocka_unit_test(test_runner_makes_and_judges_tap_facts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
