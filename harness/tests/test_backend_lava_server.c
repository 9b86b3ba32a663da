/* Tests for backend/lava_server.c (--backend lava) against a fake LAVA
 * server in this file: a thread that routes each request by method and
 * path and answers in the shape a real LAVA 2023.01 server gave
 * (fixtures/lava-rest/), the job's state as each test sets it and a real
 * job's log shown a part at each read. A run ends once the log holds the
 * job's result though the server still says Running, or once the server
 * says Finished; kill cancels the job and waits for its end, not on the
 * runner. A server that stops answering for good is not tested: the
 * backend gives up after 30 failed polls a second apart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/backend.h"
#include "lava/lava_log.h"
#include "lib/clock.h"
#include "lib/fs.h"
#include "lib/json.h"
#include "lib/strbuf.h"
#include "lava_rest_test_util.h"

#define TOKEN "WVVJkHKmBJQhgjtnnWtLJcy8o8PsCMxVXnr7rzRlDU"
#define JOB "/api/v0.2/jobs/1/"
#define LOGS JOB "logs/?start="
/* a bound for "does not hang", never a duration asserted */
#define HANG_MS 10000

struct job_state {
	const char *state, *health;
};

static struct fake {
	pthread_t thread;
	int lfd;
	atomic_int stop;
	atomic_int state_answers;     /* requests for the job's state answered */
	atomic_int failing;           /* the next this many GETs get a proxy's 502 */
	atomic_int refuse;            /* a submit gets LAVA's refusal (refused.http) */
	atomic_int without_token;     /* requests that did not carry TOKEN */
	pthread_mutex_t mu;           /* guards the rest */
	struct strbuf log;            /* the job's log as the server stores it: "- " lines */
	size_t lines, shown, step;    /* its lines; those shown so far; shown more at each read (0: all) */
	struct job_state states[4];   /* the state answers in turn, the last one repeated */
	size_t n_states, at;
	struct strbuf requests;       /* "METHOD PATH\n" each */
	struct strbuf definition;     /* the body of the last submit */
} fake = { .mu = PTHREAD_MUTEX_INITIALIZER, .log = STRBUF_INIT, .requests = STRBUF_INIT,
	    .definition = STRBUF_INIT };

static char tmp[] = "/tmp/oomtest-lava-server.XXXXXX";
static struct strbuf url = STRBUF_INIT, kernel = STRBUF_INIT, initrd = STRBUF_INIT, detail = STRBUF_INIT;
/* each test's: the log served, the console wanted and got, the requests seen */
static struct strbuf job_log = STRBUF_INIT, want = STRBUF_INIT, got = STRBUF_INIT, seen = STRBUF_INIT;
static int runs;
static struct vm *live;  /* the run under test: a failed test's is ended by the next */

/* The job's state: detail.http's body with state and health set. */
static void state_answer(const struct job_state *s, struct strbuf *answer)
{
	json_object *doc = json_tokener_parse(detail.buf);

	json_object_object_add(doc, "state", json_object_new_string(s->state));
	json_object_object_add(doc, "health", json_object_new_string(s->health));
	if (strcmp(s->state, "Finished"))
		json_object_object_add(doc, "end_time", NULL);
	const char *text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN);
	lava_rest_answer(answer, 200, "application/json", text, strlen(text));
	json_object_put(doc);
}

/* Where line k of the log starts (past its end: its end). */
static size_t line_offset(size_t k)
{
	size_t off = 0;

	for (; k > 0 && off < fake.log.len; k--)
		off += strcspn(fake.log.buf + off, "\n") + 1;
	return off < fake.log.len ? off : fake.log.len;
}

/* A step more of the log shown, then the log from line `from` on as far
 * as it is shown (nothing there: LAVA's 404). */
static void logs_answer(size_t from, struct strbuf *answer)
{
	fake.shown = fake.step && fake.shown + fake.step < fake.lines ? fake.shown + fake.step : fake.lines;
	if (from >= fake.shown) {
		lava_rest_fixture("logs-end.http", 0, answer);
		return;
	}
	lava_rest_answer(answer, 200, "application/yaml", fake.log.buf + line_offset(from),
			 line_offset(fake.shown) - line_offset(from));
}

static void route(const struct strbuf *req, struct strbuf *answer)
{
	size_t mlen = strcspn(req->buf, " \r\n");
	char *method = xstrndup(req->buf, mlen);
	char *path = xstrndup(req->buf + mlen + 1, strcspn(req->buf + mlen + 1, " \r\n"));
	const char *body = strstr(req->buf, "\r\n\r\n");
	int get = !strcmp(method, "GET");

	if (!strstr(req->buf, "\r\nAuthorization: Token " TOKEN "\r\n"))
		atomic_fetch_add(&fake.without_token, 1);
	pthread_mutex_lock(&fake.mu);
	strbuf_addf(&fake.requests, "%s %s\n", method, path);
	if (get && atomic_load(&fake.failing) > 0) {
		atomic_fetch_sub(&fake.failing, 1);
		lava_rest_answer(answer, 502, "text/html", "Bad Gateway", 11);
	} else if (!strcmp(method, "POST") && !strcmp(path, "/api/v0.2/jobs/")) {
		strbuf_reset(&fake.definition);
		strbuf_addstr(&fake.definition, body ? body + 4 : "");
		lava_rest_fixture(atomic_load(&fake.refuse) ? "refused.http" : "submit.http", 0, answer);
	} else if (get && !strcmp(path, JOB)) {
		state_answer(&fake.states[fake.at], answer);
		fake.at += fake.at + 1 < fake.n_states;
		atomic_fetch_add(&fake.state_answers, 1);
	} else if (get && !strncmp(path, LOGS, strlen(LOGS))) {
		logs_answer(strtoul(path + strlen(LOGS), NULL, 10), answer);
	} else if (get && !strcmp(path, JOB "cancel/")) {
		/* LAVA stops the job: Canceling, then Finished */
		fake.states[0] = (struct job_state){ "Canceling", "Unknown" };
		fake.states[1] = (struct job_state){ "Finished", "Canceled" };
		fake.n_states = 2;
		fake.at = 0;
		lava_rest_fixture("cancel.http", 0, answer);
	} else {
		lava_rest_fixture("nojob.http", 0, answer);
	}
	pthread_mutex_unlock(&fake.mu);
	free(method);
	free(path);
}

static void *serve(void *arg)
{
	(void)arg;
	while (!atomic_load(&fake.stop)) {
		struct strbuf req = STRBUF_INIT, answer = STRBUF_INIT;
		struct pollfd p = { fake.lfd, POLLIN, 0 };
		int fd;

		if (poll(&p, 1, 20) <= 0 || (fd = accept(fake.lfd, NULL, NULL)) < 0)
			continue;
		lava_rest_read_request(fd, &req);
		if (req.len)
			route(&req, &answer);
		fs_write_all(fd, answer.buf, answer.len);
		shutdown(fd, SHUT_WR);
		close(fd);
		strbuf_release(&req);
		strbuf_release(&answer);
	}
	return NULL;
}

/* The states the server gives the job in turn (the last one from then on). */
static void job_states(size_t n, const struct job_state *states)
{
	pthread_mutex_lock(&fake.mu);
	memcpy(fake.states, states, n * sizeof(*states));
	fake.n_states = n;
	fake.at = 0;
	pthread_mutex_unlock(&fake.mu);
}

/* A new job whose log (into job_log) is a real one as the server serves
 * it: the first `keep` lines (0: all) of a fixture of LAVA's log, a
 * server's ("- " lines) or lava-run's stderr (which a server stores as it
 * is), shown step lines more at each read (0: all at once). fixture NULL:
 * no log yet. Each test starts with one. */
static void new_job(const char *fixture, size_t keep, size_t step)
{
	struct strbuf text = STRBUF_INIT, *mine[] = { &job_log, &want, &got, &seen };
	size_t n = 0;

	for (size_t i = 0; i < 4; i++)
		strbuf_reset(mine[i]);
	if (live)
		backend_lava_server.destroy(live);
	live = NULL;
	if (fixture)
		assert_int_equal(strbuf_read_file(&text, fixture), 0);
	for (const char *l = text.buf; *l && (!keep || n < keep); n++) {
		size_t len = strcspn(l, "\n");

		strbuf_addstr(&job_log, strncmp(l, "- ", 2) ? "- " : "");
		strbuf_add(&job_log, l, len);
		strbuf_addch(&job_log, '\n');
		l += len + (l[len] == '\n');
	}
	strbuf_release(&text);
	pthread_mutex_lock(&fake.mu);
	strbuf_reset(&fake.log);
	strbuf_addbuf(&fake.log, &job_log);
	fake.lines = n;
	fake.shown = 0;
	fake.step = step;
	strbuf_reset(&fake.requests);
	strbuf_reset(&fake.definition);
	pthread_mutex_unlock(&fake.mu);
	fake.state_answers = fake.failing = fake.refuse = fake.without_token = 0;
}

/* Until the server has answered n requests for the job's state. */
static void wait_state_answers(int n)
{
	uint64_t start = clock_now_ms();

	while (atomic_load(&fake.state_answers) < n) {
		assert_true(clock_now_ms() - start < HANG_MS);
		usleep(10 * 1000);
	}
}

/* What the server was asked, into seen. */
static void requests(void)
{
	pthread_mutex_lock(&fake.mu);
	strbuf_reset(&seen);
	strbuf_addbuf(&seen, &fake.requests);
	pthread_mutex_unlock(&fake.mu);
}

/* The console lines (each with its newline) job_log holds, read on their
 * own, into want. */
static void console_of_job_log(void)
{
	struct lava_log *reader = lava_log_new();
	struct lava_event ev;

	for (const char *l = job_log.buf; *l;) {
		size_t len = strcspn(l, "\n");

		lava_log_feed(reader, l + 2, len - 2);
		lava_log_feed(reader, "\n", 1);
		l += len + (l[len] == '\n');
	}
	lava_log_end(reader);
	strbuf_reset(&want);
	while (lava_log_next(reader, &ev)) {
		if (ev.kind == LAVA_EVENT_CONSOLE) {
			strbuf_add(&want, ev.text, ev.text_len);
			strbuf_addch(&want, '\n');
		}
		lava_event_release(&ev);
	}
	lava_log_free(reader);
}

/* The console stream to its end, into got. */
static void read_to_eof(int fd)
{
	char buf[4096];
	ssize_t n;

	strbuf_reset(&got);
	do {
		struct pollfd p = { fd, POLLIN, 0 };

		assert_int_equal(poll(&p, 1, HANG_MS), 1);
		n = read(fd, buf, sizeof(buf));
		assert_true(n >= 0);
		strbuf_add(&got, buf, (size_t)n);
	} while (n > 0);
}

/* As the runner does: the console read while the job runs, to its end
 * (into got); then the guest is gone. */
static void run_to_its_end(struct vm *vm)
{
	read_to_eof(backend_lava_server.console_fd(vm));
	assert_int_equal(backend_lava_server.wait(vm, HANG_MS), 1);
}

/* This process's threads. */
static int threads(void)
{
	struct strbuf status = STRBUF_INIT;
	int n;

	assert_int_equal(strbuf_read_file(&status, "/proc/self/status"), 0);
	assert_non_null(strstr(status.buf, "\nThreads:"));
	n = atoi(strstr(status.buf, "\nThreads:") + strlen("\nThreads:"));
	strbuf_release(&status);
	return n;
}

struct run {
	struct target t;
	struct vm_config cfg;
	struct strbuf dir;
	struct vm *vm;
};

static void run_init(struct run *r)
{
	*r = (struct run){ .t = { .name = (char *)"x86_64", .arch = (char *)"x86_64", .kernel = kernel.buf } };
	strbuf_init(&r->dir);
	strbuf_addf(&r->dir, "%s/run-%d", tmp, ++runs);
	assert_int_equal(fs_mkdirs(r->dir.buf), 0);
	r->cfg = (struct vm_config){ .target = &r->t, .initrd = initrd.buf, .memory = 256ull << 20,
				     .run_dir = r->dir.buf, .single_console = 1, .timeout_ms = 60000 };
}

static void run_start(struct run *r)
{
	struct strbuf err = STRBUF_INIT;

	run_init(r);
	if (backend_lava_server.start(&r->cfg, &r->vm, &err))
		fail_msg("start: %s", err.buf);
	assert_non_null(r->vm);
	live = r->vm;
	assert_int_equal(backend_lava_server.agent_fd(r->vm), -1);
	strbuf_release(&err);
}

static void run_end(struct run *r)
{
	backend_lava_server.destroy(r->vm);
	live = NULL;
	strbuf_release(&r->dir);
}

/* describe_exit says: the job's page, then how it ended. */
static void check_exit(struct run *r, const char *how)
{
	struct strbuf said = STRBUF_INIT, wanted = STRBUF_INIT;

	strbuf_addf(&wanted, "LAVA job %s/scheduler/job/1: %s", url.buf, how);
	backend_lava_server.describe_exit(r->vm, &said);
	assert_string_equal(said.buf, wanted.buf);
	strbuf_release(&said);
	strbuf_release(&wanted);
}

/* The job the server got is the run's lava-job.yaml, with the target's
 * kernel; lava-job.url is the job's page. */
static void check_run_files(const struct run *r)
{
	struct strbuf path = STRBUF_INIT, yaml = STRBUF_INIT, page = STRBUF_INIT;
	json_object *doc, *def;

	strbuf_addf(&path, "%s/lava-job.yaml", r->dir.buf);
	assert_int_equal(strbuf_read_file(&yaml, path.buf), 0);
	assert_non_null(strstr(yaml.buf, kernel.buf));
	pthread_mutex_lock(&fake.mu);
	doc = json_tokener_parse(fake.definition.buf);
	pthread_mutex_unlock(&fake.mu);
	assert_true(doc && json_object_object_get_ex(doc, "definition", &def));
	assert_string_equal(json_object_get_string(def), yaml.buf);
	json_object_put(doc);
	strbuf_reset(&path);
	strbuf_reset(&yaml);
	strbuf_addf(&path, "%s/lava-job.url", r->dir.buf);
	strbuf_addf(&page, "%s/scheduler/job/1\n", url.buf);
	assert_int_equal(strbuf_read_file(&yaml, path.buf), 0);
	assert_string_equal(yaml.buf, page.buf);
	strbuf_release(&path);
	strbuf_release(&yaml);
	strbuf_release(&page);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmp))
		return -1;
	strbuf_addf(&kernel, "%s/vmlinuz", tmp);
	strbuf_addf(&initrd, "%s/initrd.cpio", tmp);
	if (fs_write_atomic(kernel.buf, "k", 1) || fs_write_atomic(initrd.buf, "i", 1))
		return -1;
	lava_rest_fixture("detail.http", 1, &detail);
	fake.lfd = lava_rest_listen(&url);
	if (pthread_create(&fake.thread, NULL, serve, NULL))
		return -1;
	backend_lava_server_set(url.buf, TOKEN, NULL, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	atomic_store(&fake.stop, 1);
	pthread_join(fake.thread, NULL);
	close(fake.lfd);
	struct strbuf *all[] = { &fake.log, &fake.requests, &fake.definition, &url, &kernel, &initrd, &detail,
				 &job_log, &want, &got, &seen };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		strbuf_release(all[i]);
	return fs_remove_tree(tmp);
}

static const struct job_state running[] = { { "Running", "Unknown" } };

/* The server said Finished a minute after the log ended: the run must not
 * wait for it. The log comes in two reads, from line 0 and from where the
 * first ended; the runner reads every console line in order. */
static void test_a_log_with_the_jobs_result_ends_the_run_while_the_server_says_running(void **state)
{
	struct run r;

	(void)state;
	new_job("fixtures/lava-rest/job-logs.yaml", 0, 239);
	job_states(1, running);
	run_start(&r);
	run_to_its_end(r.vm);
	console_of_job_log();
	assert_string_equal(got.buf, want.buf);
	assert_non_null(strstr(got.buf, "\ntrivial: done\n"));
	assert_true(strstr(got.buf, "\ntrivial: started\n") < strstr(got.buf, "\ntrivial: done\n"));
	check_exit(&r, "Complete");
	assert_int_equal(backend_lava_server.host_lost(r.vm), 0);
	assert_int_equal(backend_lava_server.not_started(r.vm), 0);
	requests();
	assert_non_null(strstr(seen.buf, "GET " LOGS "0\n"));
	assert_non_null(strstr(seen.buf, "GET " LOGS "239\n"));
	assert_null(strstr(seen.buf, "cancel"));
	assert_int_equal(atomic_load(&fake.without_token), 0);
	check_run_files(&r);
	run_end(&r);
}

/* A job that failed (the guest's connection closed: Infrastructure) while
 * the server's health is still Unknown: LAVA's error verbatim. */
static void test_a_failed_jobs_log_gives_lavas_error_while_the_server_says_running(void **state)
{
	struct run r;

	(void)state;
	new_job("fixtures/lava/panic-eof.log", 0, 300);
	job_states(1, running);
	run_start(&r);
	run_to_its_end(r.vm);
	console_of_job_log();
	assert_string_equal(got.buf, want.buf);
	check_exit(&r, "Incomplete: Infrastructure: Connection closed");
	run_end(&r);
}

/* No result line (lava-run died): the server's Finished ends the run, and
 * its health is the word, with LAVA's first error. */
static void test_a_job_the_server_finishes_without_a_result_ends_with_the_servers_health(void **state)
{
	static const struct job_state states[] = { { "Running", "Unknown" }, { "Finished", "Incomplete" } };
	struct run r;

	(void)state;
	new_job("fixtures/lava/panic-eof.log", 511, 0);
	job_states(2, states);
	run_start(&r);
	run_to_its_end(r.vm);
	console_of_job_log();
	assert_string_equal(got.buf, want.buf);
	check_exit(&r, "Incomplete: Connection closed");
	assert_int_equal(atomic_load(&fake.state_answers), 2);
	run_end(&r);
}

/* The recorded job: its log says pass, the server (a cancel came while it
 * ran) Canceled. Once the server has given its health, that is the word. */
static void test_the_servers_health_once_given_is_the_word(void **state)
{
	static const struct job_state finished[] = { { "Finished", "Canceled" } };
	struct run r;

	(void)state;
	new_job("fixtures/lava-rest/job-logs.yaml", 0, 470);
	job_states(1, finished);
	run_start(&r);
	run_to_its_end(r.vm);
	check_exit(&r, "Canceled");
	run_end(&r);
}

/* The runner reads the console again only after kill: kill must not wait
 * on it. The first 70 lines (LAVA's deploy, no console) come in the first
 * read, then 70 more at each, console lines that fill the stream. */
static void test_kill_cancels_a_running_job_and_waits_for_its_end(void **state)
{
	int before = threads();
	struct run r;

	(void)state;
	new_job("fixtures/lava-rest/job-logs.yaml", 300, 70);
	job_states(1, running);
	run_start(&r);
	wait_state_answers(1);
	assert_int_equal(backend_lava_server.wait(r.vm, 0), 0);
	backend_lava_server.kill(r.vm);
	requests();
	assert_non_null(strstr(seen.buf, "GET " JOB "cancel/\n"));
	/* kill returned once the server said Finished, not before */
	assert_int_equal(backend_lava_server.wait(r.vm, 0), 1);
	check_exit(&r, "Canceled");
	/* what fitted into the stream is there, in order */
	read_to_eof(backend_lava_server.console_fd(r.vm));
	console_of_job_log();
	assert_true(got.len > 0 && got.len < want.len);
	assert_memory_equal(got.buf, want.buf, got.len);
	run_end(&r);
	assert_int_equal(threads(), before);
}

static void test_a_queued_job_has_not_started_until_the_server_runs_it(void **state)
{
	static const struct job_state queued[] = { { "Submitted", "Unknown" } };
	static const struct job_state complete[] = { { "Finished", "Complete" } };
	uint64_t start = clock_now_ms();
	struct run r;

	(void)state;
	new_job(NULL, 0, 0);
	job_states(1, queued);
	run_start(&r);
	/* two answers given: the backend has taken in the first */
	wait_state_answers(2);
	assert_int_equal(backend_lava_server.not_started(r.vm), 1);
	job_states(1, running);
	while (backend_lava_server.not_started(r.vm)) {
		assert_true(clock_now_ms() - start < HANG_MS);
		usleep(10 * 1000);
	}
	job_states(1, complete);
	run_to_its_end(r.vm);
	assert_int_equal(got.len, 0);
	assert_int_equal(backend_lava_server.not_started(r.vm), 0);
	check_exit(&r, "Complete");
	run_end(&r);
}

/* A proxy's 502 for two polls, then the server again: not lost. */
static void test_a_server_that_fails_for_a_while_is_not_lost(void **state)
{
	struct run r;

	(void)state;
	new_job("fixtures/lava-rest/job-logs.yaml", 0, 0);
	job_states(1, running);
	atomic_store(&fake.failing, 2);
	run_start(&r);
	run_to_its_end(r.vm);
	assert_int_equal(backend_lava_server.host_lost(r.vm), 0);
	check_exit(&r, "Complete");
	requests();
	assert_non_null(strstr(seen.buf, "GET " LOGS "0\nGET " LOGS "0\nGET " LOGS "0\n"));
	run_end(&r);
}

/* LAVA refuses the job: its words; no --lava-url: what to give. */
static void test_start_says_why_it_cannot_run_the_job(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct run r;

	(void)state;
	new_job(NULL, 0, 0);
	run_init(&r);
	fake.refuse = 1;
	assert_int_equal(backend_lava_server.start(&r.cfg, &r.vm, &err), -1);
	assert_non_null(strstr(err.buf, "Devices unavailable: Device type 'nosuch' is unavailable."));
	assert_null(r.vm);
	backend_lava_server_set(NULL, NULL, NULL, NULL);
	assert_int_equal(backend_lava_server.start(&r.cfg, &r.vm, &err), -1);
	backend_lava_server_set(url.buf, TOKEN, NULL, NULL);
	assert_non_null(strstr(err.buf, "needs --lava-url"));
	requests();
	assert_string_equal(seen.buf, "POST /api/v0.2/jobs/\n");
	strbuf_release(&r.dir);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_log_with_the_jobs_result_ends_the_run_while_the_server_says_running),
		cmocka_unit_test(test_a_failed_jobs_log_gives_lavas_error_while_the_server_says_running),
		cmocka_unit_test(test_a_job_the_server_finishes_without_a_result_ends_with_the_servers_health),
		cmocka_unit_test(test_the_servers_health_once_given_is_the_word),
		cmocka_unit_test(test_kill_cancels_a_running_job_and_waits_for_its_end),
		cmocka_unit_test(test_a_queued_job_has_not_started_until_the_server_runs_it),
		cmocka_unit_test(test_a_server_that_fails_for_a_while_is_not_lost),
		cmocka_unit_test(test_start_says_why_it_cannot_run_the_job),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
