/* Tests for runner.c: one run through a backend whose guest is two
 * sockets the test fills — the plan sent on ready, the streams logged and
 * parsed, the run's files written, the verdict; on a single console, the
 * plan baked into the run's initrd and the records framed in the console
 * under the key of its plan.txt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "case/plan.h"
#include "lib/child.h"
#include "lib/fs.h"
#include "proto/frame.h"
#include "run/runner.h"
#include "tests/run_test_util.h"

/* The guest: what it says on each stream, then its end. */
struct vm {
	int con[2], agent[2];      /* [0] the runner's end, [1] the guest's */
};

static const char *console_text, *agent_text;
static int start_result;
/* More agent bytes, written one slice per look at the guest (wait), so that
 * each slice is one read of the runner's; then the last piece in one. */
static const char *agent_later, *agent_last;
static size_t agent_later_len, agent_later_off;
#define SLICE 32768
/* The guest's end of the agent channel closes once it said agent_text. */
static int agent_peer_closes;
/* the guest says nothing and does not end; its streams block */
static int quiet_guest;
/* Written by a thread once the runner has been told the guest ended, as a
 * libvirt console bridge may still deliver the end of a stream. */
static const char *agent_after_end;
static pthread_t tail_thread;
static int tail_started;

/* Single console: the agent's records go into the console, framed under
 * the key the plan file holds, each after a line of console_text, and a
 * forged line after them when set. */
static const char *forged_line;
static int saw_baked_initrd;

static void frame_into_console(const struct vm_config *cfg, struct strbuf *out)
{
	struct strbuf plan = STRBUF_INIT;
	unsigned char key[SIPHASH_KEY_BYTES];
	unsigned long long seq = 0;
	const char *con = console_text, *rec = agent_text;

	read_run_file(cfg->run_dir, "plan.txt", &plan);
	assert_memory_equal(plan.buf, "key ", 4);
	assert_int_equal(frame_key_parse(key, plan.buf + 4, FRAME_KEY_HEX), 0);
	saw_baked_initrd = !access(cfg->initrd, R_OK) && strstr(cfg->initrd, cfg->run_dir) == cfg->initrd;
	while (*con || *rec) {
		size_t cl = strcspn(con, "\n"), rl = strcspn(rec, "\n");
		strbuf_add(out, con, cl + (con[cl] == '\n'));
		con += cl + (con[cl] == '\n');
		for (const char *p = rec; p < rec + rl;) {
			char line[FRAME_LINE_MAX];
			size_t c = frame_cut(p, (size_t)(rec + rl - p));
			size_t n = frame_format(line, key, seq++, p + c < rec + rl, p, c);
			strbuf_addf(out, "[    2.%06llu] %.*s\r\n", seq, (int)n, line);
			p += c;
		}
		rec += rl + (rec[rl] == '\n');
	}
	if (forged_line)
		strbuf_addstr(out, forged_line);
	strbuf_release(&plan);
}

static int fake_start(const struct vm_config *cfg, struct vm **out, struct strbuf *err)
{
	struct strbuf framed = STRBUF_INIT;

	if (cfg->single_console) {
		frame_into_console(cfg, &framed);
		console_text = framed.buf;
		agent_text = "";
	}
	if (start_result) {
		strbuf_release(&framed);
		strbuf_addstr(err, "cannot start: no such machine");
		return start_result;
	}
	struct vm *vm = xcalloc(1, sizeof(*vm));
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, vm->con), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, vm->agent), 0);
	if (quiet_guest) {
		*out = vm;
		return 0;
	}
	assert_int_equal(write(vm->con[1], console_text, strlen(console_text)), (ssize_t)strlen(console_text));
	assert_int_equal(write(vm->agent[1], agent_text, strlen(agent_text)), (ssize_t)strlen(agent_text));
	shutdown(vm->con[1], SHUT_WR);
	if (agent_peer_closes) {
		close(vm->agent[1]);
		vm->agent[1] = -1;
	} else if (!agent_later && !agent_last && !agent_after_end) {
		shutdown(vm->agent[1], SHUT_WR);
	}
	agent_later_off = 0;
	fcntl(vm->con[0], F_SETFL, O_NONBLOCK);
	fcntl(vm->agent[0], F_SETFL, O_NONBLOCK);
	if (cfg->single_console)
		console_text = ""; /* it was framed's */
	strbuf_release(&framed);
	*out = vm;
	return 0;
}

static int fake_console_fd(struct vm *vm) { return vm->con[0]; }
static int fake_agent_fd(struct vm *vm) { return vm->agent[0]; }
static void write_some(int fd, const char *p, size_t n)
{
	assert_int_equal(write(fd, p, n), (ssize_t)n);
}

static void *write_tail(void *arg)
{
	struct vm *vm = arg;

	write_some(vm->agent[1], agent_after_end, strlen(agent_after_end));
	shutdown(vm->agent[1], SHUT_WR);
	return NULL;
}

/* The guest has ended once it said all it had to say. */
static int fake_wait(struct vm *vm, int timeout_ms)
{
	(void)timeout_ms;
	if (quiet_guest)
		return 0;
	if (agent_after_end && !tail_started) {
		tail_started = 1;
		assert_int_equal(pthread_create(&tail_thread, NULL, write_tail, vm), 0);
		return 1;
	}
	if (agent_later && agent_later_off < agent_later_len) {
		size_t n = agent_later_len - agent_later_off < SLICE ? agent_later_len - agent_later_off : SLICE;
		write_some(vm->agent[1], agent_later + agent_later_off, n);
		agent_later_off += n;
		return 0;
	}
	if (agent_last) {
		write_some(vm->agent[1], agent_last, strlen(agent_last));
		agent_last = NULL;
		shutdown(vm->agent[1], SHUT_WR);
		return 0;
	}
	return 1;
}
static void fake_kill(struct vm *vm) { (void)vm; }
static void fake_describe_exit(struct vm *vm, struct strbuf *out) { (void)vm; strbuf_addstr(out, "exit 0"); }

static void fake_destroy(struct vm *vm)
{
	if (tail_started)
		pthread_join(tail_thread, NULL);
	tail_started = 0;
	agent_after_end = NULL;
	close(vm->con[0]);
	close(vm->con[1]);
	close(vm->agent[0]);
	if (vm->agent[1] >= 0)
		close(vm->agent[1]);
	free(vm);
	/* the next guest says only what its test gives it */
	agent_later = agent_last = NULL;
	agent_peer_closes = 0;
}

static const struct backend_ops fake_backend = {
	.name = "fake", .start = fake_start, .console_fd = fake_console_fd, .agent_fd = fake_agent_fd,
	.wait = fake_wait, .kill = fake_kill, .describe_exit = fake_describe_exit, .destroy = fake_destroy,
};

static const struct target tgt = { .name = "x86_64", .arch = "x86_64", .release = "6.1.0-50-amd64" };

/* Runs text as a case in a new directory, which dir gets, with the
 * run's timeout. */
static void run_case_for(const char *text, char *dir, struct run_result *res, long timeout_ms)
{
	struct oomcase c;
	struct strbuf err = STRBUF_INIT;

	assert_int_equal(case_parse(&c, "t.case", text, strlen(text), &err), 0);
	assert_non_null(mkdtemp(dir));
	struct run_request rq = { .c = &c, .t = &tgt, .backend = &fake_backend, .initrd = "/nonexistent",
				  .run_dir = dir, .timeout_ms = timeout_ms };
	run_result_init(res);
	run_one(&rq, res);
	case_release(&c);
	strbuf_release(&err);
}

static void run_case(const char *text, char *dir, struct run_result *res)
{
	run_case_for(text, dir, res, 20000);
}

static void test_run_to_the_end(void **state)
{
	(void)state;
	static const char case_text[] = "[step hog]\nrun = hog\n[expect]\nstep.hog.exit == 0\n"
					"console ~ \"Killed process 78\"\n";
	char dir[] = "/tmp/oomtest-runner.XXXXXX";
	struct run_result res;
	struct strbuf text = STRBUF_INIT;

	console_text = "[    1.0] Memory cgroup out of memory: Killed process 78 (hog)\r\n[    1.1] last";
	agent_text = "ready 1 6.1.0-50-amd64 x86_64\nstart hog 78\nmem hog 10 512\nexit hog 0\ndone\n";
	start_result = 0;
	run_case(case_text, dir, &res);
	assert_string_equal(res.reason.buf, "");
	assert_int_equal(res.verdict, V_PASS);
	assert_string_equal(facts_get(&res.facts, "agent.done"), "1");
	assert_string_equal(facts_get(&res.facts, "boot.path"), "cold-bzimage");
	assert_string_equal(facts_get(&res.facts, "vm.exit"), "exit 0");
	assert_string_equal(facts_get(&res.facts, "step.hog.pid"), "78");
	assert_string_equal(facts_get(&res.facts, "console.capped"), "0");
	assert_non_null(facts_get(&res.facts, "boot.seconds"));
	assert_non_null(facts_get(&res.facts, "run.seconds"));

	/* the logs hold the streams as they came */
	read_run_file(dir, "console.log", &text);
	assert_string_equal(text.buf, console_text);
	read_run_file(dir, "agent.log", &text);
	assert_string_equal(text.buf, agent_text);
	read_run_file(dir, "memory.tsv", &text);
	assert_string_equal(text.buf, "step\tms\trss_kb\nhog\t10\t512\n");
	read_run_file(dir, "result.json", &text);
	assert_non_null(strstr(text.buf, "\"verdict\": \"pass\""));
	read_run_file(dir, "facts.json", &text);
	assert_non_null(strstr(text.buf, "\"step.hog.exit\": \"0\""));
	/* plan.txt is the plan the guest was sent */
	read_run_file(dir, "plan.txt", &text);
	assert_non_null(strstr(text.buf, "run hog "));
	assert_non_null(strstr(text.buf, "end\n"));
	run_result_release(&res);
	strbuf_release(&text);
	remove_dir(dir);
}

static void run_single(const char *case_text, char *dir, struct run_result *res)
{
	char base[] = "/tmp/oomtest-runner-initramfs.XXXXXX";
	int fd = mkstemp(base);
	struct oomcase c;

	assert_true(fd >= 0);
	assert_int_equal(fs_write_all(fd, "070701", 6), 0);
	close(fd);
	parse_ok(&c, case_text);
	assert_non_null(mkdtemp(dir));
	struct run_request rq = { .c = &c, .t = &tgt, .backend = &fake_backend, .initrd = base,
				  .run_dir = dir, .timeout_ms = 20000, .single_console = 1,
				  .snapshot_dir = "/nonexistent/snapshots" };
	run_result_init(res);
	run_one(&rq, res);
	case_release(&c);
	unlink(base);
}

static void test_single_console(void **state)
{
	static const char case_text[] = "[step hog]\nrun = hog\n[expect]\nstep.hog.exit == 0\n"
					"console ~ \"Killed process 78\"\n";
	static const char kernel[] = "[    1.0] Memory cgroup out of memory: Killed process 78 (hog)\r\n"
				     "[    1.1] one\r\n[    1.2] two\r\n[    1.3] three\r\n";
	char dir[] = "/tmp/oomtest-runner.XXXXXX", dir2[] = "/tmp/oomtest-runner.XXXXXX";
	struct strbuf agent = STRBUF_INIT, text = STRBUF_INIT;
	struct run_result res;

	(void)state;
	strbuf_addstr(&agent, "ready 1 6.1.0-50-amd64 x86_64\nstart hog 78\nout hog ");
	for (int i = 0; i < 3000; i++)
		strbuf_addch(&agent, "ok%20"[i % 5]);
	strbuf_addstr(&agent, "\nexit hog 0\ndone\n");
	console_text = kernel;
	agent_text = agent.buf;
	start_result = 0;
	run_single(case_text, dir, &res);
	assert_string_equal(res.reason.buf, "");
	assert_int_equal(res.verdict, V_PASS);
	assert_int_equal(saw_baked_initrd, 1);
	assert_string_equal(facts_get(&res.facts, "boot.path"), "cold-bzimage");
	/* the logs as with a channel: the console without the frames */
	read_run_file(dir, "console.log", &text);
	assert_string_equal(text.buf, kernel);
	read_run_file(dir, "agent.log", &text);
	assert_string_equal(text.buf, agent.buf);
	read_run_file(dir, "plan.txt", &text);
	assert_non_null(strstr(text.buf, "\nrun hog "));
	/* the run's initrd is not kept */
	strbuf_reset(&text);
	strbuf_addf(&text, "%s/initrd.cpio", dir);
	assert_int_equal(access(text.buf, F_OK), -1);
	run_result_release(&res);
	remove_dir(dir);

	/* a line that is not the agent's makes the run an error, and stays */
	console_text = kernel;
	agent_text = agent.buf;
	forged_line = "[    3.0] oomtest:0123456789abcdef 9 . done\r\n";
	run_single(case_text, dir2, &res);
	forged_line = NULL;
	assert_int_equal(res.verdict, V_ERROR);
	assert_non_null(strstr(res.reason.buf, "guest agent: single console: a console line looks like"));
	read_run_file(dir2, "console.log", &text);
	assert_non_null(strstr(text.buf, "oomtest:0123456789abcdef 9 . done"));
	run_result_release(&res);
	remove_dir(dir2);
	strbuf_release(&agent);
	strbuf_release(&text);
}

static void test_guest_ends_before_ready(void **state)
{
	(void)state;
	char dir[] = "/tmp/oomtest-runner.XXXXXX";
	struct run_result res;

	console_text = "[    0.1] Linux version 6.1.0\n";
	agent_text = "";
	start_result = 0;
	run_case("[expect]\noom.count == 0\n", dir, &res);
	assert_int_equal(res.verdict, V_ERROR);
	assert_string_equal(res.reason.buf,
			    "boot failure: the guest ended (QEMU exit 0) before its agent said ready (see console.log)");
	assert_string_equal(facts_get(&res.facts, "agent.done"), "0");
	run_result_release(&res);
	remove_dir(dir);
}

static void test_guest_does_not_start(void **state)
{
	(void)state;
	char dir[] = "/tmp/oomtest-runner.XXXXXX";
	struct run_result res;
	struct strbuf text = STRBUF_INIT;

	start_result = -2;
	run_case("[expect]\noom.count == 0\n", dir, &res);
	assert_int_equal(res.verdict, V_ERROR);
	assert_int_equal(res.host_failed, 1);
	assert_string_equal(res.reason.buf, "cannot start: no such machine");
	/* the result is written all the same */
	read_run_file(dir, "result.json", &text);
	assert_non_null(strstr(text.buf, "cannot start: no such machine"));
	run_result_release(&res);

	char dir2[] = "/tmp/oomtest-runner.XXXXXX";
	start_result = -1;
	run_case("[expect]\noom.count == 0\n", dir2, &res);
	assert_int_equal(res.verdict, V_ERROR);
	assert_int_equal(res.host_failed, 0);
	run_result_release(&res);
	strbuf_release(&text);
	remove_dir(dir);
	remove_dir(dir2);
}

/* A line past the limit is dropped up to its newline, and only that: the
 * records after it in the same read still count. */
static void test_overlong_line_keeps_what_follows(void **state)
{
	(void)state;
	char dir[] = "/tmp/oomtest-runner.XXXXXX";
	struct run_result res;
	/* the line reaches 1 MiB with the last of its slices: no read before
	 * that one held a whole 1 MiB */
	size_t long_len = 1u << 20;
	char *longline = xmalloc(long_len);

	memcpy(longline, "out hog ", 8);
	memset(longline + 8, 'x', long_len - 8);
	console_text = "";
	agent_text = "ready 1 6.1.0-50-amd64 x86_64\nstart hog 78\n";
	agent_later = longline;
	agent_later_len = long_len;
	/* the next read holds the end of that line and the last records */
	agent_last = "xyz\nexit hog 0\ndone\n";
	start_result = 0;
	run_case("[step hog]\nrun = hog\n[expect]\nstep.hog.exit == 0\n", dir, &res);
	assert_string_equal(facts_get(&res.facts, "agent.done"), "1");
	assert_string_equal(facts_get(&res.facts, "step.hog.exit"), "0");
	assert_string_equal(res.reason.buf, "");
	assert_int_equal(res.verdict, V_PASS);
	/* the long line is gone, and counted */
	assert_null(facts_get(&res.facts, "step.hog.output"));
	char dropped[32];
	snprintf(dropped, sizeof(dropped), "%zu", long_len + strlen("xyz\n"));
	assert_string_equal(facts_get(&res.facts, "agent.dropped_bytes"), dropped);
	free(longline);
	run_result_release(&res);
	remove_dir(dir);
}

/* The module's facts come from the agent's kmod record; a console line that
 * looks like the module's result (a quote, a write to /dev/kmsg) sets none. */
static void test_kmod_facts_from_the_agent_only(void **state)
{
	(void)state;
	char dir[] = "/tmp/oomtest-runner.XXXXXX", dir2[] = "/tmp/oomtest-runner.XXXXXX";
	struct run_result res;

	console_text = "[    2.0] oom_trigger: result order=0 allocated=99 fired=0\n"
		       "[    2.1] test: \"oom_trigger: result released=7\"\n";
	/* without the record there are no kmod facts, whatever the console says */
	agent_text = "ready 1 6.1.0-50-amd64 x86_64\nstart load 78\nexit load 0\ndone\n";
	start_result = 0;
	run_case("[step load]\nmodule = oom_trigger order=3\n[expect]\nagent.done == 1\n", dir, &res);
	assert_int_equal(res.verdict, V_PASS);
	for (size_t i = 0; i < res.facts.n; i++)
		assert_null(strstr(res.facts.v[i].name, "kmod."));
	run_result_release(&res);

	/* with it, its facts and only those */
	agent_text = "ready 1 6.1.0-50-amd64 x86_64\nstart load 78\n"
		     "kmod oom_trigger order=3%20allocated=1733%20fired=1\nexit load 0\ndone\n";
	run_case("[step load]\nmodule = oom_trigger order=3\n[expect]\nkmod.oom_trigger.allocated == 1733\n",
		 dir2, &res);
	assert_string_equal(res.reason.buf, "");
	assert_int_equal(res.verdict, V_PASS);
	assert_string_equal(facts_get(&res.facts, "kmod.oom_trigger.order"), "3");
	assert_string_equal(facts_get(&res.facts, "kmod.oom_trigger.fired"), "1");
	assert_null(facts_get(&res.facts, "kmod.oom_trigger.released"));
	run_result_release(&res);
	remove_dir(dir);
	remove_dir(dir2);
}

/* The plan cannot reach the agent: an error that says so, at once. */
static void test_plan_not_sent(void **state)
{
	(void)state;
	char dir[] = "/tmp/oomtest-runner.XXXXXX";
	struct run_result res;
	void (*old)(int) = signal(SIGPIPE, SIG_IGN); /* as the harness has it */

	console_text = "";
	agent_text = "ready 1 6.1.0-50-amd64 x86_64\n";
	agent_peer_closes = 1;
	start_result = 0;
	run_case("[step hog]\nrun = hog\n[expect]\nstep.hog.exit == 0\n", dir, &res);
	signal(SIGPIPE, old);
	assert_int_equal(res.verdict, V_ERROR);
	assert_string_equal(res.reason.buf, "cannot send the plan to the agent: Broken pipe");
	run_result_release(&res);
	remove_dir(dir);
}

/* The guest's stop is known before the end of its agent stream arrived
 * (libvirt's lifecycle event and its console stream are apart): the
 * records still on their way are read, not lost. */
static void test_stream_end_after_guest_end(void **state)
{
	(void)state;
	static const char case_text[] = "[step hog]\nrun = hog\n[expect]\nstep.hog.exit == 0\n";
	char dir[] = "/tmp/oomtest-runner.XXXXXX";
	struct run_result res;

	console_text = "[    1.0] booted\n";
	agent_text = "ready 1 6.1.0-50-amd64 x86_64\nstart hog 78\n";
	agent_after_end = "exit hog 0\ndone\n";
	start_result = 0;
	run_case(case_text, dir, &res);
	assert_string_equal(facts_get(&res.facts, "agent.done"), "1");
	assert_string_equal(facts_get(&res.facts, "step.hog.exit"), "0");
	assert_int_equal(res.verdict, V_PASS);
	run_result_release(&res);
	remove_dir(dir);
}

/* --silence: samples keep coming from an agent whose guest does nothing */
static void test_samples_are_not_output(void **state)
{
	(void)state;
	assert_int_equal(runner_is_sample("mem hog 25 1024", 15), 1);
	assert_int_equal(runner_is_sample("sys 50 1 2 3 4 5", 16), 1);
	assert_int_equal(runner_is_sample("cgmem g 50 4", 12), 1);
	assert_int_equal(runner_is_sample("event 50 start hog", 18), 0);
	assert_int_equal(runner_is_sample("out hog x", 9), 0);
	assert_int_equal(runner_is_sample("memo", 4), 0);
	assert_int_equal(runner_is_sample("sys", 3), 0);
	assert_int_equal(runner_is_sample("", 0), 0);
}

static void *interrupt_soon(void *arg)
{
	(void)arg;
	usleep(300 * 1000);
	runner_interrupted = 1;
	return NULL;
}

/* A backend whose streams block (as --backend lava's console once did)
 * and a guest that says nothing: the run still ends at its timeout, and
 * at Ctrl-C, instead of sitting in a read. alarm: such a hang fails the
 * test instead of holding the suite. */
static void test_quiet_guest_on_blocking_streams_ends(void **state)
{
	static const char case_text[] = "[step hog]\nrun = hog\n[expect]\nstep.hog.exit == 0\n";
	char dir1[] = "/tmp/oomtest-runner.XXXXXX", dir2[] = "/tmp/oomtest-runner.XXXXXX";
	struct run_result res;
	pthread_t t;

	(void)state;
	start_result = 0;
	quiet_guest = 1;
	alarm(30);
	run_case_for(case_text, dir1, &res, 500);
	/* its deadline, before the guest said ready: a boot failure */
	assert_int_equal(res.verdict, V_ERROR);
	assert_non_null(strstr(res.reason.buf, "never said ready"));
	run_result_release(&res);
	assert_int_equal(pthread_create(&t, NULL, interrupt_soon, NULL), 0);
	run_case_for(case_text, dir2, &res, 600000);
	pthread_join(t, NULL);
	alarm(0);
	runner_interrupted = 0;
	quiet_guest = 0;
	assert_int_equal(res.interrupted, 1);
	run_result_release(&res);
	remove_dir(dir1);
	remove_dir(dir2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_to_the_end),
		cmocka_unit_test(test_single_console),
		cmocka_unit_test(test_samples_are_not_output),
		cmocka_unit_test(test_guest_ends_before_ready),
		cmocka_unit_test(test_guest_does_not_start),
		cmocka_unit_test(test_overlong_line_keeps_what_follows),
		cmocka_unit_test(test_plan_not_sent),
		cmocka_unit_test(test_stream_end_after_guest_end),
		cmocka_unit_test(test_kmod_facts_from_the_agent_only),
		cmocka_unit_test(test_quiet_guest_on_blocking_streams_ends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
